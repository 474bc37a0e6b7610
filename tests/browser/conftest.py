"""Shared fixtures for browser tests: one headless Chromium per session, local file servers,
and pages that record every request so that tests can prove nothing leaves 127.0.0.1.

Reusable by site-level tests (put them under ``tests/browser/``)::

    def test_home(serve_directory, open_page):
        base_url = serve_directory(built_site_dir)
        page = open_page(base_url + "index.html")

The whole folder is skipped when ``/usr/bin/chromium`` or Playwright is missing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .server import serving

CHROMIUM = Path(os.environ.get("SONICGUIDE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
LOCAL_HOSTS = {"127.0.0.1"}
# Schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about", "file"}


def is_local_url(url: str) -> bool:
    """Whether a request URL stays on this machine's test servers."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright, shared by the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def serve_directory() -> Iterator[Callable[[str | os.PathLike[str]], str]]:
    """``serve_directory(path) -> base_url``: serve a folder on 127.0.0.1 (with HTTP Range
    support) until the end of the session. ``base_url`` ends with a slash."""
    with contextlib.ExitStack() as stack:
        yield lambda directory: stack.enter_context(serving(directory))


@pytest.fixture
def requests_seen() -> list[str]:
    """URLs of every request made by pages from ``open_page`` in this test."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught errors of pages from ``open_page`` in this test (a test may inspect and clear it)."""
    return []


@pytest.fixture
def open_page(browser: Any, requests_seen: list[str], page_errors: list[str]) -> Iterator[Callable[..., Any]]:
    """``open_page(url, *, javascript=True, width=1024, height=800, wait="load", setup=None) -> Page``.

    Each call opens a fresh browser context; ``setup(page)`` runs before the page loads (to add
    routes, say). With ``javascript=False`` page scripts are off, and so are the promises and
    timers that ``page.evaluate`` would wait on: evaluate only plain expressions then.
    Every request is recorded in ``requests_seen`` and the test fails at teardown if any left
    127.0.0.1. Uncaught page errors fail it too.
    """
    contexts: list[Any] = []

    def open_(
        url: str,
        *,
        javascript: bool = True,
        width: int = 1024,
        height: int = 800,
        wait: str = "load",
        setup: Callable[[Any], None] | None = None,
    ) -> Any:
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: requests_seen.append(request.url))
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        if setup is not None:
            setup(page)
        page.goto(url, wait_until=wait)
        return page

    yield open_
    for context in contexts:
        context.close()
    external = [url for url in requests_seen if not is_local_url(url)]
    assert external == [], f"requests left 127.0.0.1: {external}"
    assert page_errors == [], f"uncaught errors in the page: {page_errors}"
