"""Incremental rebuilds (issue 16): a brand is judged and rendered again only when one of its inputs
changed, an audio file is analysed again only when its bytes changed, and the site stays the same
bytes as a build from scratch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine, soup

pytestmark = pytest.mark.sitebuild


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}



def _two_brands(root: Path, *, use_directory_urls: bool = True) -> Path:
    assets = [{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
              {"id": "theme", "file": "audio/theme.wav", "role": "theme"}]
    config = make_project(root, {"acme": brand_yaml("Acme", assets=assets),
                                 "zenith": brand_yaml("Zenith", assets=assets)},
                          use_directory_urls=use_directory_urls)
    for slug, freq in (("acme", 440.0), ("zenith", 660.0)):
        sine(root / f"brands/{slug}/audio/logo.wav", seconds=1.0, freq=freq)
        sine(root / f"brands/{slug}/audio/theme.wav", seconds=1.5, freq=freq * 1.5)
    return config


def _reset(calls: dict[str, list[str]]) -> None:
    for value in calls.values():
        value.clear()


def test_a_no_change_rebuild_renders_and_analyses_nothing_and_is_byte_identical(
        tmp_path: Path, counted: dict[str, list[str]]) -> None:
    config = _two_brands(tmp_path)
    cold = _tree(build_site(config))
    assert sorted(counted["rendered"]) == ["acme", "zenith"]
    assert len(counted["analysed"]) == 4
    _reset(counted)
    warm = _tree(build_site(config))
    assert counted == {"rendered": [], "analysed": []}
    assert warm == cold


def test_one_brand_edited_renders_that_brand_and_the_pages_that_gather_brands(
        tmp_path: Path, counted: dict[str, list[str]]) -> None:
    config = _two_brands(tmp_path)
    build_site(config)
    _reset(counted)
    source = tmp_path / "brands/acme/brand.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("A test tagline", "Freshly edited tagline"),
                      encoding="utf-8")
    site = build_site(config)
    assert counted == {"rendered": ["acme"], "analysed": []}
    assert "Freshly edited tagline" in soup(site / "acme/index.html").get_text()
    assert "Freshly edited tagline" in soup(site / "index.html").get_text()  # the gallery card
    assert "Freshly edited tagline" not in soup(site / "zenith/index.html").get_text()
    # The same bytes as a build from scratch of the edited input.
    incremental = _tree(site)
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(config)) == incremental


def test_one_audio_file_edited_is_the_only_file_analysed_again(tmp_path: Path, counted: dict[str, list[str]]) -> None:
    config = _two_brands(tmp_path)
    build_site(config)
    _reset(counted)
    sine(tmp_path / "brands/zenith/audio/theme.wav", seconds=2.0, freq=880.0)
    site = build_site(config)
    assert counted == {"rendered": ["zenith"], "analysed": ["zenith/audio/theme.wav"]}
    incremental = _tree(site)
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(config)) == incremental


def test_a_change_of_url_style_renders_again(tmp_path: Path, counted: dict[str, list[str]]) -> None:
    build_site(_two_brands(tmp_path))
    _reset(counted)
    flat = _tree(build_site(_two_brands(tmp_path, use_directory_urls=False)))
    assert sorted(counted["rendered"]) == ["acme", "zenith"]
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(_two_brands(tmp_path, use_directory_urls=False))) == flat


def test_findings_of_a_cached_brand_still_stop_a_strict_build(tmp_path: Path, counted: dict[str, list[str]]) -> None:
    config = _two_brands(tmp_path)
    source = tmp_path / "brands/acme/brand.yml"
    # An undeclared stage the logo role requires: a disclosure warning.
    source.write_text(source.read_text(encoding="utf-8").replace(
        "        mixing: {mode: not-applicable, reason: a synthesised test tone}\n", "", 1), encoding="utf-8")
    for attempt in range(2):
        with pytest.raises((PluginError, Abort)):
            build_site(config)
        assert sorted(counted["rendered"]) == (["acme", "zenith"] if attempt == 0 else [])
        _reset(counted)


def test_a_damaged_cached_file_is_not_published(tmp_path: Path, counted: dict[str, list[str]]) -> None:
    config = _two_brands(tmp_path)
    cold = _tree(build_site(config))
    card = next((tmp_path / ".cache/sonicguide/social").rglob("*.png"))
    card.write_bytes(b"not a png")
    _reset(counted)
    again = _tree(build_site(config, strict=False))  # the damage is a warning (see test_cache_heals.py)
    assert again == cold
    assert len(counted["rendered"]) == 1  # the brand whose card was damaged


def test_stage_timings_name_every_stage_of_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stages = tmp_path / "stages.json"
    monkeypatch.setenv("SONICGUIDE_TIMINGS", str(stages))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build_site(_two_brands(tmp_path))
    times = json.loads(stages.read_text(encoding="utf-8"))
    stages_here, work, facts = times["stages"], times["work"], times["facts"]
    assert {"cards", "packs", "our pages", "judging", "loading brands", "hashing the audio", "analysis in this process",
            "MkDocs: files and theme", "MkDocs: markdown", "copying", "MkDocs: templates and search",
            "swapping the site in", "ours, not in a stage"} <= set(stages_here)
    assert {"decode", "loudness", "true peak", "spectra", "tempo and key", "charts", "peaks",
            "analysis, other"} <= set(work)
    assert all(seconds >= 0 for seconds in [*stages_here.values(), *work.values()])
    # Each second of the main process once (a stage inside another is taken out of it): the stages
    # add up to the time from on_config to the end of on_post_build.
    assert sum(stages_here.values()) == pytest.approx(facts["total"], abs=1e-6)
    assert facts["ended at"] - facts["started at"] == pytest.approx(facts["total"], abs=1e-3)
    # One process (concurrency 1): the files' work ran inside "analysis in this process".
    assert 0 < sum(work.values()) <= stages_here["analysis in this process"] + 1e-6


def test_a_save_during_a_build_is_not_filed_under_the_new_content(tmp_path: Path,
                                                                 counted: dict[str, list[str]]) -> None:
    """Under ``mkdocs serve`` a brand.yml saved while a build runs must show in the next build."""
    from sonicguide.core.site import BuildOptions, SiteBuild

    _two_brands(tmp_path)
    source = tmp_path / "brands/acme/brand.yml"
    options = BuildOptions(brands_dir=tmp_path / "brands", cache_dir=tmp_path / ".cache/sonicguide")

    def link(target: str, page: str) -> str:
        return target

    def build_pages() -> dict[str, str]:
        build = SiteBuild(options)
        try:
            build.start()
            if "Saved mid-build" not in source.read_text(encoding="utf-8"):
                # The same length, a new modification time: saved after loading, before rendering.
                source.write_text(source.read_text(encoding="utf-8").replace("A test tagline", "Saved mid-build"),
                                  encoding="utf-8")
            return build.finish(link).pages
        finally:
            build.close()

    first = build_pages()
    assert "Saved mid-build" not in first["acme/index.md"]
    assert "Saved mid-build" in build_pages()["acme/index.md"]
