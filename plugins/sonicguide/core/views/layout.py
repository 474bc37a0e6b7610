"""Where everything goes in the built site, as MkDocs source URIs (``/``-separated, relative).

Brand pages are ``<slug>/index.md`` so that they land at ``<slug>/index.html`` whether or not
``use_directory_urls`` is on; the front end turns a source URI into a URL relative to the page
that links to it.
"""

from __future__ import annotations

import posixpath

HOME = "index.md"
METHODOLOGY = "methodology/index.md"
SCHEMA = "schema/brand.schema.json"
#: JSON Schema of ``<slug>/brand.json`` (the brand's report), published beside the brand schema.
REPORT_SCHEMA = "schema/brand-report.schema.json"
ASSETS_PREFIX = "assets/sonicguide"


def brand_page(slug: str) -> str:
    return f"{slug}/index.md"


def brand_json(slug: str) -> str:
    return f"{slug}/brand.json"


def audio(slug: str, relative_file: str) -> str:
    """The published copy of an asset's audio: the same relative path inside the brand folder."""
    return f"{slug}/{posixpath.normpath(relative_file.strip())}"


def audition(slug: str, relative_file: str, chain_id: str) -> str:
    """An asset heard through a playback chain, published next to its audio:
    ``<slug>/audio/logo.wav`` -> ``<slug>/audio/logo.phone-narrowband.flac``."""
    stem = posixpath.splitext(audio(slug, relative_file))[0]
    return f"{stem}.{chain_id}.flac"


def chart(slug: str, asset_id: str, kind: str, theme: str) -> str:
    return f"{slug}/charts/{asset_id}-{kind}-{theme}.svg"


def peaks(slug: str, asset_id: str) -> str:
    return f"{slug}/peaks/{asset_id}.json"


# -- browsing and sharing (issue 7) -------------------------------------------------------------
COMPARE = "compare/index.md"


def brief_page(slug: str) -> str:
    return f"{slug}/brief/index.md"


def social_card(slug: str) -> str:
    return f"{slug}/social-card.png"


def pack(slug: str, touchpoint_id: str | None = None) -> str:
    """A delivery pack: ``<slug>/packs/<slug>-all.zip`` or ``<slug>/packs/<slug>-<touchpoint>.zip``."""
    if touchpoint_id is None:
        return f"{slug}/packs/{slug}-all.zip"
    # A touchpoint may be called "all": keep its pack apart from the whole-brand pack.
    name = f"touchpoint-{touchpoint_id}" if touchpoint_id == "all" else touchpoint_id
    return f"{slug}/packs/{slug}-{name}.zip"


def pack_plan(slug: str, touchpoint_id: str | None = None) -> str:
    """A delivery pack's published plan (its zip as parts): ``<slug>/packs/<name>.pack.json``."""
    return pack(slug, touchpoint_id).removesuffix(".zip") + ".pack.json"


def pack_file(slug: str, touchpoint_id: str | None, name: str) -> str:
    """A file a delivery pack publishes besides its plan (``manifest.json``, ``LICENSE.txt``):
    ``<slug>/packs/<name>/<file>``."""
    return f"{pack(slug, touchpoint_id).removesuffix('.zip')}/{name}"


# -- the brand's own look (issue 12) -------------------------------------------------------------


def logo_image(slug: str, name: str, extension: str) -> str:
    """The published logo image: ``<slug>/brand-logo.svg``, ``<slug>/brand-logo-dark.png``, ...
    (``name`` is the ``identity.look`` field, ``logo`` or ``logo_dark``)."""
    return f"{slug}/brand-{name.replace('_', '-')}{extension}"
