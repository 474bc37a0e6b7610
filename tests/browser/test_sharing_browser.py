"""Browsing and sharing in headless Chromium: gallery filters (also after instant navigation),
copy-a-link forms, axe-core on the gallery and comparison pages, and the offline build opened
from disk (file://) with Material's search answering a brand name, no request leaving the machine."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sharingsite import make_sharing_project
from sitehelpers import build_site
from test_sharing import build_offline

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, serve_directory: Any) -> str:
    site = build_site(make_sharing_project(tmp_path_factory.mktemp("sharing-served")))
    return serve_directory(site)


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_offline(tmp_path_factory.mktemp("sharing-offline"))


def visible_cards(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "[data-sg-card]:not([hidden]) h2", "els => els.map(e => e.textContent.trim())"
    )


def test_filters_narrow_the_gallery_and_announce_the_count(served: str, open_page: Any) -> None:
    page = open_page(served)
    form = page.locator("form[data-sg-filters]")
    expect(form).to_be_visible()
    status = page.locator("[data-sg-filter-status]")
    expect(status).to_have_text("2 brands shown")
    page.get_by_label("Industry").select_option("Games")
    expect(status).to_have_text("1 brand shown")
    assert visible_cards(page) == ["Zeta Games"]
    assert "industry=Games" in page.url
    page.get_by_label("Industry").select_option("")
    page.get_by_label("Sonic attribute").select_option("Warm")
    expect(status).to_have_text("1 brand shown")
    assert visible_cards(page) == ["Acme Sound"]
    page.get_by_label("Origin").select_option("ai-generated")
    expect(status).to_have_text("0 brands shown")
    expect(page.locator("[data-sg-empty]")).to_be_visible()
    page.locator("[data-sg-clear]").click()
    expect(status).to_have_text("2 brands shown")
    assert sorted(visible_cards(page)) == ["Acme Sound", "Zeta Games"]


def test_filters_come_back_from_the_address_and_after_instant_navigation(served: str, open_page: Any) -> None:
    page = open_page(served + "?attribute=Playful")
    expect(page.locator("[data-sg-filter-status]")).to_have_text("1 brand shown")
    assert visible_cards(page) == ["Zeta Games"]
    # Material's instant navigation swaps the page without a load event; gallery.js runs on document$.
    page.locator("[data-sg-card]:not([hidden]) h2 a").click()
    page.wait_for_url("**/zeta/")
    page.go_back()
    page.wait_for_url("**/?attribute=Playful")
    expect(page.locator("form[data-sg-filters]")).to_be_visible()
    page.get_by_label("Industry").select_option("Retail banking")
    expect(page.locator("[data-sg-filter-status]")).to_have_text("0 brands shown")


def test_copy_link_builds_a_start_time_link(served: str, open_page: Any) -> None:
    page = open_page(served + "acme/")
    form = page.locator('form[data-sg-share-link][data-asset-id="theme"]')
    # The share links sit in a collapsed section: open it as a reader does.
    page.locator("details#sg-asset-links > summary").click()
    expect(form).to_be_visible()
    form.locator("input").fill("0:05")
    form.get_by_role("button").click()
    page.wait_for_function(
        "document.querySelector('form[data-sg-share-link][data-asset-id=\"theme\"]').dataset.sgLink"
    )
    link = form.get_attribute("data-sg-link")
    assert link == served + "acme/?t=5#theme"
    assert form.locator("[role=status]").text_content() in {"Link copied.", link}


@pytest.mark.parametrize("path", ["", "compare/"])
def test_gallery_and_comparison_pass_axe(served: str, open_page: Any, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(served + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []


def test_offline_build_searches_from_disk(
    offline_site: Path, open_page: Any, requests_seen: list[str]
) -> None:
    page = open_page((offline_site / "index.html").as_uri())
    expect(page.locator("form[data-sg-filters]")).to_be_visible()
    search = page.locator("input.md-search__input")
    search.click()
    result = page.locator(".md-search-result__item", has_text="Zeta Games").first
    # The index loads in an iframe "worker" (the iframe-worker shim); a query typed before it is
    # ready is not answered, so type again until it is (within about 15 s).
    deadline = time.monotonic() + 15
    while True:
        search.fill("")
        page.keyboard.type("Zeta", delay=50)
        try:
            expect(result).to_be_visible(timeout=1500)
            break
        except AssertionError:
            assert time.monotonic() < deadline, "search never answered"
    href = result.locator("a").first.get_attribute("href")
    assert href is not None and "zeta/index.html" in href
    assert all(url.startswith(("file:", "data:", "blob:", "about:")) for url in requests_seen), requests_seen
    # The result leads to the brand page on disk.
    result.locator("a").first.click()
    page.wait_for_url("**/zeta/index.html*")
    expect(page.locator("h1")).to_have_text("Zeta Games")
