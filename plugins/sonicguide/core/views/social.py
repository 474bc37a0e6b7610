"""Social cards: a 1200 x 630 PNG per brand page for Open Graph and Twitter, drawn at build time.

Drawn with Pillow (``ImageDraw``, FreeType with its basic layout, so no system shaping library
changes the pixels) in the DejaVu Sans that matplotlib bundles, so nothing is fetched. A card used
to be a matplotlib figure printed by Agg: 0.1 s a card and 0.7 s for the first, the largest part
of a cold build's own pages; Pillow draws one in a few hundredths of a second. Text is measured in
the font before it is drawn, so a long name gets a smaller size and, past that, an ellipsis, never
a cut at the card's edge. The waveform is filled at four times the resolution and reduced (an
area-averaged edge, as anti-aliasing gives). The bytes are deterministic: the PNG carries no text
chunk (no ``Software``, no date).

Cards are cached by content: the key hashes every drawn value, :data:`CARD_VERSION` and the Pillow
and matplotlib (font) versions, so a warm build copies the cached PNG.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from sonicguide.core.cache import Cache, make_key, write_entry

#: Bump when the drawing changes; part of every card key.
CARD_VERSION = "2"
WIDTH_PX = 1200
HEIGHT_PX = 630
_BACKGROUND = "#1a1c2c"
_FOREGROUND = "#ffffff"
_MUTED = "#c5c8e0"
_ACCENT = "#7fb0ff"
#: Left margin and widest line of text, pixels.
_LEFT_PX = 72
_TEXT_WIDTH_PX = WIDTH_PX - 2 * _LEFT_PX
#: Type sizes in pixels (the points of the earlier 100 dpi figure times 100/72).
_KICKER_PX = 31
_NAME_PX = (75, 56, 46)
_TAGLINE_PX = 36
_META_PX = 31
#: The waveform's box: left, top, width, height (pixels), drawn over -1.05..1.05.
_WAVE_BOX = (_LEFT_PX, 391, _TEXT_WIDTH_PX, 139)
_SUPERSAMPLE = 4


def card_fields(*, name: str, tagline: str | None, industry: str, tier_label: str | None,
                peaks: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Everything a card shows, as plain data (also the card's cache key input).

    ``peaks``: ``[[min, max], ...]`` in -1..1 (the sonic logo's waveform columns), may be empty.
    """
    return {"name": name, "tagline": tagline, "industry": industry, "tier_label": tier_label,
            "peaks": [[round(float(low), 3), round(float(high), 3)] for low, high in peaks]}


def card_png(fields: dict[str, Any]) -> bytes:
    """Draw one card (see :func:`card_fields`); returns PNG bytes of exactly 1200 x 630 pixels."""
    # Pillow loads only when a card is drawn; a warm build copies cached cards without it.
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH_PX, HEIGHT_PX), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    # Centres of the lines at the heights of the earlier figure (fractions of the card from the bottom).
    draw.text((_LEFT_PX, _from_top(0.86)), "Sonic identity guide", fill=_ACCENT, font=_font(_KICKER_PX, bold=True),
              anchor="lm")
    name_size, name = _fit_name(fields["name"])
    draw.text((_LEFT_PX, _from_top(0.70)), name, fill=_FOREGROUND, font=_font(name_size, bold=True), anchor="lm")
    if fields["tagline"]:
        lines = _wrap(fields["tagline"], _font(_TAGLINE_PX), lines=2)
        step = 1.3 * _TAGLINE_PX  # the line spacing of the earlier figure
        top = _from_top(0.52) - step * (len(lines) - 1) / 2
        for number, line in enumerate(lines):
            draw.text((_LEFT_PX, top + number * step), line, fill=_MUTED, font=_font(_TAGLINE_PX), anchor="lm")
    meta = fields["industry"] + (f" \u00b7 {fields['tier_label']}" if fields["tier_label"] else "")
    draw.text((_LEFT_PX, _from_top(0.08)), _shorten(meta, _font(_META_PX), _TEXT_WIDTH_PX), fill=_MUTED,
              font=_font(_META_PX), anchor="lm")
    if fields["peaks"]:
        _draw_waveform(image, fields["peaks"])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _from_top(fraction_from_bottom: float) -> float:
    return HEIGHT_PX * (1.0 - fraction_from_bottom)


def _draw_waveform(image: Any, peaks: Sequence[Sequence[float]]) -> None:
    """Fill between each column's minimum and maximum, like ``fill_between`` of the earlier figure."""
    from PIL import Image, ImageDraw

    left, top, width, height = _WAVE_BOX
    scale = _SUPERSAMPLE
    mask = Image.new("L", (width * scale, height * scale), 0)
    span = max(1, len(peaks) - 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return (index / span * width * scale, (1.05 - value) / 2.1 * height * scale)

    outline = [point(i, high) for i, (_, high) in enumerate(peaks)]
    outline += [point(i, low) for i, (low, _) in reversed(list(enumerate(peaks)))]
    if len(peaks) == 1:  # one column: a bar one pixel wide
        outline = [(0, outline[0][1]), (scale, outline[0][1]), (scale, outline[1][1]), (0, outline[1][1])]
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    image.paste(_ACCENT, (left, top, left + width, top + height), mask.reduce(scale))


def _fit_name(name: str) -> tuple[int, str]:
    """The largest name size at which ``name`` fits on one line, else the smallest, shortened to fit."""
    for size in _NAME_PX:
        if _font(size, bold=True).getlength(name) <= _TEXT_WIDTH_PX:
            return size, name
    size = _NAME_PX[-1]
    return size, _shorten(name, _font(size, bold=True), _TEXT_WIDTH_PX)


def _wrap(text: str, font: Any, *, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines that fit the card, words kept whole; an ellipsis ends the
    last line when text is left over."""
    words = text.split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and font.getlength(f"{line} {words[0]}") <= _TEXT_WIDTH_PX:
            line += " " + words.pop(0)
        out.append(_shorten(line, font, _TEXT_WIDTH_PX))
    if words and out:
        out[-1] = _shorten(out[-1] + " " + " ".join(words), font, _TEXT_WIDTH_PX, force=True)
    return out


def _shorten(text: str, font: Any, width_px: float, *, force: bool = False) -> str:
    """``text`` if it fits in ``width_px``, else its longest word-boundary prefix that fits with an ellipsis
    (cut inside a word only when its first word alone is too wide)."""
    if not force and font.getlength(text) <= width_px:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:") + "\u2026"
        if font.getlength(candidate) <= width_px:
            return candidate
    word = words[0] if words else ""
    while word and font.getlength(word + "\u2026") > width_px:
        word = word[:-1]
    return word + "\u2026"


@cache
def _font(size_px: int, *, bold: bool = False) -> Any:
    """DejaVu Sans (bold) at ``size_px`` from matplotlib's bundled fonts (found without importing matplotlib)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(_font_dir() / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size_px,
                              layout_engine=ImageFont.Layout.BASIC)


def _font_dir() -> Path:
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - matplotlib is a dependency
        raise RuntimeError("social cards need matplotlib's bundled DejaVu fonts")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def social_card(fields: dict[str, Any], cache: Cache) -> Path:
    """The card for ``fields`` as a cached PNG file (drawn only when not cached yet)."""
    key = make_key("social-card", CARD_VERSION, version("pillow"), version("matplotlib"), fields)
    path = cache.entry_path("social", key, ".png")
    if path is None:  # pragma: no cover - SiteBuild always gives the cache a folder
        raise RuntimeError("social cards need a cache folder")
    if cache.verified("social", key, ".png") is None:
        write_entry(path, card_png(fields))
    return path


def card_alt(fields: dict[str, Any]) -> str:
    """Text alternative of a card image."""
    parts = [f"{fields['name']}: sonic identity guide"]
    if fields["tagline"]:
        parts.append(fields["tagline"].rstrip(".!? "))
    parts.append(fields["industry"] + (f", {fields['tier_label']}" if fields["tier_label"] else ""))
    if fields["peaks"]:
        parts.append("The waveform of its sonic logo")
    return ". ".join(parts) + "."
