"""Markdown fields render in time linear in their length (issue 15, item 4).

Scaling is checked by counting Python function calls (deterministic), not by timing: for each
pathological input the calls for 4N characters must stay within 6x those for N (quadratic
growth would give 16x). ``bench/bench_markdown.py`` prints the timings.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sonicguide.core.views import render

ATTACKS: dict[str, Callable[[int], str]] = {
    "open brackets": lambda n: "[" * n,
    "image openers": lambda n: "![" * (n // 2),
    "stars": lambda n: "*" * n,
    "underscore emphasis": lambda n: "_a" * (n // 2),
    "angle brackets": lambda n: "<" * n,
    "backticks": lambda n: "`" * n,
    "entity starts": lambda n: "&#" * (n // 2),
    "unclosed link destinations": lambda n: "[a](" * (n // 4),
    "long link chain": lambda n: "[a](b)" * (n // 6),
    "reference definitions": lambda n: "[a]: b\n" * (n // 7),
    "nested lists": lambda n: "".join(f"{'  ' * (i % 40)}- x\n" for i in range(n // 40)),
    "nested quotes": lambda n: "> " * (n // 2),
    "table cells": lambda n: "| a " * (n // 4) + "\n" + "|---" * (n // 4) + "\n",
    "mixed brackets and stars": lambda n: "[*" * (n // 2),
    "brackets inside emphasis": lambda n: "*[" * (n // 4) + "]*" * (n // 4),
    "html comment openers": lambda n: "<!--" * (n // 4),
}


def _calls(text: str) -> int:
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        render._markdown_fragment.__wrapped__(text)  # type: ignore[attr-defined]
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_markdown_work_grows_linearly(name: str) -> None:
    make = ATTACKS[name]
    small, large = _calls(make(500)), _calls(make(2000))
    assert large <= 6 * max(small, 50), f"{name}: {small} calls for N, {large} for 4N"


def test_rendered_fragment_is_sanitised_and_memoised() -> None:
    text = "**bold** [x](javascript:alert(1)) <script>alert(2)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    render._markdown_fragment.cache_clear()
    first = render.markdown_to_html(text)
    assert "<strong>bold</strong>" in first and "<table>" in first
    links = BeautifulSoup(str(first), "html.parser").find_all("a")
    assert not [a for a in links if "javascript" in (a.get("href") or "")] and "<script" not in first
    render.markdown_to_html(text)
    info = render._markdown_fragment.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_long_fragments_are_kept_in_the_build_cache(tmp_path: Path) -> None:
    from sonicguide.core.cache import Cache

    text = "[" * render.PERSIST_MIN_CHARS + " and **bold**"
    store = Cache(tmp_path)
    render.use_fragment_cache(store)
    try:
        render._markdown_fragment.cache_clear()
        first = render.markdown_to_html(text)
        render._markdown_fragment.cache_clear()  # a new process: only the disk cache remembers
        second = render.markdown_to_html(text)
        assert first == second and "<strong>bold</strong>" in second
        assert (store.hits, render._markdown_fragment.cache_info().misses) == (1, 0)
        assert len(list((tmp_path / "markdown").rglob("*.json"))) == 1
        render.markdown_to_html("short **text**")
        assert len(list((tmp_path / "markdown").rglob("*.json"))) == 1  # short ones stay in memory
    finally:
        render.use_fragment_cache(None)
