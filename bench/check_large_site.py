"""Is a large built site still usable? Sizes of what every visit loads, the search index by page
type, and the first search in Chromium.

For a site built by ``bench/bench_scaling.py --keep-site`` (or any sonicguide site): prints the size
of a brand page, the gallery, the comparison, the sitemap and the search index (raw and gzipped, as a
host would serve it), the links in a brand page's navigation, then the search index's entries and
bytes by page type (brand pages by section, composer briefs, gallery, comparison, methodology...),
so the cost of each is visible. Then it serves the site on 127.0.0.1 and, in headless Chromium
(``/usr/bin/chromium`` through Playwright, as the browser tests do), ``--runs`` times in a fresh
browser context (nothing cached), opens the brand page, clicks into the search box right after its
``load`` event, types ``--query`` once and times until a result naming it is shown; it clicks it and
checks the brand page opens. Each run also prints when, from the click, Material's search worker got
the parsed index and when it had built its lunr index (read from the messages the page exchanges
with the worker), so the time splits into download and parse, indexing, and the queries; then it
types the query again, once the index is ready (a query per keystroke), and prints how long after
the last keystroke the last one was answered. Nothing leaves the machine.

    python bench/check_large_site.py SITE_DIR [--query "Benchmark Brand 777"] [--slug brand-777] [--runs 2]
        [--no-browser]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser.conftest import CHROMIUM, CHROMIUM_ARGS
from browser.server import serving

SECONDARY = b'class="md-sidebar md-sidebar--secondary"'
NAV_LINK = b'class="md-nav__link'

#: Records, in the page, when Material's search worker is handed the index (SETUP, type 0), when it
#: answers READY (1), and each query (2) and result (3), in ``performance.now()`` milliseconds.
#: Material creates its worker with ``new Worker(url)`` after this runs, so a subclass sees it all.
WORKER_PROBE = """
(() => {
  const marks = window.__sgSearch = { setup: null, ready: null, docs: null, queries: [], results: [] };
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", event => {
        const type = event.data && event.data.type;
        if (type === 1) marks.ready = performance.now();
        if (type === 3) marks.results.push(performance.now());
      });
    }
    postMessage(message, ...rest) {
      const type = message && message.type;
      if (type === 0) { marks.setup = performance.now(); marks.docs = message.data.docs.length; }
      if (type === 2) marks.queries.push(performance.now());
      return super.postMessage(message, ...rest);
    }
  };
})();
"""


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


def page_type(location: str, slugs: set[str]) -> str:
    """The kind of page (and, for a brand page, of section) a search entry's ``location`` is from.

    ``location`` is relative to the site root, with or without directory URLs (``acme/`` or
    ``acme/index.html``, plus ``#anchor`` for a section); ``slugs`` are the brand folders. An
    asset's heading is ``<asset id>-title`` and its disclosure's ``sg-disclosure-<asset id>-title``
    (``templates/brand/page.md``, ``disclosure/macros.html``), so those are counted together.
    """
    path, _, anchor = location.partition("#")
    parts = [part for part in path.removesuffix("index.html").split("/") if part]
    if not parts:
        return "gallery (home): brand cards" if anchor else "gallery (home): intro and filters"
    if parts[0] not in slugs:
        return f"{parts[0]}/"
    if parts[1:] == ["brief"]:
        return "composer briefs"
    if len(parts) > 1:
        return f"brand folders: {'/'.join(parts[1:])}"
    if not anchor:
        return "brand pages: title and intro"
    if anchor.startswith("sg-disclosure-") and anchor.endswith("-title"):
        return "brand pages: how an asset was made"
    if anchor.endswith("-title"):
        return "brand pages: an asset"
    return f"brand pages: #{anchor}"


def index_by_page_type(site: Path) -> None:
    """Print the search index's entries and bytes (of each entry's compact JSON) by page type."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: list[dict[str, Any]] = index["docs"]
    slugs = {path.parent.name for path in site.glob("*/brand.json")}
    entries: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for doc in docs:
        kind = page_type(doc["location"], slugs)
        entries[kind] += 1
        size[kind] += len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    total_bytes = sum(size.values())
    print(f"\nsearch index by page type ({len(docs)} entries, {total_bytes / 2**20:.2f} MiB of entries; "
          f"{len(slugs)} brands):")
    print(f"  {'page type':<44} {'entries':>8} {'per brand':>9} {'KiB':>8} {'share':>6}")
    for kind, count in sorted(entries.items(), key=lambda item: -size[item[0]]):
        per_brand = f"{count / len(slugs):9.2f}" if slugs else f"{'-':>9}"
        print(f"  {kind:<44} {count:8d} {per_brand} {size[kind] / 2**10:8.0f} {size[kind] / total_bytes:6.1%}")


def first_search(browser: Any, base: str, slug: str, query: str, run: int) -> None:
    """One first search in a fresh browser context: nothing cached, the index fetched anew."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.add_init_script(WORKER_PROBE)
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{base}{slug}/", wait_until="load")
        loaded = time.perf_counter() - started
        expect(page.locator("h1")).to_contain_text(query)
        search = page.locator("input.md-search__input")
        started = time.perf_counter()
        clicked_ms = page.evaluate("performance.now()")
        search.click()
        page.keyboard.type(query, delay=20)
        # The brand's own page among the results (the comparison names every brand too). A query
        # typed before the index is ready is sent when it is (Material's READY message re-reads it).
        result = page.locator(f".md-search-result__item:has(a[href*='{slug}/'])", has_text=query).first
        try:
            expect(result).to_be_visible(timeout=120_000)
        except AssertionError:
            raise SystemExit("search never answered within 120 s") from None
        answered = time.perf_counter() - started
        marks = page.evaluate("window.__sgSearch")

        def since_click(name: str) -> str:
            value = marks.get(name)
            return "   -  " if value is None else f"{(value - clicked_ms) / 1000:6.2f}"

        fetched = page.evaluate("(() => { const [entry] = performance.getEntriesByType('resource')"
                                ".filter(e => e.name.includes('search_index.json'));"
                                " return entry ? [entry.startTime, entry.responseEnd] : null; })()")
        print(f"run {run}: brand page loaded in {loaded:.2f} s")
        if fetched is not None and marks.get("setup") is not None and marks.get("ready") is not None:
            print(f"       index downloaded in {(fetched[1] - fetched[0]) / 1000:.2f} s (from 127.0.0.1), parsed and "
                  f"handed to the worker {(marks['setup'] - fetched[1]) / 1000:.2f} s later ({marks['docs']} entries), "
                  f"lunr index built {(marks['ready'] - marks['setup']) / 1000:.2f} s after that")
        print(f"       from the click into the box (right after the load event): index handed to the worker at "
              f"{since_click('setup')} s, lunr index built at {since_click('ready')} s, queries sent to it: "
              f"{len(marks['queries'])}; the brand's result shown at {answered:.2f} s")
        # Typed again once the index is ready: Material sends a query per keystroke (no debounce)
        # and the worker answers them one after another, so a slow query shows as lag.
        sent_before = len(marks["queries"])
        search.fill("")
        page.keyboard.type(query, delay=20)
        typed_ms = page.evaluate("performance.now()")
        page.wait_for_function("window.__sgSearch.results.length >= window.__sgSearch.queries.length",
                               timeout=120_000)
        marks = page.evaluate("window.__sgSearch")
        print(f"       typed again once ready: {len(marks['queries']) - sent_before} queries sent, the last "
              f"answered {(marks['results'][-1] - typed_ms) / 1000:.2f} s after the last keystroke")
        expect(result).to_be_visible()
        result.locator("a").first.click()
        page.wait_for_url(f"**/{slug}/**")
        expect(page.locator("h1")).to_contain_text(query)
    finally:
        context.close()


def browse(site: Path, slug: str, query: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    with serving(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            print(f"\nfirst search for {query!r}, {runs} time(s), each in a fresh browser context:")
            for run in range(1, runs + 1):
                first_search(browser, base, slug, query, run)
            print("the brand's result opens its page")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="Benchmark Brand 777")
    parser.add_argument("--slug", default="brand-777")
    parser.add_argument("--runs", type=int, default=2, help="first searches, each in a fresh browser context")
    parser.add_argument("--no-browser", action="store_true", help="sizes and the index by page type only")
    args = parser.parse_args()
    sizes(args.site, args.slug)
    index_by_page_type(args.site)
    if not args.no_browser:
        browse(args.site, args.slug, args.query, args.runs)


if __name__ == "__main__":
    main()
