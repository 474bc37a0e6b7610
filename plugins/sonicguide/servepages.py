"""Under ``mkdocs serve``: a generated page whose every input is unchanged since the previous build
is written from that build's output instead of being rendered through the theme again.

``mkdocs serve`` rebuilds the whole site on every save; for 50 brands, rendering ~100 pages through
Material's templates and parsing each into the search index took most of a rebuild. The plugin
object lives as long as the server (MkDocs keeps plugins that have ``on_startup``), so it keeps,
per page, the HTML the theme produced and the search entries the search plugin made, under a key
of everything they depend on:

- the page: its HTML content, table of contents, metadata (ours included: description, JSON-LD),
  title, URL, canonical and edit URLs, its neighbours in the navigation and its ancestors;
- the site: the navigation tree (every title and URL: a renamed or added brand changes every page),
  every documentation page's URL and title, the configuration (the ``plugins`` entry aside), the
  theme's templates (path, size and modification time of each; Material's icon folders are named
  by Material's version), the libraries' versions, and the build date when a template prints it.

A hit sets ``page.meta["template"]`` to :data:`REUSE_TEMPLATE` (which prints the kept HTML) and
hands the kept entries to the search index; a miss renders normally and is kept. Reuse is on only
under ``serve`` and only when every other plugin is a search plugin whose index it knows
(Material's): any other plugin may add to a page's context in ways the key cannot see.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from sonicguide.core.pagecache import library_versions, stable
from sonicguide.searchentries import hide_from_search, material_search_plugin, toc_tree, unhide_from_search

#: The package template that prints a kept page (``sonicguide/theme/sonicguide/reuse.html``).
REUSE_TEMPLATE = "sonicguide/reuse.html"
#: The context variable it prints.
REUSE_VARIABLE = "sonicguide_reused_page"
#: Plugins besides ours under which reuse is safe: Material's search (its index is handled here).
KNOWN_PLUGINS = frozenset({"search", "material/search", "sonicguide"})
#: Template names that would put the build date into a page (then the date is part of the key).
_DATE_NAMES = (b"update_date", b"build_date_utc")


@dataclass
class Kept:
    key: str
    html: str
    search_entries: list[dict[str, Any]]


class PageReuse:
    """The kept pages of one ``serve`` session, and this build's decisions."""

    def __init__(self) -> None:
        self.kept: dict[str, Kept] = {}
        self.reused: list[str] = []
        self.rendered: list[str] = []
        self._keys: dict[str, str] = {}
        self._entries_before: dict[str, int] = {}
        self._search_index: Any = None
        self._hidden_search: dict[str, Any] = {}

    # -- one build ------------------------------------------------------------------------------

    def plan(self, *, pages: Iterable[Page], nav: Navigation, files: Files, config: MkDocsConfig,
             page_data: Mapping[str, Any]) -> None:
        """Decide, before MkDocs renders any page, which of ``pages`` are written from the kept output.

        ``page_data``: source URI -> what our ``on_page_context`` adds to that page (plain data).
        """
        self.reused, self.rendered, self._keys = [], [], {}
        self._entries_before, self._hidden_search = {}, {}
        self._search_index = _material_search_index(config) if reuse_allowed(config) else None
        if self._search_index is None:
            return
        site = _site_fingerprint(nav=nav, files=files, config=config)
        with_dates = _site_templates_use_dates(config)
        for page in pages:
            uri = page.file.src_uri
            key = _page_key(page, site=site, extra=page_data.get(uri), with_dates=with_dates)
            self._keys[uri] = key
            kept = self.kept.get(uri)
            if kept is not None and kept.key == key:
                page.meta["template"] = REUSE_TEMPLATE
                self.reused.append(uri)
            else:
                self.rendered.append(uri)

    def before_search(self, page: Page) -> None:
        """Runs before the search plugin's ``on_page_context``: a reused page is hidden from it (its
        kept entries are added instead); a rendered one has its new entries counted."""
        uri = page.file.src_uri
        if uri not in self._keys or self._search_index is None:
            return
        if uri in self.reused:
            hide_from_search(page, self._hidden_search)
            self._search_index.entries.extend(json.loads(json.dumps(self.kept[uri].search_entries)))
        else:
            self._entries_before[uri] = len(self._search_index.entries)

    def after_search(self, page: Page, context: Any) -> None:
        """Runs after the search plugin's ``on_page_context``: a reused page gets its kept HTML (``context``:
        the page's template context, a mapping)."""
        uri = page.file.src_uri
        if unhide_from_search(page, self._hidden_search):
            page.meta.pop("template", None)
            context[REUSE_VARIABLE] = self.kept[uri].html

    def rendered_output(self, page: Page, output: str) -> None:
        """Keep the theme's output of a rendered page (called from ``on_post_page``, before any other
        plugin changes it)."""
        uri = page.file.src_uri
        if uri in self.rendered and uri in self._entries_before and self._search_index is not None:
            entries = self._search_index.entries[self._entries_before[uri]:]
            self.kept[uri] = Kept(key=self._keys[uri], html=output, search_entries=json.loads(json.dumps(entries)))



def reuse_allowed(config: MkDocsConfig) -> bool:
    """Whether every configured plugin is one whose effect on a page the key covers."""
    return set(config.plugins) <= KNOWN_PLUGINS


def _material_search_index(config: MkDocsConfig) -> Any:
    """The search index of Material's search plugin, when that is the site's search (else ``None``)."""
    plugin = material_search_plugin(config)
    return None if plugin is None else plugin.search_index


def _nav_items(items: Iterable[Any]) -> list[Any]:
    out = []
    for item in items:
        children = getattr(item, "children", None)
        out.append([type(item).__name__, str(getattr(item, "title", "")), str(getattr(item, "url", "") or ""),
                    _nav_items(children) if children else []])
    return out


def _site_fingerprint(*, nav: Navigation, files: Files, config: MkDocsConfig) -> str:
    settings = {key: value for key, value in config.items() if key != "plugins"}
    payload = {
        "nav": _nav_items(nav.items),
        "pages": [[file.src_uri, file.url, str(file.page.title) if file.page is not None else None]
                  for file in files.documentation_pages()],
        "config": stable(settings),
        "templates": _templates_signature(config),
        "versions": [list(pair) for pair in library_versions()],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=repr).encode("utf-8")).hexdigest()


def _template_files(config: MkDocsConfig) -> Iterable[Path]:
    """Every file of the theme's folders; hidden folders (Material's ``.icons``) only in ``custom_dir``
    (those of an installed theme change with its version, which is part of the key)."""
    custom = config.theme.custom_dir
    for folder in config.theme.dirs:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            if folder != custom:
                dirs[:] = [name for name in dirs if not name.startswith(".")]
            for name in sorted(names):
                yield Path(root) / name


def _templates_signature(config: MkDocsConfig) -> list[list[Any]]:
    signature = []
    for path in _template_files(config):
        try:
            info = path.stat()
        except OSError:
            continue
        signature.append([str(path), info.st_size, info.st_mtime_ns])
    return signature


def _site_templates_use_dates(config: MkDocsConfig) -> bool:
    """Whether a template that may render a page names the build date (the theme's static templates,
    such as ``sitemap.xml``, are rendered on every build anyway)."""
    own = {name.split("/")[-1] for name in config.theme.static_templates}
    for path in _template_files(config):
        if path.suffix in {".html", ".xml"} and path.name not in own:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(name in data for name in _DATE_NAMES):
                return True
    return False


def _page_key(page: Page, *, site: str, extra: Any, with_dates: bool) -> str:
    def neighbour(other: Any) -> Any:
        return None if other is None else [str(other.title), other.url]

    ancestors = []
    parent = page.parent
    while parent is not None:
        ancestors.append(str(parent.title))
        parent = parent.parent
    payload = {
        "content": hashlib.sha256((page.content or "").encode("utf-8")).hexdigest(),
        "toc": [toc_tree(item) for item in page.toc], "meta": stable(dict(page.meta)), "title": str(page.title),
        "url": page.url, "canonical": page.canonical_url, "edit": page.edit_url,
        "previous": neighbour(page.previous_page), "next": neighbour(page.next_page), "ancestors": ancestors,
        "homepage": page.is_homepage, "ours": stable(extra),
        "dates": [page.update_date, os.environ.get("SOURCE_DATE_EPOCH")] if with_dates else None,
    }
    return hashlib.sha256((site + json.dumps(payload, sort_keys=True, default=repr)).encode("utf-8")).hexdigest()

