"""Is a large built site still usable? Sizes of what every visit loads, and a search in Chromium.

For a site built by ``bench/bench_scaling.py --keep-site`` (or any sonicguide site): prints the size
of a brand page, the gallery, the comparison, the sitemap and the search index (raw and gzipped, as a
host would serve it), the links in a brand page's navigation, then serves the site on 127.0.0.1 and,
in headless Chromium (``/usr/bin/chromium`` through Playwright, as the browser tests do), times the
brand page's load and a search for ``--query`` until a result naming it is shown, clicks it and
checks the brand page opens. Nothing leaves the machine.

    python bench/check_large_site.py SITE_DIR [--query "Benchmark Brand 777"] [--slug brand-777]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser.conftest import CHROMIUM, CHROMIUM_ARGS
from browser.server import serving

SECONDARY = b'class="md-sidebar md-sidebar--secondary"'
NAV_LINK = b'class="md-nav__link'


def sizes(site: Path, slug: str) -> None:
    def report(label: str, path: Path) -> None:
        data = path.read_bytes()
        print(f"{label:<28} {len(data) / 2**10:9.0f} KiB  ({len(gzip.compress(data, 6)) / 2**10:7.0f} KiB gzipped)")

    report("a brand page", site / slug / "index.html")
    report("gallery (home)", site / "index.html")
    report("comparison", site / "compare" / "index.html")
    report("sitemap.xml", site / "sitemap.xml")
    report("search index", site / "search" / "search_index.json")
    for label, path in (("navigation links, brand page", site / slug / "index.html"),
                        ("navigation links, gallery", site / "index.html")):
        primary = path.read_bytes().split(SECONDARY)[0]  # the primary sidebar comes first
        print(f"{label:<28} {primary.count(NAV_LINK):9d}")


def browse(site: Path, slug: str, query: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            started = time.perf_counter()
            page.goto(f"{base}{slug}/", wait_until="load")
            print(f"brand page loaded (load event) in {time.perf_counter() - started:.2f} s")
            expect(page.locator("h1")).to_contain_text(query)
            search = page.locator("input.md-search__input")
            started = time.perf_counter()
            search.click()
            # The brand's own page among the results (the comparison names every brand too).
            result = page.locator(f".md-search-result__item:has(a[href*='{slug}/'])", has_text=query).first
            deadline = time.monotonic() + 60
            while True:  # a query typed before the index is ready is not answered: type again
                search.fill("")
                page.keyboard.type(query, delay=20)
                try:
                    expect(result).to_be_visible(timeout=2000)
                    break
                except AssertionError:
                    if time.monotonic() > deadline:
                        raise SystemExit("search never answered within 60 s") from None
            print(f"search for {query!r} answered in {time.perf_counter() - started:.2f} s "
                  "(from the click into the box, index download and indexing included)")
            result.locator("a").first.click()
            page.wait_for_url(f"**/{slug}/**")
            expect(page.locator("h1")).to_contain_text(query)
            print("the brand's result opens its page")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="Benchmark Brand 777")
    parser.add_argument("--slug", default="brand-777")
    args = parser.parse_args()
    sizes(args.site, args.slug)
    browse(args.site, args.slug, args.query)


if __name__ == "__main__":
    main()
