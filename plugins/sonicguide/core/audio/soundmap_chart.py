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

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from sonicguide.core.audio.charts import (
    FREQUENCY_TICKS_HZ,
    THEMES,
    Theme,
    _palette,
    _rc,
    _tick_label,
    _to_svg,
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
#: Marker area in points² at -40 LUFS and at -8 LUFS (louder is bigger; clamped outside).
_AREA = (30.0, 420.0)
_LOUDNESS_RANGE = (-40.0, -8.0)
#: Width of the "no tempo" lane, as a share of the tempo axis.
_LANE_SHARE = 0.14


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
    ``tier_labels`` names the tiers in the legend."""
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
    places: dict[str, tuple[float, float]] = {}
    with matplotlib.rc_context(_rc(palette)):
        fig = Figure(figsize=FIGURE_SIZE_IN)
        fig.subplots_adjust(left=0.13, right=0.975, bottom=0.3, top=0.96)
        ax = fig.add_subplot()
        ax.set_xlim(low_bpm - lane, high_bpm)
        ax.set_yscale("log")
        ax.set_ylim(low_hz, high_hz)
        ticks = [t for t in FREQUENCY_TICKS_HZ if low_hz <= t <= high_hz]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: _tick_label(value)))
        ax.yaxis.set_minor_formatter(NullFormatter())
        step = 20 if high_bpm - low_bpm > 100 else 10
        tempo_ticks = [float(t) for t in range(int(low_bpm), int(high_bpm) + 1, step)]
        ax.xaxis.set_major_locator(FixedLocator([lane_x, *tempo_ticks]))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda value, _pos: "no\ntempo" if abs(value - lane_x) < 1e-6 else f"{value:.0f}"))
        ax.axvspan(low_bpm - lane, low_bpm, color=palette.grid, alpha=0.5, linewidth=0)
        ax.set_xlabel("Tempo, estimated (BPM)")
        ax.set_ylabel("Brightness (centroid, Hz)")
        # Points in the lane are spread across it (in key order) so that they do not hide each other.
        untimed = sorted(p.key for p in points if p.bpm is None)
        lane_at = {key: low_bpm - lane + lane * (i + 1) / (len(untimed) + 1) for i, key in enumerate(untimed)}
        for index, point in enumerate(sorted(points, key=lambda p: (-_area(p.integrated_lufs), p.key))):
            colour, marker = TIER_STYLE.get(point.tier, TIER_STYLE["incomplete"])
            x = point.bpm if point.bpm is not None else lane_at[point.key]
            y = min(max(point.centroid_hz, low_hz), high_hz)
            ax.scatter([x], [y], s=_area(point.integrated_lufs), marker=marker, linewidths=1.6,
                       facecolors="none" if point.uncertain else colour, edgecolors=colour, alpha=0.9,
                       zorder=3 + index / 1000, gid=f"point-{index}")
        tiers = [tier for tier in TIER_STYLE if any(p.tier == tier for p in points)]
        handles = [Line2D([], [], linestyle="none", marker=TIER_STYLE[t][1], color=TIER_STYLE[t][0], markersize=8,
                          label=tier_labels.get(t, t)) for t in tiers]
        if any(p.uncertain for p in points):
            handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="none",
                                  color=palette.axis, markersize=8, label="uncertain tempo"))
        fig.legend(handles=handles, loc="lower center", ncols=3, bbox_to_anchor=(0.54, 0.005),
                   handletextpad=0.3, columnspacing=1.2)
        width, height = fig.get_size_inches() * fig.dpi
        for point in points:
            x = point.bpm if point.bpm is not None else lane_at[point.key]
            y = min(max(point.centroid_hz, low_hz), high_hz)
            px, py = ax.transData.transform((x, y))
            places[point.key] = (round(100 * px / width, 2), round(100 - 100 * py / height, 2))
        light = _to_svg(fig, title, description)
    return {theme: light if theme == "light" else recolour(light, source="light", target=theme)
            for theme in THEMES}, places
