"""Charts of an asset's measurements as small, deterministic SVG files, in a light and a dark theme.

Every chart (and the sound map, :mod:`.soundmap_chart`) is drawn on matplotlib's SVG renderer
through :mod:`.svgplot` (no Figure or Axes; pyplot is never imported, so no GUI backend is ever
chosen) inside one site style, :data:`SITE_STYLE`, plus the colours of one
:class:`Palette` per theme:

* ``"light"`` for Material's default palette: white background, dark text;
* ``"dark"`` for Material's ``slate`` palette: background ``#1e2129``, light text.

Both are drawn on an opaque background of their page colour, so a chart stays readable when it is
opened on its own; the page shows the one that matches its palette with CSS. Text is drawn as paths
from matplotlib's bundled DejaVu Sans (``svg.fonttype: "path"``), so no system or web font is
involved and the file looks the same everywhere. The SVG carries a ``<title>`` and a ``<desc>``
(the same sentence as the ``describe_*`` companion, for the page's ``alt`` text).

Determinism: ``svg.hashsalt`` is fixed, the metadata carries no date or creator, and nothing is
kept between calls, so the same input gives the same bytes in any process and in any call order.
The style is applied with :func:`matplotlib.rc_context`, which changes matplotlib's global
``rcParams`` while a chart is drawn: draw charts in one thread per process (a process pool is
fine, a thread pool is not).

Embed the files with ``<img src=... alt=...>`` (the ``describe_*`` text as ``alt``) rather than
inline: matplotlib's ids (glyphs, clip paths) repeat from one chart to the next.

Input contract (the ``report["series"]`` lists of the audio analysis, passed as plain lists):
values may be ``None`` (below the gate, silent), NaN or infinite; such points are left out and a
curve has a gap there. A chart with nothing to plot (an empty spectrum, a silent file) is still
drawn, with its axes and a "No data" note, and its description says so: callers always get a
chart. :class:`ValueError` is raised only for malformed input (lists of different lengths, a
spectrogram whose shape does not match its axes, an unknown theme), i.e. a bug in the caller.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.colors import Colormap
from PIL import Image

from sonicguide.core.audio import svgplot
from sonicguide.core.views import format as fmt

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")
FloatArray = npt.NDArray[np.float64]
#: A series value as the analysis gives it: a number, or None below the gate / for silence.
MaybeFloat = float | int | None


@dataclass(frozen=True)
class Palette:
    """The colours of one theme (CSS hex). Text has at least 4.5:1 contrast on ``background``,
    data lines and axes at least 3:1 (WCAG 2.1, 1.4.3 and 1.4.11); ``grid`` is decorative."""

    background: str
    text: str
    axis: str
    grid: str
    primary: str
    secondary: str
    target: str
    colormap: str


PALETTES: dict[Theme, Palette] = {
    "light": Palette(background="#ffffff", text="#24292f", axis="#57606a", grid="#d8dee4",
                     primary="#0550ae", secondary="#bc4c00", target="#a40e26", colormap="magma"),
    "dark": Palette(background="#1e2129", text="#e6edf3", axis="#9198a1", grid="#3a404b",
                    primary="#6cb6ff", secondary="#f0883e", target="#ff8182", colormap="magma"),
}

#: The one style shared by every chart of the site (with the colours of one :class:`Palette`).
SITE_STYLE: dict[str, Any] = {
    "svg.hashsalt": "sonicguide",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "font.family": ["DejaVu Sans"],
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "axes.linewidth": 0.8,
    "axes.grid": True,
    "axes.grid.which": "major",
    "grid.linewidth": 0.6,
    "axes.unicode_minus": True,
    "lines.linewidth": 1.5,
    "lines.solid_capstyle": "round",
    "path.simplify": True,
    "legend.frameon": False,
    "image.interpolation": "none",
}

#: Figure size in inches (SVG user units are points: 504 × 216). Pages show charts at the content
#: width, at least 640 CSS px on desktop; there the smallest text (ticks, 9.5 pt) is 9.5 × 640 / 504
#: ≈ 12 px, above the 11 px floor.
FIGURE_SIZE_IN = (7.0, 3.0)
#: Lowest frequency shown, Hz.
MIN_FREQUENCY_HZ = 20.0
#: Labelled frequency ticks, Hz.
FREQUENCY_TICKS_HZ = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)
#: Range shown below the loudest value, dB (spectrum and spectrogram).
LEVEL_RANGE_DB = 80.0
#: Spectrogram levels are rounded to this step before colouring (smaller embedded PNG; the
#: colour map cannot show finer steps over an 80 dB range anyway).
SPECTROGRAM_STEP_DB = 1.0
#: Most points drawn per loudness curve; longer series keep each run's minimum and maximum.
MAX_LINE_POINTS = 400
#: Range shown below the loudest loudness value (or the target), LU.
LOUDNESS_RANGE_LU = 40.0

_MARGINS = {"left": 0.105, "right": 0.975, "bottom": 0.17, "top": 0.9}


# --------------------------------------------------------------------------------------------
# Public: charts


def spectrum_svg(freqs_hz: Sequence[float], db: Sequence[MaybeFloat], *, theme: Theme,
                 sample_rate_hz: float | None = None) -> bytes:
    """The long-term average spectrum as SVG bytes (see :func:`_spectrum_chart`)."""
    return _spectrum_chart(freqs_hz, db, theme=theme, sample_rate_hz=sample_rate_hz)[0]


def _spectrum_chart(freqs_hz: Sequence[float], db: Sequence[MaybeFloat], *, theme: Theme,
                    sample_rate_hz: float | None = None) -> tuple[bytes, str]:
    """The long-term average spectrum as SVG bytes, and its description (:func:`describe_spectrum`).

    ``freqs_hz`` (bin centres, Hz) and ``db`` (level of each bin, dBFS) have the same length.
    The x axis is logarithmic from 20 Hz to the Nyquist frequency (``sample_rate_hz / 2``; the
    highest bin when the rate is not given), ticks at 20, 50, 100 … 20k Hz. Points at or below
    0 Hz or with a non-finite value are left out.
    """
    palette = _palette(theme)
    freqs, levels = _finite_pairs(freqs_hz, db, "freqs_hz", "db")
    positive = freqs > 0
    freqs, levels = freqs[positive], levels[positive]
    top_hz = _top_frequency_hz(freqs, sample_rate_hz)
    description = describe_spectrum(freqs_hz, db)
    x_axis = svgplot.Axis(MIN_FREQUENCY_HZ, top_hz, "log")
    y_axis = svgplot.Axis(*(_level_limits(levels, LEVEL_RANGE_DB) if levels.size else (-80.0, 0.0)))
    with _in_site_style():
        plot = _plot(palette, _MARGINS)
        _log_frequency_axis(plot, palette, "x", x_axis, log_units=False)
        _level_axis(plot, palette, y_axis, "Level (dBFS)", nbins=8)
        if levels.size:
            points = plot.to_points(x_axis, y_axis, freqs, levels)
            plot.line(points, palette.primary, 1.5, gid="spectrum", clip=plot.box)
            if levels.size == 1:
                plot.markers(points, "o", 4.0, palette.primary, gid="spectrum-points", clip=plot.box,
                             fill=palette.primary)
        else:
            _no_data_text(plot, palette, "No spectrum data")
        plot.frame(palette.axis, SITE_STYLE["axes.linewidth"])
        return _to_svg_bytes(plot.svg(), "Average spectrum", description), description


def spectrogram_svg(times_s: Sequence[float], freqs_hz: Sequence[float],
                    db: Sequence[Sequence[MaybeFloat]] | FloatArray, *, theme: Theme,
                    sample_rate_hz: float | None = None) -> bytes:
    """The spectrogram as SVG bytes (see :func:`_spectrogram_chart`)."""
    return _spectrogram_chart(times_s, freqs_hz, db, theme=theme, sample_rate_hz=sample_rate_hz)[0]


def _spectrogram_chart(times_s: Sequence[float], freqs_hz: Sequence[float],
                       db: Sequence[Sequence[MaybeFloat]] | FloatArray, *, theme: Theme,
                       sample_rate_hz: float | None = None) -> tuple[bytes, str]:
    """The spectrogram as SVG bytes, with a raster image inside and a colour bar in dBFS, and its
    description (:func:`describe_spectrogram`).

    ``db`` has one row per frequency and one column per time: ``db[i][j]`` is the level of
    ``freqs_hz[i]`` at ``times_s[j]``. The frequency axis is logarithmic (20 Hz to Nyquist, or the
    highest row); rows at or below 0 Hz are left out. The data are resampled (linear interpolation
    in log-frequency and in time) onto an even grid of the same size, rounded to
    :data:`SPECTROGRAM_STEP_DB`, and shown over :data:`LEVEL_RANGE_DB` below the loudest cell with
    the perceptually uniform ``magma`` colour map; non-finite cells are left transparent.

    Raises :class:`ValueError` when the shape of ``db`` is not ``(len(freqs_hz), len(times_s))``.
    """
    palette = _palette(theme)
    times = _as_floats(times_s, "times_s")
    freqs = _as_floats(freqs_hz, "freqs_hz")
    grid = _as_matrix(db, rows=freqs.size, columns=times.size)
    description = _describe_spectrogram(times, freqs, grid)
    keep = np.isfinite(freqs) & (freqs > 0)
    freqs, grid = freqs[keep], grid[keep]
    columns = np.isfinite(times)
    times, grid = times[columns], grid[:, columns]
    finite = np.isfinite(grid)
    margins = {**_MARGINS, "right": 0.86}
    with _in_site_style():
        plot = _plot(palette, margins)
        if finite.any() and times.size and freqs.size:
            low_hz = max(MIN_FREQUENCY_HZ, float(freqs.min()))
            top_hz = _top_frequency_hz(freqs, sample_rate_hz)
            if top_hz <= low_hz:
                top_hz = low_hz * 2.0
            image, extent = _even_grid(times, freqs, grid, low_hz, top_hz)
            vmin, vmax = _level_limits(grid[finite], LEVEL_RANGE_DB)
            x_axis = svgplot.Axis(extent[0], extent[1])
            y_axis = svgplot.Axis(extent[2], extent[3])
            x_reach = _time_ticks(plot, palette, x_axis, grid_colour=None)
            _log_frequency_axis(plot, palette, "y", y_axis, log_units=True, grid=False)
            _axis_label(plot, palette, "x", "Time (s)", x_reach)
            cmap = matplotlib.colormaps[palette.colormap].with_extremes(bad=(0.0, 0.0, 0.0, 0.0))
            scaled = (image - vmin) / (vmax - vmin)
            plot.image(cmap(scaled, bytes=True), plot.box, gid="spectrogram", clip=plot.box)
            plot.frame(palette.axis, SITE_STYLE["axes.linewidth"])
            _colour_bar(plot, palette, cmap, vmin, vmax)
        else:
            top_hz = _top_frequency_hz(freqs, sample_rate_hz)
            x_reach = _time_ticks(plot, palette, svgplot.Axis(0.0, 1.0), grid_colour=None)
            _log_frequency_axis(plot, palette, "y", svgplot.Axis(MIN_FREQUENCY_HZ, top_hz, "log"), log_units=False,
                                grid=False)
            _axis_label(plot, palette, "x", "Time (s)", x_reach)
            _no_data_text(plot, palette, "No spectrogram data")
            plot.frame(palette.axis, SITE_STYLE["axes.linewidth"])
        return _to_svg_bytes(plot.svg(), "Spectrogram", description), description


def loudness_svg(times_s: Sequence[float], short_term_lufs: Sequence[MaybeFloat],
                 momentary_lufs: Sequence[MaybeFloat], *, target_lufs: float | None, theme: Theme,
                 momentary_times_s: Sequence[float] | None = None) -> bytes:
    """Short-term and momentary loudness over time as SVG bytes (see :func:`_loudness_chart`)."""
    return _loudness_chart(times_s, short_term_lufs, momentary_lufs, target_lufs=target_lufs, theme=theme,
                           momentary_times_s=momentary_times_s)[0]


def _loudness_chart(times_s: Sequence[float], short_term_lufs: Sequence[MaybeFloat],
                    momentary_lufs: Sequence[MaybeFloat], *, target_lufs: float | None, theme: Theme,
                    momentary_times_s: Sequence[float] | None = None) -> tuple[bytes, str]:
    """Short-term (3 s) and momentary (400 ms) loudness over time as SVG bytes, and its description
    (:func:`describe_loudness`).

    ``times_s`` gives the time of each ``short_term_lufs`` value (s); the momentary values use
    ``momentary_times_s`` when given, else ``times_s``. ``None`` values (below the gate, silence)
    leave gaps; an isolated point is drawn as a dot. ``target_lufs`` adds a dashed target line.
    The y axis shows :data:`LOUDNESS_RANGE_LU` below the loudest value or the target.

    Raises :class:`ValueError` when a series and its times differ in length.
    """
    palette = _palette(theme)
    short_t, short_v = _series(times_s, short_term_lufs, "short_term_lufs")
    moment_t, moment_v = _series(momentary_times_s if momentary_times_s is not None else times_s,
                                 momentary_lufs, "momentary_lufs")
    description = describe_loudness(times_s, short_term_lufs, momentary_lufs, target_lufs=target_lufs,
                                    momentary_times_s=momentary_times_s)
    all_times = np.concatenate([short_t, moment_t])
    finite_times = all_times[np.isfinite(all_times)]
    if finite_times.size:
        start, end = float(finite_times.min()), float(finite_times.max())
        x_axis = svgplot.Axis(min(0.0, start), end if end > min(0.0, start) else start + 1.0)
    else:
        x_axis = svgplot.Axis(0.0, 1.0)
    values = np.concatenate([short_v, moment_v])
    values = values[np.isfinite(values)]
    has_target = target_lufs is not None and math.isfinite(target_lufs)
    levels = np.append(values, float(target_lufs)) if has_target and target_lufs is not None else values
    if values.size:
        y_axis = svgplot.Axis(*_level_limits(levels, LOUDNESS_RANGE_LU))
    else:
        # Nothing measured: a plain scale that holds the target, the note above it.
        y_axis = svgplot.Axis(min(-50.0, float(levels.min()) - 5.0) if levels.size else -50.0, 0.0)
    with _in_site_style():
        plot = _plot(palette, _MARGINS)
        x_reach = _time_ticks(plot, palette, x_axis, grid_colour=palette.grid)
        _level_axis(plot, palette, y_axis, "Loudness (LUFS)", nbins=8)
        _axis_label(plot, palette, "x", "Time (s)", x_reach)
        entries: list[tuple[str, str, float, tuple[float, list[float]] | None]] = []
        for t, v, colour, width, label, gid in ((moment_t, moment_v, palette.secondary, 0.9, "Momentary (400 ms)",
                                                 "momentary"),
                                                (short_t, short_v, palette.primary, 2.0, "Short-term (3 s)",
                                                 "short-term")):
            _draw_series(plot, x_axis, y_axis, t, v, color=colour, linewidth=width, gid=gid)
            entries.append((label, colour, width, None))
        if has_target:
            assert target_lufs is not None
            dashes = (0.0, [5.0 * 1.2, 3.0 * 1.2])  # matplotlib scales dashes by the line width
            y = plot.to_points(x_axis, y_axis, np.array([x_axis.low]), np.array([target_lufs]))[0, 1]
            plot.line(np.array([[plot.box.x0, y], [plot.box.x1, y]]), palette.target, 1.2, gid="target",
                      clip=plot.box, dashes=dashes, capstyle="butt")
            entries.append((f"Target {fmt.level_number(target_lufs)} LUFS", palette.target, 1.2, dashes))
        if not values.size:
            _no_data_text(plot, palette, "No loudness above the gate (silent or too short)", y=0.75)
        plot.frame(palette.axis, SITE_STYLE["axes.linewidth"])
        _legend(plot, palette, entries)
        return _to_svg_bytes(plot.svg(), "Loudness over time", description), description


def charts_for_series(series: Mapping[str, Any], *, sample_rate_hz: float | None = None,
                      target_lufs: float | None = None) -> dict[str, dict[str, Any]]:
    """Every chart of one asset from ``report["series"]``, in both themes, with its alt text.

    Returns ``{"spectrum" | "spectrogram" | "loudness": {"light": bytes, "dark": bytes,
    "alt": str}}``; a chart whose series is absent from ``series`` is left out (loudness needs
    ``short_term``; ``momentary`` is optional). ``target_lufs`` is the loudness target line.

    Each chart is drawn once, in the light theme; the other themes are the same SVG with the palette
    colours swapped (:func:`recolour`), which halves the drawing time of a cold build.
    """
    result: dict[str, dict[str, Any]] = {}
    spectrum = series.get("spectrum")
    if spectrum is not None:
        svg, alt = _spectrum_chart(spectrum["freqs_hz"], spectrum["db"], theme="light", sample_rate_hz=sample_rate_hz)
        result["spectrum"] = {**_in_every_theme(svg), "alt": alt}
    spectrogram = series.get("spectrogram")
    if spectrogram is not None:
        svg, alt = _spectrogram_chart(spectrogram["times_s"], spectrogram["freqs_hz"], spectrogram["db"],
                                      theme="light", sample_rate_hz=sample_rate_hz)
        result["spectrogram"] = {**_in_every_theme(svg), "alt": alt}
    short_term = series.get("short_term")
    if short_term is not None:
        momentary = series.get("momentary") or {"times_s": [], "lufs": []}
        svg, alt = _loudness_chart(short_term["times_s"], short_term["lufs"], momentary["lufs"],
                                   target_lufs=target_lufs, theme="light", momentary_times_s=momentary["times_s"])
        result["loudness"] = {**_in_every_theme(svg), "alt": alt}
    return result


def recolour(svg: bytes, *, source: Theme, target: Theme) -> bytes:
    """The same chart in another theme: every palette colour of ``source`` replaced by ``target``'s.

    Exact because a chart's drawing does not depend on its colours (the colour map is shared by
    both themes) and every palette colour is a distinct ``#rrggbb`` that nothing else in the SVG
    uses (path data, numbers and base64 image data have no ``#``).
    """
    old, new = PALETTES[source], PALETTES[target]
    text = svg.decode("utf-8")
    fields = ("background", "text", "axis", "grid", "primary", "secondary", "target")
    mapping = {getattr(old, name).lower(): getattr(new, name) for name in fields}
    text = re.sub(r"#[0-9a-fA-F]{6}\b", lambda m: mapping.get(m.group().lower(), m.group()), text)
    return text.encode("utf-8")


def _in_every_theme(light_svg: bytes) -> dict[str, Any]:
    return {theme: light_svg if theme == "light" else recolour(light_svg, source="light", target=theme)
            for theme in THEMES}


# --------------------------------------------------------------------------------------------
# Public: text descriptions (alt text)


def describe_spectrum(freqs_hz: Sequence[float], db: Sequence[MaybeFloat]) -> str:
    """One sentence describing the average spectrum, derived from the data.

    ``db`` is read as a power spectral density level (dB per Hz, what Welch's method gives,
    averaged within each bin), so the energy of a bin is its density times its width; the bin
    edges are the geometric midpoints between centres. "Most energy" is the band holding the
    central 80 % of the energy (10th to 90th percentile); the peak is the loudest bin.
    """
    freqs, levels = _finite_pairs(freqs_hz, db, "freqs_hz", "db")
    positive = freqs > 0
    freqs, levels = freqs[positive], levels[positive]
    if not levels.size:
        return "Average spectrum: no data."
    freqs, levels = _merge_repeated(freqs, levels)
    peak = int(np.argmax(levels))
    peak_text = f"peak at {fmt.frequency(float(freqs[peak]))} ({fmt.level_number(float(levels[peak]))} dBFS)"
    if freqs.size < 3:
        return f"Average spectrum: {peak_text}."
    edges = _bin_edges(freqs)
    energy = np.power(10.0, (levels - levels.max()) / 10.0) * np.diff(edges)
    total = float(energy.sum())
    if not (math.isfinite(total) and total > 0.0):  # every bin narrower than a float can hold
        return f"Average spectrum: {peak_text}."
    cumulative = np.cumsum(energy) / total
    low = float(freqs[int(np.searchsorted(cumulative, 0.10))])
    high = float(freqs[min(int(np.searchsorted(cumulative, 0.90)), freqs.size - 1)])
    if fmt.frequency(low) == fmt.frequency(high):
        return f"Average spectrum: most energy at {fmt.frequency(low)}, {peak_text}."
    return f"Average spectrum: most energy between {fmt.frequency(low)} and {fmt.frequency(high)}, {peak_text}."


def describe_spectrogram(times_s: Sequence[float], freqs_hz: Sequence[float],
                         db: Sequence[Sequence[MaybeFloat]] | FloatArray) -> str:
    """One sentence describing the spectrogram: its time and frequency span, the loudest cell,
    and the frequency of the loudest row on average (where the energy stays over time)."""
    times = _as_floats(times_s, "times_s")
    freqs = _as_floats(freqs_hz, "freqs_hz")
    return _describe_spectrogram(times, freqs, _as_matrix(db, rows=freqs.size, columns=times.size))


def _describe_spectrogram(times: FloatArray, freqs: FloatArray, grid: FloatArray) -> str:
    """:func:`describe_spectrogram` of the arrays (``grid``: one row per frequency)."""
    keep = np.isfinite(freqs) & (freqs > 0)
    freqs, grid = freqs[keep], grid[keep]
    columns = np.isfinite(times)
    times, grid = times[columns], grid[:, columns]
    finite = np.isfinite(grid)
    if not finite.any():
        return "Spectrogram: no data."
    row, column = np.unravel_index(int(np.argmax(np.where(finite, grid, -np.inf))), grid.shape)
    with np.errstate(invalid="ignore"):
        power = np.where(finite, np.power(10.0, (grid - grid[finite].max()) / 10.0), 0.0)
    steady_row = int(np.argmax(power.sum(axis=1)))
    return (f"Spectrogram from {fmt.level_number(float(times.min()))} s to {fmt.level_number(float(times.max()))} s, "
            f"{fmt.frequency(max(MIN_FREQUENCY_HZ, float(freqs.min())))} to {fmt.frequency(float(freqs.max()))}: "
            f"loudest at {fmt.frequency(float(freqs[row]))} around {fmt.level_number(float(times[column]))} s "
            f"({fmt.level_number(float(grid[row, column]))} dBFS); most energy over time near "
            f"{fmt.frequency(float(freqs[steady_row]))}.")


def describe_loudness(times_s: Sequence[float], short_term_lufs: Sequence[MaybeFloat],
                      momentary_lufs: Sequence[MaybeFloat], *, target_lufs: float | None = None,
                      momentary_times_s: Sequence[float] | None = None) -> str:
    """One sentence describing loudness over time: the short-term range, the momentary maximum
    and when it happens, the target, and how much of the time the series is below the gate."""
    short_t, short_v = _series(times_s, short_term_lufs, "short_term_lufs")
    moment_t, moment_v = _series(momentary_times_s if momentary_times_s is not None else times_s,
                                 momentary_lufs, "momentary_lufs")
    parts: list[str] = []
    short_ok = np.isfinite(short_v) & np.isfinite(short_t)
    moment_ok = np.isfinite(moment_v) & np.isfinite(moment_t)
    if short_ok.any():
        values = short_v[short_ok]
        loudest = int(np.argmax(values))
        if values.size == 1 or values.min() == values.max():
            parts.append(f"short-term loudness {fmt.level_number(float(values.max()))} LUFS")
        else:
            parts.append(f"short-term loudness from {fmt.level_number(float(values.min()))} to "
                         f"{fmt.level_number(float(values.max()))} LUFS (loudest at "
                         f"{fmt.level_number(float(short_t[short_ok][loudest]))} s)")
    if moment_ok.any():
        values = moment_v[moment_ok]
        loudest = int(np.argmax(values))
        parts.append(f"momentary maximum {fmt.level_number(float(values[loudest]))} LUFS at "
                     f"{fmt.level_number(float(moment_t[moment_ok][loudest]))} s")
    if not parts:
        text = "Loudness over time: no value above the gate (silent or too short)"
    else:
        text = "Loudness over time: " + ", ".join(parts)
        if short_v.size and not short_ok.all():
            gated = 100.0 * float(np.count_nonzero(~short_ok)) / short_v.size
            text += f"; short-term below the gate for {gated:.0f} % of the time"
    if target_lufs is not None and math.isfinite(target_lufs):
        text += f"; target {fmt.level_number(target_lufs)} LUFS"
    return text + "."


# --------------------------------------------------------------------------------------------
# Drawing helpers


def _palette(theme: str) -> Palette:
    if theme not in PALETTES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {theme!r}")
    return PALETTES[theme]


# --------------------------------------------------------------------------------------------
# Drawing helpers (on :class:`~sonicguide.core.audio.svgplot.Plot`)


def _site_style() -> dict[Any, Any]:
    """The site style for ``rc_context`` while a plot is written (the renderer reads ``svg.*``)."""
    return dict(SITE_STYLE)


@contextlib.contextmanager
def _in_site_style() -> Iterator[None]:
    """What ``matplotlib.rc_context(SITE_STYLE)`` does for a chart, for the style's own settings:
    set them, and put back what they were. ``rc_context`` copies and restores every one of
    matplotlib's settings (with their validation), a few milliseconds a chart; a chart changes no
    other setting."""
    settings: Any = matplotlib.rcParams
    saved = {name: settings[name] for name in SITE_STYLE}
    settings.update(SITE_STYLE)
    try:
        yield
    finally:
        settings.update(saved)


def _plot(palette: Palette, margins: Mapping[str, float]) -> svgplot.Plot:
    """A figure of :data:`FIGURE_SIZE_IN` on the palette's background, its plot box opened."""
    plot = svgplot.Plot(FIGURE_SIZE_IN[0] * 72.0, FIGURE_SIZE_IN[1] * 72.0,
                        (margins["left"], margins["bottom"], margins["right"], margins["top"]),
                        background=palette.background)
    plot.group("axes")
    plot.rect(plot.box, palette.background)
    return plot


def _ticks(plot: svgplot.Plot, palette: Palette, which: Literal["x", "y"], axis: svgplot.Axis,
           major: Sequence[float], labels: Sequence[str], *, minor: Sequence[float] = (), grid: bool = True,
           side: Literal["left", "right", "bottom"] | None = None, box: Any = None) -> float:
    return plot.ticks(which, axis, major, labels, minor=minor, tick_colour=palette.axis, label_colour=palette.text,
                      grid_colour=palette.grid if grid else None, label_size_pt=SITE_STYLE["xtick.labelsize"],
                      side=side, box=box, grid_width=SITE_STYLE["grid.linewidth"])


def _axis_label(plot: svgplot.Plot, palette: Palette, which: Literal["x", "y"], label: str, reach: float) -> None:
    """An axis label beside its tick labels (``reach`` points from the box), as matplotlib places it."""
    size = SITE_STYLE["axes.labelsize"]
    box = plot.box
    if which == "x":
        plot.text((box.x0 + box.x1) / 2, box.y0 - reach - svgplot.LABEL_PAD_PT, label, palette.text, size,
                  ha="center", va="top")
    else:
        plot.text(box.x0 - reach - svgplot.LABEL_PAD_PT, (box.y0 + box.y1) / 2, label, palette.text, size,
                  ha="center", va="bottom", rotation=90)


def _log_frequency_axis(plot: svgplot.Plot, palette: Palette, which: Literal["x", "y"], axis: svgplot.Axis, *,
                        log_units: bool, grid: bool = True) -> None:
    """Ticks at 20, 50, 100 … 20k Hz within the axis, minor ticks at the other multiples of each
    decade, and the "Frequency (Hz)" label. With ``log_units`` the axis is linear in log10(Hz)
    (the spectrogram image is drawn that way)."""
    low_hz, top_hz = (10.0 ** axis.low, 10.0 ** axis.high) if log_units else (axis.low, axis.high)
    major_hz = [float(f) for f in FREQUENCY_TICKS_HZ if low_hz * 0.999 <= f <= top_hz * 1.001]
    minor_hz = [m * 10.0**d for d in range(1, 6) for m in range(2 if not log_units else 1, 10)]
    minor_hz = [f for f in minor_hz if low_hz <= f <= top_hz and f not in major_hz]
    labels = [_tick_label(f) for f in major_hz]
    place = (lambda values: [math.log10(f) for f in values]) if log_units else (lambda values: list(values))
    reach = _ticks(plot, palette, which, axis, place(major_hz), labels, minor=place(minor_hz), grid=grid)
    _axis_label(plot, palette, which, "Frequency (Hz)", reach)


def _level_axis(plot: svgplot.Plot, palette: Palette, axis: svgplot.Axis, label: str, *, nbins: int) -> None:
    """A y axis of levels: integer ticks on steps of 1, 2, 5 or 10 (matplotlib's MaxNLocator), grid, label."""
    values = svgplot.linear_ticks(axis.low, axis.high, nbins=nbins, steps=(1, 2, 5, 10), integer=True)
    values = [v for v in values if axis.contains(v)]
    reach = _ticks(plot, palette, "y", axis, values, svgplot.tick_labels(values))
    _axis_label(plot, palette, "y", label, reach)


def _time_ticks(plot: svgplot.Plot, palette: Palette, axis: svgplot.Axis, *, grid_colour: str | None) -> float:
    """The time axis' ticks as matplotlib's AutoLocator places them; returns the labels' reach."""
    values = [v for v in svgplot.linear_ticks(axis.low, axis.high, nbins=9) if axis.contains(v)]
    return _ticks(plot, palette, "x", axis, values, svgplot.tick_labels(values), grid=grid_colour is not None)


def _no_data_text(plot: svgplot.Plot, palette: Palette, message: str, *, y: float = 0.5) -> None:
    box = plot.box
    plot.text((box.x0 + box.x1) / 2, box.y0 + y * box.height, message, palette.text, 10.0, ha="center",
              va="center")


def _colour_bar(plot: svgplot.Plot, palette: Palette, cmap: Colormap, vmin: float, vmax: float) -> None:
    """The colour bar right of the plot box: the colour map from ``vmin`` to ``vmax`` dBFS, its ticks
    on the right and the "Level (dBFS)" label."""
    from matplotlib.transforms import Bbox

    width, height = plot.width, plot.height
    bottom, top = _MARGINS["bottom"], _MARGINS["top"]
    box = Bbox([[0.88 * width, bottom * height], [(0.88 + 0.018) * width, top * height]])
    plot.group("axes")
    gradient = cmap(np.linspace(0.0, 1.0, cmap.N)[:, None], bytes=True)
    plot.image(gradient, box, gid="colour-bar")
    axis = svgplot.Axis(vmin, vmax)
    values = [v for v in svgplot.linear_ticks(vmin, vmax, nbins=8) if axis.contains(v)]
    reach = _ticks(plot, palette, "y", axis, values, svgplot.tick_labels(values), grid=False, side="right", box=box)
    plot.text(box.x1 + reach + svgplot.LABEL_PAD_PT, (box.y0 + box.y1) / 2, "Level (dBFS)", palette.text,
              SITE_STYLE["axes.labelsize"], ha="center", va="top", rotation=90)
    plot.frame(palette.axis, SITE_STYLE["axes.linewidth"], box)
    plot.end()


def _legend(plot: svgplot.Plot, palette: Palette,
            entries: Sequence[tuple[str, str, float, tuple[float, list[float]] | None]]) -> None:
    """One row of legend entries (label, colour, line width, dashes) just above the plot box, laid
    out with matplotlib's legend defaults (in units of the font size: 0.2 from the box, 0.4 border,
    2.4 line, 0.8 before the text, 2.0 between entries)."""
    size = SITE_STYLE["legend.fontsize"]
    _, _, descent = svgplot.text_box("lp", size)
    x = plot.box.x0 + (0.2 + 0.4) * size
    baseline = plot.box.y1 + (0.2 + 0.4) * size + descent
    handle_y = baseline + 0.35 * size
    plot.group("legend")
    for label, colour, linewidth, dashes in entries:
        plot.line(np.array([[x, handle_y], [x + 2.4 * size, handle_y]]), colour, linewidth, dashes=dashes,
                  capstyle="butt" if dashes else "round")
        text_x = x + (2.4 + 0.8) * size
        plot.text(text_x, baseline, label, palette.text, size, ha="left", va="baseline")
        x = text_x + svgplot.text_box(label, size)[0] + 2.0 * size
    plot.end()


def _draw_series(plot: svgplot.Plot, x_axis: svgplot.Axis, y_axis: svgplot.Axis, times: FloatArray,
                 values: FloatArray, *, color: str, linewidth: float, gid: str) -> None:
    """A curve with gaps at non-finite values; points with no finite neighbour become dots.
    The curve's SVG group has the id ``gid``, its dots ``gid + "-points"``."""
    ok = np.isfinite(times) & np.isfinite(values)
    shown = np.where(ok, values, np.nan)
    line_times, line_values = _min_max_decimate(np.where(ok, times, np.nan), shown, MAX_LINE_POINTS)
    plot.line(plot.to_points(x_axis, y_axis, line_times, line_values), color, linewidth, gid=gid, clip=plot.box)
    before = np.concatenate([[False], ok[:-1]])
    after = np.concatenate([ok[1:], [False]])
    isolated = ok & ~before & ~after
    if isolated.any():
        plot.markers(plot.to_points(x_axis, y_axis, times[isolated], values[isolated]), "o", 2.5 + linewidth,
                     color, gid=f"{gid}-points", clip=plot.box, fill=color)


def _to_svg_bytes(raw: bytes, title: str, description: str) -> bytes:
    """Deterministic SVG from the renderer: positions rounded, images palette-coded, and
    ``<title>``/``<desc>`` and ``role="img"`` added."""
    svg = _PNG_URI.sub(_palette_png, _POSITIONS.sub(_round_positions, raw))
    start = svg.index(b"<svg ")
    end = svg.index(b">", start)
    # No ids: a page may hold many charts, and an inline SVG takes its name from <title> anyway.
    accessible = f"<title>{escape(title)}</title>\n <desc>{escape(description)}</desc>".encode()
    return svg[:end] + b' role="img">\n ' + accessible + svg[end + 1:]


#: Where matplotlib writes positions in points with six decimals: path data, x/y attributes and
#: translations. Scales and matrices (glyph sizes, the image's placement) are left exact.
_POSITIONS = re.compile(rb'( (?:d|x|y)="|translate\()([^")]*)')
_LONG_DECIMAL = re.compile(rb"-?\d+\.\d{3,}")


def _round_positions(match: re.Match[bytes]) -> bytes:
    """Round positions to 0.01 pt (a tenth of a pixel at twice the chart's size): about 10 %
    smaller files, no visible change. Short ones (a glyph's or a tick's place) repeat from one chart
    to the next: each is rounded once per process."""
    text = match.group(0)
    rounded = _ROUNDED.get(text)
    if rounded is None:
        rounded = match.group(1) + _LONG_DECIMAL.sub(_two_decimals, match.group(2))
        if len(text) <= 64 and len(_ROUNDED) < 65536:
            _ROUNDED[text] = rounded
    return rounded


_ROUNDED: dict[bytes, bytes] = {}


def _two_decimals(match: re.Match[bytes]) -> bytes:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return b"0" if text == "-0" else text.encode()


_PNG_URI = re.compile(rb"data:image/png;base64,\s*([A-Za-z0-9+/=\s]+)")


def _palette_png(match: re.Match[bytes]) -> bytes:
    """Re-encode an embedded RGBA PNG with an exact colour palette when it has 256 colours or
    fewer (a spectrogram rounded to 1 dB has about 80): one byte a pixel instead of four, about
    a quarter of the size, same pixels. Other images are left as matplotlib wrote them."""
    rgba = np.ascontiguousarray(Image.open(io.BytesIO(base64.b64decode(match.group(1)))).convert("RGBA"))
    # One big-endian 32-bit number per pixel: sorts as the (R, G, B, A) rows would, ten times faster.
    packed, indices = np.unique(rgba.view(">u4").reshape(-1), return_inverse=True)
    if len(packed) > 256:
        return match.group(0)
    colours = packed.astype(">u4").view(np.uint8).reshape(-1, 4)
    indexed = Image.fromarray(indices.reshape(rgba.shape[:2]).astype(np.uint8), mode="P")
    indexed.putpalette(colours[:, :3].astype(np.uint8).tobytes(), rawmode="RGB")
    out = io.BytesIO()
    indexed.save(out, format="png", optimize=True, transparency=colours[:, 3].astype(np.uint8).tobytes())
    return b"data:image/png;base64," + base64.b64encode(out.getvalue())




def _tick_label(frequency_hz: float) -> str:
    if frequency_hz >= 1000.0:
        return f"{frequency_hz / 1000.0:g}k"
    return f"{frequency_hz:g}"



def _min_max_decimate(times: FloatArray, values: FloatArray,
                      max_points: int) -> tuple[FloatArray, FloatArray]:
    """At most ``max_points`` points of a curve that look the same at chart size: the series is cut
    into ``max_points // 2`` runs of consecutive points and each run keeps its lowest and highest
    value, in time order, so peaks and dips survive. A run with no finite value becomes one NaN
    (a gap). Shorter series are returned as they are."""
    if values.size <= max_points:
        return times, values
    size = math.ceil(values.size / (max_points // 2))
    runs = math.ceil(values.size / size)
    pad = runs * size - values.size
    run_values = np.concatenate([values, np.full(pad, np.nan)]).reshape(runs, size)
    run_times = np.concatenate([times, np.full(pad, np.nan)]).reshape(runs, size)
    finite = np.isfinite(run_values)
    low = np.argmin(np.where(finite, run_values, np.inf), axis=1)
    high = np.argmax(np.where(finite, run_values, -np.inf), axis=1)
    first, second = np.minimum(low, high), np.maximum(low, high)
    rows = np.arange(runs)
    picked_times = np.stack([run_times[rows, first], run_times[rows, second]], axis=1)
    picked_values = np.stack([run_values[rows, first], run_values[rows, second]], axis=1)
    empty = ~finite.any(axis=1)
    picked_values[empty] = np.nan  # matplotlib breaks the line at a NaN
    picked_times[empty] = np.nan
    return picked_times.reshape(-1), picked_values.reshape(-1)


def _even_grid(times: FloatArray, freqs: FloatArray, grid: FloatArray, low_hz: float,
               top_hz: float) -> tuple[FloatArray, tuple[float, float, float, float]]:
    """Resample ``grid`` (rows = ``freqs``, columns = ``times``) onto an even grid in log10(Hz)
    from ``low_hz`` to ``top_hz`` and in time, same number of rows and columns, rounded to
    :data:`SPECTROGRAM_STEP_DB`; returns the image and its extent (t0, t1, log10 f0, log10 f1)."""
    row_order = np.argsort(freqs, kind="stable")
    column_order = np.argsort(times, kind="stable")
    freqs, times = freqs[row_order], times[column_order]
    grid = grid[row_order][:, column_order]
    rows, columns = freqs.size, times.size
    log_low, log_top = math.log10(low_hz), math.log10(top_hz)
    step = (log_top - log_low) / rows
    row_centres = log_low + step * (np.arange(rows) + 0.5)
    t_step = (float(times[-1]) - float(times[0])) / (columns - 1) if columns > 1 else 0.1
    t_start = float(times[0]) - t_step / 2.0
    column_centres = t_start + t_step * (np.arange(columns) + 0.5)
    log_freqs = np.log10(freqs)
    if rows > 1:
        # Above the highest bin (up to Nyquist) and below the lowest, cells stay empty (NaN).
        by_rows = np.stack([np.interp(row_centres, log_freqs, grid[:, j], left=np.nan, right=np.nan)
                            for j in range(columns)], axis=1)
    else:
        by_rows = grid.copy()
    image = np.stack([np.interp(column_centres, times, by_rows[i, :]) for i in range(rows)]) \
        if columns > 1 else by_rows.copy()
    image = np.round(image / SPECTROGRAM_STEP_DB) * SPECTROGRAM_STEP_DB
    extent = (t_start, t_start + t_step * columns, log_low, log_top)
    return np.ma.masked_invalid(image), extent


# --------------------------------------------------------------------------------------------
# Data helpers


def _as_floats(values: Sequence[MaybeFloat] | FloatArray, name: str) -> FloatArray:
    """A 1-D float array with None turned into NaN."""
    try:
        if isinstance(values, list | tuple | np.ndarray):
            array = np.array(values, dtype=np.float64)  # numpy turns None into NaN itself, in C
        else:
            array = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a list of numbers or None") from error
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers")
    return array


def _as_matrix(values: Sequence[Sequence[MaybeFloat]] | FloatArray, *, rows: int, columns: int) -> FloatArray:
    if isinstance(values, np.ndarray) and values.ndim == 2:
        shape = values.shape
        if shape != (rows, columns):
            hint = "; it has one row per time instead: transpose it" if rows != columns and shape == (columns, rows) \
                else ""
            raise ValueError(f"db must have {rows} rows (one per frequency) of {columns} values "
                             f"(one per time){hint}")
        return np.array(values, dtype=np.float64)
    if len(values) != rows or any(len(row) != columns for row in values):
        hint = ""
        if rows != columns and len(values) == columns and all(len(row) == rows for row in values):
            hint = "; it has one row per time instead: transpose it"
        raise ValueError(f"db must have {rows} rows (one per frequency) of {columns} values "
                         f"(one per time){hint}")
    if rows == 0 or columns == 0:
        return np.empty((rows, columns))
    try:
        if isinstance(values, list | tuple) and all(isinstance(row, list | tuple) for row in values):
            return np.array(values, dtype=np.float64)  # numpy turns None into NaN itself, in C
        return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError("db must hold numbers or None") from error


def _finite_pairs(xs: Sequence[MaybeFloat], ys: Sequence[MaybeFloat], x_name: str,
                  y_name: str) -> tuple[FloatArray, FloatArray]:
    """The pairs where both values are finite (a length mismatch is a ValueError)."""
    x, y = _as_floats(xs, x_name), _as_floats(ys, y_name)
    if x.size != y.size:
        raise ValueError(f"{x_name} and {y_name} must have the same length ({x.size} != {y.size})")
    ok = np.isfinite(x) & np.isfinite(y)
    return x[ok], y[ok]


def _series(times: Sequence[MaybeFloat], values: Sequence[MaybeFloat],
            name: str) -> tuple[FloatArray, FloatArray]:
    t, v = _as_floats(times, "times_s"), _as_floats(values, name)
    if t.size != v.size:
        raise ValueError(f"{name} must have one value per time ({v.size} values, {t.size} times)")
    return t, v


def _top_frequency_hz(freqs: FloatArray, sample_rate_hz: float | None) -> float:
    if sample_rate_hz is not None and sample_rate_hz > 2 * MIN_FREQUENCY_HZ:
        return float(sample_rate_hz) / 2.0
    finite = freqs[np.isfinite(freqs)]
    if finite.size and float(finite.max()) > MIN_FREQUENCY_HZ:
        return float(finite.max())
    return 20000.0


def _level_limits(levels: FloatArray, range_db: float) -> tuple[float, float]:
    """Axis limits on a 5 dB grid: a little above the loudest value, ``range_db`` below it at
    most (quieter values fall off the bottom)."""
    top = math.ceil((float(levels.max()) + 2.0) / 5.0) * 5.0
    bottom = max(math.floor((float(levels.min()) - 2.0) / 5.0) * 5.0, top - range_db)
    return bottom, top


def _merge_repeated(freqs: FloatArray, levels: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sorted unique frequencies; the levels given for one frequency are averaged as power (a
    repeated frequency is one bin, so it must not make a bin of zero width)."""
    unique, inverse = np.unique(freqs, return_inverse=True)
    if unique.size == freqs.size:
        order = np.argsort(freqs, kind="stable")
        return freqs[order], levels[order]
    top = float(levels.max())
    power = np.zeros(unique.size)
    np.add.at(power, inverse, np.power(10.0, (levels - top) / 10.0))
    counts = np.bincount(inverse, minlength=unique.size)
    with np.errstate(divide="ignore"):  # a level far below the top: its power is 0, its level -inf
        return unique, top + 10.0 * np.log10(power / counts)


def _bin_edges(freqs: FloatArray) -> FloatArray:
    """Edges of bins centred on ``freqs`` (sorted, positive, unique): geometric midpoints, with the
    outer edges mirrored. Computed on logarithms, so that products of tiny frequencies cannot
    underflow to zero."""
    logs = np.log(freqs)
    inner = (logs[:-1] + logs[1:]) / 2.0
    first = 2.0 * logs[0] - inner[0]
    last = 2.0 * logs[-1] - inner[-1]
    edges: FloatArray = np.exp(np.concatenate([[first], inner, [last]]))
    return edges

