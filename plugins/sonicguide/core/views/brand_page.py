"""The brand page: a brand's report shaped into Markdown with HTML blocks (it judges nothing).

Section headings are Markdown (so the table of contents and search sections work); every section
body is an HTML block rendered by our autoescaping Jinja environment. Text from YAML never
reaches Markdown unescaped: headings use :func:`markdown_inline_text`, bodies are escaped by Jinja,
and Markdown fields are rendered and sanitised by :func:`markdown_to_html`.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict

from sonicguide.core.audio.measurements import Measurements
from sonicguide.core.audio.pipeline import CHART_KINDS
from sonicguide.core.judge import conformance
from sonicguide.core.judge.records import TierRecord
from sonicguide.core.judge.report import AssetReport, BrandReport
from sonicguide.core.load.model import Brand, Touchpoint
from sonicguide.core.views import format as fmt
from sonicguide.core.views import jsonld, layout
from sonicguide.core.views.logo_matrix import logo_markers, logo_matrix_context
from sonicguide.core.views.render import markdown_inline_text, markdown_to_html, render

#: ``link(target_uri)`` -> URL relative to the page being rendered.
PageLink = Callable[[str], str]

CHART_LABELS = {"spectrum": "Average spectrum", "spectrogram": "Spectrogram", "loudness": "Loudness over time"}
#: Shortest sound that gets a loudness-over-time chart: two momentary values (400 ms blocks every
#: 100 ms, ITU-R BS.1770-4; core/audio/loudness.py) make the shortest curve. Shorter sounds get a
#: sentence saying so instead of a chart with one dot or none.
MIN_LOUDNESS_CURVE_S = 0.5
ROLE_LABELS = {"logo": "Sonic logo", "theme": "Theme", "variant": "Variant", "cut-down": "Cut-down",
               "stem": "Stem", "bed": "Bed", "ui": "UI sound", "voice": "Voice", "ivr": "IVR / on-hold",
               "alert": "Notification or alert"}
_MIME = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg",
         "opus": "audio/ogg", "aiff": "audio/aiff", "m4a": "audio/mp4"}


class TouchpointTarget(TypedDict):
    """A touchpoint's loudness target on a card: ``target`` as shown on the brand page
    (``"-16 LUFS ± 1 LU, true peak ≤ -1 dBTP"``), ``standard`` the named standard or None for the
    brand's own numbers."""

    touchpoint: str
    target: str
    standard: str | None


class LogoImageRef(TypedDict):
    """Where a brand's logo image is published (source URIs, :func:`layout.logo_image`):
    ``uri_dark`` for the dark palette, or None when the light one is shown there on a light plate;
    ``width`` and ``height`` when known (PNG pixels, an SVG's plain-number size), for the aspect
    ratio."""

    uri: str
    uri_dark: str | None
    width: float | None
    height: float | None


def logo_image_ref(report: BrandReport) -> LogoImageRef | None:
    """The brand's logo image (``identity.look.logo``) as published, or None when it gives none."""
    images = report.loaded.images
    light = images.get("logo")
    if light is None:
        return None
    dark = images.get("logo_dark")
    return {"uri": layout.logo_image(report.slug, "logo", light.extension),
            "uri_dark": layout.logo_image(report.slug, "logo_dark", dark.extension) if dark else None,
            "width": light.width, "height": light.height}


def logo_image_src(image: LogoImageRef | None, link: PageLink) -> dict[str, Any] | None:
    """The logo image with URLs relative to the page, ``src`` and ``src_dark`` (the data of
    ``templates/brand/logo_image.html``), or None."""
    if image is None:
        return None
    return {**image, "src": link(image["uri"]), "src_dark": link(image["uri_dark"]) if image["uri_dark"] else None}


class BrandCard(TypedDict):
    """What the gallery and the comparison show of a brand (made here, read by :mod:`.browse`).

    ``logo``: ``{"id", "title", "audio_uri", "mime", "duration_s", "integrated_lufs", "peaks_percent",
    "text_alternative"}`` or None; ``tempo_bpm``: the declared tempo range (``{"min", "max"}``) or
    None; ``touchpoint_targets``: each touchpoint's loudness target in words, named by its
    touchpoint and standard (:class:`TouchpointTarget`); ``measured_lufs`` (``{"min", "max"}`` integrated LUFS over the
    measured assets, or None), ``brief_uri`` and ``asset_count`` are added by the site build.
    """

    slug: str
    name: str
    tagline: str | None
    industry: str
    attributes: list[str]
    tier: TierRecord
    policy_breached: bool
    human_percent: int | None
    page_uri: str
    logo: dict[str, Any] | None
    tempo: str | None
    tempo_bpm: dict[str, float] | None
    keys: list[str]
    touchpoint_targets: list[TouchpointTarget]
    look: Mapping[str, Mapping[str, str | None]] | None
    logo_image: LogoImageRef | None
    brief_uri: NotRequired[str]
    measured_lufs: NotRequired[dict[str, float] | None]
    asset_count: NotRequired[int]


@dataclass
class BrandPage:
    """A rendered brand page and what other outputs need from it."""

    markdown: str
    jsonld: str
    card: BrandCard
    #: Asset id -> URL of its audio relative to the page (and to ``brand.json`` beside it).
    asset_urls: dict[str, str] = field(default_factory=dict)


def mime_type(container: str | None, file_name: str) -> str:
    if container and container in _MIME:
        return _MIME[container]
    guessed, _ = mimetypes.guess_type(file_name)
    return guessed or "application/octet-stream"


def asset_facts(measured: Measurements, role: str | None = None) -> list[dict[str, str]]:
    """Measured facts of one asset as label/value rows, ready to show.

    For roles where a tempo or key means nothing (:data:`conformance.NON_MUSICAL_ROLES`) the
    estimates are not shown as facts: the rows say why instead."""
    form, loud, tempo, key = measured.format, measured.loudness, measured.tempo, measured.key
    reason = measured.reason
    codec = form.codec or ""
    container = (form.container or "").upper()
    rows = [
        {"label": "Format", "value": f"{container} ({codec})" if codec else container},
        {"label": "Duration", "value": f"{fmt.duration(form.duration_s)}"},
        {"label": "Sample rate", "value": fmt.sample_rate(form.sample_rate_hz)},
        {"label": "Bit depth", "value": f"{form.bit_depth}-bit" if form.bit_depth else "not applicable (lossy)"},
        {"label": "Channels", "value": fmt.channels(form.channels)},
        {"label": "Integrated loudness", "value": fmt.level(loud.integrated_lufs, "LUFS", reason("integrated_lufs"))},
        {"label": "Loudness range", "value": fmt.level(loud.loudness_range_lu, "LU", reason("loudness_range_lu"))},
        {"label": "Max momentary", "value": fmt.level(loud.max_momentary_lufs, "LUFS",
                                                     reason("max_momentary_lufs"))},
        {"label": "Max short-term", "value": fmt.level(loud.max_short_term_lufs, "LUFS",
                                                      reason("max_short_term_lufs"))},
        {"label": "True peak", "value": fmt.level(loud.true_peak_dbtp, "dBTP", reason("true_peak_dbtp"))},
        {"label": "Sample peak", "value": fmt.level(loud.sample_peak_dbfs, "dBFS", reason("sample_peak_dbfs"))},
        {"label": "Spectral centroid", "value": fmt.hertz(measured.spectral.centroid_hz)},
        {"label": "Tempo", "value": fmt.estimate(tempo.bpm, "BPM", tempo.confidence, tempo.reason,
                                                 uncertain_below=conformance.MIN_TEMPO_CONFIDENCE)},
        {"label": "Key", "value": fmt.estimate(key.name, "", key.confidence, key.reason,
                                               uncertain_below=conformance.MIN_ESTIMATE_CONFIDENCE)},
        {"label": "File size", "value": fmt.file_size(measured.file_bytes)},
    ]
    if role in conformance.NON_MUSICAL_ROLES:
        why = f"not estimated for a {ROLE_LABELS[role].lower()} (tempo and key mean nothing here)"
        rows = [row if row["label"] not in ("Tempo", "Key") else {"label": row["label"], "value": why}
                for row in rows]
    if form.mislabelled:
        rows.append({"label": "Warning", "value": form.mislabelled})
    return rows


def brand_page_markdown(report: BrandReport, link: PageLink) -> BrandPage:
    """Shape one brand's report into its page (Markdown with HTML blocks), JSON-LD and gallery card."""
    loaded, brand = report.loaded, report.brand
    assets_by_id = {asset.id: asset for asset in brand.assets}

    def asset_ref(asset_id: str | None) -> dict[str, str] | None:
        if asset_id is None or asset_id not in assets_by_id:
            return None
        return {"id": asset_id, "title": assets_by_id[asset_id].title, "href": f"#{asset_id}"}

    summary = report.disclosure
    asset_rows: list[dict[str, Any]] = []
    asset_urls: dict[str, str] = {}
    for asset_report in report.assets:
        asset = asset_report.asset
        audio_url = link(layout.audio(loaded.slug, asset.file))
        asset_urls[asset.id] = audio_url
        asset_rows.append(_asset_context(loaded.slug, asset_report, link, audio_url, asset_ref))

    context: dict[str, Any] = {
        "slug": loaded.slug,
        "title_md": markdown_inline_text(brand.identity.name),
        "identity": identity_context(brand),
        "tier": summary.get("tier"),
        "policy_breached": report.policy_breached,
        "strategy": strategy_context(brand),
        "dna": dna_context(brand),
        "logo": logo_context(brand, asset_ref),
        "touchpoints": [touchpoint_context(brand, tp, asset_ref) for tp in brand.touchpoints],
        "dos": [{"text": g.text, "example": asset_ref(g.example)} for g in brand.dos],
        "donts": [{"text": g.text, "example": asset_ref(g.example)} for g in brand.donts],
        "voice": _voice(brand),
        "ui_sounds": _ui_sounds(brand, asset_ref),
        "delivery": brand.delivery.model_dump(mode="json") if brand.delivery else None,
        "usage_rights": brand.usage_rights.model_dump(mode="json") if brand.usage_rights else None,
        "assets": asset_rows,
        "compare": fmt.comparison_labels({"id": f"compare-{loaded.slug}", "items": [
            {"id": row["id"], "title": row["title"], "src": row["player"]["src"], "mime": row["player"]["mime"],
             "integrated_lufs": row["player"]["integrated_lufs"]} for row in asset_rows if not row["error"]]}),
        "conformance": report.conformance,
        "conformance_tables": conformance_tables(report.conformance),
        "logo_matrix": logo_matrix_context(report.logo, report.brand),
        "disclosure_summary": summary,
        "policy": {"statement": brand.disclosure_policy.statement, "target_tier": brand.disclosure_policy.target_tier,
                   "results": list(report.policy)},
        "lineage": list(report.lineage),
        "brand_json_url": link(layout.brand_json(loaded.slug)),
        "methodology_url": link(layout.METHODOLOGY),
    }
    context.update(hero_context(brand, asset_rows, summary))
    context["look"] = report.look
    image = logo_image_ref(report)
    context["logo_image"] = logo_image_src(image, link)
    # JSON-LD goes to <head> (theme partial): Material's instant navigation re-creates scripts in
    # the content without their type, and would run the data as JavaScript.
    durations = {a.id: a.measurements.format.duration_s if a.measurements else None for a in report.assets}
    page_jsonld = jsonld.brand_jsonld(brand, slug=loaded.slug, asset_urls=asset_urls, durations=durations,
                                      derived=report.derived, page_url=None)
    markdown = render("brand/page.md", **context)
    tempo_range = brand.strategy.musical_dna.tempo_bpm
    card: BrandCard = {
        "slug": loaded.slug,
        "name": brand.identity.name,
        "tagline": brand.identity.tagline,
        "industry": brand.identity.industry,
        "attributes": [a.name for a in brand.strategy.attributes],
        "tier": summary["tier"],
        "policy_breached": report.policy_breached,
        "human_percent": summary["human_share"]["percent"],
        "page_uri": layout.brand_page(loaded.slug),
        "logo": _card_logo(report, asset_rows),
        "tempo": context["dna"]["tempo"],
        "tempo_bpm": None if tempo_range is None else {"min": tempo_range.min, "max": tempo_range.max},
        "keys": context["dna"]["keys_and_modes"],
        "touchpoint_targets": [{"touchpoint": tp["name"], "target": tp["loudness"]["label"],
                                "standard": tp["loudness"]["standard"]}
                               for tp in context["touchpoints"] if tp["loudness"]],
        "look": context["look"],
        "logo_image": logo_image_ref(report),
    }
    return BrandPage(markdown=markdown, jsonld=page_jsonld, card=card, asset_urls=asset_urls)


def _asset_context(slug: str, report: AssetReport, link: PageLink, audio_url: str,
                   asset_ref: Callable[[str | None], dict[str, str] | None]) -> dict[str, Any]:
    asset, analysis, measured = report.asset, report.analysis, report.measurements
    form = measured.format if measured else None
    regions = []
    for stage_name, stage in asset.disclosure.stages.items():
        for segment in stage.segments:
            regions.append({"start_s": segment.start_s, "end_s": segment.end_s, "kind": segment.mode.value,
                            "label": f"{segment.description} ({stage_name.value.replace('_', ' ')}, "
                                     f"{segment.mode.value})"})
    regions.sort(key=lambda region: (region["start_s"], region["end_s"], region["label"]))
    peaks = measured.peaks_columns if measured else []
    player = fmt.player_labels({
        "id": asset.id,
        "title": asset.title,
        "src": audio_url,
        "mime": mime_type(form.container if form else None, asset.file),
        "duration_s": (form.duration_s if form else None) or 0.0,
        "integrated_lufs": measured.loudness.integrated_lufs if measured else None,
        "peaks": peaks,
        "peaks_percent": [round(value * 100) for pair in peaks for value in pair],
        "regions": regions,
        "markers": logo_markers(measured, asset.markers),
        "downloadable": asset.downloadable,
        "auditions": audition_choices(slug, report, link),
        "text_alternative": asset.text_alternative,
        "transcript": asset.transcript,
    })
    charts = []
    chart_notes = []
    duration_s = form.duration_s if form else None
    for kind in CHART_KINDS:
        if kind == "loudness" and duration_s is not None and duration_s < MIN_LOUDNESS_CURVE_S:
            chart_notes.append({"label": CHART_LABELS[kind], "text": (
                f"not drawn: at {fmt.duration(duration_s)} the sound is too short for a curve, which needs at "
                "least two 400 ms loudness blocks (measured every 100 ms, ITU-R BS.1770-4).")})
            continue
        if f"{kind}-light" in analysis.charts:
            charts.append({"kind": kind, "label": CHART_LABELS[kind],
                           "light": link(layout.chart(slug, asset.id, kind, "light")),
                           "dark": link(layout.chart(slug, asset.id, kind, "dark")),
                           "alt": analysis.alt.get(kind, CHART_LABELS[kind])})
    return {
        "id": asset.id,
        "title": asset.title,
        "title_md": markdown_inline_text(asset.title),
        "role": ROLE_LABELS[asset.role],
        "variant_of": asset_ref(asset.variant_of),
        "touchpoints": [{"id": tp.id, "name": tp.name} for tp in report.touchpoints],
        "description_html": markdown_to_html(asset.description),
        "credits": [{**c.model_dump(mode="json"), "label": c.label} for c in asset.credits],
        "player": player,
        "facts": asset_facts(measured, asset.role) if measured is not None else [],
        "charts": charts,
        "chart_notes": chart_notes,
        "peaks_url": link(layout.peaks(slug, asset.id)) if analysis.peaks_path else None,
        "download_url": audio_url if asset.downloadable else None,
        "disclosure": report.disclosure,
        "credentials": report.credentials,
        "credential_clashes": list(report.clashes),
        "error": report.error,
    }


def audition_choices(slug: str, report: AssetReport, link: PageLink) -> list[dict[str, Any]]:
    """The player's "Hear it as on" choices: each audition's URL, name, effect in words and the gain
    (dB, at most 0) that plays every version of the asset at the loudness of the quietest; the
    original's gain is ``original_gain_db`` on the first choice's dict (repeated on each)."""
    measured = report.measurements
    if measured is None or not measured.auditions:
        return []
    published = report.analysis.auditions
    facts = [f for chain, f in measured.auditions.items() if chain in published]
    levels = [f.integrated_lufs for f in facts if f.integrated_lufs is not None]
    original = measured.loudness.integrated_lufs
    floor = min([*levels, original]) if original is not None and len(levels) == len(facts) else None

    def gain(lufs: float | None) -> float:
        return round(floor - lufs, 2) if floor is not None and lufs is not None else 0.0

    return [{"chain": f.chain, "name": f.chain_name, "src": link(layout.audition(slug, report.asset.file, f.chain)),
             "effect": fmt.audition_effect(f), "gain_db": gain(f.integrated_lufs),
             "original_gain_db": gain(original)} for f in facts]


def hero_context(brand: Brand, asset_rows: list[dict[str, Any]], summary: Mapping[str, Any]) -> dict[str, Any]:
    """What the first screen of a brand page adds to its context.

    ``hero_logo``: the sonic logo's player data (the ``player`` dict of its asset row), or None
    when the brand has no sonic logo or its file could not be measured; ``human_percent``: the
    brand's declared human-share estimate in percent, or None.
    """
    hero_logo = None
    logo = brand.sonic_logo
    if logo is not None:
        row = next((r for r in asset_rows if r["id"] == logo.asset and not r["error"]), None)
        if row is not None:
            hero_logo = row["player"]
    return {"hero_logo": hero_logo, "human_percent": (summary.get("human_share") or {}).get("percent")}


def conformance_tables(matrix: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The conformance matrix as two compact tables: asset × touchpoint, and asset × brand specs.

    Columns are the checks that occur (in order of first appearance); a cell is the check or
    ``None`` when it does not apply to that row.
    """
    tables = []
    for title, rows, against in (("Touchpoints", matrix.get("rows", []), "touchpoint_name"),
                                 ("Musical DNA and delivery specs", matrix.get("assets", []), None)):
        columns: dict[str, str] = {}
        for row in rows:
            for check in row["checks"]:
                columns.setdefault(check["check"], check["label"])
        table_rows = []
        for row in rows:
            if not row["checks"]:
                continue
            by_id = {check["check"]: check for check in row["checks"]}
            table_rows.append({"asset": row["asset"], "asset_title": row["asset_title"],
                               "against": row.get(against) if against else None,
                               "against_id": row.get("touchpoint"), "status": row["status"],
                               "cells": [by_id.get(check_id) for check_id in columns]})
        if table_rows:
            tables.append({"title": title, "columns": list(columns.values()), "rows": table_rows,
                           "has_against": against is not None})
    return tables


def identity_context(brand: Brand) -> dict[str, Any]:
    identity = brand.identity
    return {
        "name": identity.name,
        "tagline": identity.tagline,
        "industry": identity.industry,
        "summary_html": markdown_to_html(identity.summary),
        "owners": [o.model_dump(mode="json") for o in identity.owners],
        "version": identity.version,
        "date": identity.date.isoformat() if identity.date else None,
    }


def strategy_context(brand: Brand) -> dict[str, Any]:
    s = brand.strategy
    return {
        "essence": s.essence,
        "attributes": [a.model_dump(mode="json") for a in s.attributes],
        "emotional_range": [e.model_dump(mode="json") for e in s.emotional_range],
        "references": [r.model_dump(mode="json") for r in s.references],
    }


def dna_context(brand: Brand) -> dict[str, Any]:
    dna = brand.strategy.musical_dna
    tempo = None
    if dna.tempo_bpm is not None:
        tempo = f"{fmt.number(dna.tempo_bpm.min)}\u2013{fmt.number(dna.tempo_bpm.max)} BPM"
    return {
        "tempo": tempo,
        "keys_and_modes": list(dna.keys),
        "meter": dna.meter,
        "use": list(dna.instrumentation.use),
        "avoid": list(dna.instrumentation.avoid),
        "aesthetic": dna.production_aesthetic,
    }


def logo_context(brand: Brand, asset_ref: Callable[[str | None], dict[str, str] | None]) -> dict[str, Any] | None:
    logo = brand.sonic_logo
    if logo is None:
        return None
    return {
        "asset": asset_ref(logo.asset),
        "motif": logo.motif,
        "duration": fmt.duration(logo.duration_s) if logo.duration_s is not None else None,
        "sync_point": logo.sync_point,
        "sync_point_at": fmt.duration(logo.sync_point_s) if logo.sync_point_s is not None else None,
    }


def touchpoint_context(brand: Brand, tp: Touchpoint, asset_ref: Callable[[str | None], dict[str, str] | None]
                       ) -> dict[str, Any]:
    """A touchpoint for display: its effective loudness target and every asset used there."""
    target = conformance.resolve_loudness(tp.loudness) if tp.loudness is not None else None
    loudness = None
    if target is not None:
        parts = []
        integrated, ceiling = target["integrated_lufs"], target["true_peak_dbtp"]
        if integrated is not None:
            parts.append(f"{fmt.signed(integrated)} LUFS \u00b1 {fmt.number(target['tolerance_lu'])} LU")
        if ceiling is not None:
            parts.append(f"true peak \u2264 {fmt.signed(ceiling)} dBTP")
        loudness = {"label": ", ".join(parts), "standard": target["standard_name"],
                    "source": f"{target['source']} (checked {target['checked']})" if target["source"] else None}
    return {
        "id": tp.id,
        "name": tp.name,
        "description": tp.description,
        "assets": [ref for ref in (asset_ref(a.id) for a in brand.assets if tp.uses(a)) if ref],
        "loudness": loudness,
        "max_duration": _max_duration(tp),
        "profile": _profile(tp),
        "formats": [f.upper() for f in tp.formats],
        "required": tp.required,
    }


def _max_duration(tp: Touchpoint) -> str | None:
    """``"0:04.0"``, or per role ``"UI sound 0:01.0; Sonic logo 0:04.0"``."""
    limit = tp.max_duration_s
    if limit is None:
        return None
    if isinstance(limit, dict):
        return "; ".join(f"{ROLE_LABELS[role]} {fmt.duration(seconds)}" for role, seconds in limit.items())
    return fmt.duration(limit)


def _profile(tp: Touchpoint) -> str | None:
    """The touchpoint's technical profile in words: ``"8 kHz, mono, telephone-narrowband 300–3400 Hz"``."""
    profile = tp.profile
    if profile is None:
        return None
    parts = []
    if profile.sample_rate_hz is not None:
        parts.append(fmt.sample_rate(profile.sample_rate_hz))
    if profile.channels is not None:
        parts.append(fmt.channels(profile.channels))
    if profile.band_label() is not None:
        parts.append(f"{profile.band_label()} (at most {profile.max_energy_outside_percent:g} % of the energy "
                     "outside)")
    return ", ".join(parts) or None


def _voice(brand: Brand) -> dict[str, Any] | None:
    if brand.voice is None:
        return None
    data = brand.voice.model_dump(mode="json")
    data["summary_html"] = markdown_to_html(brand.voice.summary)
    return data


def _ui_sounds(brand: Brand, asset_ref: Callable[[str | None], dict[str, str] | None]) -> dict[str, Any] | None:
    if brand.ui_sounds is None:
        return None
    return {
        "summary_html": markdown_to_html(brand.ui_sounds.summary),
        "principles": list(brand.ui_sounds.principles),
        "sounds": [{"name": s.name, "trigger": s.trigger, "asset": asset_ref(s.asset)} for s in brand.ui_sounds.sounds],
    }


def _card_logo(report: BrandReport, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    logo = report.brand.sonic_logo
    if logo is None:
        return None
    for row in rows:
        if row["id"] == logo.asset and not row["error"]:
            audio_uri = layout.audio(report.slug, report.asset(row["id"]).asset.file)
            return {"id": row["id"], "title": row["title"], "audio_uri": audio_uri, "mime": row["player"]["mime"],
                    **card_logo_player_fields(row["player"])}
    return None


def card_logo_player_fields(player: dict[str, Any]) -> dict[str, Any]:
    """What a gallery card's own player needs beyond the logo's id, title and URL: ``duration_s``,
    ``integrated_lufs``, ``peaks_percent`` and ``text_alternative`` (from the asset's player data)."""
    return {key: player[key] for key in ("duration_s", "integrated_lufs", "peaks_percent", "text_alternative")}
