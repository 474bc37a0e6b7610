"""The generated pages' Markdown conversions, from the page cache when nothing they depend on changed.

MkDocs converts each page in ``Page.render``; :class:`CachedPage` is a ``Page`` whose ``render``
first looks in :mod:`sonicguide.core.pagecache` and, on a miss, converts as MkDocs does and keeps
the result. Everything else of the build (``on_page_markdown`` and ``on_page_content`` of every
plugin, the search index, templates, anchor validation) sees the same page either way: the same
HTML, table of contents, title and anchors. A conversion that logged anything (a link to a missing
file, say) is not kept, so it is converted, and reports, again on every build.

MkDocs lets a plugin create a file's ``Page`` (``File.page``) before the navigation is built; the
navigation then uses it. Pages of ours named with a title in the user's ``nav`` get that title, as
MkDocs would give them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from sonicguide.core import pagecache
from sonicguide.core.cache import Cache

log = get_plugin_logger(__name__)
#: MkDocs' own logger of the page module (under ProperDocs, ``properdocs.structure.pages``).
_PAGES_LOG = logging.getLogger(Page.__module__)


class PageConversions:
    """One build's use of the page cache: the key context, computed once, and what came from where."""

    def __init__(self, store: Cache) -> None:
        self.store = store
        self.converted: list[str] = []
        self.from_cache: list[str] = []
        self._context: str | None = None
        self._reported = len(store.warnings)

    def context(self, config: MkDocsConfig, files: Files) -> str:
        if self._context is None:
            self._context = pagecache.conversion_context(
                extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {},
                validation=dict(config.validation), use_directory_urls=config.use_directory_urls,
                files=[(file.src_uri, file.url) for file in files])
        return self._context

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """Give ``page`` its converted Markdown: from the cache, or converted and kept."""
        assert page.markdown is not None
        key = pagecache.page_key(markdown=page.markdown, source_uri=page.file.src_uri, url=page.file.url,
                                 context=self.context(config, files))
        cached = pagecache.load(self.store, key)
        self._report_damage()
        if cached is not None and _apply(page, cached, files):
            self.from_cache.append(page.file.src_uri)
            return
        with _recording() as records:
            Page.render(page, config, files)
        self.converted.append(page.file.src_uri)
        if records:
            return  # reported something: converted (and reported) again on every build
        assert page.content is not None
        links = getattr(page, "links_to_anchors", None) or {}
        pagecache.store_entry(self.store, key, pagecache.ConvertedPage(
            content=page.content, toc_tokens=_toc_tokens(page), title=page._title_from_render,
            anchor_ids=sorted(page.present_anchor_ids or ()),
            links_to_anchors={file.src_uri: dict(anchors) for file, anchors in links.items()}))

    def _report_damage(self) -> None:
        for warning in self.store.warnings[self._reported:]:
            log.warning(warning)
        self._reported = len(self.store.warnings)


class CachedPage(Page):
    """A generated page whose conversion goes through :class:`PageConversions`."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, *, conversions: PageConversions) -> None:
        super().__init__(title, file, config)
        self._conversions = conversions

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        self._conversions.render(self, config, files)


def use_cached_pages(files: Files, config: MkDocsConfig, source_uris: Sequence[str],
                     conversions: PageConversions) -> None:
    """Make the pages ``source_uris`` of ``files`` :class:`CachedPage` objects (call in ``on_files``,
    after ``config.nav`` is final)."""
    titles = nav_titles(config.nav)
    for uri in source_uris:
        file = files.get_file_from_path(uri)
        if file is not None and file.page is None:
            CachedPage(titles.get(uri), file, config, conversions=conversions)


def cache_compiled_templates(env: jinja2.Environment, folder: Path) -> None:
    """Keep the theme's compiled templates in ``folder``: MkDocs compiles every template it renders
    on every build (a second of a small rebuild). Jinja files each by the template's name and path
    and recompiles when the source's checksum differs; the subfolder is named by Jinja's version and
    the environment's settings, which shape the compiled code too. A bytecode cache of the user's
    own is kept."""
    if env.bytecode_cache is not None:
        return
    settings = {"jinja": jinja2.__version__, "extensions": sorted(env.extensions),
                "autoescape": repr(env.autoescape), "options": [env.block_start_string, env.block_end_string,
                                                                env.variable_start_string, env.comment_start_string,
                                                                env.trim_blocks, env.lstrip_blocks,
                                                                env.keep_trailing_newline, env.newline_sequence,
                                                                env.line_statement_prefix, env.optimized]}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=repr).encode("utf-8")).hexdigest()[:16]
    target = folder / digest
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache: the templates are compiled as before
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(target))


def nav_titles(nav: Any) -> dict[str, str | None]:
    """Source path -> the title the ``nav`` configuration gives it (``None``: no title), first one wins,
    as MkDocs reads it (``- Title: path``, ``- path``, sections as ``- Section: [...]``)."""
    titles: dict[str, str | None] = {}

    def walk(item: Any, title: str | None = None) -> None:
        if isinstance(item, str):
            titles.setdefault(item, title)
        elif isinstance(item, dict):
            for key, value in item.items():
                walk(value, key if isinstance(value, str) else None)
        elif isinstance(item, list):
            for child in item:
                walk(child)

    walk(nav)
    return titles


def _apply(page: Page, cached: pagecache.ConvertedPage, files: Files) -> bool:
    """Put a cached conversion on ``page``, as ``Page.render`` would have (``False``: a linked page is gone)."""
    links: dict[File, dict[str, str]] = {}
    for uri, anchors in cached.links_to_anchors.items():
        target = files.get_file_from_path(uri)
        if target is None:
            return False
        links[target] = dict(anchors)
    page.content = cached.content
    page.toc = get_toc(cached.toc_tokens)  # type: ignore[arg-type]
    page._title_from_render = cached.title
    page.present_anchor_ids = set(cached.anchor_ids)
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = links
    return True


def _toc_tokens(page: Page) -> list[dict[str, Any]]:
    """The ``toc`` extension's tokens back from MkDocs' table of contents (title, id, level, children)."""

    def token(item: Any) -> dict[str, Any]:
        return {"level": item.level, "id": item.id, "name": item.title,
                "children": [token(child) for child in item.children]}

    return [token(item) for item in page.toc]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _recording() -> Iterator[list[logging.LogRecord]]:
    """Records of level INFO and above logged meanwhile by the generator (whose logger does not
    propagate) or anything else (Markdown, extensions)."""
    handler = _Records()
    loggers = [logging.getLogger(Page.__module__.split(".")[0]), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
