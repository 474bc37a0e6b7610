"""Markdown conversions of the generated pages, cached by everything a conversion depends on.

The site generator (MkDocs or ProperDocs) converts every page's Markdown to HTML on every build,
also when the page did not change; for the 100 large pages of a 50-brand site that is seconds of
each rebuild and of each ``serve`` reload. A conversion is a function of: the page's Markdown as
handed to the converter (after every plugin's ``on_page_markdown``), where the page is (its source
URI and URL), which files the site has and their URLs (Markdown links to them are rewritten or
reported), the Markdown extensions with their configuration, the link validation settings, and the
versions of the libraries that convert. :func:`page_key` hashes all of them; the front end gives
the parts that come from the generator as plain values.

An entry holds what a conversion leaves on the page: the HTML, the table of contents as the
``toc`` extension's tokens, the title found in the HTML, the anchors present and the links to
anchors of other pages (by source URI). Entries live in the content-addressed
:class:`~sonicguide.core.cache.Cache` (kind ``page``), checked against their checksum sidecar and
their shape on every read, like every entry.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sonicguide.core.cache import Cache, make_key

#: Bump when the shape of an entry or the meaning of its key changes.
PAGE_VERSION = "1"
KIND = "page"
#: How deep :func:`stable` looks into objects (configurations are shallow; this stops cycles).
_MAX_DEPTH = 8
#: Distributions whose code converts Markdown in a Material site; their versions are part of the key.
CONVERTING_DISTRIBUTIONS = ("Markdown", "mkdocs", "properdocs", "mkdocs-material", "pymdown-extensions",
                            "Pygments")


@dataclass
class ConvertedPage:
    """What converting one page's Markdown leaves on the page, as plain data.

    ``toc_tokens``: the ``toc`` extension's tokens (``level``, ``id``, ``name``, ``children``, ...);
    ``links_to_anchors``: source URI of a linked page -> {anchor: the link as written}.
    """

    content: str
    toc_tokens: list[dict[str, Any]] = field(default_factory=list)
    title: str | None = None
    anchor_ids: list[str] = field(default_factory=list)
    links_to_anchors: dict[str, dict[str, str]] = field(default_factory=dict)


def stable(value: Any, *, depth: int = 0) -> Any:
    """``value`` as JSON-serialisable data that is the same in every process.

    Extension configurations may hold functions (a ``slugify``), partials and closures, whose
    ``repr`` carries a memory address: those are named by module and qualified name, with their
    bound arguments and closure values; other objects by their type and ``repr`` when that holds no
    address, else by their type and attributes (to a depth of :data:`_MAX_DEPTH`, then by type).
    """
    if depth > _MAX_DEPTH:
        return {"object": f"{type(value).__module__}.{type(value).__qualname__}"}
    deeper = functools.partial(stable, depth=depth + 1)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {"mapping": sorted(([deeper(key), deeper(item)] for key, item in value.items()), key=repr)}
    if isinstance(value, (list, tuple)):
        return [deeper(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((deeper(item) for item in value), key=repr)}
    if isinstance(value, functools.partial):
        return {"partial": deeper(value.func), "args": deeper(value.args), "keywords": deeper(value.keywords)}
    if callable(value) and hasattr(value, "__qualname__"):
        closure = getattr(value, "__closure__", None) or ()
        cells = []
        for cell in closure:
            try:
                cells.append(deeper(cell.cell_contents))
            except ValueError:  # an empty cell
                cells.append(None)
        defaults = getattr(value, "__defaults__", None)
        return {"callable": f"{getattr(value, '__module__', '')}.{value.__qualname__}",
                "closure": cells, "defaults": deeper(defaults)}
    text = repr(value)
    if " at 0x" not in text:
        return {"object": type(value).__qualname__, "repr": text}
    attributes = getattr(value, "__dict__", {})
    return {"object": f"{type(value).__module__}.{type(value).__qualname__}", "attributes": deeper(attributes)}


@functools.cache
def library_versions() -> tuple[tuple[str, str], ...]:
    """The installed versions of :data:`CONVERTING_DISTRIBUTIONS` (absent ones left out)."""
    found = []
    for name in CONVERTING_DISTRIBUTIONS:
        try:
            found.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            continue
    return tuple(found)


def conversion_context(*, extensions: Sequence[Any], extension_configs: Mapping[str, Any],
                       validation: Any, files: Sequence[tuple[str, str]], use_directory_urls: bool,
                       extra_versions: Sequence[tuple[str, str]] = ()) -> str:
    """One hash of everything a conversion depends on besides the page itself, computed once a build.

    ``files``: (source URI, URL) of every file of the site (links to them are rewritten and checked);
    ``validation``: the generator's link validation settings (what a conversion reports, and at
    which level); ``extra_versions``: versions of other libraries the extensions come from.
    """
    payload = {
        "extensions": stable(list(extensions)), "configs": stable(dict(extension_configs)),
        "validation": stable(validation), "use_directory_urls": use_directory_urls,
        "versions": [list(pair) for pair in (*library_versions(), *sorted(extra_versions))],
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=repr).encode("utf-8"))
    for source_uri, url in sorted(files):
        digest.update(f"{source_uri}\0{url}\n".encode())
    return digest.hexdigest()


def page_key(*, markdown: str, source_uri: str, url: str, context: str) -> str:
    """The cache key of one page's conversion (``context`` from :func:`conversion_context`)."""
    return make_key(KIND, PAGE_VERSION, context, source_uri, url, hashlib.sha256(markdown.encode("utf-8")).hexdigest())


def load(store: Cache, key: str) -> ConvertedPage | None:
    """The conversion under ``key``, or ``None`` (missing or damaged: damage is in ``store.warnings``)."""
    value = store.get_json(KIND, key, load=_entry)
    if value is None:
        return None
    return ConvertedPage(content=value["content"], toc_tokens=value["toc_tokens"], title=value["title"],
                         anchor_ids=value["anchor_ids"], links_to_anchors=value["links_to_anchors"])


def store_entry(store: Cache, key: str, page: ConvertedPage) -> None:
    """Keep ``page`` under ``key``."""
    store.put_json(KIND, key, {
        "content": page.content, "toc_tokens": page.toc_tokens, "title": page.title,
        "anchor_ids": sorted(page.anchor_ids),
        "links_to_anchors": {uri: dict(sorted(links.items())) for uri, links in sorted(page.links_to_anchors.items())},
    })


_KEYS = {"content", "toc_tokens", "title", "anchor_ids", "links_to_anchors"}


def _entry(value: Any) -> dict[str, Any]:
    """``value`` if it has the shape :func:`store_entry` writes (raises ``TypeError`` otherwise)."""
    if not isinstance(value, dict) or set(value) != _KEYS:
        raise TypeError("not a converted page")
    if not isinstance(value["content"], str) or not (value["title"] is None or isinstance(value["title"], str)):
        raise TypeError("not a converted page's content and title")
    if not (isinstance(value["toc_tokens"], list) and all(isinstance(token, dict) for token in value["toc_tokens"])):
        raise TypeError("not a converted page's table of contents")
    if not (isinstance(value["anchor_ids"], list) and all(isinstance(anchor, str) for anchor in value["anchor_ids"])):
        raise TypeError("not a converted page's anchors")
    links = value["links_to_anchors"]
    if not (isinstance(links, dict) and all(isinstance(anchors, dict) and all(
            isinstance(anchor, str) and isinstance(link, str) for anchor, link in anchors.items())
            for anchors in links.values())):
        raise TypeError("not a converted page's links to anchors")
    return value
