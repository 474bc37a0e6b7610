"""Names that would silently replace each other in the built site, found before anything is built.

Four kinds of clash, each reported as a :class:`Problem` naming both sides:

- a brand slug equal to one of the site's own pages (``compare``, ``methodology``, ``schema``,
  ``assets``, ``search``) or to a page or folder of the user's ``docs_dir``;
- two touchpoints of a brand whose delivery packs get the same file name (:func:`layout.pack`);
- an asset whose HTML ids (the asset's anchor and the ids our fragments derive from it) equal an
  id the brand page already uses: a section heading, an element of our templates, the page title's
  heading, or another asset's;
- an audition (an asset heard through a touchpoint's playback chain, published as
  ``<stem>.<chain>.flac`` next to the asset's audio, :func:`layout.audition`) that would replace an
  asset's own audio file or another asset's audition.

Names are compared case-insensitively too: a site is often served from a case-insensitive disk.
Called by the build at its start and by ``sonicguide validate``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from sonicguide.core.errors import Problem
from sonicguide.core.load.brand import LoadedBrand
from sonicguide.core.load.yamlload import Loc
from sonicguide.core.views import layout, soundmap

#: Top-level names the site itself publishes, with what they are (for messages).
SITE_PAGES: dict[str, str] = {
    posixpath.dirname(layout.COMPARE): f"the comparison page ({layout.COMPARE})",
    posixpath.dirname(layout.METHODOLOGY): f"the methodology page ({layout.METHODOLOGY})",
    posixpath.dirname(layout.SCHEMA): f"the published JSON Schema ({layout.SCHEMA})",
    layout.ASSETS_PREFIX.split("/")[0]: "the theme's and sonicguide's scripts and styles (assets/)",
    "search": "the search index of the search plugin (search/)",
}

#: The brand-page templates whose literal ids a brand page carries.
_PAGE_TEMPLATES = ("brand/page.md", "brand/sharing.md", "brand/conformance.html", "brand/logo_matrix.html",
                   "disclosure/macros.html", "player/macros.html")
#: ``id="..."`` in HTML, or the ``#id`` of a Markdown attribute list (``{: #id }``, other attributes
#: such as ``data-search-exclude="true"`` allowed after it).
_LITERAL_ID = re.compile(r"""(?:\sid="([a-z0-9][a-z0-9_-]*)"|\{:\s*#([a-z0-9][a-z0-9_-]*)(?=[\s}])[^}\n]*\})""")
#: Ids the brand-page templates derive from an asset id (``{id}``); keep in step with the templates.
ASSET_ID_PATTERNS = ("{id}", "{id}-title", "{id}-details", "sg-{id}-title", "sg-{id}-desc", "sg-share-{id}",
                     "sg-disclosure-{id}", "sg-disclosure-{id}-title", "sg-disclosure-{id}-caption")


def brand_html_ids(slug: str, asset_count: int) -> list[str]:
    """Ids the brand page derives from its slug (the loudness-matched comparison and its items)."""
    uid = f"sg-compare-compare-{slug}"
    return [f"{uid}-title", *(f"{uid}-{index}" for index in range(asset_count))]


@cache
def template_ids() -> frozenset[str]:
    """Every literal id in the brand-page templates (``id="..."`` and ``{: #... }``)."""
    root = resources.files("sonicguide") / "templates"
    found: set[str] = set()
    for name in _PAGE_TEMPLATES:
        text = (root / name).read_text(encoding="utf-8")
        for match in _LITERAL_ID.finditer(text):
            found.add(match.group(1) or match.group(2))
    return frozenset(found | set(soundmap.BRAND_MAP_IDS))


def asset_html_ids(asset_id: str) -> list[str]:
    """The ids an asset's section, player, sharing row and disclosure carry on the brand page."""
    return [pattern.format(id=asset_id) for pattern in ASSET_ID_PATTERNS]


def heading_id(text: str) -> str:
    """The id Python-Markdown's toc extension gives a heading with ``text`` (its default slugify)."""
    from markdown.extensions.toc import slugify

    return str(slugify(text, "-"))


def check_collisions(brands: Iterable[LoadedBrand], *, docs_pages: Iterable[str] = ()) -> list[Problem]:
    """Every clash among the brands, the site's own pages and ``docs_pages`` (source URIs of docs_dir,
    ``/``-separated, e.g. ``compare.md`` or ``acme/notes.md``)."""
    brands = list(brands)
    docs = sorted(set(docs_pages))
    problems: list[Problem] = []
    for page in docs:
        what = _site_output(page)
        if what:
            problems.append(Problem(f"docs/{page}", None, None, "", (
                f"publishes where the site puts {what}; rename or move the page.")))
    for loaded in brands:
        problems += _slug_clashes(loaded, docs)
        problems += _pack_clashes(loaded)
        problems += _id_clashes(loaded)
        problems += _audition_clashes(loaded)
    return problems


def _page_dir(uri: str) -> str | None:
    """The folder a Markdown page publishes into (``acme.md`` and ``acme/index.md``: ``acme``)."""
    if not uri.casefold().endswith(".md"):
        return None
    stem = uri[:-3]
    head, _, name = stem.rpartition("/")
    return head if name.casefold() in {"index", "readme"} else stem


def _site_output(uri: str) -> str | None:
    """What of the site's own output the docs file ``uri`` would replace (``None``: nothing)."""
    folded = uri.casefold()
    page_dir = (_page_dir(uri) or "").casefold()
    for site_page in (layout.COMPARE, layout.METHODOLOGY):
        if page_dir and page_dir == posixpath.dirname(site_page):
            return SITE_PAGES[page_dir]
    if folded == layout.SCHEMA or folded.startswith(f"{layout.ASSETS_PREFIX}/") or folded.startswith("search/"):
        return SITE_PAGES[folded.split("/", 1)[0]]
    return None


def _brand_output(loaded: LoadedBrand, uri: str) -> bool:
    """Whether the docs file ``uri`` would replace one of the brand's pages or files."""
    slug = loaded.slug
    page_dir = _page_dir(uri)
    if page_dir is not None:
        return page_dir.casefold() in {slug, posixpath.dirname(layout.brief_page(slug))}
    folded = uri.casefold()
    files = {layout.brand_json(slug), layout.social_card(slug),
             *(layout.audio(slug, asset.file).casefold() for asset in loaded.brand.assets),
             *(layout.logo_image(slug, name, image.extension) for name, image in loaded.images.items()),
             *(uri.casefold() for uri, _index, _chain in _auditions(loaded))}
    folders = tuple(f"{slug}/{name}/" for name in ("charts", "peaks", "packs"))
    return folded in files or folded.startswith(folders)


def _slug_clashes(loaded: LoadedBrand, docs: list[str]) -> list[Problem]:
    slug = loaded.slug
    problems = []
    if slug.casefold() in SITE_PAGES:
        problems.append(Problem(loaded.document.file, None, None, "", (
            f"the brand folder name {slug!r} would publish the brand at {slug}/, where the site puts "
            f"{SITE_PAGES[slug.casefold()]}; rename the brand folder.")))
    for page in docs:
        if _brand_output(loaded, page):
            problems.append(Problem(loaded.document.file, None, None, "", (
                f"the brand folder name {slug!r} publishes the brand's pages and files under {slug}/, and "
                f"docs_dir has '{page}', which would be replaced; rename the brand folder or move the page.")))
    return problems


def _pack_clashes(loaded: LoadedBrand) -> list[Problem]:
    problems = []
    seen: dict[str, tuple[str | None, int | None]] = {layout.pack(loaded.slug).casefold(): (None, None)}
    for index, touchpoint in enumerate(loaded.brand.touchpoints):
        uri = layout.pack(loaded.slug, touchpoint.id)
        other = seen.get(uri.casefold())
        if other is None:
            seen[uri.casefold()] = (touchpoint.id, index)
            continue
        other_id, other_index = other
        if other_id is None:
            what = "the pack of all the brand's assets"
        else:
            what = f"touchpoint {other_id!r}'s pack{_at_line(loaded, ('touchpoints', other_index or 0, 'id'))}"
        problems.append(loaded.document.problem(("touchpoints", index, "id"), (
            f"touchpoint {touchpoint.id!r} would publish its delivery pack as '{uri}', the same file as "
            f"{what}; rename one of the touchpoints.")))
    return problems


def _id_clashes(loaded: LoadedBrand) -> list[Problem]:
    problems = []
    taken: dict[str, str] = {name: f"an element of the brand page ({name!r})" for name in template_ids()}
    for name in brand_html_ids(loaded.slug, len(loaded.brand.assets)):
        taken[name] = f"the brand page's loudness-matched comparison ({name!r})"
    title_id = heading_id(loaded.brand.identity.name)
    if title_id:
        taken.setdefault(title_id, f"the page title's heading ({loaded.brand.identity.name!r} -> #{title_id})")
    for index, asset in enumerate(loaded.brand.assets):
        clashes = [(name, taken[name.casefold()]) for name in asset_html_ids(asset.id) if name.casefold() in taken]
        if clashes:
            name, owner = clashes[0]
            problems.append(loaded.document.problem(("assets", index, "id"), (
                f"asset id {asset.id!r} gives the page the HTML id {name!r}, already used by {owner}, so "
                f"the link {loaded.slug}/#{name} would not be stable; choose another asset id.")))
            continue
        where = _at_line(loaded, ("assets", index, "id"))
        for name in asset_html_ids(asset.id):
            taken[name.casefold()] = f"asset {asset.id!r}{where}"
    return problems


def _auditions(loaded: LoadedBrand) -> list[tuple[str, int, str]]:
    """Every audition the brand publishes: ``(uri, asset index, chain id)``, in brand.yml order."""
    found = []
    for index, asset in enumerate(loaded.brand.assets):
        chains = dict.fromkeys(tp.playback.chain for tp in loaded.brand.touchpoints_of(asset) if tp.playback)
        found += [(layout.audition(loaded.slug, asset.file, chain), index, chain) for chain in chains]
    return found


def _audition_clashes(loaded: LoadedBrand) -> list[Problem]:
    """Auditions that would replace an asset's audio file, or each other (two files of one stem)."""
    problems = []
    assets = loaded.brand.assets
    audio = {layout.audio(loaded.slug, asset.file).casefold(): index for index, asset in enumerate(assets)}
    published: dict[str, int] = {}
    for uri, index, chain in _auditions(loaded):
        asset = assets[index]
        real = audio.get(uri.casefold())
        if real is not None:
            where = _at_line(loaded, ("assets", index, "file"))
            problems.append(loaded.document.problem(("assets", real, "file"), (
                f"the audio file {assets[real].file!r} has the name of asset {asset.id!r}'s audition through "
                f"{chain} ('{uri}'; asset {asset.id!r} is {asset.file!r}{where}), and one would replace the "
                "other in the site; rename this file (auditions are named <stem>.<chain>.flac).")))
            continue
        other = published.get(uri.casefold())
        if other is not None and other != index:
            where = _at_line(loaded, ("assets", other, "file"))
            problems.append(loaded.document.problem(("assets", index, "file"), (
                f"asset {asset.id!r} ({asset.file!r}) and asset {assets[other].id!r} ({assets[other].file!r}{where}) "
                f"would both publish their audition through {chain} as '{uri}'; rename one of the files so "
                "that their names differ before the extension.")))
            continue
        published[uri.casefold()] = index
    return problems


def _at_line(loaded: LoadedBrand, path: Loc) -> str:
    """" (line N)" for the YAML line of ``path`` in the brand's file, or "" when it has none."""
    line, _ = loaded.document.where(path)
    return f" (line {line})" if line else ""
