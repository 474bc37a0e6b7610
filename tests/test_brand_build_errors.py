"""Builds with bad brands: one error listing every problem of every brand, no traceback, and the
previous site left exactly as it was (nothing half-written, no staging folder left behind)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from hardening_fixtures import MINIMAL_BRAND as PLAIN_BRAND
from sitehelpers import build_site, make_project, sine

#: The minimal brand plus what a strict build asks for (a text alternative for every asset).
MINIMAL_BRAND = PLAIN_BRAND.replace("    role: logo\n",
                                    "    role: logo\n    text_alternative: A short tone.\n")


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A project with one good brand, built once; returns (mkdocs.yml, site, the site's files)."""
    config = make_project(tmp_path, {"good": MINIMAL_BRAND})
    sine(tmp_path / "brands/good/audio/logo.wav", seconds=1.0)
    site = build_site(config)
    files = tree(site)
    assert "good/index.html" in files
    return config, site, files


def failed_build(config: Path, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.ERROR), pytest.raises((PluginError, Abort)) as caught:
        build_site(config)
    return str(caught.value) + "\n" + caplog.text


def test_every_problem_of_every_brand_and_the_old_site_survives(
        project: tuple[Path, Path, dict[str, bytes]], caplog: pytest.LogCaptureFixture) -> None:
    config, site, before = project
    root = config.parent
    (root / "brands/good/brand.yml").write_text(MINIMAL_BRAND.replace("role: logo", "role: jingle"))
    for slug, text in {
        "syntax": MINIMAL_BRAND.replace("  industry: Testing\n", "  industry: [Testing\n"),
        "paths": MINIMAL_BRAND.replace("audio/logo.wav", "../good/audio/logo.wav"),
        "linked": MINIMAL_BRAND,
    }.items():
        (root / "brands" / slug).mkdir()
        (root / "brands" / slug / "brand.yml").write_text(text)
    (root / "brands/linked/audio").mkdir()
    (root / "brands/linked/audio/logo.wav").symlink_to(root / "brands/good/audio/logo.wav")

    message = failed_build(config, caplog)
    expected = [
        "brands/good/brand.yml:19:11: assets[0].role: expected 'logo', 'theme', 'variant', 'cut-down', "
        "'stem', 'bed', 'ui', 'voice', 'ivr' or 'alert'; got 'jingle'.",
        "brands/linked/brand.yml:18:11: assets[0].file: 'audio/logo.wav' is a link that points outside the "
        "brand folder; copy the file in instead.",
        "brands/paths/brand.yml:18:11: assets[0].file: '../good/audio/logo.wav' leaves the brand folder "
        "('..'); keep audio inside the brand folder.",
        "brands/syntax/brand.yml:4:9: (document): YAML syntax error: while parsing a flow sequence expected "
        "',' or ']', but got ':'",
    ]
    for line in expected:
        assert message.count(line) >= 1, line
    assert "4 problems in brand definitions:" in message
    assert "Traceback" not in message
    assert tree(site) == before
    assert sorted(path.name for path in root.iterdir() if path.name.startswith("site")) == ["site"]


def test_a_failure_after_the_brands_load_keeps_the_old_site(
        project: tuple[Path, Path, dict[str, bytes]], caplog: pytest.LogCaptureFixture) -> None:
    """Audio that passes the path checks but cannot be decoded fails later, inside the build."""
    config, site, before = project
    root = config.parent
    (root / "brands/good/audio/logo.wav").write_bytes(b"RIFF" + bytes(4000))
    message = failed_build(config, caplog)
    assert "brands/good/brand.yml:" in message and "audio/logo.wav" in message
    assert "Traceback" not in message
    assert tree(site) == before
    assert sorted(path.name for path in root.iterdir() if path.name.startswith("site")) == ["site"]


def test_a_good_build_after_a_failed_one_replaces_the_site(
        project: tuple[Path, Path, dict[str, bytes]], caplog: pytest.LogCaptureFixture) -> None:
    config, site, before = project
    brand = config.parent / "brands/good/brand.yml"
    brand.write_text(MINIMAL_BRAND.replace("name: Minimal", "name: [x]"))
    failed_build(config, caplog)
    assert tree(site) == before
    brand.write_text(MINIMAL_BRAND.replace("name: Minimal", "name: Renamed"))
    build_site(config)
    assert "Renamed" in (site / "good/index.html").read_text(encoding="utf-8")


def test_audio_linked_inside_the_brand_is_published_as_a_real_file(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"linked": MINIMAL_BRAND})
    sine(tmp_path / "brands/linked/audio/real.wav", seconds=1.0)
    (tmp_path / "brands/linked/audio/logo.wav").symlink_to("real.wav")
    site = build_site(config)
    published = [path for path in site.rglob("*.wav")]
    assert published
    assert not [path for path in published if path.is_symlink()]
    real = (tmp_path / "brands/linked/audio/real.wav").read_bytes()
    assert all(path.read_bytes() == real for path in published)


def test_a_docs_link_to_an_outside_file_is_not_published(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path, {"good": MINIMAL_BRAND})
    sine(tmp_path / "brands/good/audio/logo.wav", seconds=1.0)
    (tmp_path / "secret.txt").write_text("do not publish")
    os.symlink(tmp_path / "secret.txt", tmp_path / "docs" / "secret.txt")
    with caplog.at_level(logging.WARNING):
        site = build_site(config, strict=False)
    assert not (site / "secret.txt").exists()
    assert not [path for path in site.rglob("*") if path.is_file() and b"do not publish" in path.read_bytes()]
    assert "link to a file outside docs_dir" in caplog.text
