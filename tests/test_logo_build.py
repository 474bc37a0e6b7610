"""The logo search in the build: which assets are searched, occurrences in the measurements and
brand.json, markers and the consistency matrix on the page, required_in as a finding, the sound
map, and a warm build that searches and draws nothing."""

from __future__ import annotations

import json
import posixpath
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sitehelpers import brand_yaml, build_site, make_project, soup
from sonicguide.core.audio import logo_search
from sonicguide.core.audio.logo_search import carries_logo
from sonicguide.core.audio.soundmap_chart import MapPoint, sound_map_svg
from sonicguide.core.judge.findings import Kind, Severity
from sonicguide.core.site import BuildOptions, SiteBuild
from sonicguide.core.views.soundmap import linked_points
from test_motif import MOTIF, RATE, bed, notes

THEME_AT = (3.0, 8.5)


def _write(path: Path, mono: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, (0.5 * mono / np.abs(mono).max()).astype(np.float32), RATE, subtype="PCM_16")


def _brand(root: Path) -> Path:
    """A brand whose theme plays the logo twice (the second time 2 semitones up, on another timbre),
    whose variant does not, and whose cut-down opts out; required_in names theme and variant."""
    folder = root / "brands" / "motif-co"
    rng = np.random.default_rng(5)
    _write(folder / "audio" / "logo.wav", notes(MOTIF))
    theme = bed(12.0, rng) * 0.1
    for at, transpose in zip(THEME_AT, (0, 2), strict=True):
        motif = notes(MOTIF, transpose=transpose, harmonics=2)
        start = round(at * RATE)
        theme[start:start + motif.size] += motif
    _write(folder / "audio" / "theme.wav", theme)
    _write(folder / "audio" / "variant.wav", bed(12.0, rng))
    _write(folder / "audio" / "cut.wav", theme[: 6 * RATE])
    _write(folder / "audio" / "ui.wav", notes(MOTIF[:1]))
    assets = [{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
              {"id": "theme", "file": "audio/theme.wav", "role": "theme"},
              {"id": "variant", "file": "audio/variant.wav", "role": "variant"},
              {"id": "cut", "file": "audio/cut.wav", "role": "cut-down"},
              {"id": "ui", "file": "audio/ui.wav", "role": "ui"}]
    text = brand_yaml("Motif Co", assets=assets)
    text = text.replace("  - id: cut\n", "  - id: cut\n    carries_logo: false\n")
    text = text.replace("disclosure_policy:", "sonic_logo:\n  asset: logo\n  motif: F C E F\n"
                        "  required_in: [theme, variant]\ndisclosure_policy:")
    (folder / "brand.yml").write_text(text, encoding="utf-8")
    return folder


def _link(target: str, page: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def test_roles_searched_by_default_and_the_asset_decides() -> None:
    assert [role for role in ("logo", "theme", "variant", "cut-down", "stem", "bed", "ui", "voice")
            if carries_logo(role, None)] == ["theme", "variant", "cut-down"]
    assert carries_logo("bed", True) and not carries_logo("theme", False)


def test_occurrences_in_measurements_and_brand_json_required_in_is_a_finding_and_warm_redoes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _brand(tmp_path)
    options = BuildOptions(brands_dir=tmp_path / "brands", cache_dir=tmp_path / "cache", workers=1)
    build = SiteBuild(options)
    build.start()
    output = build.finish(_link)
    build.close()
    assert build.logo_runner.searched == 2  # theme and variant; not the cut-down (opted out), ui or the logo
    report = json.loads(output.files["motif-co/brand.json"])  # type: ignore[arg-type]
    theme = report["measurements"]["theme"]["logo"]
    assert theme["logo_asset"] == "logo"
    times = [o["time_s"] for o in theme["occurrences"]]
    assert times == pytest.approx(THEME_AT, abs=0.05)
    assert [o["transposition_semitones"] for o in theme["occurrences"]] == [0, 2]
    assert report["measurements"]["variant"]["logo"]["occurrences"] == []
    assert report["measurements"]["cut"]["logo"] is None and report["measurements"]["ui"]["logo"] is None
    rows = {row["asset"]: row["status"] for row in report["logo"]["rows"]}
    assert rows == {"theme": "carries", "variant": "missing"}
    logo_findings = [f for f in output.findings if f.kind is Kind.LOGO]
    assert [(f.asset, f.severity, f.field) for f in logo_findings] == [("variant", Severity.WARNING, "assets[2]")]
    line = next(n for n, text in enumerate((folder / "brand.yml").read_text().splitlines(), 1)
                if text == "  - id: variant")
    assert logo_findings[0].position is not None and logo_findings[0].position.line == line
    assert "required_in" in logo_findings[0].fix
    first_page = output.pages["motif-co/index.md"]

    # A warm build searches nothing and draws no sound map.
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a warm build must not redo any of it")

    monkeypatch.setattr(logo_search, "search_asset", refuse)
    monkeypatch.setattr("sonicguide.core.audio.soundmap_chart.sound_map_svg", refuse)
    warm = SiteBuild(options)
    warm.start()
    again = warm.finish(_link)
    warm.close()
    assert warm.logo_runner.searched == 0 and warm.runner.analysed == 0
    assert again.pages["motif-co/index.md"] == first_page
    assert again.files["motif-co/brand.json"] == output.files["motif-co/brand.json"]


def test_a_new_logo_file_searches_again(tmp_path: Path) -> None:
    folder = _brand(tmp_path)
    options = BuildOptions(brands_dir=tmp_path / "brands", cache_dir=tmp_path / "cache", workers=1)
    for expected in (2, 0):
        build = SiteBuild(options)
        build.start()
        build.judge()
        build.close()
        assert build.logo_runner.searched == expected
    _write(folder / "audio" / "logo.wav", notes(MOTIF, harmonics=3))  # the assets are unchanged, the logo is not
    build = SiteBuild(options)
    build.start()
    build.judge()
    build.close()
    assert build.logo_runner.searched == 2 and build.runner.analysed == 1


@pytest.mark.sitebuild
def test_markers_matrix_and_sound_map_on_the_built_page(tmp_path: Path) -> None:
    _brand(tmp_path)
    text = (tmp_path / "brands" / "motif-co" / "brand.yml").read_text(encoding="utf-8")
    config = make_project(tmp_path, {"motif-co": text})
    site = build_site(config, strict=False)
    page = soup(site / "motif-co" / "index.html")
    theme = page.find(id="theme")
    jumps = [(b["data-at-s"], b.get_text(" ", strip=True)) for b in theme.select(".sg-player__jump")]
    assert [float(at) for at, _ in jumps] == pytest.approx(THEME_AT, abs=0.05)
    assert all("Sonic logo at 0:0" in label for _, label in jumps)
    assert [s.get_text(strip=True) for s in theme.select(".sg-kind--logo")] == ["Sonic logo, found"] * 2
    matrix = page.find(id="sg-logo-matrix")
    rows = matrix.select("tbody tr")
    assert [r.th.a["href"] for r in rows] == ["#theme", "#variant"]
    links = [a["href"] for a in rows[0].select("a.sg-logo-time")]
    assert all(href.startswith("?t=") and href.endswith("#theme") for href in links)
    assert [float(href[3:].split("#")[0]) for href in links] == pytest.approx(THEME_AT, abs=0.05)
    assert "not found" in rows[1].get_text() and "required" in rows[1].get_text()
    sound_map = page.find(id="sg-sound-map-map")
    everything = {f"?t=0#{asset}" for asset in ("logo", "theme", "variant", "cut", "ui")}
    # The table links every asset; the map links each point whose target overlaps none linked before.
    assert {a["href"] for a in sound_map.select("table th a")} == everything
    points = {a["href"]: a for a in sound_map.select("a.sg-soundmap__point")}
    placed = [(float(x), float(y)) for x, y in
              (re.findall(r"[\d.]+", a["style"]) for a in sound_map.select("a.sg-soundmap__point"))]
    assert set(points) <= everything and len(points) >= 3
    assert all(linked_points(placed))  # the linked ones keep clear of each other
    assert "no tempo" in points["?t=0#ui"]["aria-label"]  # a UI sound: no tempo estimate, in the lane
    for image in sound_map.select("img"):
        assert (site / "motif-co" / image["src"]).read_bytes().startswith(b"<?xml")
    compare = soup(site / "compare" / "index.html")
    assert len(compare.select("#sg-sound-map-all-map table th a")) == 5
    brand_json = json.loads((site / "motif-co" / "brand.json").read_text(encoding="utf-8"))
    assert brand_json["logo"]["required_in"] == ["theme", "variant"]


def test_sound_map_places_points_by_tempo_and_brightness_and_is_deterministic() -> None:
    points = [MapPoint("slow-dark", "a", "human-made", 80.0, 400.0, -20.0),
              MapPoint("fast-bright", "b", "ai-generated", 140.0, 4000.0, -10.0),
              MapPoint("voice", "c", "incomplete", None, 1500.0, None),
              MapPoint("unsure", "d", "ai-generated-human-curated", 110.0, 1000.0, -14.0, uncertain=True)]
    labels = {"human-made": "Human-made", "ai-generated": "AI-generated"}
    svgs, places = sound_map_svg(points, title="t", description="d", tier_labels=labels)
    again, _ = sound_map_svg(points[::-1], title="t", description="d", tier_labels=labels)
    assert svgs == again and set(svgs) == {"light", "dark"} and svgs["light"] != svgs["dark"]
    (x_slow, y_slow), (x_fast, y_fast) = places["slow-dark"], places["fast-bright"]
    assert x_slow < places["unsure"][0] < x_fast and y_fast < places["unsure"][1] < y_slow  # top is brighter
    assert places["voice"][0] < x_slow  # the no-tempo lane is left of every tempo
    assert all(0 < x < 100 and 0 < y < 100 for x, y in places.values())
    assert b"<desc>d</desc>" in svgs["light"]


def test_sound_map_legend_of_every_tier_fits_inside_the_figure() -> None:
    """Five tiers and the hollow "uncertain" entry in three columns: the widest labels end inside the
    504 pt figure (matplotlib's legend, anchored right of centre, cut "Incomplete disclosure")."""
    from sonicguide.core.audio.svgplot import text_box
    from sonicguide.core.judge.vocabulary import TIER_LABELS

    tiers = ["human-made", "human-directed-ai-assisted", "ai-generated-human-curated", "ai-generated", "incomplete"]
    points = [MapPoint(tier, tier, tier, 90.0 + 10 * n, 500.0 * (n + 1), -20.0, uncertain=n == 2)
              for n, tier in enumerate(tiers)]
    svgs, _ = sound_map_svg(points, title="t", description="d", tier_labels=dict(TIER_LABELS.items()))
    text = svgs["light"].decode()
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', text).group(1))
    legend = text[text.index('<g id="legend_1">'):]
    labels = re.findall(r"<!-- (.+?) -->\s*<g style=\"fill: #[0-9a-f]{6}\" transform=\"translate\(([\d.]+) ", legend)
    assert {label for label, _ in labels} == {*(TIER_LABELS[t] for t in tiers), "uncertain tempo"}
    assert all(float(x) > 0 and float(x) + text_box(label, 9.5)[0] <= width for label, x in labels)
    # The uncertain point is hollow; the others are filled with their tier's colour.
    assert 'id="point-' in text and "fill: none" in text


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_map_points_whose_targets_would_overlap_are_left_to_the_table() -> None:
    from sonicguide.core.views.soundmap import LINKED_PLOT_MIN_PX, POINT_TARGET_PX

    step = 100.0 * POINT_TARGET_PX / LINKED_PLOT_MIN_PX  # one target width, in % of the plot
    # Far apart, side by side exactly one target apart, on top of each other, then a third far away.
    assert linked_points([(10.0, 10.0), (80.0, 80.0)]) == [True, True]
    assert linked_points([(10.0, 50.0), (10.0 + step, 50.0)]) == [True, True]
    assert linked_points([(10.0, 50.0), (10.0 + 0.5 * step, 50.0), (90.0, 10.0)]) == [True, False, True]
    # A point hidden by the first stays hidden even when a later one could have kept it company.
    assert linked_points([(50.0, 50.0), (50.5, 50.5), (51.0, 51.0)]) == [True, False, False]
