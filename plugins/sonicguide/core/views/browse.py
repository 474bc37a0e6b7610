"""Browsing many brands: the gallery home page (cards and filter facets) and the comparison table.

Both pages are rendered from the brand cards that :func:`sonicguide.core.views.brand_page.brand_page_markdown`
returns (``BrandPage.card``): ``{"slug", "name", "tagline", "industry", "attributes": [str],
"tier": {"id", "label", ...} | None, "page_uri", "logo": {"id", "title", "audio_uri", "mime"} | None,
"tempo": str | None, "keys": [str], "loudness_targets": [str]}``, plus the optional keys this
module's callers add: ``"measured_lufs"`` (``{"min", "max"}`` integrated LUFS over the brand's
measured assets, or None), ``"brief_uri"`` and ``"asset_count"``.

The gallery filters work without a server: every card carries its facets in ``data-`` attributes
(``data-industry``, ``data-tier``, ``data-attributes`` as a JSON list) and ``assets/js/gallery.js``
hides the cards that do not match the chosen filters.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sonicguide.core.judge.vocabulary import TIER_LABELS, TIER_ORDER
from sonicguide.core.views import format as fmt
from sonicguide.core.views import layout
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

    Adds ``href`` (brand page), ``brief_href`` (or None), ``logo.src`` and ``data_attributes``
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


def compare_rows(cards: Iterable[Mapping[str, Any]], link: PageLink) -> list[dict[str, Any]]:
    """One row per brand: ``{"slug", "name", "href", "industry", "tier_label", "tier_rank", "tempo",
    "keys_and_modes", "attributes", "loudness_targets", "measured"}`` (``measured``: "min to max LUFS" text
    or None)."""
    rows = []
    for card in cards:
        measured = card.get("measured_lufs")
        text = None
        if measured:
            low, high = measured["min"], measured["max"]
            text = (f"{fmt.plus_signed(low)} LUFS" if round(low, 1) == round(high, 1)
                    else f"{fmt.plus_signed(low)} to {fmt.plus_signed(high)} LUFS")
        tier = card.get("tier")
        rows.append({
            "slug": card["slug"], "name": card["name"], "href": link(card["page_uri"]),
            "industry": card["industry"],
            "tier_label": tier["label"] if tier else None,
            "tier_rank": tier["rank"] if tier else None,
            "tempo": card.get("tempo"), "keys_and_modes": list(card.get("keys") or []),
            "attributes": list(card.get("attributes") or []),
            "loudness_targets": list(card.get("loudness_targets") or []),
            "measured": text,
        })
    return rows


def compare_page_markdown(cards: Sequence[Mapping[str, Any]], link: PageLink) -> str:
    """The comparison table across brands."""
    return render("compare/page.md", rows=compare_rows(cards, link), home_url=link(layout.HOME))
