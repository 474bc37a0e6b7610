"""Small helpers for driving pages in browser tests."""

from __future__ import annotations

from typing import Any


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
