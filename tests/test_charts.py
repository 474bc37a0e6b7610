"""Charts: well-formed SVG with labelled axes, log-frequency ticks, themes, determinism, edge data."""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from profiles import examples
from sonicguide.core.audio import charts
from sonicguide.core.views import format as fmt

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
PLUGINS = str(Path(__file__).resolve().parents[1] / "plugins")


# --------------------------------------------------------------------------------------------
# Fixtures: data shaped like report["series"]


def spectrum_data() -> tuple[list[float], list[float]]:
    """200 log-spaced bins, 20 Hz to 24 kHz: a -60 dB floor with a peak at 440 Hz."""
    freqs = np.geomspace(20.0, 24000.0, 200)
    db = -60.0 + 30.0 * np.exp(-0.5 * (np.log2(freqs / 440.0) / 0.05) ** 2)
    return freqs.tolist(), db.tolist()


def spectrogram_data() -> tuple[list[float], list[float], list[list[float]]]:
    times = (np.arange(200) * 0.05).tolist()
    freqs = np.geomspace(25.0, 20000.0, 128)
    rng = np.random.default_rng(7)
    db = -70.0 + 40.0 * np.exp(-0.5 * (np.log2(freqs / 1000.0)) ** 2)[:, None] + rng.normal(0, 1, (128, 200))
    return times, freqs.tolist(), db.tolist()


def loudness_data() -> tuple[list[float], list[float | None], list[float | None]]:
    times = [round(0.1 * i, 1) for i in range(100)]
    short: list[float | None] = [None if t < 3.0 else -16.0 + math.sin(t) for t in times]
    momentary: list[float | None] = [None if t < 0.4 else -15.0 + 3.0 * math.sin(3 * t) for t in times]
    return times, short, momentary


def render_all(theme: charts.Theme) -> dict[str, bytes]:
    freqs, db = spectrum_data()
    times, sfreqs, grid = spectrogram_data()
    ltimes, short, momentary = loudness_data()
    return {
        "spectrum": charts.spectrum_svg(freqs, db, theme=theme, sample_rate_hz=48000),
        "spectrogram": charts.spectrogram_svg(times, sfreqs, grid, theme=theme, sample_rate_hz=48000),
        "loudness": charts.loudness_svg(ltimes, short, momentary, target_lufs=-14.0, theme=theme),
    }


# --------------------------------------------------------------------------------------------
# SVG reading helpers


def parse(svg: bytes) -> ET.Element:
    """Parse keeping comments (matplotlib writes each text drawn as paths in a comment)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    return ET.fromstring(svg, parser=parser)


def texts(root: ET.Element) -> list[str]:
    return [str(node.text).strip() for node in root.iter() if node.tag is ET.Comment]


def group(root: ET.Element, gid: str) -> ET.Element | None:
    return next((node for node in root.iter(f"{SVG}g") if node.get("id") == gid), None)


def tick_positions(root: ET.Element, axis: str) -> dict[str, float]:
    """Labelled major ticks of an axis: label -> position (x for "x", y for "y")."""
    positions: dict[str, float] = {}
    for node in root.iter(f"{SVG}g"):
        if not (node.get("id") or "").startswith(f"{axis}tick_"):
            continue
        labels = [str(c.text).strip() for c in node.iter() if c.tag is ET.Comment]
        uses = [c for c in node.iter(f"{SVG}use")
                if c.get(axis) is not None and c.get(f"{XLINK}href", "").startswith("#m")]
        if labels and uses:
            positions[labels[0]] = float(uses[0].get(axis, "nan"))
    return positions


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    channels = [int(hex_colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# --------------------------------------------------------------------------------------------
# Structure


@pytest.mark.parametrize("theme", charts.THEMES)
def test_every_chart_is_well_formed_and_labelled(theme: charts.Theme) -> None:
    rendered = render_all(theme)
    expected_labels = {
        "spectrum": {"Frequency (Hz)", "Level (dBFS)"},
        "spectrogram": {"Frequency (Hz)", "Time (s)", "Level (dBFS)"},
        "loudness": {"Time (s)", "Loudness (LUFS)", "Short-term (3 s)", "Momentary (400 ms)",
                     "Target −14 LUFS"},
    }
    for name, svg in rendered.items():
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text and desc.text.endswith(".")
        assert expected_labels[name] <= set(texts(root)), name
        # Text is drawn as glyph paths of the bundled DejaVu Sans, never as <text> in some other font.
        assert root.find(f".//{SVG}text") is None
        assert b"DejaVuSans-" in svg


def test_spectrum_has_log_frequency_ticks() -> None:
    freqs, db = spectrum_data()
    root = parse(charts.spectrum_svg(freqs, db, theme="light", sample_rate_hz=48000))
    ticks = tick_positions(root, "x")
    assert list(ticks) == ["20", "50", "100", "200", "500", "1k", "2k", "5k", "10k", "20k"]
    # On a log axis each decade has the same length, and 100 -> 200 equals 1k -> 2k
    # (positions are written to 0.01 pt).
    decade = ticks["1k"] - ticks["100"]
    assert decade > 0
    assert ticks["10k"] - ticks["1k"] == pytest.approx(decade, abs=0.02)
    assert ticks["2k"] - ticks["1k"] == pytest.approx(ticks["200"] - ticks["100"], abs=0.02)
    assert ticks["200"] - ticks["100"] == pytest.approx(decade * math.log10(2), abs=0.02)


def test_spectrum_axis_ends_at_nyquist() -> None:
    freqs, db = spectrum_data()
    low_rate = charts.spectrum_svg(freqs, db, theme="light", sample_rate_hz=8000)
    ticks = tick_positions(parse(low_rate), "x")
    assert list(ticks) == ["20", "50", "100", "200", "500", "1k", "2k"]


def test_spectrogram_has_log_frequency_axis_and_a_native_size_image() -> None:
    times, freqs, grid = spectrogram_data()
    svg = charts.spectrogram_svg(times, freqs, grid, theme="dark", sample_rate_hz=48000)
    root = parse(svg)
    ticks = tick_positions(root, "y")
    assert {"50", "100", "1k", "10k", "20k"} <= set(ticks)
    decade = ticks["100"] - ticks["1k"]  # SVG y grows downwards
    assert decade > 0
    assert ticks["1k"] - ticks["10k"] == pytest.approx(decade, abs=0.02)
    image = next((node for node in root.iter(f"{SVG}image") if node.get("id") == "spectrogram"), None)
    assert image is not None
    href = image.get(f"{XLINK}href", "")
    png = base64.b64decode(href.split(",", 1)[1])
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (200, 128)  # the data's own grid, not resampled to a dpi


def test_loudness_has_gaps_where_values_are_missing_and_a_target_line() -> None:
    times = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    short: list[float | None] = [-20.0, -19.0, None, -18.0, -17.0, None]
    momentary: list[float | None] = [-20.0, None, -21.0, None, -17.0, -16.0]
    root = parse(charts.loudness_svg(times, short, momentary, target_lufs=-14.0, theme="light"))
    short_group, moment_group = group(root, "short-term"), group(root, "momentary")
    assert short_group is not None and moment_group is not None
    short_path = next(short_group.iter(f"{SVG}path")).get("d", "")
    assert short_path.count("M") == 2 and "nan" not in short_path
    # Momentary -20 at 0.0 and -21 at 0.2 have no finite neighbour: drawn as dots.
    dots = group(root, "momentary-points")
    assert dots is not None and len(list(dots.iter(f"{SVG}use"))) == 2
    assert group(root, "target") is not None
    without = parse(charts.loudness_svg(times, short, momentary, target_lufs=None, theme="light"))
    assert group(without, "target") is None


def test_no_pyplot_is_imported_and_no_backend_is_needed() -> None:
    code = ("import sys; from sonicguide.core.audio import charts; "
            "charts.spectrum_svg([100.0, 1000.0], [-20.0, -30.0], theme='light'); "
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'")
    env = {**os.environ, "PYTHONPATH": PLUGINS, "MPLBACKEND": "tkagg"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --------------------------------------------------------------------------------------------
# Themes


def test_palettes_meet_contrast_ratios() -> None:
    for palette in charts.PALETTES.values():
        # Text and axes (ticks, frame): 4.5:1 like body text; data lines: 3:1 (WCAG 1.4.11).
        assert contrast(palette.text, palette.background) >= 4.5
        assert contrast(palette.axis, palette.background) >= 4.5
        for colour in (palette.primary, palette.secondary, palette.target):
            assert contrast(colour, palette.background) >= 3.0, colour


@pytest.mark.parametrize("theme", charts.THEMES)
def test_drawn_text_uses_the_theme_text_colour(theme: charts.Theme) -> None:
    palette = charts.PALETTES[theme]
    for svg in render_all(theme).values():
        text_fills = set(re.findall(rb'<g style="fill: (#[0-9a-f]{6})" transform="translate', svg))
        assert text_fills == {palette.text.encode()}
        assert f"fill: {palette.background}".encode() in svg  # the opaque background


def test_light_and_dark_differ_only_in_colours() -> None:
    light, dark = render_all("light"), render_all("dark")
    # Colours, and the ids matplotlib derives from hashing styled paths, are all that may differ.
    colour_or_id = re.compile(rb"#[0-9a-f]{6}\b|\b[mp][0-9a-f]{10}\b")
    for name in light:
        assert light[name] != dark[name]
        assert colour_or_id.sub(b"", light[name]) == colour_or_id.sub(b"", dark[name]), name
        assert charts.PALETTES["light"].background.encode() not in dark[name]


# --------------------------------------------------------------------------------------------
# Determinism and size


def test_same_input_gives_the_same_bytes_in_process_and_in_a_fresh_process() -> None:
    first = render_all("light")
    assert render_all("light") == first
    code = ("import hashlib, sys; sys.path.insert(0, 'tests'); import test_charts as t; "
            "print(' '.join(k + '=' + hashlib.sha256(v).hexdigest() "
            "for k, v in t.render_all('light').items()))")
    tests_dir = str(Path(__file__).resolve().parents[1])
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                            cwd=tests_dir, env={**os.environ, "PYTHONPATH": PLUGINS}).stdout.split()
    assert output == [f"{k}={hashlib.sha256(v).hexdigest()}" for k, v in first.items()]


def test_call_order_does_not_change_the_output() -> None:
    before = render_all("dark")
    render_all("light")
    charts.loudness_svg([0.0], [None], [None], target_lufs=None, theme="light")
    assert render_all("dark") == before


def test_line_charts_stay_small() -> None:
    for theme in charts.THEMES:
        rendered = render_all(theme)
        assert len(rendered["spectrum"]) < 40_000
        assert len(rendered["loudness"]) < 40_000
        assert len(rendered["spectrogram"]) < 100_000


# --------------------------------------------------------------------------------------------
# Edge data


def test_silence_gives_a_chart_that_says_so() -> None:
    times = [0.1 * i for i in range(30)]
    nothing: list[float | None] = [None] * 30
    svg = charts.loudness_svg(times, nothing, nothing, target_lufs=-23.0, theme="dark")
    assert "No loudness above the gate (silent or too short)" in texts(parse(svg))
    description = charts.describe_loudness(times, nothing, nothing, target_lufs=-23.0)
    assert description == ("Loudness over time: no value above the gate (silent or too short); "
                           "target −23 LUFS.")


def test_empty_and_non_finite_data_give_no_data_charts() -> None:
    assert "No spectrum data" in texts(parse(charts.spectrum_svg([], [], theme="light")))
    nan_only = charts.spectrum_svg([100.0, 200.0], [float("nan"), float("-inf")], theme="light")
    assert "No spectrum data" in texts(parse(nan_only))
    assert charts.describe_spectrum([], []) == "Average spectrum: no data."
    empty_grid = charts.spectrogram_svg([0.0, 1.0], [100.0], [[None, float("nan")]], theme="dark")
    assert "No spectrogram data" in texts(parse(empty_grid))
    assert "No spectrogram data" in texts(parse(charts.spectrogram_svg([], [], [], theme="dark")))


def test_non_finite_points_are_left_out_of_the_curve() -> None:
    freqs, db = spectrum_data()
    db[50], db[51], db[120] = float("nan"), float("inf"), float("-inf")
    root = parse(charts.spectrum_svg(freqs, db, theme="light"))
    line = group(root, "spectrum")
    assert line is not None
    path = next(line.iter(f"{SVG}path")).get("d", "")
    assert "nan" not in path and "inf" not in path


def test_single_points_are_drawn() -> None:
    root = parse(charts.spectrum_svg([440.0], [-12.0], theme="light"))
    assert group(root, "spectrum-points") is not None
    root = parse(charts.loudness_svg([1.0], [-18.0], [-17.0], target_lufs=None, theme="light"))
    assert group(root, "short-term-points") is not None and group(root, "momentary-points") is not None
    one_column = charts.spectrogram_svg([0.5], [100.0, 1000.0], [[-20.0], [-30.0]], theme="light")
    assert b'id="spectrogram"' in one_column


@pytest.mark.parametrize(("call", "message"), [
    (lambda: charts.spectrum_svg([1.0, 2.0], [1.0], theme="light"), "same length"),
    (lambda: charts.spectrum_svg([1.0], [1.0], theme="sepia"), "theme"),  # type: ignore[arg-type]
    (lambda: charts.spectrogram_svg([0.0, 1.0], [100.0], [[1.0]], theme="light"), "rows"),
    (lambda: charts.spectrogram_svg([0.0, 1.0], [100.0], [[1.0], [2.0]], theme="light"), "transpose it"),
    (lambda: charts.loudness_svg([0.0, 1.0], [None], [None, None], target_lufs=None, theme="light"),
     "one value per time"),
    (lambda: charts.spectrum_svg([1.0], ["loud"], theme="light"), "numbers"),  # type: ignore[list-item]
])
def test_malformed_input_raises_value_error(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------------------------
# Descriptions against known data


def hz(text: str) -> float:
    value, unit = text.split()
    return float(value) * (1000.0 if unit == "kHz" else 1.0)


def test_describe_spectrum_finds_the_band_and_the_peak() -> None:
    # Flat density from 200 Hz to 2 kHz, nothing elsewhere, a 6 dB peak at 440 Hz in one bin:
    # the central 80 % of the energy lies between ~380 Hz and ~1.82 kHz (uniform energy per Hz).
    freqs = np.geomspace(20.0, 20000.0, 300)
    db = np.where((freqs >= 200) & (freqs <= 2000), -30.0, -200.0)
    peak = int(np.argmin(np.abs(freqs - 440.0)))
    db[peak] = -24.0
    text = charts.describe_spectrum(freqs.tolist(), db.tolist())
    pattern = r"Average spectrum: most energy between (.+) and (.+), peak at (.+) \(−24 dBFS\)\."
    match = re.fullmatch(pattern, text)
    assert match, text
    low, high, peak_hz = (hz(group_text) for group_text in match.groups())
    bin_ratio = freqs[1] / freqs[0]
    assert 380.0 / bin_ratio**2 <= low <= 380.0 * bin_ratio**2
    assert 1820.0 / bin_ratio**2 <= high <= 1820.0 * bin_ratio**2
    assert peak_hz == pytest.approx(440.0, rel=0.02)


def test_describe_spectrogram_and_loudness() -> None:
    times = [0.0, 0.5, 1.0, 1.5]
    freqs = [100.0, 1000.0, 5000.0]
    db = [[-40.0, -40.0, -40.0, -40.0], [-20.0, -10.0, -25.0, -25.0], [-60.0, -60.0, -60.0, -60.0]]
    assert charts.describe_spectrogram(times, freqs, db) == (
        "Spectrogram from 0 s to 1.5 s, 100 Hz to 5 kHz: loudest at 1 kHz around 0.5 s (−10 dBFS); "
        "most energy over time near 1 kHz.")
    text = charts.describe_loudness([0.0, 1.0, 2.0, 3.0], [None, -20.0, -16.5, -18.0],
                                    [-30.0, -12.3, -15.0, None], target_lufs=-14.0)
    assert text == ("Loudness over time: short-term loudness from −20 to −16.5 LUFS (loudest at 2 s), "
                    "momentary maximum −12.3 LUFS at 1 s; short-term below the gate for 25 % of the time; "
                    "target −14 LUFS.")


@pytest.mark.parametrize(("value", "text"), [(440.0, "440 Hz"), (2134.0, "2.13 kHz"), (1000.0, "1 kHz"),
                                             (12500.0, "12.5 kHz"), (20.6, "20.6 Hz"), (99.96, "100 Hz")])
def test_format_hz(value: float, text: str) -> None:
    assert fmt.frequency(value) == text


def test_charts_for_series_renders_what_is_there() -> None:
    freqs, db = spectrum_data()
    times, short, momentary = loudness_data()
    series = {"spectrum": {"freqs_hz": freqs, "db": db},
              "short_term": {"times_s": times, "lufs": short},
              "momentary": {"times_s": times, "lufs": momentary}}
    result = charts.charts_for_series(series, sample_rate_hz=48000, target_lufs=-16.0)
    assert set(result) == {"spectrum", "loudness"}  # no spectrogram series, no spectrogram chart
    assert result["spectrum"]["light"] == charts.spectrum_svg(freqs, db, theme="light", sample_rate_hz=48000)
    light_loudness = charts.loudness_svg(times, short, momentary, target_lufs=-16.0, theme="light")
    assert result["loudness"]["dark"] == charts.recolour(light_loudness, source="light", target="dark")
    assert result["spectrum"]["alt"] == charts.describe_spectrum(freqs, db)
    assert result["loudness"]["alt"].endswith("target −16 LUFS.")
    assert charts.charts_for_series({}) == {}


def test_embedded_png_is_re_encoded_with_identical_pixels() -> None:
    from PIL import Image

    rng = np.random.default_rng(3)
    palette = rng.integers(0, 256, (40, 4), dtype=np.uint8)
    palette[0, 3] = 0  # a transparent colour, as non-finite cells are
    rgba = palette[rng.integers(0, 40, (16, 24))]
    buffer = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buffer, format="png")
    uri = b"data:image/png;base64,\n" + base64.encodebytes(buffer.getvalue())
    match = charts._PNG_URI.match(uri)
    assert match is not None
    out = charts._palette_png(match)
    decoded = Image.open(io.BytesIO(base64.b64decode(out.split(b",", 1)[1])))
    assert decoded.mode == "P"
    assert np.array_equal(np.asarray(decoded.convert("RGBA")), rgba)
    # More than 256 colours: left as it was.
    many = rng.integers(0, 256, (32, 32, 4), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(many, mode="RGBA").save(buffer, format="png")
    uri = b"data:image/png;base64," + base64.b64encode(buffer.getvalue())
    match = charts._PNG_URI.match(uri)
    assert match is not None and charts._palette_png(match) == uri


def test_long_loudness_series_are_thinned_but_keep_peaks_and_gaps() -> None:
    count = 36_000  # one hour at 10 Hz
    times = np.arange(count) * 0.1
    values = np.full(count, -20.0)
    values[12_345] = -3.0  # one loud moment
    values[20_000:21_000] = np.nan  # 100 s below the gate
    thinned_t, thinned_v = charts._min_max_decimate(times, values, charts.MAX_LINE_POINTS)
    assert thinned_v.size <= charts.MAX_LINE_POINTS
    assert np.nanmax(thinned_v) == -3.0
    assert thinned_t[np.nanargmax(thinned_v)] == pytest.approx(1234.5)
    assert np.isnan(thinned_v).any()  # the gap survives
    assert np.all(np.diff(thinned_t[np.isfinite(thinned_t)]) >= 0)  # still in time order
    _, short_v = charts._min_max_decimate(times[:100], values[:100], charts.MAX_LINE_POINTS)
    assert np.array_equal(short_v, values[:100])
    listed = values.tolist()
    svg = charts.loudness_svg(times.tolist(), listed, listed, target_lufs=None, theme="light")
    line = group(parse(svg), "momentary")
    assert line is not None
    path = next(line.iter(f"{SVG}path")).get("d", "")
    assert path.count("L") + path.count("M") <= charts.MAX_LINE_POINTS
    assert len(svg) < 40_000


def test_positions_are_rounded_but_glyph_scales_are_not() -> None:
    svg = render_all("light")["loudness"]
    # Tick labels are 9.5 pt and axis labels 10 pt: DejaVu glyphs (100 units) scaled exactly.
    assert b"scale(0.095 -0.095)" in svg and b"scale(0.1 -0.1)" in svg
    positions = re.findall(rb' (?:d|x|y)="([^"]*)"', svg)
    assert positions
    assert not any(re.search(rb"\.\d{3}", value) for value in positions)


def test_describe_spectrum_of_a_pure_tone() -> None:
    freqs = np.geomspace(20.0, 20000.0, 200)
    db = np.full(200, -150.0)
    db[int(np.argmin(np.abs(freqs - 1000.0)))] = -20.0
    text = charts.describe_spectrum(freqs.tolist(), db.tolist())
    pattern = r"Average spectrum: most energy at (\S+) kHz, peak at \1 kHz \(−20 dBFS\)\."
    assert re.fullmatch(pattern, text), text


def levels(low: float, high: float) -> st.SearchStrategy[float | None]:
    """A level as the analysis may give it: a number, None, NaN or an infinity."""
    return st.one_of(st.none(), st.floats(min_value=low, max_value=high),
                     st.sampled_from([math.nan, math.inf, -math.inf]))


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(levels(-200.0, 20.0), max_size=40),
       st.one_of(st.none(), st.floats(min_value=-70.0, max_value=0.0)))
def test_any_loudness_series_gives_a_well_formed_chart(values: list[float | None],
                                                        target: float | None) -> None:
    times = [0.1 * i for i in range(len(values))]
    svg = charts.loudness_svg(times, values, list(reversed(values)), target_lufs=target, theme="dark")
    root = parse(svg)
    assert root.find(f"{SVG}desc") is not None


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(min_value=-10.0, max_value=30000.0), levels(-300.0, 10.0)), max_size=40))
# Found by the dev profile: a repeated frequency so small that the product of two underflows to
# zero made a bin edge 0/0 (RuntimeWarning: invalid value in divide).
@example([(8219.905593988258, 0.0), (2.416368556986007e-201, 0.0), (2.416368556986007e-201, 0.0)])
@example([(440.0, -20.0), (440.0, -20.0), (440.0, -30.0)])
def test_any_spectrum_gives_a_well_formed_chart(points: list[tuple[float, float | None]]) -> None:
    freqs = [f for f, _ in points]
    db = [d for _, d in points]
    root = parse(charts.spectrum_svg(freqs, db, theme="light"))
    assert root.find(f"{SVG}title") is not None
    assert charts.describe_spectrum(freqs, db).startswith("Average spectrum:")


def test_recoloured_light_chart_is_the_dark_chart() -> None:
    # charts_for_series draws each chart once and recolours it; that must equal drawing it dark
    # (up to the hashed ids matplotlib gives markers, which include the colour).
    light, dark = render_all("light"), render_all("dark")

    def normal(svg: bytes) -> str:
        return re.sub(r'(id="|#)m[0-9a-f]{10}\b', r"\1m", svg.decode("utf-8"))

    for kind in light:
        recoloured = charts.recolour(light[kind], source="light", target="dark")
        assert normal(recoloured) == normal(dark[kind]), kind
        assert recoloured != light[kind]


def test_repeated_frequencies_are_one_bin() -> None:
    # Every frequency given three times: before the fix every bin had zero width and the energy
    # sum was 0 (a divide by zero); a repeated bin now counts once, its levels averaged as power.
    freqs = [100.0, 100.0, 100.0, 1000.0, 1000.0, 1000.0, 5000.0, 5000.0, 5000.0]
    db = [-60.0, -60.0, -60.0, -10.0, -10.0, -10.0, -60.0, -60.0, -60.0]
    once = charts.describe_spectrum([100.0, 1000.0, 5000.0], [-60.0, -10.0, -60.0])
    assert charts.describe_spectrum(freqs, db) == once
    assert "peak at 1 kHz (−10 dBFS)" in once
    # Two readings of one bin 10 dB apart average as power: 10·log10((1 + 0.1) / 2) ≈ −2.6 dB.
    assert "(−12.6 dBFS)" in charts.describe_spectrum([50.0, 50.0, 60.0], [-10.0, -20.0, -40.0])


def test_smallest_text_is_at_least_11_px_at_640_px_wide() -> None:
    """Pages show charts at the content width, at least 640 CSS px on desktop (issue 12)."""
    for kind, svg in render_all("light").items():
        width_pt = float(re.search(rb'<svg[^>]* width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
        scales = [float(s) for s in re.findall(rb"scale\(([\d.]+) -[\d.]+\)", svg)]
        assert scales, kind
        smallest_pt = min(scales) * 100  # DejaVu glyphs are drawn in 100-unit boxes
        assert smallest_pt * 640 / width_pt >= 11, (kind, smallest_pt)


def test_drawing_a_chart_leaves_matplotlibs_settings_as_they_were() -> None:
    import matplotlib

    from sonicguide.core.audio import charts

    before = dict(matplotlib.rcParams)
    charts.spectrum_svg([100.0, 1000.0, 10000.0], [-20.0, -30.0, -40.0], theme="dark", sample_rate_hz=48000)
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.rcParams["svg.hashsalt"] != charts.SITE_STYLE["svg.hashsalt"]  # the style was put back
