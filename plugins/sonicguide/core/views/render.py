"""Our own Jinja environment and the text helpers every fragment uses.

Autoescape is on and undefined values fail loudly. Markdown written in YAML is rendered with
markdown-it-py (CommonMark plus tables) and then sanitised with nh3 (no scripts, no event handlers,
no images or other elements that would load a URL, links limited to http, https and mailto).

markdown-it-py rather than Python-Markdown because its time grows linearly with the text:
Python-Markdown took 58 s for 12 KB of ``[a](b)`` links and minutes for 20 KB of ``[`` (see
``bench/bench_markdown.py``). Rendered fragments are memoised by content.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import nh3
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from sonicguide.core.cache import Cache, make_key

_ALLOWED_TAGS = {"p", "br", "hr", "em", "strong", "b", "i", "u", "s", "code", "pre", "blockquote", "ul", "ol",
                 "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sup",
                 "sub", "dl", "dt", "dd", "kbd", "del", "ins"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
# Characters that may start Markdown syntax (core or any extension) in a heading line; written
# as numeric character references, which no Markdown extension interprets.
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-.!|~:=^$@%]")


_bytecode_dir: str | None = None


def use_bytecode_cache(directory: Path | None) -> None:
    """Keep compiled templates in ``directory`` (compiling them is a fifth of a small warm build)."""
    global _bytecode_dir
    _bytecode_dir = str(directory) if directory is not None else None


@cache
def environment(bytecode_dir: str | None = None) -> Environment:
    """The Jinja environment of the package's templates (``sonicguide/templates``)."""
    bytecode_cache = None
    if bytecode_dir is not None:
        Path(bytecode_dir).mkdir(parents=True, exist_ok=True)
        bytecode_cache = FileSystemBytecodeCache(bytecode_dir)
    env = Environment(
        loader=PackageLoader("sonicguide", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render a package template with plain data."""
    return environment(_bytecode_dir).get_template(template).render(**context)


#: Fragments of at least this many characters are also kept in the build cache: a long pathological
#: field costs up to a few seconds once, not on every warm build; shorter ones render in well under
#: a millisecond, less than a cache read.
PERSIST_MIN_CHARS = 2000
_fragment_cache: Cache | None = None


def use_fragment_cache(cache: Cache | None) -> None:
    """Keep long rendered fragments in ``cache`` (``None``: in memory only)."""
    global _fragment_cache
    _fragment_cache = cache


def markdown_to_html(text: str | None) -> Markup:
    """Render Markdown from YAML to sanitised HTML (empty for ``None``)."""
    if not text:
        return Markup("")
    store = _fragment_cache
    if store is None or len(text) < PERSIST_MIN_CHARS:
        return Markup(_markdown_fragment(text))  # noqa: S704 - sanitised by nh3 in _markdown_fragment
    key = make_key("markdown", _renderer_versions(), text)
    cached = store.get_json("markdown", key, load=_text)
    if cached is None:
        cached = _markdown_fragment(text)
        store.put_json("markdown", key, cached)
    return Markup(cached)  # noqa: S704 - sanitised by nh3 in _markdown_fragment before it was stored


@cache
def _renderer_versions() -> tuple[str, str, str]:
    from importlib.metadata import version

    return ("1", version("markdown-it-py"), version("nh3"))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a rendered fragment")
    return value


@cache
def _markdown_parser() -> MarkdownIt:
    # CommonMark with raw HTML on (nh3 decides what survives) and GitHub-style tables.
    return MarkdownIt("commonmark", {"html": True}).enable("table")


@lru_cache(maxsize=4096)
def _markdown_fragment(text: str) -> str:
    """The sanitised HTML of ``text``, memoised by content (the same text renders once per process)."""
    html = _markdown_parser().render(text)
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow").strip()


def markdown_inline_text(text: str) -> Markup:
    """Escape plain text for a Markdown line (a heading): HTML-escaped, Markdown punctuation inert."""
    out = []
    for char in " ".join(text.split()):
        out.append(f"&#{ord(char)};" if _MARKDOWN_PUNCTUATION.match(char) else str(escape(char)))
    return Markup("".join(out))  # noqa: S704 - every character escaped above
