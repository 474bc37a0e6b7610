"""A small plot drawn straight onto matplotlib's SVG renderer: the site's charts without Figure,
Axes, Axis, Tick and Text objects.

Profiling a cold build showed that nearly all of a chart's time went to matplotlib's artist layer
(creating a Tick with two lines and a label per tick, laying out each Text twice, the axis' bbox
passes), not to writing the SVG. :class:`Plot` keeps the part that matters for the file, matplotlib's
:class:`~matplotlib.backends.backend_svg.RendererSVG` (text as DejaVu Sans glyph paths with shared
``<defs>``, hashed marker and clip-path ids under ``svg.hashsalt``, path simplification and NaN
gaps), and does the layout itself with matplotlib's own defaults: ticks 3.5 pt (minor 2 pt) out,
labels 3.5 pt from the ticks, axis labels 4 pt from the tick labels, text placed by the font's
ascent and descent (OS/2 table) as :class:`matplotlib.text.Text` does. The output has the structure
matplotlib writes (``xtick_N`` groups with a marker ``<use>``, a comment with each text, ids on
data groups), so a chart looks as it did and the same tests read it.

Coordinates: points from the bottom left (matplotlib's display space at 72 dpi); the renderer flips
them into SVG's top-left space. Call everything inside ``matplotlib.rc_context`` of the site style
(the renderer reads ``svg.*`` settings while it writes).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from matplotlib import rcParams
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Affine2D, Bbox, IdentityTransform

FloatArray = npt.NDArray[np.float64]
Scale = Literal["linear", "log"]
HAlign = Literal["left", "center", "right"]
VAlign = Literal["top", "center", "center_baseline", "baseline", "bottom"]

#: matplotlib's defaults (rcParams ``xtick.major.size`` and friends), in points.
MAJOR_TICK_PT = 3.5
MINOR_TICK_PT = 2.0
MAJOR_TICK_WIDTH_PT = 0.8
MINOR_TICK_WIDTH_PT = 0.6
TICK_PAD_PT = 3.5
LABEL_PAD_PT = 4.0
FAMILY = "DejaVu Sans"


@cache
def font(size_pt: float) -> FontProperties:
    return FontProperties(family=FAMILY, size=size_pt)


@cache
def _font_ascent_descent(size_pt: float) -> tuple[float, float]:
    """The font's typographic ascent and descent at ``size_pt`` (what Text uses as the least
    height of a line)."""
    face: Any = get_font(findfont(font(size_pt)))
    units = face.get_sfnt_table("head")["unitsPerEm"]
    table = face.get_sfnt_table("OS/2")
    if table is not None:
        return table["sTypoAscender"] * size_pt / units, -table["sTypoDescender"] * size_pt / units
    hhea = face.get_sfnt_table("hhea")
    return hhea["ascent"] * size_pt / units, -hhea["descent"] * size_pt / units


@dataclass(frozen=True)
class Axis:
    """One data axis: the view interval and how it maps to points along the plot box."""

    low: float
    high: float
    scale: Scale = "linear"

    def fraction(self, values: FloatArray) -> FloatArray:
        if self.scale == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.log10(np.where(values > 0, values, np.nan))
            low, high = math.log10(self.low), math.log10(self.high)
            result: FloatArray = (logs - low) / (high - low)
            return result
        return (values - self.low) / (self.high - self.low)

    def contains(self, value: float) -> bool:
        low, high = sorted((self.low, self.high))
        span = high - low
        return low - 1e-9 * span <= value <= high + 1e-9 * span


_ESCAPED = re.compile(r"[&<>]")


def _cdata(text: str) -> str:
    """Character data escaped as matplotlib's SVG writer escapes it (``&``, ``<``, ``>``)."""
    if _ESCAPED.search(text) is None:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An attribute value quoted and escaped as matplotlib's SVG writer does (``_quote_escape_attrib``)."""
    if '"' not in value:
        return f'"{_cdata(value)}"'
    if "'" not in value:
        return f"'{_cdata(value)}'"
    escaped = value.replace("&", "&amp;").replace("'", "&apos;").replace('"', "&quot;")
    return '"' + escaped.replace("<", "&lt;").replace(">", "&gt;") + '"'


class _Writer:
    """The XML writer of matplotlib's SVG renderer (``backend_svg._XMLWriter``), written again byte
    for byte: the same indentation, self-closing tags and escaping, with fewer calls per element
    (it wrote a third of a chart's time) and its state in the open, so that :meth:`Plot.cached`
    can record and replay what a drawing call wrote. The renderer calls ``start``, ``end``,
    ``element``, ``comment``, ``data``, ``close`` and ``flush``."""

    _INDENT = " " * 64

    def __init__(self, write: Any, tags: list[str]) -> None:
        self._write = write
        #: Open elements, outermost first.
        self.tags = tags
        #: Whether the last start tag still lacks its ``>`` (it becomes ``/>`` if nothing follows).
        self.open = False
        self._data: list[str] = []

    def _flush(self, indent: bool = True) -> None:
        if self.open:
            self._write(">\n" if indent else ">")
            self.open = False
        if self._data:
            self._write(_cdata("".join(self._data)))
            self._data = []

    def start(self, tag: str, attrib: dict[str, str] | None = None, **extra: str) -> int:
        self._flush()
        tag = _cdata(tag)
        self.tags.append(tag)
        parts = [self._INDENT[:len(self.tags) - 1], "<", tag]
        for key, value in ({**attrib, **extra} if attrib else extra).items():
            if value:
                parts.append(f" {_cdata(key)}={_attribute(value)}")
        self._write("".join(parts))
        self.open = True
        return len(self.tags) - 1

    def comment(self, comment: str) -> None:
        self._flush()
        text = _cdata(comment)
        if "--" in text:  # matplotlib turns each "-" that precedes another into "- "
            text = re.sub(r"-(?=-)", "- ", text)
        self._write(f"{self._INDENT[:len(self.tags)]}<!-- {text} -->\n")

    def data(self, text: str) -> None:
        self._data.append(text)

    def end(self, tag: str | None = None, indent: bool = True) -> None:
        if tag:
            assert self.tags and _cdata(tag) == self.tags[-1], f"expected end({self.tags[-1:]}), got {tag}"
        else:
            assert self.tags, "unbalanced end()"
        tag = self.tags.pop()
        if self._data:
            self._flush(indent)
        elif self.open:
            self.open = False
            self._write("/>\n")
            return
        self._write(f"{self._INDENT[:len(self.tags)] if indent else ''}</{tag}>\n")

    def close(self, index: int) -> None:
        """Close every element from ``index`` (what :meth:`start` returned) inwards."""
        while len(self.tags) > index:
            self.end()

    def element(self, tag: str, text: str | None = None, attrib: dict[str, str] | None = None, **extra: str) -> None:
        self.start(tag, attrib, **extra)
        if text:
            self.data(text)
        self.end(indent=False)

    def flush(self) -> None:
        pass


@dataclass(frozen=True)
class _Fragment:
    """What one drawing call wrote, and the state it left (see :meth:`Plot.cached`)."""

    text: str
    result: Any
    tags: tuple[str, ...]
    open: bool
    open_groups: tuple[str, ...]
    groups: tuple[tuple[str, int], ...]
    glyphs: frozenset[str]
    marks: tuple[tuple[tuple[int, float, str], str], ...]
    clips: tuple[tuple[Any, Any], ...]


#: Drawing calls recorded in this process, by call and state (see :meth:`Plot.cached`).
_FRAGMENTS: dict[Any, _Fragment] = {}
#: At most this many recorded calls (then the record starts again): the axes that repeat from one
#: file to the next are few, and an axis' record is a few kB (512 of them: a few MB a worker).
MAX_FRAGMENTS = 512
#: The settings the renderer reads while it writes (part of a recorded call's key).
_RC_KEYS = ("svg.hashsalt", "svg.fonttype", "path.simplify", "path.simplify_threshold", "path.snap")


class Plot:
    """One figure of ``width_pt`` × ``height_pt`` with one plot box (``box``: left, bottom, right,
    top as fractions of the figure, like ``subplots_adjust``). Draw with the methods, in z order,
    then :meth:`svg`."""

    def __init__(self, width_pt: float, height_pt: float, box: tuple[float, float, float, float], *,
                 background: str) -> None:
        self.width, self.height = width_pt, height_pt
        self._buffer = io.StringIO()
        # Typed as Any: matplotlib's SVG renderer and its XML writer carry no annotations.
        renderer_class: Any = RendererSVG
        self.renderer: Any = renderer_class(width_pt, height_pt, self._buffer, image_dpi=72,
                                            metadata={"Date": None, "Creator": None})
        # The renderer has written the header and closed every element but <svg>: from here on it
        # writes through our writer (see _Writer).
        self.writer = _Writer(self._buffer.write, ["svg"])
        self.renderer.writer = self.writer
        if not self._buffer.getvalue().endswith("</defs>\n"):
            raise RuntimeError("matplotlib's SVG header changed: svgplot's writer no longer continues it")
        self._groups: dict[str, int] = {}
        self._open: list[str] = []
        self._glyphs: set[str] = set()
        self._marks: dict[tuple[int, float, str], str] = {}
        self.renderer.open_group("figure", gid="figure_1")
        self.rect(Bbox([[0.0, 0.0], [float(width_pt), float(height_pt)]]), background, gid="patch")
        left, bottom, right, top = box
        self.box = Bbox([[left * width_pt, bottom * height_pt], [right * width_pt, top * height_pt]])

    # ---------------------------------------------------------------- structure

    def group(self, name: str, gid: str | None = None) -> None:
        """Open a ``<g>``: ``gid`` as its id, else ``name_N`` numbered like matplotlib's."""
        if gid is None:
            self._groups[name] = self._groups.get(name, 0) + 1
            gid = f"{name}_{self._groups[name]}"
        self.renderer.open_group(name, gid=gid)
        self._open.append(name)

    def end(self) -> None:
        self.renderer.close_group(self._open.pop())

    def svg(self) -> bytes:
        while self._open:
            self.end()
        self.renderer.close_group("figure")
        self.renderer.finalize()
        return self._buffer.getvalue().encode("utf-8")

    def cached(self, key: Any, draw: Any) -> Any:
        """``draw()``, recorded for this process under ``key`` and this plot's state; called again
        with the same key on a plot in the same state (the same ids used, glyphs and marks defined,
        clip boxes, open elements: a chart's axes drawn for another file), the recorded text is
        written and the state set as ``draw`` left it, without drawing. Same bytes either way.

        ``key`` must hold every argument of ``draw``; ``draw`` must only write through this plot's
        groups, text, tick marks and paths (no markers or images: the renderer's own records of
        those are not part of the state).
        """
        clipd = getattr(self.renderer, "_clipd", None)
        if not isinstance(clipd, dict) or self.writer._data:  # not the renderer this was written for
            return draw()
        settings: Any = rcParams  # typed by matplotlib for literal keys only
        state = (key, tuple(settings[name] for name in _RC_KEYS), tuple(self.writer.tags), self.writer.open,
                 tuple(self._open), frozenset(self._groups.items()), frozenset(self._glyphs),
                 frozenset(self._marks.items()), tuple(clipd))
        fragment = _FRAGMENTS.get(state)
        if fragment is not None:
            self._buffer.write(fragment.text)
            self.writer.tags[:] = fragment.tags
            self.writer.open = fragment.open
            self._open[:] = fragment.open_groups
            self._groups.update(fragment.groups)
            self._glyphs |= fragment.glyphs
            self._marks.update(fragment.marks)
            clipd.update(fragment.clips)
            return fragment.result
        start = self._buffer.tell()
        known_clips = set(clipd)
        result = draw()
        if self.writer._data:  # text not yet written: nothing to record safely
            return result
        self._buffer.seek(start)
        text = self._buffer.read()
        if len(_FRAGMENTS) >= MAX_FRAGMENTS:
            _FRAGMENTS.clear()
        _FRAGMENTS[state] = _Fragment(
            text=text, result=result, tags=tuple(self.writer.tags), open=self.writer.open,
            open_groups=tuple(self._open), groups=tuple(self._groups.items()), glyphs=frozenset(self._glyphs),
            marks=tuple(self._marks.items()),
            clips=tuple((name, clip) for name, clip in clipd.items() if name not in known_clips))
        return result

    # ---------------------------------------------------------------- mapping

    def to_points(self, x_axis: Axis, y_axis: Axis, xs: FloatArray, ys: FloatArray,
                  box: Bbox | None = None) -> FloatArray:
        """Data to points (N × 2); non-finite or non-positive (log) values become NaN."""
        box = box or self.box
        px = box.x0 + x_axis.fraction(np.asarray(xs, dtype=np.float64)) * box.width
        py = box.y0 + y_axis.fraction(np.asarray(ys, dtype=np.float64)) * box.height
        return np.column_stack([px, py])

    # ---------------------------------------------------------------- primitives

    def _gc(self, colour: str, linewidth: float = 1.0, *, clip: Bbox | None = None,
            capstyle: Any = "round", joinstyle: Any = "round",
            dashes: tuple[float, Sequence[float]] | None = None, gid: str | None = None) -> GraphicsContextBase:
        gc = GraphicsContextBase()
        gc.set_foreground(colour)
        gc.set_linewidth(linewidth)
        gc.set_capstyle(capstyle)
        gc.set_joinstyle(joinstyle)
        if clip is not None:
            gc.set_clip_rectangle(clip)
        if dashes is not None:
            gc.set_dashes(dashes[0], list(dashes[1]))
        if gid is not None:
            gc.set_gid(gid)  # type: ignore[arg-type]  # an SVG id; matplotlib's stub says int
        return gc

    def rect(self, bbox: Bbox, fill: str, *, gid: str = "patch", edge: str | None = None,
             linewidth: float = 0.0) -> None:
        self.group(gid)
        path = MplPath([[bbox.x0, bbox.y0], [bbox.x1, bbox.y0], [bbox.x1, bbox.y1], [bbox.x0, bbox.y1],
                        [bbox.x0, bbox.y0]], closed=True)
        gc = self._gc(edge or fill, linewidth if edge else 0.0, joinstyle="miter")
        if edge is None:
            gc.set_linewidth(0.0)
        self.renderer.draw_path(gc, path, IdentityTransform(), fill if edge is None else None)
        self.end()

    def line(self, points: FloatArray, colour: str, linewidth: float, *, gid: str | None = None,
             clip: Bbox | None = None, dashes: tuple[float, Sequence[float]] | None = None,
             capstyle: str = "round") -> None:
        """A polyline through ``points`` (N × 2, points); a NaN breaks it (a gap)."""
        self.group("line2d", gid)
        if len(points):
            gc = self._gc(colour, linewidth, clip=clip, dashes=dashes, capstyle=capstyle)
            self.renderer.draw_path(gc, MplPath(points), IdentityTransform())
        self.end()

    def markers(self, points: FloatArray, marker: str | int, size_pt: float, colour: str, *,
                gid: str | None = None, edge_width: float = 1.0, clip: Bbox | None = None,
                fill: str | None = None) -> None:
        """One marker (matplotlib's ``marker`` code: "o", or a tick mark 0-3) per finite point,
        filled with ``fill``."""
        self.group("line2d", gid)
        finite = points[np.isfinite(points).all(axis=1)] if len(points) else points
        if len(finite):
            style = MarkerStyle(marker)
            transform = style.get_transform() + Affine2D().scale(size_pt)
            gc = self._gc(colour, edge_width, clip=clip, capstyle="butt", joinstyle="miter")
            self.renderer.draw_markers(gc, style.get_path(), transform, MplPath(finite), IdentityTransform(), fill)
        self.end()

    def text(self, x: float, y: float, text: str, colour: str, size_pt: float, *, ha: HAlign = "center",
             va: VAlign = "baseline", rotation: int = 0, gid: str | None = None) -> None:
        """``text`` anchored at (x, y) points as :class:`matplotlib.text.Text` places one line (for a
        rotated text: ``rotation_mode="anchor"``, as axis labels use), written as matplotlib's SVG
        backend writes text with ``svg.fonttype: path``: a comment with the text, then one ``<use>``
        per glyph of shared ``<defs>`` (each glyph defined once per file)."""
        width, ascent, descent = text_box(text, size_pt)
        dx = {"left": 0.0, "center": -width / 2, "right": -width}[ha]
        dy = {"top": -ascent, "center": (descent - ascent) / 2, "center_baseline": -ascent / 2,
              "baseline": 0.0, "bottom": descent}[va]
        if rotation == 90:  # rotate the offset with the text
            dx, dy = -dy, dx
        self.group("text", gid)
        writer = self.writer
        writer.comment(text)
        scale = size_pt / TextToPath.FONT_SCALE
        transform = f"translate({_num(x + dx)} {_num(self.height - (y + dy))})"
        if rotation:
            transform += f" rotate({_num(-rotation)})"
        writer.start("g", style=f"fill: {colour}", transform=transform + f" scale({_num(scale)} {_num(-scale)})")
        glyph_info, glyph_paths = _glyphs(text)
        new = [name for name in dict.fromkeys(name for name, *_ in glyph_info) if name not in self._glyphs]
        if new:
            writer.start("defs")
            for name in new:
                writer.element("path", id=name, d=glyph_paths[name], transform="scale(0.015625)")
                self._glyphs.add(name)
            writer.end("defs")
        for name, x_glyph, y_glyph, glyph_scale in glyph_info:
            parts = []
            if x_glyph or y_glyph:
                parts.append(f"translate({_num(x_glyph)} {_num(y_glyph)})")
            if glyph_scale != 1:
                parts.append(f"scale({_num(glyph_scale)})")
            attrib = {"xlink:href": f"#{name}"}
            if parts:
                attrib["transform"] = " ".join(parts)
            writer.element("use", attrib=attrib)
        writer.end("g")
        self.end()

    def tick_mark(self, x: float, y: float, marker: int, length: float, width: float, colour: str) -> None:
        """One tick mark (matplotlib's TICKLEFT 0, TICKRIGHT 1, TICKDOWN 3) at (x, y) points, as a
        ``<use>`` of a marker defined once per file, like matplotlib's ``draw_markers``."""
        dx, dy = {0: (-length, 0.0), 1: (length, 0.0), 3: (0.0, length)}[marker]
        stroke = f"stroke: {colour}; stroke-width: {_num(width)}"
        key = (marker, length, stroke)
        writer = self.writer
        self.group("line2d")
        name = self._marks.get(key)
        if name is None:
            name = "m" + hashlib.sha256(f"{rcParams['svg.hashsalt']}{key}".encode()).hexdigest()[:10]
            writer.start("defs")
            writer.element("path", id=name, d=f"M 0 0 \nL {_num(dx)} {_num(dy)} \n", style=stroke)
            writer.end("defs")
            self._marks[key] = name
        writer.start("g")
        writer.element("use", attrib={"xlink:href": f"#{name}", "x": _num(x), "y": _num(self.height - y),
                                      "style": f"fill: {colour}; {stroke}"})
        writer.end("g")
        self.end()

    def image(self, rgba: npt.NDArray[np.uint8], bbox: Bbox, *, gid: str, clip: Bbox | None = None) -> None:
        """An RGBA image (row 0 at the bottom) stretched over ``bbox`` at its own pixel size, drawn
        crisp (each cell a rectangle), as ``imshow(..., interpolation="none")`` draws in SVG."""
        gc = self._gc("#000000", clip=clip, gid=gid)
        transform = Affine2D().scale(bbox.width, bbox.height)
        self.renderer.draw_image(gc, bbox.x0, bbox.y0, np.ascontiguousarray(rgba), transform)

    def frame(self, colour: str, linewidth: float, box: Bbox | None = None) -> None:
        """The four spines around the box."""
        box = box or self.box
        sides = ((box.x0, box.y0, box.x0, box.y1), (box.x1, box.y0, box.x1, box.y1),
                 (box.x0, box.y0, box.x1, box.y0), (box.x0, box.y1, box.x1, box.y1))
        for x0, y0, x1, y1 in sides:
            self.group("patch")
            gc = self._gc(colour, linewidth, capstyle="projecting", joinstyle="miter")
            self.renderer.draw_path(gc, MplPath([[x0, y0], [x1, y1]]), IdentityTransform())
            self.end()

    # ---------------------------------------------------------------- axes

    def ticks(self, which: Literal["x", "y"], axis: Axis, major: Sequence[float], labels: Sequence[str], *,
              minor: Sequence[float] = (), tick_colour: str, label_colour: str, grid_colour: str | None,
              label_size_pt: float, side: Literal["left", "right", "bottom"] | None = None,
              box: Bbox | None = None, grid_width: float = 0.6) -> float:
        """Major ticks (with labels and, given ``grid_colour``, grid lines) and minor ticks of one
        axis; returns how far the labels reach from the box edge (points), for the axis label.

        Drawn once per process for each axis and plot state (see :meth:`cached`): most files of a
        catalogue share their frequency axis, and many their level and time axes.
        """
        box = box or self.box
        key = ("ticks", which, axis, tuple(major), tuple(labels), tuple(minor), tick_colour, label_colour,
               grid_colour, label_size_pt, side, tuple(box.bounds), grid_width, tuple(self.box.bounds),
               self.width, self.height)
        return float(self.cached(key, lambda: self._draw_ticks(
            which, axis, major, labels, minor=minor, tick_colour=tick_colour, label_colour=label_colour,
            grid_colour=grid_colour, label_size_pt=label_size_pt, side=side, box=box, grid_width=grid_width)))

    def _draw_ticks(self, which: Literal["x", "y"], axis: Axis, major: Sequence[float], labels: Sequence[str], *,
                    minor: Sequence[float], tick_colour: str, label_colour: str, grid_colour: str | None,
                    label_size_pt: float, side: Literal["left", "right", "bottom"] | None, box: Bbox,
                    grid_width: float) -> float:
        side = side or ("bottom" if which == "x" else "left")
        ends = ((box.y0, box.y1) if which == "x" else (box.x0, box.x1))
        self.group("matplotlib.axis")
        reach = 0.0
        clip = self.box
        shown = [(v, label) for v, label in zip(major, labels, strict=True) if axis.contains(v)]
        for value, label in shown:
            position = self._position(which, axis, value, box)
            self.group(f"{which}tick")
            if grid_colour is not None:
                grid = ([[position, ends[0]], [position, ends[1]]] if which == "x"
                        else [[ends[0], position], [ends[1], position]])
                self.line(np.array(grid), grid_colour, grid_width, clip=clip)
            self._tick_mark(which, side, position, box, MAJOR_TICK_PT, MAJOR_TICK_WIDTH_PT, tick_colour)
            offset = MAJOR_TICK_PT + TICK_PAD_PT
            if side == "bottom":
                self.text(position, box.y0 - offset, label, label_colour, label_size_pt, ha="center", va="top")
                _, ascent, descent = text_box(label, label_size_pt)
                reach = max(reach, offset + ascent + descent)
            else:
                x = box.x0 - offset if side == "left" else box.x1 + offset
                self.text(x, position, label, label_colour, label_size_pt,
                          ha="right" if side == "left" else "left", va="center_baseline")
                reach = max(reach, offset + text_box(label, label_size_pt)[0])
            self.end()
        for value in minor:
            if not axis.contains(value):
                continue
            position = self._position(which, axis, value, box)
            self.group(f"{which}tick")
            self._tick_mark(which, side, position, box, MINOR_TICK_PT, MINOR_TICK_WIDTH_PT, tick_colour)
            self.end()
        self.end()
        return reach

    def _position(self, which: str, axis: Axis, value: float, box: Bbox) -> float:
        fraction = float(axis.fraction(np.array([value]))[0])
        return float(box.x0 + fraction * box.width if which == "x" else box.y0 + fraction * box.height)

    def _tick_mark(self, which: str, side: str, position: float, box: Bbox, length: float, width: float,
                   colour: str) -> None:
        marker = {"bottom": 3, "left": 0, "right": 1}[side]  # TICKDOWN, TICKLEFT, TICKRIGHT
        x, y = (position, box.y0) if which == "x" else (box.x0 if side == "left" else box.x1, position)
        self.tick_mark(x, y, marker, length, width, colour)


@cache
def text_box(text: str, size_pt: float) -> tuple[float, float, float]:
    """(width, ascent, descent) of one line in points, at least the font's ascent and descent."""
    width, height, descent = _TEXT_TO_PATH.get_text_width_height_descent(text, font(size_pt), ismath=False)
    min_ascent, min_descent = _font_ascent_descent(size_pt)
    return width, max(height - descent, min_ascent), max(descent, min_descent)


_TEXT_TO_PATH = TextToPath()


def _num(value: float) -> str:
    """A number as matplotlib's SVG backend writes it (six decimals, trailing zeros dropped)."""
    text = f"{value:f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@cache
def _glyphs(text: str) -> tuple[list[tuple[str, float, float, float]], dict[str, str]]:
    """The glyphs of ``text`` in DejaVu Sans at matplotlib's text-to-path scale: (glyph id, x, y,
    scale) per glyph, and each glyph's path data; computed once per process and text."""
    face = get_font(findfont(font(10.0)))
    face.set_size(TextToPath.FONT_SCALE, TextToPath.DPI)
    info, glyph_map, _ = _TEXT_TO_PATH.get_glyphs_with_font(face, text, return_new_glyphs_only=False)
    paths = {name: _path_data(MplPath(vertices * 64, codes)) for name, (vertices, codes) in glyph_map.items()}
    return [(str(name), float(x), float(y), float(scale)) for name, x, y, scale in info], paths


_COMMANDS = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q", MplPath.CURVE4: "C"}


def _path_data(path: MplPath) -> str:
    parts = []
    for vertices, code in path.iter_segments(simplify=False, curves=True):
        if code == MplPath.CLOSEPOLY:
            parts.append("z\n")
        else:
            numbers = " ".join(_num(float(v)) for v in vertices)
            parts.append(f"{_COMMANDS[code]} {numbers} \n")
    return "".join(parts)


def linear_ticks(low: float, high: float, *, nbins: int = 9,
                 steps: Sequence[float] = (1, 2, 2.5, 5, 10), integer: bool = False) -> list[float]:
    """Tick values of matplotlib's :class:`~matplotlib.ticker.MaxNLocator` for the interval."""
    from matplotlib.ticker import MaxNLocator

    locator = MaxNLocator(nbins=nbins, steps=list(steps), integer=integer)
    return [float(v) for v in locator.tick_values(low, high)]


def tick_labels(values: Sequence[float]) -> list[str]:
    """Labels as matplotlib's ScalarFormatter writes them for ordinary ranges: the fewest decimals
    that tell every tick apart, shared by all, with a true minus sign."""
    decimals = 0
    while decimals < 6 and any(abs(round(v, decimals) - v) > 1e-9 * max(1.0, abs(v)) for v in values):
        decimals += 1
    labels = []
    for value in values:
        text = f"{value:.{decimals}f}"
        if float(text) == 0.0:
            text = text.lstrip("-")
        labels.append(text.replace("-", "\u2212"))
    return labels
