"""Social cards: a 1200 x 630 PNG per brand page for Open Graph and Twitter, drawn at build time.

Drawn with matplotlib's object API (``Figure`` + the Agg canvas; pyplot is never imported) with the
bundled DejaVu Sans font, so nothing is fetched. The bytes are deterministic: the PNG carries no
``Software`` or date text chunk. Text from YAML is drawn with ``parse_math=False`` so a ``$`` in a
brand name is a dollar sign, not TeX.

Cards are cached by content: the key hashes every drawn value, :data:`CARD_VERSION` and the
matplotlib version, so a warm build copies the cached PNG.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sonicguide.core.cache import Cache, make_key, write_entry

#: Bump when the drawing changes; part of every card key.
CARD_VERSION = "1"
WIDTH_PX = 1200
HEIGHT_PX = 630
_DPI = 100
_BACKGROUND = "#1a1c2c"
_FOREGROUND = "#ffffff"
_MUTED = "#c5c8e0"
_ACCENT = "#7fb0ff"


def card_fields(*, name: str, tagline: str | None, industry: str, tier_label: str | None,
                peaks: Sequence[Sequence[float]]) -> dict[str, Any]:
    """Everything a card shows, as plain data (also the card's cache key input).

    ``peaks``: ``[[min, max], ...]`` in -1..1 (the sonic logo's waveform columns), may be empty.
    """
    return {"name": name, "tagline": tagline, "industry": industry, "tier_label": tier_label,
            "peaks": [[round(float(low), 3), round(float(high), 3)] for low, high in peaks]}


def card_png(fields: dict[str, Any]) -> bytes:
    """Draw one card (see :func:`card_fields`); returns PNG bytes of exactly 1200 x 630 pixels."""
    # matplotlib loads only when a card is drawn; a warm build copies cached cards without it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / _DPI, HEIGHT_PX / _DPI), dpi=_DPI, facecolor=_BACKGROUND)
    FigureCanvasAgg(figure)
    figure.text(0.06, 0.86, "Sonic identity guide", color=_ACCENT, fontsize=22, fontweight="bold",
                parse_math=False, va="center")
    name = textwrap.shorten(fields["name"], width=40, placeholder="\u2026")
    figure.text(0.06, 0.70, name, color=_FOREGROUND, fontsize=54 if len(name) <= 22 else 40,
                fontweight="bold", parse_math=False, va="center")
    if fields["tagline"]:
        tagline = "\n".join(textwrap.wrap(fields["tagline"], width=56)[:2])
        figure.text(0.06, 0.52, tagline, color=_MUTED, fontsize=26, parse_math=False, va="center",
                    linespacing=1.3)
    meta = fields["industry"] + (f"  \u00b7  {fields['tier_label']}" if fields["tier_label"] else "")
    figure.text(0.06, 0.08, textwrap.shorten(meta, width=80, placeholder="\u2026"), color=_MUTED,
                fontsize=22, parse_math=False, va="center")
    peaks = fields["peaks"]
    if peaks:
        axes = figure.add_axes((0.06, 0.16, 0.88, 0.22))
        axes.set_axis_off()
        x = list(range(len(peaks)))
        axes.fill_between(x, [p[0] for p in peaks], [p[1] for p in peaks], color=_ACCENT, linewidth=0)
        axes.set_xlim(0, max(1, len(peaks) - 1))
        axes.set_ylim(-1.05, 1.05)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, facecolor=_BACKGROUND,
                   metadata={"Software": None})
    return buffer.getvalue()


def social_card(fields: dict[str, Any], cache: Cache) -> Path:
    """The card for ``fields`` as a cached PNG file (drawn only when not cached yet)."""
    key = make_key("social-card", CARD_VERSION, version("matplotlib"), fields)
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
