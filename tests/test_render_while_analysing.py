"""A cold build renders each brand as soon as its own files are analysed, while the workers go on
with the others; the site is byte for byte the one rendered after the whole analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitehelpers import brand_yaml, build_site, make_project, sine
from sonicguide.core import site as site_module
from sonicguide.core.load.brand import load_brands
from sonicguide.core.site import BuildOptions, SiteBuild

TWO_ASSETS = [{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
              {"id": "theme", "file": "audio/theme.wav", "role": "theme"}]


def _three_brands(root: Path, *, concurrency: int = 1) -> Path:
    names = {"acme": 440.0, "borealis": 550.0, "zenith": 660.0}
    config = make_project(root, {slug: brand_yaml(slug.title(), assets=TWO_ASSETS) for slug in names},
                          plugin_options={"concurrency": concurrency})
    for slug, freq in names.items():
        sine(root / f"brands/{slug}/audio/logo.wav", seconds=1.0, freq=freq)
        sine(root / f"brands/{slug}/audio/theme.wav", seconds=1.5, freq=freq * 1.5)
    return config


def test_a_brand_is_rendered_before_the_last_analysis_arrives(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _three_brands(tmp_path)
    build = SiteBuild(BuildOptions(brands_dir=tmp_path / "brands", cache_dir=tmp_path / ".cache/sonicguide"))
    arrived_when_rendered: dict[str, set[str]] = {}
    render_brand = site_module.render_brand

    def recording(report, link, cache):  # type: ignore[no-untyped-def]
        arrived_when_rendered[report.loaded.slug] = set(build.runner._delivered)
        return render_brand(report, link, cache)

    monkeypatch.setattr(site_module, "render_brand", recording)
    try:
        build.start()
        output = build.finish(lambda target, page: target)
    finally:
        build.close()
    assert sorted(arrived_when_rendered) == ["acme", "borealis", "zenith"]
    for slug, arrived in arrived_when_rendered.items():  # each brand once its own two files had arrived
        assert {build._job_keys[(slug, "logo")], build._job_keys[(slug, "theme")]} <= arrived
    # Six files: after four, some brand has both of its own, so it was rendered with files to come.
    assert min(len(arrived) for arrived in arrived_when_rendered.values()) <= 4
    assert build.rendered_fresh == ["acme", "borealis", "zenith"]  # brand order, not arrival order
    assert [brand.slug for brand in output.brands] == ["acme", "borealis", "zenith"]


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.mark.sitebuild
def test_rendering_while_analysing_gives_the_site_rendered_after_the_analysis(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    early = _tree(build_site(_three_brands(tmp_path / "early", concurrency=2)))
    # Every brand rendered after the whole analysis, as when each needs an audition or a logo search.
    monkeypatch.setattr(site_module, "_needs_more_than_analysis", lambda loaded: True)
    late = _tree(build_site(_three_brands(tmp_path / "late", concurrency=2)))
    assert early.keys() == late.keys()
    assert [name for name in early if early[name] != late[name]] == []


def test_a_brand_with_an_audition_or_a_logo_search_waits_for_the_whole_analysis(tmp_path: Path) -> None:
    plain = brand_yaml("Plain", assets=TWO_ASSETS)
    logo = plain.replace("disclosure_policy:", "sonic_logo:\n  asset: logo\n  motif: F C E F\ndisclosure_policy:")
    phone = brand_yaml("Phone", assets=TWO_ASSETS, extra="touchpoints:\n  - id: phone\n    name: Phone line\n"
                                                         "    assets: [logo]\n    playback: phone-narrowband\n")
    make_project(tmp_path, {"plain": plain, "logo": logo, "phone": phone})
    for slug in ("plain", "logo", "phone"):
        for asset in TWO_ASSETS:
            sine(tmp_path / "brands" / slug / asset["file"], seconds=1.0)
    loaded = {brand.slug: brand for brand in load_brands(tmp_path / "brands")}
    assert {slug: site_module._needs_more_than_analysis(brand) for slug, brand in loaded.items()} == {
        "plain": False, "logo": True, "phone": True}
