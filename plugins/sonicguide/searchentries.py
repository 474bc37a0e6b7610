"""Material's search entries of the generated pages, from the cache when the page did not change.

Material's search plugin parses every page's HTML into the search index on every build (Python's
``html.parser``, about 40 % of a warm 50-brand build). The entries of one page are a function of its
HTML, table of contents, URL, title, the metadata the indexer reads (``search``, ``tags``,
``title``), the search plugin's configuration, whether ``jieba`` is installed and Material's version.
:class:`SearchEntries` keys them by all of those in the content-addressed cache (kind ``search``).

On a hit the page is hidden from the indexer for its ``on_page_context`` (``meta.search.exclude``,
restored right after) and the kept entries are appended where the indexer would have appended them,
so the index is the same bytes; on a miss the indexer runs and what it appended is kept. Only
Material's search plugin is known; with any other the pages are indexed as before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from sonicguide.core.cache import Cache, make_key
from sonicguide.core.pagecache import library_versions, stable

KIND = "search"
#: Bump when the meaning of an entry changes.
VERSION = "1"
_MISSING = object()
_NOT_HIDDEN = object()


class SearchEntries:
    """One build's use of the search-entry cache (see the module docstring)."""

    def __init__(self, store: Cache, config: MkDocsConfig, page_uris: set[str]) -> None:
        self.store = store
        self.page_uris = page_uris
        self.from_cache: list[str] = []
        self.indexed: list[str] = []
        self._index, self._context = _material_search(config)
        self._pending: dict[str, tuple[str, int]] = {}
        self._hidden: dict[str, Any] = {}

    def before_search(self, page: Page) -> None:
        uri = page.file.src_uri
        if self._index is None or uri not in self.page_uris:
            return
        key = self._key(page)
        cached = self.store.get_json(KIND, key, load=_entries)
        if cached is not None:
            hide_from_search(page, self._hidden)
            self._index.entries.extend(cached)
            self.from_cache.append(uri)
        else:
            self._pending[uri] = (key, len(self._index.entries))

    def after_search(self, page: Page) -> None:
        uri = page.file.src_uri
        if unhide_from_search(page, self._hidden):
            return
        if uri in self._pending and self._index is not None:
            key, start = self._pending.pop(uri)
            entries = self._index.entries[start:]
            try:
                value = json.loads(json.dumps(entries, allow_nan=False))
            except (TypeError, ValueError):
                return  # not plain data (a plugin of its own added to it): indexed again next time
            self.store.put_json(KIND, key, value)
            self.indexed.append(uri)

    def _key(self, page: Page) -> str:
        meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
        return make_key(KIND, VERSION, self._context, page.url, str(page.title), stable(meta),
                        [toc_tree(item) for item in page.toc],
                        hashlib.sha256((page.content or "").encode("utf-8")).hexdigest())


def material_search_plugin(config: MkDocsConfig) -> Any:
    """Material's search plugin when it is the site's search and holds an index (else ``None``)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        index = getattr(plugin, "search_index", None)
        if plugin is not None and type(plugin).__module__.startswith("material.") and \
                isinstance(getattr(index, "entries", None), list):
            return plugin
    return None


def _material_search(config: MkDocsConfig) -> tuple[Any, str]:
    """Material's search index and a hash of what its entries depend on besides the page
    (``(None, "")`` when the site's search is not Material's)."""
    plugin = material_search_plugin(config)
    if plugin is None:
        return None, ""
    module = __import__(type(plugin).__module__, fromlist=["jieba"])
    context = {"config": stable(dict(plugin.config)), "jieba": getattr(module, "jieba", None) is not None,
               "versions": [list(pair) for pair in library_versions()]}
    digest = hashlib.sha256(json.dumps(context, sort_keys=True, default=repr).encode("utf-8")).hexdigest()
    return plugin.search_index, digest


def hide_from_search(page: Page, hidden: dict[str, Any]) -> None:
    """Exclude ``page`` from Material's indexer for one step, keeping its own ``search`` metadata in
    ``hidden`` (by source URI) for :func:`unhide_from_search`."""
    hidden[page.file.src_uri] = page.meta.get("search", _MISSING)
    page.meta["search"] = {"exclude": True}


def unhide_from_search(page: Page, hidden: dict[str, Any]) -> bool:
    """Give ``page`` back the ``search`` metadata :func:`hide_from_search` kept; False when it was
    not hidden."""
    value = hidden.pop(page.file.src_uri, _NOT_HIDDEN)
    if value is _NOT_HIDDEN:
        return False
    if value is _MISSING:
        page.meta.pop("search", None)
    else:
        page.meta["search"] = value
    return True


def toc_tree(item: Any) -> list[Any]:
    """A TOC item and its children as plain data (for cache keys)."""
    return [item.title, item.id, item.level, [toc_tree(child) for child in item.children]]


def _entries(value: Any) -> list[dict[str, Any]]:
    if not (isinstance(value, list) and all(isinstance(entry, dict) and isinstance(entry.get("location"), str)
                                            for entry in value)):
        raise TypeError("not a page's search entries")
    return value
