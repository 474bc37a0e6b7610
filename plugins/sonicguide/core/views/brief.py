"""Sharing a brand: the printable composer brief, the brand page's "Share and download" section and
the social-card metadata of its pages.

:func:`brand_sharing` is the one entry point the site build calls per brand; it returns plain data
(:class:`BrandSharing`) that the site output takes as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from sonicguide.core import timing
from sonicguide.core.cache import Cache
from sonicguide.core.judge.report import BrandReport
from sonicguide.core.views import format as fmt
from sonicguide.core.views import layout, packs, social
from sonicguide.core.views.brand_page import (
    ROLE_LABELS,
    dna_context,
    identity_context,
    logo_context,
    strategy_context,
    touchpoint_context,
)
from sonicguide.core.views.render import markdown_inline_text, render

#: ``link(target_uri, page_uri)`` -> URL of the target relative to the page.
Link = Callable[[str, str], str]

_DESCRIPTION_CHARS = 200


class PageMeta(TypedDict):
    """What a page's ``<head>`` says about it (Open Graph, Twitter card, description): plain text,
    escaped by the front end; ``image`` is the social card's source URI."""

    title: str
    description: str
    image: str
    image_alt: str


@dataclass
class BrandSharing:
    """What sharing adds to the site for one brand.

    ``section_markdown``: appended to the brand page; ``pages`` / ``files`` / ``page_titles`` /
    ``page_meta``: as in ``SiteOutput``; ``packs``: the brand's delivery packs;
    ``measured_lufs``: ``{"min", "max"}`` integrated LUFS over measured assets, or None.
    """

    section_markdown: str
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes | Path] = field(default_factory=dict)
    page_titles: dict[str, str] = field(default_factory=dict)
    page_meta: dict[str, PageMeta] = field(default_factory=dict)
    packs: list[packs.Pack] = field(default_factory=list)
    measured_lufs: dict[str, float] | None = None


def brand_sharing(report: BrandReport, link: Link, cache: Cache) -> BrandSharing:
    """Brief page, packs, social card and page metadata of one brand, shaped from its report."""
    loaded, brand = report.loaded, report.brand
    page_uri = layout.brand_page(loaded.slug)
    brief_uri = layout.brief_page(loaded.slug)
    tier = report.disclosure.get("tier")
    with timing.stage("packs"):
        built_packs = packs.brand_packs(report, cache)
    files: dict[str, bytes | Path] = {uri: data for pack in built_packs for uri, data in pack.files.items()}

    logo_peaks: list[list[float]] = []
    if brand.sonic_logo is not None and brand.sonic_logo.asset in {judged.id for judged in report.assets}:
        logo = report.asset(brand.sonic_logo.asset).measurements
        logo_peaks = logo.peaks_columns if logo else []
    fields = social.card_fields(name=brand.identity.name, tagline=brand.identity.tagline,
                                industry=brand.identity.industry, tier_label=tier["label"] if tier else None,
                                peaks=logo_peaks)
    card_uri = layout.social_card(loaded.slug)
    with timing.stage("cards"):
        files[card_uri] = social.social_card(fields, cache)
    description = _shorten(brand.identity.tagline or brand.strategy.essence)
    meta: PageMeta = {"title": brand.identity.name, "description": description, "image": card_uri,
            "image_alt": social.card_alt(fields)}

    assets = _asset_rows(report)
    section = render("brand/sharing.md", slug=loaded.slug, name=brand.identity.name,
                     brief_url=link(brief_uri, page_uri), assets=assets,
                     packs=[_pack_row(pack, lambda uri: link(uri, page_uri), brand) for pack in built_packs],
                     withheld=[a for a in assets if not a["downloadable"]])
    brief = render("brand/brief.md", slug=loaded.slug, title_md=markdown_inline_text(brand.identity.name),
                   identity=identity_context(brand), tier=tier, strategy=strategy_context(brand),
                   dna=dna_context(brand),
                   logo=logo_context(brand, lambda _asset_id: None),
                   dos=[g.text for g in brand.dos], donts=[g.text for g in brand.donts],
                   touchpoints=[touchpoint_context(brand, tp, lambda _asset_id: None) for tp in brand.touchpoints],
                   delivery=brand.delivery.model_dump(mode="json") if brand.delivery else None,
                   usage_rights=brand.usage_rights.model_dump(mode="json") if brand.usage_rights else None,
                   usage_line=_usage_line(brand), logo_line=_logo_line(brand),
                   assets=assets, guide_url=link(page_uri, brief_uri),
                   all_pack_url=(link(page_uri, brief_uri) + "#sg-packs"
                                 if built_packs and built_packs[0].scope == "all" else None))
    measured = [a["integrated_lufs"] for a in assets if a["integrated_lufs"] is not None]
    return BrandSharing(
        section_markdown=section,
        pages={brief_uri: brief},
        files=files,
        page_titles={brief_uri: f"{brand.identity.name}: composer brief"},
        page_meta={page_uri: meta, brief_uri: {**meta, "title": f"{brand.identity.name}: composer brief"}},
        packs=built_packs,
        measured_lufs={"min": min(measured), "max": max(measured)} if measured else None,
    )


def _asset_rows(report: BrandReport) -> list[dict[str, Any]]:
    rows = []
    for judged in report.assets:
        asset, measured = judged.asset, judged.measurements
        container = measured.format.container if measured else None
        duration_s = measured.format.duration_s if measured else None
        integrated = measured.loudness.integrated_lufs if measured else None
        rows.append({
            "id": asset.id, "title": asset.title, "role": ROLE_LABELS[asset.role],
            "file": asset.file,
            "format": (container or "").upper() or None,
            "duration": fmt.duration(duration_s) if duration_s is not None else None,
            "integrated_lufs": integrated,
            "loudness": fmt.level(integrated, "LUFS", None),
            "true_peak": fmt.level(measured.loudness.true_peak_dbtp if measured else None, "dBTP", None),
            "tier_label": judged.disclosure["tier"]["label"],
            "ai_training": asset.disclosure.ai_training,
            "downloadable": asset.downloadable,
            "text_alternative": asset.text_alternative,
        })
    return rows


def _pack_row(pack: packs.Pack, link: Callable[[str], str], brand: Any) -> dict[str, Any]:
    """One row of the packs table: the plan the download button assembles, and the manifest, licence
    and audio files it is made of (the links that work without JavaScript)."""
    titles = {asset.id: asset.title for asset in brand.assets}
    return {"plan_url": link(pack.plan_uri), "file_name": pack.uri.rsplit("/", 1)[-1],
            "label": "Everything" if pack.touchpoint is None else pack.touchpoint["name"],
            "manifest_url": link(pack.manifest_uri), "licence_url": link(pack.licence_uri),
            "files": [{"url": link(member["uri"]), "path": member["path"],
                       "titles": [titles[a] for a in member["asset_ids"]]} for member in pack.members],
            "assets": [titles[a] for a in pack.asset_ids], "size": fmt.file_size(pack.size_bytes),
            "size_bytes": pack.size_bytes, "sha256": pack.sha256}


def _logo_line(brand: Any) -> str | None:
    """The sonic logo in one line: motif; duration; sync point (texts from YAML joined by
    format.join_clauses, so their own punctuation never doubles ours)."""
    logo = brand.sonic_logo
    if logo is None:
        return None
    sync = None
    if logo.sync_point:
        at = f" at {fmt.duration(logo.sync_point_s)}" if logo.sync_point_s is not None else ""
        sync = f"sync{at}: {logo.sync_point}"
    duration = fmt.duration(logo.duration_s) if logo.duration_s is not None else None
    return fmt.join_clauses([logo.motif, duration, sync], end="")


def _usage_line(brand: Any) -> str | None:
    """Usage rights in sentences: owner; licence; territories; term. Restrictions: ...; ...."""
    rights = brand.usage_rights
    if rights is None:
        return None
    data = rights.model_dump(mode="json")
    owner = f"owned by {data['owner']}" if data.get("owner") else None
    territories = ", ".join(data["territories"]) if data.get("territories") else None
    line = fmt.join_clauses([owner, data.get("license"), territories, data.get("term")])
    if data.get("restrictions"):
        line = fmt.join_clauses([line, "Restrictions: " + fmt.join_clauses(data["restrictions"])], separator=" ")
    return line


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _DESCRIPTION_CHARS:
        return text
    return text[:_DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"
