"""The disclosure macros in headless Chromium, light and dark: axe-core finds no violation."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from jinja2 import Environment, PackageLoader, StrictUndefined

from disclosure_factory import asset, brand, stage
from sonicguide.core.judge import policy, rules
from sonicguide.core.judge.credentials import _result
from sonicguide.core.load.model import Brand


def with_derived(model: Brand) -> tuple[Brand, dict[str, dict[str, Any]]]:
    """The model and its derived disclosures, as the judging passes them."""
    return model, rules.derive_brand(model)

pytestmark = pytest.mark.browser

#: Material's page colours: light (default) and slate.
SCHEMES = {
    "default": ("#ffffff", "rgba(0, 0, 0, 0.87)"),
    "slate": ("hsl(225deg 15% 14%)", "hsla(225deg, 15%, 90%, 0.82)"),
}


def _page(scheme: str) -> str:
    env = Environment(
        loader=PackageLoader("sonicguide", "templates"), autoescape=True, undefined=StrictUndefined
    )
    logo = asset(
        "logo",
        stages={
            "composition": {
                "mode": "human",
                "contributors": [{"name": "<script>x</script>", "role": "composer"}],
            },
            "vocal_performance": stage(
                "human",
                segments=[
                    {"start_s": 12, "end_s": 20, "mode": "ai-generated", "description": "AI backing vocals"}
                ],
            ),
            "mastering": "ai-assisted",
        },
        certifications=[{"scheme": "Fairly Trained", "status": "independently-verified"}],
    )
    variant = asset(
        "logo-alt",
        role="variant",
        variant_of="logo",
        stages={"composition": "human", "variant_generation": "ai-generated", "lyrics": "not-applicable"},
        approval={"by": "Ada Moreau", "date": "2026-03-02"},
    )
    model = brand(
        [logo, variant], rules=[{"statement": "Logo human.", "roles": ["logo"], "at_most": "human"}]
    )
    summary = rules.brand_summary(*with_derived(model))
    invalid = _result("invalid", "assertion.dataHash.mismatch")
    body = env.from_string(
        '{% from "disclosure/macros.html" import asset_disclosure, brand_spectrum, lineage_tree, '
        'policy_results %}'
        "<h1>Brand</h1><h2>Disclosure</h2>{{ brand_spectrum(s) }}<h2>Policy</h2>{{ policy_results(p) }}"
        "<h2>Lineage</h2>{{ lineage_tree(l) }}<h2>Assets</h2><h3>Logo</h3>{{ asset_disclosure(a, c, ['x']) }}"
        "<h3>Variant</h3>{{ asset_disclosure(b) }}"
    ).render(
        s=summary,
        p=policy.check_policy(*with_derived(model)),
        l=rules.lineage(*with_derived(model)),
        a=summary["assets"][0],
        c=invalid,
        b=summary["assets"][1],
    )
    css = "".join(resources.files("sonicguide").joinpath(f"assets/css/{name}").read_text(encoding="utf-8")
                  for name in ("sonicguide.css", "disclosure.css"))
    background, colour = SCHEMES[scheme]
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Disclosure</title>'
        f"<style>{css} body {{ background: {background}; color: {colour}; font: 16px sans-serif; }}</style>"
        f'</head><body data-md-color-scheme="{scheme}"><main class="md-typeset">{body}</main></body></html>'
    )


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violation(scheme: str, browser: Any) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.abort())  # nothing may be fetched
        page.set_content(_page(scheme))
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        results = axe_module.Axe().run(page)
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()
