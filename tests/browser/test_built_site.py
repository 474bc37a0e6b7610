"""The player on real brand pages: two example brands built with the sonicguide plugin and
Material (instant navigation on), served with HTTP Range support."""

from __future__ import annotations

from typing import Any

import pytest

from .pagehelpers import build_example_site, set_palette
from .test_layout import BYTE_BUDGET

pytestmark = pytest.mark.browser

BRANDS = ("glitchwave", "kestrel-health", "calder-valley-railway")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory, serve_directory: Any) -> str:
    """Base URL of the example site, built in a temp folder."""
    return build_example_site(tmp_path_factory.mktemp("built-site"), serve_directory, brands=BRANDS, strict=False)


def test_every_player_and_comparison_is_enhanced(built_site: str, open_page: Any) -> None:
    for slug in BRANDS:
        page = open_page(built_site + slug + "/")
        page.wait_for_selector(".sg-player--enhanced")
        counts = page.evaluate("""[
            document.querySelectorAll('[data-sg-player]').length,
            document.querySelectorAll('.sg-player--enhanced').length,
            document.querySelectorAll('[data-sg-compare] .sg-compare__ui').length,
            document.querySelectorAll('.sg-compare--enhanced').length,
        ]""")
        assert counts[0] >= 2 and counts[0] == counts[1], (slug, counts)
        assert counts[2] == counts[3], (slug, counts)


def test_comparison_gains_follow_the_measured_loudness(built_site: str, open_page: Any) -> None:
    page = open_page(built_site + BRANDS[0] + "/")
    # The comparison sits in a collapsed section of the brand page: enhanced, not yet shown.
    page.wait_for_selector(".sg-compare--enhanced", state="attached")
    state = page.evaluate("""() => {
        const root = document.querySelector('.sg-compare--enhanced');
        const audios = root.querySelectorAll('.sg-compare__items audio');
        const pick = (slot) => audios[Number(root.querySelector(`select[data-slot=${slot}]`).value)];
        const a = pick('a'), b = pick('b');
        return [Number(a.dataset.integratedLufs), Number(b.dataset.integratedLufs), a.volume, b.volume];
    }""")
    lufs_a, lufs_b, volume_a, volume_b = state
    quieter = min(lufs_a, lufs_b)
    assert volume_a == pytest.approx(10 ** ((quieter - lufs_a) / 20), abs=1e-6)
    assert volume_b == pytest.approx(10 ** ((quieter - lufs_b) / 20), abs=1e-6)


def test_play_seek_and_one_at_a_time(built_site: str, open_page: Any) -> None:
    page = open_page(built_site + BRANDS[0] + "/")
    page.wait_for_selector(".sg-player--enhanced")
    players = page.locator(".sg-player--enhanced")
    first, second = players.nth(0), players.nth(1)
    first.locator(".sg-player__play").click()
    page.wait_for_function("document.querySelectorAll('.sg-player audio')[0].currentTime > 0.2", timeout=15000)
    second.locator(".sg-player__wave").press("End")
    second.locator(".sg-player__wave").press("Home")
    second.locator(".sg-player__play").click()
    page.wait_for_function("document.querySelectorAll('.sg-player audio')[1].currentTime > 0.2", timeout=15000)
    assert page.evaluate("document.querySelectorAll('.sg-player audio')[0].paused") is True


def test_stable_asset_link_with_a_time(built_site: str, open_page: Any) -> None:
    page = open_page(built_site + BRANDS[0] + "/")
    page.wait_for_selector(".sg-player--enhanced")
    asset_id, duration_s = page.evaluate("""() => {
        const player = [...document.querySelectorAll('[data-sg-player]')]
            .find((p) => Number(p.dataset.durationS) > 4);
        return [player.dataset.assetId, Number(player.dataset.durationS)];
    }""")
    page = open_page(f"{built_site}{BRANDS[0]}/?t=2#{asset_id}")
    audio = f"document.querySelector('.sg-player[data-asset-id=\"{asset_id}\"] audio')"
    page.wait_for_function(f"!{audio}.paused && {audio}.currentTime >= 2", timeout=15000)
    assert duration_s > 2
    assert page.evaluate(f"document.getElementById('{asset_id}').contains({audio})") is True


class PageErrorsSeen(AssertionError):
    """Uncaught errors in the page (kept apart so that an expected failure hides nothing else)."""


def test_instant_navigation_between_brand_pages(built_site: str, open_page: Any, page_errors: list[str]) -> None:
    page = open_page(built_site + BRANDS[0] + "/", width=1300)
    page.wait_for_selector(".sg-player--enhanced")
    page.evaluate("window.navigationMarker = 1")
    page.locator(".sg-player--enhanced .sg-player__play").first.click()
    page.wait_for_function("document.querySelector('.sg-player audio').currentTime > 0.2", timeout=15000)
    page.evaluate("window.oldAudio = document.querySelector('.sg-player audio')")
    page.locator(f".md-nav--primary a[href$='{BRANDS[1]}/']").first.click()
    page.wait_for_url(f"**/{BRANDS[1]}/")
    page.wait_for_function("window.oldAudio && !window.oldAudio.isConnected", timeout=15000)
    assert page.evaluate("window.navigationMarker") == 1  # no full page load
    assert page.evaluate("window.oldAudio.paused") is True
    page.wait_for_selector(".sg-player--enhanced")
    live = page.evaluate("window.sonicguidePlayer.players.every((p) => p.root.isConnected)")
    assert live is True
    page.locator(".sg-player--enhanced .sg-player__play").first.click()
    page.wait_for_function("document.querySelector('.sg-player audio').currentTime > 0.2", timeout=15000)
    errors = list(page_errors)
    page_errors.clear()  # reported here, in the test, rather than as a teardown error
    if errors:
        raise PageErrorsSeen(errors)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", ["", *(f"{slug}/" for slug in BRANDS), "methodology/", "compare/"])
def test_axe_finds_nothing_on_whole_pages(built_site: str, open_page: Any, scheme: str, path: str) -> None:
    """WCAG 2.2 A and AA on the home page, every brand page, the methodology and the comparison, in both
    palettes."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(built_site + path, width=1300)
    if path:
        page.wait_for_selector(".sg-player--enhanced, .md-content")
    set_palette(page, scheme)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("slug", BRANDS)
def test_axe_finds_nothing_with_every_section_open(built_site: str, open_page: Any, scheme: str, slug: str) -> None:
    """The whole-page check above sees closed sections as hidden: open every one (delivery packs, logo
    matrix, sound map, asset groups) and check again. The packs' download buttons once kept Material's
    primary colour on slate (1.7:1)."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(built_site + slug + "/", width=1300)
    page.wait_for_selector(".sg-player--enhanced")
    set_palette(page, scheme)
    opened = page.evaluate("(() => { const all = [...document.querySelectorAll('details')];"
                           " all.forEach((d) => { d.open = true; }); return all.length; })()")
    assert opened > 0
    page.wait_for_selector(".sg-pack-download:not([hidden])")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_in_the_players_of_a_brand_page(built_site: str, open_page: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(built_site + BRANDS[0] + "/")
    page.wait_for_selector(".sg-player--enhanced")
    set_palette(page, scheme)
    context = {"include": [[".sg-player"], [".sg-compare"]]}
    results = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


# The brand-page budget stated with every page type's in test_layout.BYTE_BUDGET. Measured
# 2026-12-07 on glitchwave (9 assets): 762 KB uncompressed, of which the page is 243 KB, the search
# index 195 KB, Material's CSS and JS 252 KB and the player's JS and CSS 30 KB.
BRAND_PAGE_BUDGET_BYTES = BYTE_BUDGET["brand"]


def test_brand_page_initial_load_stays_in_budget_and_fetches_no_audio(built_site: str, open_page: Any) -> None:
    finished: list[Any] = []

    def record(page: Any) -> None:
        page.on("requestfinished", lambda request: finished.append(request))

    page = open_page(built_site + BRANDS[0] + "/", setup=record)
    page.wait_for_load_state("networkidle")
    sizes = {request.url: request.sizes()["responseBodySize"] for request in finished}
    audio = [url for url in sizes if "/audio/" in url]
    assert audio == []  # preload="none": no audio until someone presses play
    assert sum(sizes.values()) <= BRAND_PAGE_BUDGET_BYTES, sorted(sizes.items(), key=lambda kv: -kv[1])
