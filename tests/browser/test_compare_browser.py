"""The comparison page in headless Chromium (issue 12, item 6): columns sorted from the keyboard
with aria-sort, the card view and its "Sort by" form at 390 px without sideways scrolling, each
sonic logo playing in place, a plain table without JavaScript, and axe-core in both palettes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from sharingsite import make_sharing_project
from sitehelpers import build_site

from .pagehelpers import set_palette

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ROW_NAMES = "[...document.querySelectorAll('.sg-compare-table tbody th a')].map((a) => a.textContent.trim())"


@pytest.fixture(scope="module")
def compare_url(tmp_path_factory: pytest.TempPathFactory, serve_directory: Any) -> str:
    """The comparison page of a two-brand site: Acme Sound (human-directed, a measured sonic logo)
    and Zeta Games (AI-generated, no sonic logo)."""
    site = build_site(make_sharing_project(tmp_path_factory.mktemp("compare-served")))
    return serve_directory(site) + "compare/"


def sort_state(page: Any) -> dict[str, str]:
    return page.eval_on_selector_all(
        "thead th[aria-sort]",
        "els => Object.fromEntries(els.map((e) => [e.textContent.trim(), e.getAttribute('aria-sort')]))")


def test_headers_sort_from_the_keyboard_with_aria_sort(compare_url: str, open_page: Any) -> None:
    page = open_page(compare_url, width=1280)
    brand = page.get_by_role("button", name="Brand", exact=True)
    expect(brand).to_be_visible()
    assert sort_state(page) == {}
    brand.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(ROW_NAMES) == ["Acme Sound", "Zeta Games"]
    assert sort_state(page) == {"Brand": "ascending"}
    page.keyboard.press("Space")
    assert page.evaluate(ROW_NAMES) == ["Zeta Games", "Acme Sound"]
    assert sort_state(page) == {"Brand": "descending"}
    expect(page.locator("[data-sg-cmp-status]")).to_have_text("Sorted by Brand, descending.")
    # Origin sorts by tier: human-directed (Acme) before AI-generated (Zeta), then reversed.
    page.get_by_role("button", name="Origin", exact=True).press("Enter")
    assert page.evaluate(ROW_NAMES) == ["Acme Sound", "Zeta Games"]
    assert sort_state(page) == {"Origin": "ascending"}
    page.get_by_role("button", name="Origin", exact=True).press("Enter")
    assert page.evaluate(ROW_NAMES) == ["Zeta Games", "Acme Sound"]
    # A brand without a value (Zeta has no sonic logo to measure) goes last in either order.
    measured = page.get_by_role("button", name="Measured loudness", exact=True)
    measured.press("Enter")
    assert page.evaluate(ROW_NAMES) == ["Acme Sound", "Zeta Games"]
    measured.press("Enter")
    assert sort_state(page) == {"Measured loudness": "descending"}
    assert page.evaluate(ROW_NAMES) == ["Acme Sound", "Zeta Games"]
    # Human share sorts highest first on its first press.
    page.get_by_role("button", name="Human share", exact=True).press("Enter")
    assert sort_state(page) == {"Human share": "descending"}
    shares = page.eval_on_selector_all(".sg-compare-table tbody .sg-cmp-human",
                                       "els => els.map((e) => Number(e.dataset.sort))")
    assert shares == sorted(shares, reverse=True)


def test_narrow_screens_get_cards_a_sort_form_and_no_sideways_scrolling(compare_url: str, open_page: Any) -> None:
    page = open_page(compare_url, width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    table = page.locator(".sg-compare-table")
    assert page.evaluate("getComputedStyle(document.querySelector('.sg-compare-table thead')).display") == "none"
    # Every value is labelled inside its card; the cards are no wider than the screen.
    acme = page.locator("tr#cmp-acme")
    for label in ("Sonic logo", "Origin", "Human share", "Loudness target by touchpoint", "Measured loudness"):
        expect(acme.locator(".sg-cmp-label", has_text=label)).to_be_visible()
    box = acme.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    scroll = page.evaluate("(() => { const s = document.querySelector('[data-sg-compare-table]');"
                           " return s.scrollWidth - s.clientWidth; })()")
    assert scroll <= 0
    # The header buttons are out of sight: the "Sort by" form sorts the same way.
    sort_by = page.get_by_label("Sort by")
    expect(sort_by).to_be_visible()
    sort_by.select_option("name:descending")
    assert page.evaluate(ROW_NAMES) == ["Zeta Games", "Acme Sound"]
    sort_by.select_option("name:ascending")
    assert page.evaluate(ROW_NAMES) == ["Acme Sound", "Zeta Games"]
    expect(table.locator("thead th[aria-sort=ascending]")).to_have_count(1)


def test_sonic_logo_plays_in_place(compare_url: str, open_page: Any) -> None:
    page = open_page(compare_url, width=1280)
    play = page.locator("tr#cmp-acme").get_by_role("button", name="Play Acme Sound: Logo")
    expect(play).to_be_visible()
    play.click()
    page.wait_for_function("document.querySelector('tr#cmp-acme audio').currentTime > 0.2", timeout=15000)
    assert page.url == compare_url  # it played here, without leaving the page


def test_without_javascript_it_is_a_plain_table(compare_url: str, open_page: Any) -> None:
    page = open_page(compare_url, javascript=False, width=1280)
    assert page.locator(".sg-compare-table thead button").count() == 0
    assert page.locator("form[data-sg-cmp-sort]").is_hidden()
    assert page.locator(".sg-compare-table tbody tr").count() == 2
    assert page.locator(".sg-compare-table tbody audio[controls]").count() == 1  # the native player


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("palette", ["default", "slate"])
def test_comparison_passes_axe(compare_url: str, open_page: Any, width: int, palette: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(compare_url, width=width)
    set_palette(page, palette)
    if width > 600:  # sorted, so that the header with aria-sort is checked too
        page.get_by_role("button", name="Brand", exact=True).click()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []
