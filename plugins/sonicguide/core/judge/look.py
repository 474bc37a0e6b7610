"""A brand's own colours on its pages: WCAG 2.2 contrast checks and accessible variants.

Material draws the header and buttons in ``--md-primary-fg-color`` with white text on top, and
links in ``--md-typeset-a-color`` on the page background. A brand colour takes those roles only
where it keeps WCAG 2.2 AA contrast (SC 1.4.3: 4.5:1 for normal text); where it does not, the
nearest variant of the same hue that does (mixed towards black or white in small steps) is used
instead, and the caller is told so it can warn.

Contrast follows WCAG 2.2's definitions of relative luminance and contrast ratio
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: WCAG 2.2 AA minimum contrast for normal-size text (SC 1.4.3).
AA_TEXT_RATIO = 4.5
WHITE = "#ffffff"
BLACK = "#000000"
#: Material's page backgrounds: default (light) and slate, hsl(225 15% 14%).
BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}
#: Mixing step towards black or white when a colour fails (fraction of the distance).
_STEP = 0.02


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``, 0 (black) to 1 (white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours, 1 to 21."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def accessible_variant(colour: str, against: str, *, ratio: float = AA_TEXT_RATIO) -> str:
    """``colour`` itself when it reaches ``ratio`` against ``against``; otherwise the first mix of
    it towards black (on a light ``against``) or white (on a dark one) that does."""
    if contrast_ratio(colour, against) >= ratio:
        return colour
    target = _rgb(BLACK if relative_luminance(against) > 0.18 else WHITE)
    source = _rgb(colour)
    amount = 0.0
    while amount < 1.0:
        amount = min(1.0, amount + _STEP)
        mixed = _hex(tuple(s + (t - s) * amount for s, t in zip(source, target, strict=True)))  # type: ignore[arg-type]
        if contrast_ratio(mixed, against) >= ratio:
            return mixed
    return _hex(tuple(float(t) for t in target))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Adjustment:
    """A brand colour replaced by an accessible variant in one role."""

    field: str  # "primary", "accent" or "accent_dark"
    role: str  # what the colour was checked as, in words
    given: str
    given_ratio: float
    used: str
    used_ratio: float


@dataclass(frozen=True)
class BrandColours:
    """The colours a brand's pages use in each palette, and the adjustments made to reach AA.

    ``light`` and ``dark`` map ``"primary"`` (header and button background, under white text) and
    ``"accent"`` (links and highlights on the page background) to ``#rrggbb``.
    """

    light: dict[str, str] = field(default_factory=dict)
    dark: dict[str, str] = field(default_factory=dict)
    adjustments: list[Adjustment] = field(default_factory=list)


def brand_colours(primary: str | None, accent: str | None, accent_dark: str | None = None) -> BrandColours:
    """Check a brand's colours in their roles and derive variants that pass.

    ``primary`` is checked under white text (header, buttons; both palettes), ``accent`` on the
    light page background and ``accent_dark`` on the dark one. Without ``accent_dark`` the dark
    palette takes ``accent`` lightened until it passes there, and that is not an adjustment: no
    colour reaches 4.5:1 on both Material backgrounds.
    """
    result = BrandColours()

    def check(name: str, colour: str, against: str, role: str) -> str:
        used = accessible_variant(colour.lower(), against)
        if used != colour.lower():
            result.adjustments.append(Adjustment(name, role, colour, contrast_ratio(colour, against), used,
                                                 contrast_ratio(used, against)))
        return used

    if primary is not None:
        used = check("primary", primary, WHITE, "background of white header and button text")
        result.light["primary"] = result.dark["primary"] = used
    if accent is not None:
        result.light["accent"] = check("accent", accent, BACKGROUNDS["light"], "link colour on the light page")
    if accent_dark is not None:
        result.dark["accent"] = check("accent_dark", accent_dark, BACKGROUNDS["dark"], "link colour on the dark page")
    elif accent is not None:
        result.dark["accent"] = accessible_variant(accent.lower(), BACKGROUNDS["dark"])
    return result


def adjustment_message(adjustment: Adjustment) -> str:
    """What failed and what the pages use instead (the fix is :func:`adjustment_fix`)."""
    return (f"{adjustment.given} has {adjustment.given_ratio:.2f}:1 contrast as the "
            f"{adjustment.role} (WCAG 2.2 AA needs {AA_TEXT_RATIO}:1); the pages use {adjustment.used} "
            f"({adjustment.used_ratio:.2f}:1) instead")


def adjustment_fix(adjustment: Adjustment) -> str:
    return f"give a colour that passes, e.g. {adjustment.used}"


def page_colours(colours: BrandColours) -> dict[str, dict[str, str | None]]:
    """``{"light": {"primary", "accent"}, "dark": {...}}`` for the templates (None where not given)."""
    return {scheme: {"primary": chosen.get("primary"), "accent": chosen.get("accent")}
            for scheme, chosen in (("light", colours.light), ("dark", colours.dark))}
