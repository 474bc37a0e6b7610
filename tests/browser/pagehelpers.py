"""Small helpers for driving pages in browser tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def set_palette(page: Any, scheme: str) -> None:
    """Switch Material's palette (``default`` or ``slate``) and wait for colour transitions to end.

    Material animates link colours (``transition: color``); an accessibility check that runs
    mid-transition measures an in-between colour.
    """
    page.evaluate("(scheme) => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
    page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')", timeout=5000)


def load_lazy_images(page: Any) -> None:
    """Load every lazy image (charts, sound maps) so a full-page screenshot shows them (the same
    script as ``LOAD_LAZY_IMAGES`` in scripts/screenshots.py, which cannot import the tests)."""
    page.evaluate("""() => Promise.all([...document.images].map((img) => {
        img.loading = "eager";
        return img.complete ? null : new Promise((done) => { img.onload = img.onerror = done; });
    }))""")


def build_example_site(root: Path, serve_directory: Any, *, brands: Sequence[str], strict: bool,
                       cache_dir: Path | None = None) -> str:
    """Build the repository's example site (``brands``) in ``root`` with MkDocs and serve it;
    the base URL. Material turns instant navigation on only with a ``site_url`` (it reads the
    sitemap), so the served URL is written into the copied ``mkdocs.yml``; ``cache_dir`` shares an
    analysis cache (the repository's, say) instead of the one under ``root``."""
    for name in ("docs", "theme"):
        shutil.copytree(REPO / name, root / name)
    for slug in brands:
        shutil.copytree(REPO / "brands" / slug, root / "brands" / slug)
    site_dir = root / "site"
    site_dir.mkdir()
    base_url = str(serve_directory(site_dir))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_url:.*$", "", config)
    if cache_dir is not None:
        config = config.replace("      brands_dir: brands\n",
                                f"      brands_dir: brands\n      cache_dir: {cache_dir}\n")
    (root / "mkdocs.yml").write_text(f"site_url: {base_url}\n" + config, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), "-q",
               "-f", str(root / "mkdocs.yml"), "-d", str(site_dir)]
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=root)
    return base_url
