"""The disclosure macros render plain data to accessible, escaped HTML; the CSS colours meet WCAG AA."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from jinja2 import Environment, PackageLoader, StrictUndefined

from disclosure_factory import asset, brand, stage
from sonicguide.core.judge import policy, rules
from sonicguide.core.judge.credentials import _result
from sonicguide.core.load.model import Brand


def with_derived(model: Brand) -> tuple[Brand, dict[str, dict[str, Any]]]:
    """The model and its derived disclosures, as the judging passes them."""
    return model, rules.derive_brand(model)

HOSTILE = '<script>alert("pwned")</script>'


@pytest.fixture(scope="module")
def env() -> Environment:
    return Environment(
        loader=PackageLoader("sonicguide", "templates"), autoescape=True, undefined=StrictUndefined
    )


def render(env: Environment, call: str, **data: Any) -> BeautifulSoup:
    names = "asset_disclosure, brand_spectrum, lineage_tree, policy_results, credentials_state"
    source = f'{{% from "disclosure/macros.html" import {names} %}}{call}'
    return BeautifulSoup(env.from_string(source).render(**data), "html.parser")


def _hostile_asset() -> dict[str, Any]:
    return rules.derive_asset(
        asset(
            "logo",
            stages={
                "composition": {
                    "mode": "human",
                    "contributors": [{"name": HOSTILE, "role": "composer & <b>lead</b>"}],
                },
                "vocal_performance": stage(
                    "human",
                    notes="Sung live",
                    segments=[
                        {
                            "start_s": "0:12",
                            "end_s": "0:20",
                            "mode": "ai-generated",
                            "description": "AI backing vocals",
                        }
                    ],
                ),
                "mastering": "ai-assisted",
            },
            approval={"by": "Ada Moreau", "role": "music director", "date": "2026-03-02"},
            certifications=[{"scheme": "Fairly Trained", "status": "independently-verified"}],
            evidence=[{"kind": "stem", "name": "vox.wav", "sha256": "ab" * 32}],
        )
    )


def test_hostile_contributor_text_is_escaped(env: Environment) -> None:
    soup = render(env, "{{ asset_disclosure(a) }}", a=_hostile_asset())
    assert soup.find("script") is None and soup.find("b") is None
    assert HOSTILE in soup.get_text()
    assert "composer & <b>lead</b>" in soup.get_text()


def test_asset_disclosure_shows_every_stage_with_mode_people_tools_and_segments(env: Environment) -> None:
    soup = render(env, "{{ asset_disclosure(a, heading_level=3) }}", a=_hostile_asset())
    section = soup.find("section", id="sg-disclosure-logo")
    assert isinstance(section, Tag) and section.find("h3") is not None
    table = section.find("table")
    assert isinstance(table, Tag) and table.find("caption") is not None
    rows = table.find("tbody").find_all("tr")
    assert [r.find("th").get_text(strip=True) for r in rows] == [
        "Composition",
        "Vocal performance",
        "Production",
        "Mixing",
        "Mastering",
    ]
    assert [r.find(class_="sg-badge").get_text() for r in rows] == [
        "Human", "Human", "Not applicable", "Not applicable", "AI-assisted"]
    # The reason of a not-applicable stage is shown with it.
    assert "Reason: not part of this test case" in rows[2].get_text(" ", strip=True)
    vocals = rows[1].get_text(" ", strip=True)
    assert (
        "0:12" in vocals and "0:20" in vocals and "AI-generated" in vocals and "AI backing vocals" in vocals
    )
    tools = rows[4].get_text(" ", strip=True)
    assert "Tonewright 2.1" in tools and "Tonewright Labs" in tools and "Licensed catalogue" in tools
    assert "Fairly Trained (Licensed Model)" in tools
    text = section.get_text(" ", strip=True)
    assert "compositeWithTrainedAlgorithmicMedia" in text
    assert "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia" in text
    assert section.find("a") is None  # link-free: the URI is text
    assert "Approved by Ada Moreau (music director) on 2026-03-02" in text
    assert (
        section.find(class_="sg-tier--human-directed-ai-assisted").get_text() == "Human-directed, AI-assisted"
    )
    assert "ab" * 32 in text
    assert "AI training and data mining: not allowed" in text
    assert section.find(class_="sg-c2pa--not-checked") is not None


def test_self_declared_and_verified_look_different(env: Environment) -> None:
    verified = render(env, "{{ asset_disclosure(a) }}", a=_hostile_asset())
    plain = render(env, "{{ asset_disclosure(a) }}", a=rules.derive_asset(asset(stages={"composition": "human"})))
    badge = verified.find(class_="sg-verification")
    assert "sg-badge--verified" in badge["class"] and badge.get_text() == "Verified by Fairly Trained"
    badge = plain.find(class_="sg-verification")
    assert "sg-badge--outlined" in badge["class"] and badge.get_text() == "Self-declared"


@pytest.mark.parametrize(
    ("state", "css"),
    [
        ("trusted", "sg-badge--verified"),
        ("invalid", "sg-badge--invalid"),
        ("valid-untrusted", "sg-badge--warning"),
        ("none", "sg-badge--outlined"),
    ],
)
def test_credentials_states_and_contradictions(env: Environment, state: str, css: str) -> None:
    found = _result(
        state,
        "because" if state != "trusted" else None,
        signer={"common_name": HOSTILE, "issuer": "Test CA", "algorithm": "Es256", "time": None},
        actions=[
            {
                "action": "c2pa.created",
                "software_agent": None,
                "description": None,
                "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
            }
        ],
    )
    soup = render(env, "{{ credentials_state(c, ['logo: the manifest says <i>AI</i>']) }}", c=found)
    block = soup.find(class_=f"sg-c2pa--{state}")
    assert block is not None and css in block.find(class_="sg-badge")["class"]
    assert soup.find("script") is None and soup.find("i") is None
    assert "digitalCapture" in block.get_text() and "the manifest says <i>AI</i>" in block.get_text()


def _summary_brand() -> Any:
    logo = asset("logo", stages={"composition": "human", "instrumental_performance": "human"})
    theme = asset(
        "theme",
        role="theme",
        stages={
            "composition": "human",
            "vocal_performance": stage(
                "human", segments=[{"start_s": 1, "end_s": 2, "mode": "ai-generated", "description": "x"}]
            ),
        },
    )
    variant = asset(
        "theme-alt",
        role="variant",
        variant_of="theme",
        stages={"composition": "human", "variant_generation": "ai-generated"},
        approval={"by": HOSTILE, "date": "2026-03-02"},
    )
    return brand(
        [logo, theme, variant],
        target="human-made",
        rules=[
            {"statement": "The logo is human-made.", "roles": ["logo"], "at_most": "human"},
            {
                "statement": "No generated variants.",
                "stages": ["variant_generation"],
                "at_most": "ai-assisted",
            },
        ],
    )


def test_spectrum_is_a_table_with_text_in_every_cell_and_a_legend(env: Environment) -> None:
    summary = rules.brand_summary(*with_derived(_summary_brand()))
    soup = render(env, "{{ brand_spectrum(s) }}", s=summary)
    table = soup.find("table", class_="sg-spectrum")
    headers = [th.get_text() for th in table.find("thead").find_all("th")]
    assert headers == [
        "Asset",
        "Composition",
        "Instrumental performance",
        "Vocal performance",
        "Production",
        "Sound design",
        "Mixing",
        "Mastering",
        "Variant generation",
        "Tier",
    ]
    cells = table.find_all("td", class_="sg-cell")
    assert len(cells) == 3 * 8
    for cell in cells:
        mode = next(c for c in cell["class"] if c.startswith("sg-mode--")).removeprefix("sg-mode--")
        label = cell.find(class_="sg-visually-hidden").get_text()
        assert label.startswith(
            {"human": "Human", "ai-generated": "AI-generated", "undeclared": "Not declared",
             "not-applicable": "Not applicable"}[mode]
        )
        assert cell.find(attrs={"aria-hidden": "true"}).get_text()
    theme_vocals = table.find("tbody").find_all("tr")[1].find_all("td")[2]
    assert theme_vocals.get_text() == "H*Human, with 1 time segment done differently"
    legend = soup.find("ul", class_="sg-legend")
    assert {li.find("strong").get_text() for li in legend.find_all("li") if li.find("strong")} == {
        "Human",
        "AI-assisted",
        "AI-generated",
        "Not applicable",
        "Undisclosed",
        "Not declared",
    }
    assert "Below its target" in soup.get_text() and "our estimate" in soup.get_text()
    footer = [td.get_text() for td in table.find("tfoot").find_all("td")]
    assert footer == ["3", "1", "1", "0", "0", "0", "0", "0", ""]
    assert soup.find(class_="sg-verification").get_text() == "Self-declared"


def test_policy_breaches_are_highlighted_with_text(env: Environment) -> None:
    soup = render(env, "{{ policy_results(r) }}", r=policy.check_policy(*with_derived(_summary_brand())))
    items = soup.find("ul", class_="sg-policy").find_all("li", recursive=False)
    states = [(li["class"][0], li.find(class_="sg-badge").get_text()) for li in items]
    assert states == [
        ("sg-policy--breach", "Breached"),
        ("sg-policy--ok", "Kept"),
        ("sg-policy--breach", "Breached"),
    ]
    assert "theme-alt (Theme Alt), variant generation: ai-generated" in items[2].get_text()


def test_lineage_is_nested_lists_with_escaped_approvals(env: Environment) -> None:
    soup = render(env, "{{ lineage_tree(n) }}", n=rules.lineage(*with_derived(_summary_brand())))
    top = soup.find("ul", class_="sg-lineage")
    roots = top.find_all("li", recursive=False)
    assert [li.find(class_="sg-lineage__title").get_text() for li in roots] == ["Logo", "Theme"]
    child = roots[1].find("ul").find("li")
    assert child.find(class_="sg-lineage__title").get_text() == "Theme Alt"
    assert HOSTILE in child.find(class_="sg-lineage__approval").get_text()
    assert soup.find("script") is None


# --------------------------------------------------------------------------------------------
# Colour contrast (WCAG 2.x relative luminance)

PAGE_BACKGROUND = {"light": "#ffffff", "slate": "#1e2029"}  # Material: #fff and hsl(225 15% 14%)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _palettes() -> dict[str, dict[str, str]]:
    css = resources.files("sonicguide").joinpath("assets/css/disclosure.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    blocks = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    palettes: dict[str, dict[str, str]] = {}
    for selector, body in blocks:
        scheme = "slate" if "slate" in selector else "light" if ":root" in selector else None
        if scheme:
            palettes[scheme] = dict(re.findall(r"--sg-([\w-]+):\s*(#[0-9a-fA-F]{6})", body))
    return palettes


def test_reference_contrast_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "slate"])
def test_every_colour_pair_meets_wcag_aa(scheme: str) -> None:
    palette = _palettes()[scheme]
    pairs = [
        name.removesuffix("-fg") for name in palette if name.endswith("-fg") and f"{name[:-3]}-bg" in palette
    ]
    assert len(pairs) >= 9
    for name in pairs:
        assert contrast(palette[f"{name}-fg"], palette[f"{name}-bg"]) >= 4.5, (scheme, name)
    for name in ("outline-fg", "warning-outline-fg", "undeclared-fg"):  # drawn on the page itself
        assert contrast(palette[name], PAGE_BACKGROUND[scheme]) >= 4.5, (scheme, name)
    assert palette.keys() == _palettes()["light" if scheme == "slate" else "slate"].keys()
