"""Browsing many brands: the gallery home page (cards and filter facets) and the comparison table.

Both pages are rendered from the brand cards that :func:`sonicguide.core.views.brand_page.brand_page_markdown`
returns (``BrandPage.card``): ``{"slug", "name", "tagline", "industry", "attributes": [str],
"tier": {"id", "label", ...} | None, "page_uri", "logo": {"id", "title", "audio_uri", "mime"} | None,
"tempo": str | None, "tempo_bpm", "keys": [str], "touchpoint_targets": [{"touchpoint", "target",
"standard"}], ...}`` (:class:`~sonicguide.core.views.brand_page.BrandCard`), plus the optional keys this
module's callers add: ``"measured_lufs"`` (``{"min", "max"}`` integrated LUFS over the brand's
measured assets, or None), ``"brief_uri"`` and ``"asset_count"``.

The gallery filters work without a server: every card carries its facets in ``data-`` attributes
(``data-industry``, ``data-tier``, ``data-attributes`` as a JSON list) and ``assets/js/gallery.js``
hides the cards that do not match the chosen filters. The comparison is one table that reads as
cards on narrow screens; gallery.js makes its columns sortable (each sortable cell carries its
value in ``data-sort``), and without JavaScript it stays a plain table.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sonicguide.core.judge.vocabulary import TIER_LABELS, TIER_ORDER
from sonicguide.core.views import format as fmt
from sonicguide.core.views import layout
from sonicguide.core.views.brand_page import logo_image_src
from sonicguide.core.views.render import render

#: ``link(target_uri)`` -> URL relative to the page being rendered.
PageLink = Callable[[str], str]


def facets(cards: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Filter options with how many brands each matches.

    Returns ``{"industries": [{"value", "label", "count"}], "tiers": [...], "attributes": [...]}``:
    industries and attributes sorted case-insensitively, tiers in the order human-made first.
    Attributes are matched by exact name.
    """
    industries: Counter[str] = Counter()
    tiers: Counter[str] = Counter()
    attributes: Counter[str] = Counter()
    for card in cards:
        industries[card["industry"]] += 1
        if card.get("tier"):
            tiers[card["tier"]["id"]] += 1
        attributes.update(set(card.get("attributes") or []))

    def options(counter: Counter[str]) -> list[dict[str, Any]]:
        return [{"value": value, "label": value, "count": counter[value]}
                for value in sorted(counter, key=lambda v: (v.casefold(), v))]

    return {
        "industries": options(industries),
        "tiers": [{"value": tier, "label": TIER_LABELS[tier], "count": tiers[tier]}
                  for tier in TIER_ORDER if tiers[tier]],
        "attributes": options(attributes),
    }


def gallery_cards(cards: Iterable[Mapping[str, Any]], link: PageLink) -> list[dict[str, Any]]:
    """Cards with the URLs and data attributes the home template needs.

    Adds ``href`` (brand page), ``brief_href`` (or None), ``logo.src``, ``logo_image_src``
    (:func:`~sonicguide.core.views.brand_page.logo_image_src`) and ``data_attributes``
    (the attribute names as a JSON list, for ``data-attributes``).
    """
    rows = []
    for card in cards:
        row = dict(card)
        row["href"] = link(card["page_uri"])
        row["brief_href"] = link(card["brief_uri"]) if card.get("brief_uri") else None
        if card.get("logo"):
            row["logo"] = {**card["logo"], "src": link(card["logo"]["audio_uri"])}
        row["logo_player"] = card_player(card, row["logo"]["src"]) if card.get("logo") else None
        row["logo_image_src"] = logo_image_src(card.get("logo_image"), link)
        row["data_attributes"] = json.dumps(list(card.get("attributes") or []), ensure_ascii=False)
        rows.append(row)
    return rows


def card_player(card: Mapping[str, Any], src: str) -> dict[str, Any] | None:
    """The site's player for a card's sonic logo (``templates/player/macros.html`` data), or None
    when the card's logo lacks the player fields (``pages.card_logo_player_fields``)."""
    logo = card["logo"]
    if "duration_s" not in logo:
        return None
    return fmt.player_labels({
        "id": logo["id"], "title": f"{card['name']}: {logo['title']}", "src": src, "mime": logo["mime"],
        "duration_s": logo["duration_s"], "integrated_lufs": logo["integrated_lufs"], "peaks": [],
        "peaks_percent": logo["peaks_percent"], "regions": [], "markers": [], "downloadable": False,
        "text_alternative": logo["text_alternative"], "transcript": None})


def home_page_markdown(cards: Sequence[Mapping[str, Any]], link: PageLink) -> str:
    """The gallery: a filter form (enhanced by gallery.js) and one card per brand."""
    return render("home/page.md", brands=gallery_cards(cards, link), facets=facets(cards),
                  methodology_url=link(layout.METHODOLOGY), compare_url=link(layout.COMPARE))


#: The standard the measured loudness on the comparison page follows.
MEASURED_STANDARD = "ITU-R BS.1770-4"


def compare_rows(cards: Iterable[Mapping[str, Any]], link: PageLink) -> list[dict[str, Any]]:
    """One row per brand, every figure with what it is measured against.

    ``{"slug", "name", "href", "industry", "tagline", "attributes", "tier" (record or None),
    "human_percent", "logo_player" (the site's player for the sonic logo, or None), "logo_title",
    "tempo", "keys_and_modes", "targets": [{"touchpoint", "target", "standard"}],
    "logo_lufs" (the sonic logo's integrated loudness as text, or None), "measured" ("min to max
    LUFS" over every measured asset, or None), "asset_count", "look" (the brand's colours, as on
    its gallery card), "sort": {column: value}}``.
    ``sort`` holds what the sortable columns sort by (``"name"``, ``"tier"``, ``"human"``,
    ``"tempo"``, ``"logo_lufs"``): plain numbers or text, "" when the brand has no value.
    """
    rows = []
    for card in cards:
        measured = card.get("measured_lufs")
        text = None
        if measured:
            low, high = fmt.level(measured["min"], "LUFS"), fmt.level(measured["max"], "LUFS")
            text = low if low == high else f"{low} to {high}"
        tier = card.get("tier")
        logo = card.get("logo")
        logo_lufs = logo.get("integrated_lufs") if logo else None
        tempo_bpm = card.get("tempo_bpm")
        human = card.get("human_percent")
        rows.append({
            "slug": card["slug"], "name": card["name"], "href": link(card["page_uri"]),
            "industry": card["industry"], "tagline": card.get("tagline"),
            "attributes": list(card.get("attributes") or []),
            "tier": tier, "human_percent": human,
            "logo_player": card_player(card, link(logo["audio_uri"])) if logo else None,
            "logo_title": logo["title"] if logo else None,
            "tempo": card.get("tempo"), "keys_and_modes": list(card.get("keys") or []),
            "targets": list(card.get("touchpoint_targets") or []),
            "logo_lufs": None if logo_lufs is None else fmt.level(logo_lufs, "LUFS"),
            "measured": text, "asset_count": card.get("asset_count"), "look": card.get("look"),
            "logo_image_src": logo_image_src(card.get("logo_image"), link),
            "sort": {
                "name": card["name"].casefold(),
                "tier": "" if not tier else tier["rank"],
                "human": "" if human is None else human,
                "tempo": "" if not tempo_bpm else tempo_bpm["min"],
                "logo_lufs": "" if logo_lufs is None else round(float(logo_lufs), 1),
            },
        })
    return rows


def compare_page_markdown(cards: Sequence[Mapping[str, Any]], link: PageLink) -> str:
    """The comparison across brands: a table on wide screens, one card per brand on narrow ones,
    sortable by gallery.js. The cross-brand sound map (views/soundmap.py) follows it."""
    return render("compare/page.md", rows=compare_rows(cards, link), home_url=link(layout.HOME),
                  methodology_url=link(layout.METHODOLOGY), measured_standard=MEASURED_STANDARD)
