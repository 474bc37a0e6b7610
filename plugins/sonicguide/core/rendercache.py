"""Each brand's rendered outputs, cached by every input they depend on.

A brand's page, composer brief, ``brand.json``, gallery card, JSON-LD, social-card metadata, the
list of files it publishes (audio, charts, peaks, packs, card) and its findings are a function of:
its ``brand.yml`` as parsed (data and positions, and where it is shown from, for the findings), the
content of each audio file and the analysis that measured it (the analysis job keys), the Content
Credentials inputs (trust anchors, c2pa version), the build's limits, how links are written (probed
through the front end's ``link``), and the code and templates that shape them (a fingerprint of the
package's sources, templates and data files, so an edited template or view is never served stale).
:func:`brand_key` hashes all of them; a warm build that finds an entry under that key neither judges
nor renders the brand again (the judgement is in the entry: its findings).

Entries are JSON in the content-addressed :class:`~sonicguide.core.cache.Cache` (kind ``render``),
checked against their checksum sidecar like every entry. Published files are recorded relative to
the cache or the brands folder (so a cache shared between CI runners, restored at another path,
still hits); a file that is gone, or a cache file whose bytes no longer match its sidecar, makes the
entry a miss and the brand is rendered afresh (which reports and remakes the damaged part).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from sonicguide.core.cache import Cache, make_key, sidecar
from sonicguide.core.judge.findings import Finding
from sonicguide.core.views import layout
from sonicguide.core.views.brand_page import BrandCard
from sonicguide.core.views.brief import PageMeta
from sonicguide.core.views.soundmap import MapRow

#: Bump when the shape of an entry changes.
#: 3: entries list the cache entries the brand was made from (``uses``).
RENDER_VERSION = "3"
KIND = "render"
#: A slug no brand can have (slugs are lower-case words): only used to probe how links are written.
_PROBE_SLUG = "Probe-Brand"
#: Folders of the package whose files shape what a brand renders into.
_SOURCE_DIRS = ("core", "templates")


@dataclass
class RenderedBrand:
    """Everything the site output takes from one brand, as plain data.

    ``files`` maps a site source URI to bytes or a file to publish; ``pages``, ``page_titles``,
    ``page_meta`` and ``page_jsonld`` are keyed by page source URI as in ``SiteOutput``.
    """

    slug: str
    name: str
    page_uri: str
    brief_uri: str
    card: BrandCard
    pages: dict[str, str] = field(default_factory=dict)
    page_titles: dict[str, str] = field(default_factory=dict)
    page_meta: dict[str, PageMeta] = field(default_factory=dict)
    page_jsonld: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes | Path] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: The brand's rows of the sound map, for the comparison page's map of every brand.
    map_rows: list[MapRow] = field(default_factory=list)
    #: The cache entries judging and rendering the brand used (``kind/hh/file``): a build that takes
    #: the brand from the cache counts them as used too, so a prune keeps what re-rendering it needs.
    uses: list[str] = field(default_factory=list)


@cache
def code_fingerprint() -> str:
    """SHA-256 over the package's Python sources, templates and data files (paths and bytes).

    About 100 small files: a few milliseconds, once per process.
    """
    package = Path(str(resources.files("sonicguide")))
    digest = hashlib.sha256()
    for folder in _SOURCE_DIRS:
        for path in sorted((package / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def link_probe(link: Callable[[str, str], str]) -> list[str]:
    """How ``link(target_uri, page_uri)`` writes the links a brand's outputs contain (directory URLs
    or not), as a few sample links: part of the key, so a change of ``use_directory_urls`` re-renders."""
    slug = _PROBE_SLUG
    page, brief = layout.brand_page(slug), layout.brief_page(slug)
    pairs = [(layout.HOME, page), (page, layout.HOME), (brief, page), (page, brief),
             (layout.audio(slug, "audio/a.wav"), page), (layout.audio(slug, "audio/a.wav"), brief),
             (layout.brand_json(slug), page), (layout.social_card(slug), page), (layout.COMPARE, page)]
    return [link(target, source) for target, source in pairs]


def brand_key(*, source_sha256: str, display_file: str, asset_keys: Mapping[str, str], options: Any) -> str:
    """The cache key of one brand's rendered outputs.

    ``asset_keys``: asset id -> analysis job key (which hashes the file's content); ``options``:
    every other input, JSON-serialisable (limits, link probe, trust anchors, library versions).
    """
    return make_key(KIND, RENDER_VERSION, code_fingerprint(), source_sha256, display_file,
                    sorted(asset_keys.items()), options)


def load(store: Cache, key: str, *, cache_root: Path, brands_dir: Path) -> RenderedBrand | None:
    """The brand's outputs under ``key``, or ``None`` (missing, damaged, or a file it names is gone)."""
    value = store.get_json(KIND, key, load=_entry)
    if value is None:
        return None
    files: dict[str, bytes | Path] = {}
    for uri, ref in value["files"]:
        if "text" in ref:
            files[uri] = str(ref["text"]).encode("utf-8")
        elif "base64" in ref:
            files[uri] = base64.b64decode(ref["base64"])
        else:
            path = _resolve(str(ref["path"]), cache_root=cache_root, brands_dir=brands_dir)
            if not _sound(store, path, in_cache=str(ref["path"]).startswith("cache:")):
                return None
            files[uri] = path
    store.use_names(value["uses"])
    return RenderedBrand(
        slug=value["slug"], name=value["name"], page_uri=value["page_uri"], brief_uri=value["brief_uri"],
        card=cast(BrandCard, value["card"]), pages=value["pages"], page_titles=value["page_titles"],
        page_meta=cast(dict[str, PageMeta], value["page_meta"]), page_jsonld=value["page_jsonld"], files=files,
        findings=[Finding.model_validate(item) for item in value["findings"]],
        map_rows=[MapRow(**row) for row in value["map_rows"]], uses=list(value["uses"]))


def store_entry(store: Cache, key: str, rendered: RenderedBrand, *, cache_root: Path, brands_dir: Path) -> None:
    """Keep ``rendered`` under ``key`` (files outside the cache and the brands folder are kept by path)."""
    files: list[list[Any]] = []
    for uri, content in rendered.files.items():
        if isinstance(content, Path):
            files.append([uri, {"path": _relative(content, cache_root=cache_root, brands_dir=brands_dir)}])
        else:
            try:
                files.append([uri, {"text": content.decode("utf-8")}])
            except UnicodeDecodeError:
                files.append([uri, {"base64": base64.b64encode(content).decode("ascii")}])
    store.put_json(KIND, key, {
        "slug": rendered.slug, "name": rendered.name, "page_uri": rendered.page_uri,
        "brief_uri": rendered.brief_uri, "card": rendered.card, "pages": rendered.pages,
        "page_titles": rendered.page_titles, "page_meta": rendered.page_meta,
        "page_jsonld": rendered.page_jsonld, "files": files,
        "findings": [finding.model_dump(mode="json") for finding in rendered.findings],
        "map_rows": [dataclasses.asdict(row) for row in rendered.map_rows],
        "uses": sorted(rendered.uses),
    })


def _relative(path: Path, *, cache_root: Path, brands_dir: Path) -> str:
    for prefix, root in (("cache:", cache_root), ("brands:", brands_dir)):
        for inside, folder in ((path, root), (path.resolve(), root.resolve())):
            if inside.is_relative_to(folder):
                return prefix + inside.relative_to(folder).as_posix()
    return "abs:" + str(path)


def _resolve(ref: str, *, cache_root: Path, brands_dir: Path) -> Path:
    prefix, _, rest = ref.partition(":")
    if prefix == "cache":
        return cache_root / rest
    if prefix == "brands":
        return brands_dir / rest
    return Path(rest)


def _sound(store: Cache, path: Path, *, in_cache: bool) -> bool:
    """Whether ``path`` can be published as it is: it exists, and a cache file matches its sidecar
    (one ``stat`` when the manifest knows it)."""
    if not path.is_file():
        return False
    if not in_cache:
        return True
    try:
        expected = sidecar(path).read_text(encoding="ascii").strip()
        return store.content_hash(path) == expected
    except (OSError, ValueError):
        return False


_KEYS = ("slug", "name", "page_uri", "brief_uri", "card", "pages", "page_titles", "page_meta", "page_jsonld",
         "files", "findings", "map_rows", "uses")


_MAP_ROW_FIELDS = {f.name for f in dataclasses.fields(MapRow)}


def _entry(value: Any) -> dict[str, Any]:
    """``value`` if it has the shape :func:`store_entry` writes (raises ``TypeError`` otherwise)."""
    if not isinstance(value, dict) or set(value) != set(_KEYS):
        raise TypeError("not a rendered brand")
    if not (isinstance(value["files"], list) and all(isinstance(item, list) and len(item) == 2
                                                     and isinstance(item[1], dict) for item in value["files"])):
        raise TypeError("not a rendered brand's file list")
    if not (isinstance(value["map_rows"], list) and all(isinstance(row, dict) and set(row) == _MAP_ROW_FIELDS
                                                        for row in value["map_rows"])):
        raise TypeError("not a rendered brand's sound-map rows")
    if not (isinstance(value["uses"], list) and all(isinstance(name, str) for name in value["uses"])):
        raise TypeError("not a rendered brand's list of cache entries")
    return value
