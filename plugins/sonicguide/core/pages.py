"""Brand pages, the home page and ``brand.json``: plain data in, Markdown with HTML blocks out.

Section headings are Markdown (so the table of contents and search sections work); every section
body is an HTML block rendered by our autoescaping Jinja environment. Text from YAML never
reaches Markdown unescaped: headings use :func:`markdown_inline_text`, bodies are escaped by Jinja,
and Markdown fields are rendered and sanitised by :func:`markdown_to_html`.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import conformance, credentials, disclosure, jsonld, layout, look
from . import format as fmt
from .brand import LoadedBrand
from .model import Asset, Brand, Touchpoint
from .pipeline import CHART_KINDS, AssetResult
from .render import markdown_inline_text, markdown_to_html, render

#: ``link(target_uri)`` -> URL relative to the page being rendered.
PageLink = Callable[[str], str]

CHART_LABELS = {"spectrum": "Average spectrum", "spectrogram": "Spectrogram", "loudness": "Loudness over time"}
ROLE_LABELS = {"logo": "Sonic logo", "theme": "Theme", "variant": "Variant", "cut-down": "Cut-down",
               "stem": "Stem", "bed": "Bed", "ui": "UI sound", "voice": "Voice"}
_MIME = {"wav": "audio/wav", "flac": "audio/flac", "mp3": "audio/mpeg", "ogg": "audio/ogg",
         "opus": "audio/ogg", "aiff": "audio/aiff", "m4a": "audio/mp4"}


@dataclass
class BrandPage:
    """A rendered brand page and what other outputs need from it."""

    markdown: str
    jsonld: str = ""
    warnings: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    card: dict[str, Any] = field(default_factory=dict)


def mime_type(container: str | None, file_name: str) -> str:
    if container and container in _MIME:
        return _MIME[container]
    guessed, _ = mimetypes.guess_type(file_name)
    return guessed or "application/octet-stream"


def asset_facts(summary: dict[str, Any]) -> list[dict[str, str]]:
    """Measured facts of one asset as label/value rows, ready to show."""
    form = summary.get("format") or {}
    loud = summary.get("loudness") or {}
    reasons = summary.get("null_reasons") or {}
    tempo = summary.get("tempo") or {}
    key = summary.get("key") or {}
    spectral = summary.get("spectral") or {}
    codec = form.get("codec") or ""
    container = (form.get("container") or "").upper()
    bit_depth = form.get("bit_depth")
    rows = [
        {"label": "Format", "value": f"{container} ({codec})" if codec else container},
        {"label": "Duration", "value": f"{fmt.duration(form.get('duration_s'))}"},
        {"label": "Sample rate", "value": fmt.sample_rate(form.get("sample_rate_hz"))},
        {"label": "Bit depth", "value": f"{bit_depth}-bit" if bit_depth else "not applicable (lossy)"},
        {"label": "Channels", "value": fmt.channels(form.get("channels"))},
        {"label": "Integrated loudness", "value": fmt.level(loud.get("integrated_lufs"), "LUFS",
                                                           reasons.get("integrated_lufs"))},
        {"label": "Loudness range", "value": fmt.level(loud.get("loudness_range_lu"), "LU",
                                                      reasons.get("loudness_range_lu"))},
        {"label": "Max momentary", "value": fmt.level(loud.get("max_momentary_lufs"), "LUFS",
                                                     reasons.get("max_momentary_lufs"))},
        {"label": "Max short-term", "value": fmt.level(loud.get("max_short_term_lufs"), "LUFS",
                                                      reasons.get("max_short_term_lufs"))},
        {"label": "True peak", "value": fmt.level(loud.get("true_peak_dbtp"), "dBTP", reasons.get("true_peak_dbtp"))},
        {"label": "Sample peak", "value": fmt.level(loud.get("sample_peak_dbfs"), "dBFS",
                                                   reasons.get("sample_peak_dbfs"))},
        {"label": "Spectral centroid", "value": fmt.hertz(spectral.get("centroid_hz"))},
        {"label": "Tempo", "value": fmt.estimate(tempo.get("bpm"), "BPM", tempo.get("confidence"),
                                                 tempo.get("reason"),
                                                 uncertain_below=conformance.MIN_TEMPO_CONFIDENCE)},
        {"label": "Key", "value": fmt.estimate(key.get("name"), "", key.get("confidence"), key.get("reason"),
                                               uncertain_below=conformance.MIN_ESTIMATE_CONFIDENCE)},
        {"label": "File size", "value": fmt.file_size(summary.get("file_bytes"))},
    ]
    mislabelled = form.get("mislabelled")
    if mislabelled:
        rows.append({"label": "Warning", "value": str(mislabelled)})
    return rows


def brand_page_markdown(loaded: LoadedBrand, results: dict[str, AssetResult], link: PageLink, *,
                        credential_states: dict[str, dict[str, Any]]) -> BrandPage:
    """Render one brand's page; ``credential_states`` maps asset id to :func:`credentials.read_credentials`."""
    brand = loaded.brand
    assets_by_id = {asset.id: asset for asset in brand.assets}
    warnings: list[str] = []

    def asset_ref(asset_id: str | None) -> dict[str, str] | None:
        if asset_id is None or asset_id not in assets_by_id:
            return None
        return {"id": asset_id, "title": assets_by_id[asset_id].title, "href": f"#{asset_id}"}

    derived = {asset.id: disclosure.derive_asset(asset) for asset in brand.assets}
    reports = {asset_id: (None if result.error else result.summary) for asset_id, result in results.items()}
    matrix = conformance.check_brand(brand, reports, slug=loaded.slug)
    for failure in matrix.get("failures", []):
        warnings.append(f"{loaded.slug}: conformance: {failure}")
    policy = disclosure.check_policy(brand)
    for message in disclosure.policy_warnings(policy, brand_name=brand.identity.name):
        warnings.append(f"{loaded.slug}: disclosure: {message}")
    summary = disclosure.brand_summary(brand)
    tree = disclosure.lineage(brand)

    asset_rows: list[dict[str, Any]] = []
    asset_urls: dict[str, str] = {}
    for asset in brand.assets:
        result = results[asset.id]
        audio_url = link(layout.audio(loaded.slug, asset.file))
        asset_urls[asset.id] = audio_url
        state = credential_states[asset.id]
        clashes = credentials.contradictions(derived[asset.id], state)
        for clash in clashes:
            warnings.append(f"{loaded.slug}/{asset.id}: Content Credentials contradict the disclosure: {clash}")
        if not asset.text_alternative and not asset.transcript:
            warnings.append(f"{loaded.slug}/{asset.id}: no text_alternative or transcript; people who cannot "
                            "hear the asset get nothing. Add text_alternative to the asset.")
        asset_rows.append(_asset_context(loaded, asset, result, link, audio_url, derived[asset.id], state, clashes,
                                         asset_ref, [{"id": tp.id, "name": tp.name}
                                                     for tp in brand.touchpoints_of(asset)]))

    context: dict[str, Any] = {
        "slug": loaded.slug,
        "title_md": markdown_inline_text(brand.identity.name),
        "identity": identity_context(brand),
        "tier": summary.get("tier"),
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
        "compare": {"id": f"compare-{loaded.slug}", "items": [
            {"id": row["id"], "title": row["title"], "src": row["player"]["src"], "mime": row["player"]["mime"],
             "integrated_lufs": row["player"]["integrated_lufs"]} for row in asset_rows if not row["error"]]},
        "conformance": matrix,
        "conformance_tables": conformance_tables(matrix),
        "disclosure_summary": summary,
        "policy": {"statement": brand.disclosure_policy.statement, "target_tier": brand.disclosure_policy.target_tier,
                   "results": policy},
        "lineage": tree,
        "brand_json_url": link(layout.brand_json(loaded.slug)),
        "methodology_url": link(layout.METHODOLOGY),
    }
    context.update(hero_context(brand, asset_rows, summary))
    context["look"], look_warnings = look_context(loaded)
    warnings.extend(look_warnings)
    # JSON-LD goes to <head> (theme partial): Material's instant navigation re-creates scripts in
    # the content without their type, and would run the data as JavaScript.
    durations = {asset_id: {"duration_s": (report.get("format") or {}).get("duration_s")} if report else None
                 for asset_id, report in reports.items()}
    page_jsonld = jsonld.brand_jsonld(brand, slug=loaded.slug, asset_urls=asset_urls, reports=durations,
                                      page_url=None)
    markdown = render("brand/page.md", **context)
    card = {
        "slug": loaded.slug,
        "name": brand.identity.name,
        "tagline": brand.identity.tagline,
        "industry": brand.identity.industry,
        "attributes": [a.name for a in brand.strategy.attributes],
        "tier": summary.get("tier"),
        "human_percent": (summary.get("human_share") or {}).get("percent"),
        "page_uri": layout.brand_page(loaded.slug),
        "logo": _card_logo(loaded, asset_rows),
        "tempo": context["dna"]["tempo"],
        "keys": context["dna"]["keys_and_modes"],
        "loudness_targets": sorted({tp["loudness"]["label"] for tp in context["touchpoints"] if tp["loudness"]}),
        "look": context["look"],
    }
    data = {"conformance": matrix, "disclosure": {"assets": derived, "summary": summary, "policy": policy,
                                                   "lineage": tree},
            "credentials": credential_states, "urls": asset_urls}
    return BrandPage(markdown=markdown, jsonld=page_jsonld, warnings=warnings, data=data, card=card)


def _asset_context(loaded: LoadedBrand, asset: Asset, result: AssetResult, link: PageLink, audio_url: str,
                   derived: dict[str, Any], credential_state: dict[str, Any], clashes: list[str],
                   asset_ref: Callable[[str | None], dict[str, str] | None],
                   touchpoints: list[dict[str, str]]) -> dict[str, Any]:
    summary = result.summary
    form = summary.get("format") or {}
    loud = summary.get("loudness") or {}
    regions = []
    for stage_name, stage in asset.disclosure.stages.items():
        for segment in stage.segments:
            regions.append({"start_s": segment.start_s, "end_s": segment.end_s, "kind": segment.mode.value,
                            "label": f"{segment.description} ({stage_name.value.replace('_', ' ')}, "
                                     f"{segment.mode.value})"})
    regions.sort(key=lambda region: (region["start_s"], region["end_s"], region["label"]))
    player = {
        "id": asset.id,
        "title": asset.title,
        "src": audio_url,
        "mime": mime_type(form.get("container"), asset.file),
        "duration_s": form.get("duration_s") or 0.0,
        "integrated_lufs": loud.get("integrated_lufs"),
        "peaks": summary.get("peaks_columns") or [],
        "peaks_percent": [round(value * 100) for pair in summary.get("peaks_columns") or []
                          for value in pair],
        "regions": regions,
        "markers": [{"at_s": m.at_s, "label": m.label} for m in sorted(asset.markers, key=lambda m: m.at_s)],
        "downloadable": asset.downloadable,
        "text_alternative": asset.text_alternative,
        "transcript": asset.transcript,
    }
    charts = []
    for kind in CHART_KINDS:
        if f"{kind}-light" in result.charts:
            charts.append({"kind": kind, "label": CHART_LABELS[kind],
                           "light": link(layout.chart(loaded.slug, asset.id, kind, "light")),
                           "dark": link(layout.chart(loaded.slug, asset.id, kind, "dark")),
                           "alt": result.alt.get(kind, CHART_LABELS[kind])})
    return {
        "id": asset.id,
        "title": asset.title,
        "title_md": markdown_inline_text(asset.title),
        "role": ROLE_LABELS[asset.role],
        "variant_of": asset_ref(asset.variant_of),
        "touchpoints": touchpoints,
        "description_html": markdown_to_html(asset.description),
        "credits": [c.model_dump(mode="json") for c in asset.credits],
        "player": player,
        "facts": asset_facts(summary) if not result.error else [],
        "charts": charts,
        "peaks_url": link(layout.peaks(loaded.slug, asset.id)) if result.peaks_path else None,
        "download_url": audio_url if asset.downloadable else None,
        "disclosure": derived,
        "credentials": credential_state,
        "credential_clashes": clashes,
        "error": result.error,
    }


def hero_context(brand: Brand, asset_rows: list[dict[str, Any]], summary: dict[str, Any]) -> dict[str, Any]:
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


def look_context(loaded: LoadedBrand) -> tuple[dict[str, Any] | None, list[str]]:
    """The brand's colours for its page and gallery card, and a warning per colour replaced.

    Returns ``({"light": {"primary", "accent"}, "dark": {...}}, warnings)`` (``#rrggbb`` or None
    where the brand gives no such colour), or ``(None, [])`` without ``identity.look``.
    """
    given = loaded.brand.identity.look
    if given is None or (given.primary is None and given.accent is None and given.accent_dark is None):
        return None, []
    colours = look.brand_colours(given.primary, given.accent, given.accent_dark)
    warnings = [f"{loaded.document.problem(('identity', 'look', a.field), look.adjustment_message(a))}"
                for a in colours.adjustments]
    return {scheme: {"primary": chosen.get("primary"), "accent": chosen.get("accent")}
            for scheme, chosen in (("light", colours.light), ("dark", colours.dark))}, warnings


def conformance_tables(matrix: dict[str, Any]) -> list[dict[str, Any]]:
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
        tempo = f"{dna.tempo_bpm.min:g}\u2013{dna.tempo_bpm.max:g} BPM"
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
        if target.get("integrated_lufs") is not None:
            parts.append(f"{fmt.signed(target['integrated_lufs'])} LUFS \u00b1 {target['tolerance_lu']:g} LU")
        if target.get("true_peak_dbtp") is not None:
            parts.append(f"true peak \u2264 {fmt.signed(target['true_peak_dbtp'])} dBTP")
        loudness = {"label": ", ".join(parts), "standard": target["standard_name"],
                    "source": f"{target['source']} (checked {target['checked']})" if target["source"] else None}
    return {
        "id": tp.id,
        "name": tp.name,
        "description": tp.description,
        "assets": [ref for ref in (asset_ref(a.id) for a in brand.assets if tp.uses(a)) if ref],
        "loudness": loudness,
        "max_duration": fmt.duration(tp.max_duration_s) if tp.max_duration_s is not None else None,
        "formats": [f.upper() for f in tp.formats],
        "required": tp.required,
    }


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


def _card_logo(loaded: LoadedBrand, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    logo = loaded.brand.sonic_logo
    if logo is None:
        return None
    for row in rows:
        if row["id"] == logo.asset and not row["error"]:
            audio_uri = layout.audio(loaded.slug, _asset_file(loaded, row["id"]))
            return {"id": row["id"], "title": row["title"], "audio_uri": audio_uri, "mime": row["player"]["mime"],
                    **card_logo_player_fields(row["player"])}
    return None


def card_logo_player_fields(player: dict[str, Any]) -> dict[str, Any]:
    """What a gallery card's own player needs beyond the logo's id, title and URL: ``duration_s``,
    ``integrated_lufs``, ``peaks_percent`` and ``text_alternative`` (from the asset's player data)."""
    return {key: player[key] for key in ("duration_s", "integrated_lufs", "peaks_percent", "text_alternative")}


def _asset_file(loaded: LoadedBrand, asset_id: str) -> str:
    return next(asset.file for asset in loaded.brand.assets if asset.id == asset_id)


def methodology_page_markdown() -> str:
    return disclosure.methodology_markdown()


def brand_json_data(loaded: LoadedBrand, results: dict[str, AssetResult], page_data: dict[str, Any]) -> dict[str, Any]:
    """Everything a tool needs: the validated brand, every measurement, the derived disclosure."""
    measurements = {}
    for asset in loaded.brand.assets:
        result = results[asset.id]
        measurements[asset.id] = {"error": result.error} if result.error else {
            key: value for key, value in result.summary.items() if key != "peaks_columns"}
    return {
        "sonicguide": {"schema_version": loaded.brand.schema_version, "slug": loaded.slug},
        "brand": loaded.brand.model_dump(mode="json"),
        "measurements": measurements,
        "urls": page_data.get("urls", {}),
        "conformance": page_data.get("conformance"),
        "disclosure": page_data.get("disclosure"),
        "credentials": page_data.get("credentials"),
    }
