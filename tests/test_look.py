"""Brand colours: WCAG 2.2 contrast against independent reference values, accessible variants,
and the warning (with file:line:column and field) when a colour is replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from sonicguide.core.judge import look
from sonicguide.core.judge.findings import Kind, Severity
from sonicguide.core.judge.report import judge_brand
from sonicguide.core.load.brand import LoadedBrand
from sonicguide.core.load.model import Look
from sonicguide.core.load.yamlload import Document


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    # The well-known threshold pair: #777777 on white is 4.48:1 (fails AA), #767676 4.54:1.
    ("#777777", "#ffffff", 4.48),
    ("#767676", "#ffffff", 4.54),
])
def test_contrast_ratio_matches_reference_values(first: str, second: str, expected: float) -> None:
    assert look.contrast_ratio(first, second) == pytest.approx(expected, abs=0.01)
    assert look.contrast_ratio(second, first) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("background", ["#ffffff", "#1e2129"])
@pytest.mark.parametrize("colour", ["#ffeb3b", "#e91e63", "#4dd0e1", "#777777", "#000080", "#808000"])
def test_accessible_variant_passes_and_keeps_passing_colours(colour: str, background: str) -> None:
    variant = look.accessible_variant(colour, background)
    assert look.contrast_ratio(variant, background) >= look.AA_TEXT_RATIO
    if look.contrast_ratio(colour, background) >= look.AA_TEXT_RATIO:
        assert variant == colour


def test_failing_colours_are_replaced_and_reported() -> None:
    colours = look.brand_colours("#ffeb3b", "#0b6e4f", "#0b6e4f")  # yellow under white text; dark green on slate
    assert [a.field for a in colours.adjustments] == ["primary", "accent_dark"]
    assert look.contrast_ratio(colours.light["primary"], "#ffffff") >= 4.5
    assert colours.light["accent"] == "#0b6e4f"  # passes on white: unchanged
    assert look.contrast_ratio(colours.dark["accent"], look.BACKGROUNDS["dark"]) >= 4.5


def test_accent_without_a_dark_variant_is_derived_silently() -> None:
    colours = look.brand_colours(None, "#1f5c99")
    assert colours.adjustments == []
    assert colours.light == {"accent": "#1f5c99"}
    assert look.contrast_ratio(colours.dark["accent"], look.BACKGROUNDS["dark"]) >= 4.5


def test_a_replaced_colour_is_a_finding_with_the_position_and_field() -> None:
    from test_conformance import make_brand

    base = make_brand()
    brand = base.model_copy(update={"identity": base.identity.model_copy(update={"look": Look(primary="#FFEB3B")})})
    document = Document(file="brands/acme/brand.yml", data={},
                        positions={("identity", "look", "primary"): (7, 14)})
    loaded = LoadedBrand(slug="acme", folder=Path("brands/acme"), source=Path("brands/acme/brand.yml"),
                         brand=brand, document=document)
    report = judge_brand(loaded, {}, {})
    assert report.look is not None and report.look["light"]["accent"] is None
    found = [f for f in report.findings if f.field.startswith("identity.look")]
    assert len(found) == 1
    (finding,) = found
    assert (finding.kind, finding.severity) == (Kind.ACCESSIBILITY, Severity.WARNING)
    assert str(finding).startswith("brands/acme/brand.yml:7:14: identity.look.primary: #FFEB3B has 1.")
    assert "WCAG 2.2 AA needs 4.5:1" in finding.message and str(report.look["light"]["primary"]) in finding.fix


def test_look_fields_refuse_what_is_not_a_hex_colour() -> None:
    with pytest.raises(ValueError, match="pattern"):
        Look(primary="red")
    with pytest.raises(ValueError, match="pattern"):
        Look(accent="#12345")  # type: ignore[call-arg]
