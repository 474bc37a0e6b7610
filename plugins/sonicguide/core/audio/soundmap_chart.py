"""The sound map as SVG: assets placed by tempo (x) and brightness (y), sized by loudness and
coloured (and shaped) by origin tier, in the site's chart style (:mod:`.charts`).

Assets without a tempo estimate to plot (voice, UI sounds, alerts, IVR prompts, and music whose
estimate is missing) go in a separate lane at the left, labelled "no tempo", never at a made-up
tempo. Estimates below the tempo confidence the site trusts are drawn hollow.

:func:`sound_map_svg` also returns where each point landed, in percent of the figure's width and
height from its top left corner, so that the page can lay a link over each point (an ``<img>``
cannot hold links). Deterministic like every chart: the same points give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Bbox, IdentityTransform

from sonicguide.core.audio import svgplot
from sonicguide.core.audio.charts import (
    FREQUENCY_TICKS_HZ,
    SITE_STYLE,
    THEMES,
    Palette,
    Theme,
    _axis_label,
    _palette,
    _site_style,
    _tick_label,
    _ticks,
    _to_svg_bytes,
    recolour,
)

#: Colour and marker per origin tier: mid-tone colours with at least 3:1 contrast on both chart
#: backgrounds (white and ``#1e2129``), and a distinct shape each, so colour is never the only cue.
TIER_STYLE: dict[str, tuple[str, str]] = {
    "human-made": ("#2b8a3e", "o"),
    "human-directed-ai-assisted": ("#1c7ed6", "s"),
    "ai-generated-human-curated": ("#e8590c", "^"),
    "ai-generated": ("#c2255c", "D"),
    "incomplete": ("#868e96", "X"),
}
FIGURE_SIZE_IN = (7.0, 4.6)
#: The plot box: left, bottom, right, top as fractions of the figure.
_BOX = (0.13, 0.3, 0.975, 0.96)
#: Marker area in points² at -40 LUFS and at -8 LUFS (louder is bigger; clamped outside).
_AREA = (30.0, 420.0)
_LOUDNESS_RANGE = (-40.0, -8.0)
#: Width of the "no tempo" lane, as a share of the tempo axis.
_LANE_SHARE = 0.14
#: Points: edge width and opacity; legend markers: size (points) and edge width.
_POINT_EDGE_PT = 1.6
_POINT_ALPHA = 0.9
_LEGEND_MARKER_PT = 8.0
_LEGEND_EDGE_PT = 1.0


@dataclass(frozen=True)
class MapPoint:
    """One asset on the map. ``bpm`` None: the "no tempo" lane; ``uncertain``: drawn hollow."""

    key: str
    label: str
    tier: str
    bpm: float | None
    centroid_hz: float
    integrated_lufs: float | None
    uncertain: bool = False


def _area(lufs: float | None) -> float:
    if lufs is None:
        return _AREA[0]
    low, high = _LOUDNESS_RANGE
    share = min(1.0, max(0.0, (lufs - low) / (high - low)))
    return _AREA[0] + share * (_AREA[1] - _AREA[0])


def sound_map_svg(points: Sequence[MapPoint], *, title: str, description: str, tier_labels: Mapping[str, str]
                  ) -> tuple[dict[Theme, bytes], dict[str, tuple[float, float]]]:
    """The map in every theme, and each point's place (percent from the top left) by ``key``;
    ``tier_labels`` names the tiers in the legend.

    Drawn on :class:`~sonicguide.core.audio.svgplot.Plot` like the asset charts (a matplotlib
    figure with a scatter per point took about 0.25 s a map, most of a cold build's own pages after
    the social cards): the lane shaded at half the grid colour, grid and ticks as the other charts,
    one marker per point in its tier's shape (hollow when the tempo is uncertain), the legend in up
    to three columns centred under the figure and never wider than it.
    """
    palette = _palette("light")
    timed = [p.bpm for p in points if p.bpm is not None]
    low_bpm = min([*timed, 80.0]) - 10.0
    high_bpm = max([*timed, 140.0]) + 10.0
    low_bpm, high_bpm = 10 * math.floor(low_bpm / 10), 10 * math.ceil(high_bpm / 10)
    lane = (high_bpm - low_bpm) * _LANE_SHARE
    lane_x = low_bpm - lane / 2
    centroids = [p.centroid_hz for p in points if p.centroid_hz > 0]
    low_hz = max(20.0, min([*centroids, 500.0]) / 1.6)
    high_hz = min(24000.0, max([*centroids, 4000.0]) * 1.6)
    x_axis = svgplot.Axis(low_bpm - lane, high_bpm)
    y_axis = svgplot.Axis(low_hz, high_hz, "log")
    # Points in the lane are spread across it (in key order) so that they do not hide each other.
    untimed = sorted(p.key for p in points if p.bpm is None)
    lane_at = {key: low_bpm - lane + lane * (i + 1) / (len(untimed) + 1) for i, key in enumerate(untimed)}

    def place(point: MapPoint) -> tuple[float, float]:
        x = point.bpm if point.bpm is not None else lane_at[point.key]
        return x, min(max(point.centroid_hz, low_hz), high_hz)

    width, height = FIGURE_SIZE_IN[0] * 72.0, FIGURE_SIZE_IN[1] * 72.0
    with matplotlib.rc_context(_site_style()):
        plot = svgplot.Plot(width, height, _BOX, background=palette.background)
        plot.group("axes")
        plot.rect(plot.box, palette.background)
        lane_left, lane_right = plot.to_points(x_axis, y_axis, np.array([low_bpm - lane, low_bpm]),
                                               np.array([low_hz, low_hz]))[:, 0]
        _shade(plot, Bbox([[lane_left, plot.box.y0], [lane_right, plot.box.y1]]), palette.grid, alpha=0.5)
        step = 20 if high_bpm - low_bpm > 100 else 10
        tempo_ticks = [float(t) for t in range(int(low_bpm), int(high_bpm) + 1, step)]
        tempo_reach = _ticks(plot, palette, "x", x_axis, tempo_ticks, [f"{t:.0f}" for t in tempo_ticks])
        lane_reach = _lane_tick(plot, palette, x_axis, lane_x)
        _axis_label(plot, palette, "x", "Tempo, estimated (BPM)", max(tempo_reach, lane_reach))
        major_hz = [float(t) for t in FREQUENCY_TICKS_HZ if low_hz <= t <= high_hz]
        minor_hz = [m * 10.0 ** d for d in range(1, 6) for m in range(2, 10)]
        minor_hz = [f for f in minor_hz if low_hz <= f <= high_hz and f not in major_hz]
        y_reach = _ticks(plot, palette, "y", y_axis, major_hz, [_tick_label(f) for f in major_hz], minor=minor_hz)
        _axis_label(plot, palette, "y", "Brightness (centroid, Hz)", y_reach)
        plot.frame(palette.axis, SITE_STYLE["axes.linewidth"])
        for index, point in enumerate(sorted(points, key=lambda p: (-_area(p.integrated_lufs), p.key))):
            colour, marker = TIER_STYLE.get(point.tier, TIER_STYLE["incomplete"])
            x, y = place(point)
            _marker(plot, plot.to_points(x_axis, y_axis, np.array([x]), np.array([y])), marker,
                    math.sqrt(_area(point.integrated_lufs)), colour, fill=None if point.uncertain else colour,
                    edge_width=_POINT_EDGE_PT, alpha=_POINT_ALPHA, gid=f"point-{index}", clip=plot.box)
        plot.end()
        tiers = [tier for tier in TIER_STYLE if any(p.tier == tier for p in points)]
        entries: list[tuple[str, str, str, str | None]] = [
            (tier_labels.get(t, t), TIER_STYLE[t][1], TIER_STYLE[t][0], TIER_STYLE[t][0]) for t in tiers]
        if any(p.uncertain for p in points):
            entries.append(("uncertain tempo", "o", palette.axis, None))
        _legend(plot, palette, entries)
        places: dict[str, tuple[float, float]] = {}
        for point in points:
            x, y = place(point)
            px, py = plot.to_points(x_axis, y_axis, np.array([x]), np.array([y]))[0]
            places[point.key] = (round(100 * float(px) / width, 2), round(100 - 100 * float(py) / height, 2))
        light = _to_svg_bytes(plot.svg(), title, description)
    return {theme: light if theme == "light" else recolour(light, source="light", target=theme)
            for theme in THEMES}, places


def _gc(colour: str, linewidth: float, *, alpha: float | None = None, clip: Bbox | None = None,
        gid: str | None = None) -> GraphicsContextBase:
    gc = GraphicsContextBase()
    gc.set_foreground(colour)
    gc.set_linewidth(linewidth)
    gc.set_joinstyle("miter")
    gc.set_capstyle("butt")
    if alpha is not None:
        gc.set_alpha(alpha)
    if clip is not None:
        gc.set_clip_rectangle(clip)
    if gid is not None:
        gc.set_gid(gid)  # type: ignore[arg-type]  # an SVG id; matplotlib's stub says int
    return gc


def _shade(plot: svgplot.Plot, bbox: Bbox, colour: str, *, alpha: float) -> None:
    """A filled rectangle at ``alpha`` opacity (``axvspan``): in the palette colour itself, so that
    :func:`~sonicguide.core.audio.charts.recolour` carries it into the dark theme."""
    plot.group("patch")
    path = MplPath([[bbox.x0, bbox.y0], [bbox.x1, bbox.y0], [bbox.x1, bbox.y1], [bbox.x0, bbox.y1],
                    [bbox.x0, bbox.y0]], closed=True)
    gc = _gc(colour, 0.0, alpha=alpha)
    plot.renderer.draw_path(gc, path, IdentityTransform(), colour)
    plot.end()


def _marker(plot: svgplot.Plot, points: np.ndarray, marker: str, size_pt: float, colour: str, *, fill: str | None,
            edge_width: float, alpha: float | None = None, gid: str | None = None, clip: Bbox | None = None) -> None:
    """One marker per point (N × 2, points): matplotlib's ``marker`` shape ``size_pt`` across, as
    ``scatter(s=size_pt**2)`` and ``Line2D(markersize=size_pt)`` size them."""
    plot.group("PathCollection" if gid else "line2d", gid)
    style = MarkerStyle(marker)
    transform = style.get_transform() + Affine2D().scale(size_pt)
    gc = _gc(colour, edge_width, alpha=alpha, clip=clip)
    plot.renderer.draw_markers(gc, style.get_path(), transform, MplPath(points), IdentityTransform(), fill)
    plot.end()


def _lane_tick(plot: svgplot.Plot, palette: Palette, x_axis: svgplot.Axis, lane_x: float) -> float:
    """The lane's tick, grid line and two-line label "no / tempo" (laid out as matplotlib lays out
    a two-line text: each line at least the font's ascent and descent plus half its line gap);
    returns how far the label reaches below the box."""
    size = SITE_STYLE["xtick.labelsize"]
    _ticks(plot, palette, "x", x_axis, [lane_x], [""])  # the tick and its grid line; the label follows
    gap = _line_gap(size) / 2
    offset = svgplot.MAJOR_TICK_PT + svgplot.TICK_PAD_PT
    x = plot.to_points(x_axis, svgplot.Axis(1.0, 2.0), np.array([lane_x]), np.array([1.0]))[0, 0]
    top = plot.box.y0 - offset
    for line in ("no", "tempo"):
        _, ascent, descent = svgplot.text_box(line, size)
        baseline = top - ascent - gap
        plot.text(float(x), baseline, line, palette.text, size, ha="center", va="baseline")
        top = baseline - descent - gap
    return float(plot.box.y0 - top)


def _line_gap(size_pt: float) -> float:
    """The font's line gap (OS/2 ``sTypoLineGap``) at ``size_pt``, added between lines of a text."""
    from matplotlib.font_manager import findfont, get_font

    face: Any = get_font(findfont(svgplot.font(size_pt)))  # FreeType tables carry no types
    table = face.get_sfnt_table("OS/2")
    gap = table["sTypoLineGap"] if table is not None else 0
    return float(gap * size_pt / face.get_sfnt_table("head")["unitsPerEm"])


def _legend(plot: svgplot.Plot, palette: Palette, entries: Sequence[tuple[str, str, str, str | None]]) -> None:
    """The legend (label, marker, edge colour, fill) in columns filled top to bottom, as
    matplotlib's ``fig.legend(ncols=3)`` lays them out (its defaults in units of the font size:
    0.4 border, 2.0 handle, 0.5 between rows; ``handletextpad`` 0.3 and ``columnspacing`` 1.2 as
    the map always asked), centred under the figure, with fewer columns when three would not fit."""
    if not entries:
        return
    size = SITE_STYLE["legend.fontsize"]
    _, ascent, descent = svgplot.text_box("lp", size)
    handle, pad, spacing, border = 2.0 * size, 0.3 * size, 1.2 * size, 0.4 * size
    row_height = ascent + descent
    row_step = row_height + 0.5 * size
    for ncols in range(min(3, len(entries)), 0, -1):
        columns = [list(chunk) for chunk in _split(list(entries), ncols) if chunk]
        widths = [handle + pad + max(svgplot.text_box(label, size)[0] for label, *_ in column) for column in columns]
        total = sum(widths) + spacing * (len(columns) - 1) + 2 * border
        if total <= plot.width or ncols == 1:
            break
    rows = max(len(column) for column in columns)
    bottom = 0.005 * plot.height + 0.5 * size  # matplotlib's borderaxespad from the anchor
    x = max(0.0, (plot.width - total) / 2) + border
    top_baseline = bottom + border + rows * row_height + (rows - 1) * 0.5 * size - ascent
    plot.group("legend")
    for column, column_width in zip(columns, widths, strict=True):
        for row, (label, marker, colour, fill) in enumerate(column):
            baseline = top_baseline - row * row_step
            centre = np.array([[x + handle / 2, baseline + 0.35 * size]])
            _marker(plot, centre, marker, _LEGEND_MARKER_PT, colour, fill=fill, edge_width=_LEGEND_EDGE_PT)
            plot.text(x + handle + pad, baseline, label, palette.text, size, ha="left", va="baseline")
        x += column_width + spacing
    plot.end()


def _split(items: list[tuple[str, str, str, str | None]], parts: int) -> list[list[tuple[str, str, str, str | None]]]:
    """``items`` in ``parts`` runs, the longer first (``numpy.array_split``, which the legend uses)."""
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < extra else 0)
        out.append(items[start:end])
        start = end
    return out
