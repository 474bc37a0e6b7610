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
