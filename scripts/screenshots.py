"""Screenshots of a built sonicguide site, for reviewers and for the README.

    python scripts/screenshots.py SITE_DIR                 # every page type, 390 and 1280 px,
                                                          # both palettes, into .screenshots/
    python scripts/screenshots.py SITE_DIR --readme        # the README's small pictures, into
                                                          # screenshots/ (committed)

SITE_DIR is the output of ``mkdocs build`` (``use_directory_urls: true``). Needs Playwright's
Python package and a Chromium at /usr/bin/chromium (or $SONICGUIDE_CHROMIUM). Nothing leaves
127.0.0.1: the site is served by a local static server for the time of the run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("SONICGUIDE_CHROMIUM", "/usr/bin/chromium")
WIDTHS = (390, 1280)
HEIGHTS = {390: 844, 1280: 800}
PALETTES = ("default", "slate")
#: The README pictures: (file name, page, width, palette, height of the clip in CSS px).
README_SHOTS = (
    ("gallery.png", "", 1280, "default", 800),
    ("brand-page.png", "kestrel-health/", 1280, "default", 800),
    ("brand-page-phone-dark.png", "glitchwave/", 390, "slate", 844),
)
#: README pictures must stay small enough to commit.
README_MAX_BYTES = 150_000


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def page_types(site_dir: Path) -> dict[str, str]:
    """One page of each type: ``{name: path relative to the site root}``."""
    brands = sorted(p.parent.name for p in site_dir.glob("*/brand.json"))
    pages = {"home": "", "compare": "compare/", "methodology": "methodology/"}
    if brands:
        pages["brand"] = f"{brands[0]}/"
        if (site_dir / brands[0] / "brief" / "index.html").is_file():
            pages["brief"] = f"{brands[0]}/brief/"
    if (site_dir / "authoring" / "index.html").is_file():
        pages["authoring"] = "authoring/"
    return pages


#: Loads every lazy image of a page (a full-page picture would show those below the fold blank).
LOAD_LAZY_IMAGES = """() => Promise.all([...document.images].map((img) => {
    img.loading = "eager";
    return img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; });
}))"""


def _open(browser: object, url: str, width: int, palette: str) -> object:
    context = browser.new_context(viewport={"width": width, "height": HEIGHTS.get(width, 800)},  # type: ignore[attr-defined]
                                  color_scheme="dark" if palette == "slate" else "light")
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", palette)
    page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')", timeout=5000)
    page.wait_for_timeout(100)  # canvases redraw on the palette change
    # Lazy images (charts, sound maps) load only near the viewport: a full-page picture would show
    # them blank. Load them all first.
    page.evaluate(LOAD_LAZY_IMAGES)
    return page


def _small_png(data: bytes, width: int) -> bytes:
    """Scale a screenshot to ``width`` px and quantise it to 256 colours (README pictures)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--readme", action="store_true", help="write the README pictures into screenshots/")
    parser.add_argument("--only", action="append", help="page types to take (home, brand, brief, compare, ...)")
    parser.add_argument("--width", type=int, action="append", help="viewport widths (default 390 and 1280)")
    parser.add_argument("--out", type=Path, help="output folder (default .screenshots/ or screenshots/)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    site_dir: Path = args.site_dir.resolve()
    out: Path = args.out or (REPO / ("screenshots" if args.readme else ".screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    with serving(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            if args.readme:
                for name, path, width, palette, height in README_SHOTS:
                    page = _open(browser, base + path, width, palette)
                    shot = page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": height})  # type: ignore[attr-defined]
                    data = _small_png(shot, min(width, 960))
                    (out / name).write_bytes(data)
                    print(f"{out / name}: {len(data) // 1000} kB")
                    if len(data) > README_MAX_BYTES:
                        print(f"  larger than {README_MAX_BYTES // 1000} kB", file=sys.stderr)
                        return 1
                    page.context.close()  # type: ignore[attr-defined]
            else:
                for kind, path in page_types(site_dir).items():
                    if args.only and kind not in args.only:
                        continue
                    for width in args.width or WIDTHS:
                        for palette in PALETTES:
                            page = _open(browser, base + path, width, palette)
                            target = out / f"{kind}-{width}-{palette}.png"
                            page.screenshot(path=str(target), full_page=True)  # type: ignore[attr-defined]
                            height = page.evaluate("document.documentElement.scrollHeight")  # type: ignore[attr-defined]
                            print(f"{target.name}: {height} px tall")
                            page.context.close()  # type: ignore[attr-defined]
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
