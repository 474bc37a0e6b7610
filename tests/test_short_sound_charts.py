"""Sounds too short for a loudness-over-time curve say so instead of showing an empty chart
(issue 12, item 4); longer ones keep the chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitehelpers import brand_yaml, build_site, make_project, sine, soup


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> object:
    root = tmp_path_factory.mktemp("short-sounds")
    assets = [{"id": "logo", "file": "audio/logo.wav", "role": "logo", "title": "Logo"},
              {"id": "click", "file": "audio/click.wav", "role": "ui", "title": "Click"}]
    config = make_project(root, {"acme": brand_yaml("Acme", assets=assets)})
    sine(root / "brands/acme/audio/logo.wav", seconds=2.0, dbfs=-20.0)
    sine(root / "brands/acme/audio/click.wav", seconds=0.3, dbfs=-20.0)
    site: Path = build_site(config)
    return soup(site / "acme" / "index.html")


def test_a_sound_too_short_for_a_curve_says_so(page: object) -> None:
    click = page.select_one("section#click")  # type: ignore[attr-defined]
    assert click.select("figure.sg-chart--loudness") == []
    assert [f["class"][1] for f in click.select("figure.sg-chart")] == ["sg-chart--spectrum", "sg-chart--spectrogram"]
    (note,) = click.select("p.sg-chart-note")
    assert note.get_text(" ", strip=True) == (
        "Loudness over time: not drawn: at 0.30 s the sound is too short for a curve, which needs at least two "
        "400 ms loudness blocks (measured every 100 ms, ITU-R BS.1770-4).")


def test_a_two_second_logo_keeps_its_loudness_chart(page: object) -> None:
    logo = page.select_one("section#logo")  # type: ignore[attr-defined]
    assert len(logo.select("figure.sg-chart--loudness img")) == 2  # light and dark
    assert logo.select("p.sg-chart-note") == []
