"""Auditions in a real build (issue 14, part 1): published next to the audio, shown as plain links
in the player, in brand.json, judged against the touchpoint's minimum, cached by content and
byte-identical across builds; an unknown chain is a positioned error listing the valid ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitehelpers import brand_yaml, build_site, make_project, sine, soup
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import load_brands
from sonicguide.core.site import BuildOptions, SiteBuild

TOUCHPOINTS = """\
touchpoints:
  - id: phone
    name: Phone line
    assets: [logo, low]
    playback: {chain: phone-narrowband, min_energy_kept_percent: 60}
"""


def project(root: Path, touchpoints: str = TOUCHPOINTS) -> Path:
    text = brand_yaml(assets=[{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
                              {"id": "low", "file": "audio/low.wav", "role": "logo"}], extra=touchpoints)
    config = make_project(root, {"acme": text})
    sine(root / "brands" / "acme" / "audio" / "logo.wav", seconds=2.0, freq=1000.0)
    sine(root / "brands" / "acme" / "audio" / "low.wav", seconds=2.0, freq=80.0)
    return config


def playback_line(root: Path) -> int:
    """The line of brand.yml that holds the touchpoint's playback (1-based)."""
    lines = (root / "brands" / "acme" / "brand.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.strip().startswith("playback:"))


@pytest.mark.sitebuild
def test_the_build_publishes_links_measures_and_judges_the_audition(tmp_path: Path) -> None:
    site = build_site(project(tmp_path), strict=False)
    assert (site / "acme" / "audio" / "logo.phone-narrowband.flac").is_file()
    page = soup(site / "acme" / "index.html")
    section = page.find(id="logo")
    link = section.find("a", class_="sg-player__hear-link")
    assert link["href"] == "audio/logo.phone-narrowband.flac" and link.get_text(strip=True) == "Phone line (narrowband)"
    effect = link.find_next_sibling(class_="sg-player__hear-effect").get_text(strip=True)
    assert effect.startswith("keeps 10") or effect.startswith("keeps 9"), effect
    report = json.loads((site / "acme" / "brand.json").read_text(encoding="utf-8"))
    kept = report["measurements"]["low"]["auditions"]["phone-narrowband"]
    assert kept["energy_kept_percent"] < 1 and kept["sample_rate_hz"] == 8000 and kept["channels"] == 1
    assert kept["speech_band_kept_percent"] is None  # a logo: the speech band is for voice and IVR
    findings = [f for f in report["findings"] if f["kind"] == "conformance"]
    assert [(f["asset"], f["field"], f["position"]["line"]) for f in findings] == [
        ("low", "touchpoints[0].playback.min_energy_kept_percent", playback_line(tmp_path))]
    assert "keeps 0 % of the energy through phone-narrowband, expected at least 60 %" in findings[0]["message"]


@pytest.mark.sitebuild
def test_a_warm_build_renders_no_audition_and_gives_the_same_bytes(tmp_path: Path) -> None:
    project(tmp_path)
    options = BuildOptions(brands_dir=tmp_path / "brands", cache_dir=tmp_path / "cache")

    def build_once() -> tuple[int, dict[str, bytes]]:
        build = SiteBuild(options)
        try:
            build.start()
            output = build.finish(lambda target, page: target)
            files = {uri: (data if isinstance(data, bytes) else data.read_bytes())
                     for uri, data in output.files.items() if ".phone-narrowband." in uri or uri.endswith("brand.json")}
            return build.auditions.rendered, files
        finally:
            build.close()

    cold_rendered, cold = build_once()
    warm_rendered, warm = build_once()
    assert (cold_rendered, warm_rendered) == (2, 0)
    assert len(cold) == 3 and cold == warm


def test_an_unknown_chain_is_a_positioned_error_listing_the_valid_ones(tmp_path: Path) -> None:
    project(tmp_path, TOUCHPOINTS.replace("{chain: phone-narrowband, min_energy_kept_percent: 60}",
                                          "phone-narowband"))
    with pytest.raises(BrandError) as caught:
        load_brands(tmp_path / "brands", display_root=tmp_path)
    text = str(caught.value)
    assert (f"brands/acme/brand.yml:{playback_line(tmp_path)}:15: touchpoints[0].playback: unknown playback "
            "chain 'phone-narowband' (did you mean 'phone-narrowband'?); choose one of phone-narrowband, "
            "phone-wideband,") in text
