"""The chart layout kit agrees with matplotlib's own Axes on tick labels and tick places."""

from __future__ import annotations

from typing import Any

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


def test_our_xml_writer_writes_what_matplotlibs_writes() -> None:
    import io

    from matplotlib.backends import backend_svg

    def script(writer: Any) -> None:
        writer.start("g", id="figure_1")
        writer.comment("label -- with -- dashes & <angles>")
        writer.start("g", attrib={"style": "fill: #ffffff"}, transform="translate(1 2)")
        writer.element("path", id="a", d="M 0 0 \nL 1 1 \n", empty="")
        writer.element("use", attrib={"xlink:href": "#a", "title": 'say "hi" & it\'s <ok>'})
        writer.element("style", text="*{stroke: red} a > b & c")
        writer.start("defs")
        writer.end("defs")
        writer.start("text")
        writer.data("one & two")
        writer.end("text", indent=False)
        writer.close(0)

    theirs, ours = io.StringIO(), io.StringIO()
    script(backend_svg._XMLWriter(theirs))
    script(svgplot._Writer(ours.write, []))
    assert ours.getvalue() == theirs.getvalue()


def _spectrum(level_db: float) -> tuple[list[float], list[float]]:
    freqs = [20.0 * 1.1**i for i in range(70)]
    return freqs, [level_db - 0.1 * i for i in range(70)]


def test_an_axis_drawn_from_the_record_gives_the_bytes_drawn_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    from sonicguide.core.audio import charts

    drawn: list[str] = []
    draw_ticks = svgplot.Plot._draw_ticks

    def counting(self: svgplot.Plot, which: str, *args: Any, **kwargs: Any) -> float:
        drawn.append(which)
        return draw_ticks(self, which, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(svgplot.Plot, "_draw_ticks", counting)
    inputs = [_spectrum(-20.0), _spectrum(-20.0), _spectrum(-43.0), _spectrum(-20.0)]
    fresh = []
    for freqs, levels in inputs:
        svgplot._FRAGMENTS.clear()
        fresh.append(charts.spectrum_svg(freqs, levels, theme="light", sample_rate_hz=48000))
    assert len(drawn) == 2 * len(inputs)  # each chart drew its two axes
    svgplot._FRAGMENTS.clear()
    drawn.clear()
    recorded = [charts.spectrum_svg(freqs, levels, theme="light", sample_rate_hz=48000) for freqs, levels in inputs]
    assert recorded == fresh
    # The frequency axis once; the level axis once per range (-20 dB twice from the record).
    assert drawn == ["x", "y", "y"]
