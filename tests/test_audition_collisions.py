"""An audition is published as ``<stem>.<chain>.flac`` beside its asset's audio: a real asset file of
that name, or two assets of one stem at a touchpoint with a chain, is a positioned error naming both
sides (``core/collisions.py``), found by ``sonicguide validate`` and before a build writes anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine
from sonicguide.commands.validate import validate_paths

PLAYBACK = ("touchpoints:\n  - id: phone\n    name: Phone line\n    assets: [logo, other]\n"
            "    playback: phone-narrowband\n")


def project(root: Path, other_file: str, *, touchpoints: str = PLAYBACK) -> tuple[Path, str]:
    text = brand_yaml(assets=[{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
                              {"id": "other", "file": other_file, "role": "logo"}], extra=touchpoints)
    config = make_project(root, {"acme": text})
    audio = root / "brands" / "acme"
    sine(audio / "audio" / "logo.wav", seconds=1.0)
    sine(audio / other_file, seconds=1.0, fmt="FLAC" if other_file.endswith(".flac") else None)
    return config, text


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_an_asset_file_named_like_an_audition_is_a_positioned_error(tmp_path: Path) -> None:
    _config, text = project(tmp_path, "audio/logo.phone-narrowband.flac")
    _, problems = validate_paths([tmp_path / "brands"])
    messages = [str(problem) for problem in problems]
    assert len(messages) == 1, messages
    line = line_of(text, "file: audio/logo.phone-narrowband.flac")
    assert f"brands/acme/brand.yml:{line}:" in messages[0] and "assets[1].file:" in messages[0]
    assert "'audio/logo.phone-narrowband.flac' has the name of asset 'logo''s audition through phone-narrowband" \
        in messages[0]
    assert f"'audio/logo.wav' (line {line_of(text, 'file: audio/logo.wav')})" in messages[0]
    assert "rename this file" in messages[0]


def test_two_assets_of_one_stem_would_publish_the_same_audition(tmp_path: Path) -> None:
    _config, text = project(tmp_path, "audio/logo.flac")
    _, problems = validate_paths([tmp_path / "brands"])
    messages = [str(problem) for problem in problems]
    assert len(messages) == 1, messages
    assert f"brand.yml:{line_of(text, 'file: audio/logo.flac')}:" in messages[0]
    assert "would both publish their audition through phone-narrowband as 'acme/audio/logo.phone-narrowband.flac'" \
        in messages[0]


def test_without_a_playback_chain_the_same_names_are_fine(tmp_path: Path) -> None:
    project(tmp_path, "audio/logo.phone-narrowband.flac", touchpoints="")
    _, problems = validate_paths([tmp_path / "brands"])
    assert [str(problem) for problem in problems] == []


@pytest.mark.sitebuild
def test_the_build_stops_before_an_audition_replaces_an_asset(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    config, _text = project(tmp_path, "audio/logo.phone-narrowband.flac")
    with pytest.raises((PluginError, Abort)):
        build_site(config, strict=False)
    assert "assets[1].file: the audio file 'audio/logo.phone-narrowband.flac' has the name of asset 'logo''s" \
        in caplog.text
    assert not (tmp_path / "site").exists()
