"""The chart layout kit agrees with matplotlib's own Axes on tick labels and tick places."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sonicguide.core.audio import svgplot


@pytest.mark.parametrize(("low", "high"), [(0.0, 5.0), (0.0, 30.6), (-0.2, 1.3), (-45.0, -10.0), (0.0, 0.37)])
def test_time_ticks_and_labels_match_matplotlib(low: float, high: float) -> None:
    figure = Figure()
    axes = figure.add_subplot()
    axes.set_xlim(low, high)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=9, steps=[1, 2, 2.5, 5, 10]))
    expected_values = [v for v in axes.get_xticks() if low <= v <= high]
    expected_labels = axes.xaxis.get_major_formatter().format_ticks(expected_values)
    ours = [v for v in svgplot.linear_ticks(low, high, nbins=9) if svgplot.Axis(low, high).contains(v)]
    assert ours == pytest.approx(expected_values)
    assert svgplot.tick_labels(ours) == expected_labels


def test_text_is_placed_by_the_fonts_ascent_like_matplotlib() -> None:
    # A 9.5 pt tick label hung from y (va="top") has its baseline one font ascent lower:
    # DejaVu Sans' OS/2 ascender 1556 of 2048 units.
    _, ascent, descent = svgplot.text_box("20", 9.5)
    assert ascent == pytest.approx(1556 / 2048 * 9.5)
    assert descent == pytest.approx(492 / 2048 * 9.5)
