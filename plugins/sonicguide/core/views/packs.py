"""Delivery packs: deterministic zips of a brand's downloadable assets, with a manifest and a licence sheet,
described by their parts instead of stored.

One pack per brand (every downloadable asset) and one per touchpoint (the downloadable assets used
there). Each zip holds the audio files (at their path inside the brand folder), ``manifest.json`` and
``LICENSE.txt``. Assets marked ``downloadable: false`` never enter a pack.

**Content, not paths, decides identity.** A zip of its own per pack would store every audio file
once per pack that holds it (one 10 MB WAV in 60 touchpoints: 60 copies in the site and in the
cache). Instead a pack is published as a *plan* (``<slug>/packs/<name>.pack.json``, see
:func:`plan_json`): the exact bytes of a STORE-only zip (:mod:`sonicguide.core.zipplan`) as a list of
parts, small header bytes inline (base64) and references to files published once on the site (the
asset's audio where the page plays it, and the pack's own ``manifest.json`` and ``LICENSE.txt`` in
``<slug>/packs/<name>/``). The brand page's download button (``assets/js/packs.js``) and
``sonicguide pack`` concatenate the parts into the zip; its size and SHA-256, shown on the page and
in the plan, are those of exactly those bytes.

Same input, same bytes: members are sorted by name, every member is stored with the DOS epoch
1980-01-01 00:00:00, permissions 0644 and the Unix "made by" system; no time or host name is
written anywhere.

The zip's SHA-256 is cached by the parts' content (header bytes and each referenced file's SHA-256),
:data:`PACK_VERSION`, and each audio file's CRC-32 by the file's SHA-256, so a warm build reads no
audio for its packs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from sonicguide.core import zipplan
from sonicguide.core.cache import Cache, make_key
from sonicguide.core.judge import conformance
from sonicguide.core.judge.report import BrandReport
from sonicguide.core.views import layout

#: Bump when the zip layout, manifest, licence sheet or plan changes; part of every pack key.
PACK_VERSION = "2"
MANIFEST_SCHEMA = 1
#: ``format`` and ``format_version`` of a pack plan (``<name>.pack.json``).
PLAN_FORMAT = "sonicguide-pack-plan"
PLAN_VERSION = 1
#: 1980-01-01 00:00:00, the earliest time a zip entry can carry.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass
class Pack:
    """One delivery pack, described by its parts.

    ``uri``: the zip's name as a site URI (never stored: the file a download produces); ``plan_uri``:
    its published plan; ``manifest_uri`` / ``licence_uri``: its published manifest and licence
    sheet; ``files``: the small files the pack publishes (plan, manifest, licence), by site URI;
    ``members``: ``{"path", "uri", "asset_ids"}`` per audio member (``uri``: the published audio);
    ``scope``: ``"all"`` or ``"touchpoint"``; ``touchpoint``: ``{"id", "name"}`` or None;
    ``asset_ids``: the assets in it (YAML order); ``size_bytes`` / ``sha256``: of the zip;
    ``manifest``: the manifest as written into the zip.
    """

    uri: str
    plan_uri: str
    manifest_uri: str
    licence_uri: str
    scope: str
    touchpoint: dict[str, str] | None
    asset_ids: list[str]
    size_bytes: int
    sha256: str
    files: dict[str, bytes] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


#: Names the pack itself uses at its root.
RESERVED_NAMES = ("manifest.json", "LICENSE.txt")


def member_path(relative_file: str) -> str:
    """Path of an asset's audio inside a pack: its normalised path in the brand folder.

    A file that would take the name of the manifest or the licence sheet goes under ``audio/``.
    """
    path = posixpath.normpath(relative_file.strip()).lstrip("/")
    return f"audio/{path}" if path in RESERVED_NAMES else path


def brand_packs(report: BrandReport, cache: Cache) -> list[Pack]:
    """Build (or take from the cache) every pack of one brand.

    An asset whose file could not be measured still goes in, without measurements. Returns the
    whole-brand pack first, then one per touchpoint in YAML order; a scope with no downloadable
    asset gives no pack.
    """
    brand = report.brand
    downloadable = [asset for asset in brand.assets if asset.downloadable]
    scopes: list[tuple[str | None, list[str]]] = [(None, [a.id for a in downloadable])]
    for tp in brand.touchpoints:
        used = {a.id for a in downloadable if tp.uses(a)}
        scopes.append((tp.id, [a.id for a in downloadable if a.id in used]))
    packs: list[Pack] = []
    for touchpoint_id, asset_ids in scopes:
        if asset_ids:
            packs.append(_pack(report, touchpoint_id, asset_ids, cache))
    return packs


def manifest_data(report: BrandReport, touchpoint_id: str | None, asset_ids: list[str],
                  cache: Cache) -> dict[str, Any]:
    """The pack's ``manifest.json`` as plain data.

    Keys: ``schema`` (int), ``generator``, ``brand`` ``{"slug", "name", "guide_version", "guide_date"}``,
    ``scope`` ("all" or "touchpoint"), ``touchpoint`` (``{"id", "name", "loudness_target",
    "max_duration_s", "formats"}`` or None), ``usage_rights`` (the brand's, or None), ``files``:
    one entry per asset in YAML order, ``{"path", "asset_id", "title", "role", "size_bytes",
    "sha256", "format": {"container", "codec", "sample_rate_hz", "bit_depth", "channels",
    "duration_s"}, "loudness": {"integrated_lufs", "true_peak_dbtp", "loudness_range_lu"},
    "disclosure": {"iptc_term", "iptc_uri", "tier", "tier_label", "human_percent",
    "ai_training"}, "usage_rights": {... as above, "ai_training"}}``. Loudness values are
    LUFS/dBTP/LU measured at build time (None when not measurable).
    """
    loaded, brand = report.loaded, report.brand
    rights = brand.usage_rights.model_dump(mode="json") if brand.usage_rights else None
    assets = {asset.id: asset for asset in brand.assets}
    files = []
    for asset_id in asset_ids:
        asset = assets[asset_id]
        path = loaded.asset_paths[asset_id]
        judged = report.asset(asset_id)
        measured = judged.measurements
        form = measured.format.model_dump() if measured else {}
        loud = measured.loudness.model_dump() if measured else {}
        derived = judged.disclosure
        files.append({
            "path": member_path(asset.file),
            "asset_id": asset.id,
            "title": asset.title,
            "role": asset.role,
            "size_bytes": path.stat().st_size,
            "sha256": cache.content_hash(path),
            "format": {"container": form.get("container"), "codec": form.get("codec"),
                       "sample_rate_hz": form.get("sample_rate_hz"), "bit_depth": form.get("bit_depth"),
                       "channels": form.get("channels"), "duration_s": form.get("duration_s")},
            "loudness": {"integrated_lufs": loud.get("integrated_lufs"),
                         "true_peak_dbtp": loud.get("true_peak_dbtp"),
                         "loudness_range_lu": loud.get("loudness_range_lu")},
            "disclosure": {"iptc_term": derived["iptc"]["term"], "iptc_uri": derived["iptc"]["uri"],
                           "tier": derived["tier"]["id"], "tier_label": derived["tier"]["label"],
                           "human_percent": derived["human_percent"],
                           "ai_training": asset.disclosure.ai_training},
            "usage_rights": {**(rights or {}), "ai_training": asset.disclosure.ai_training},
        })
    touchpoint = None
    if touchpoint_id is not None:
        tp = next(t for t in brand.touchpoints if t.id == touchpoint_id)
        target = conformance.resolve_loudness(tp.loudness) if tp.loudness is not None else None
        touchpoint = {"id": tp.id, "name": tp.name,
                      "loudness_target": None if target is None else {
                          name: target[name]
                          for name in ("integrated_lufs", "tolerance_lu", "true_peak_dbtp", "standard")},
                      "max_duration_s": tp.max_duration_s, "formats": list(tp.formats)}
    return {
        "schema": MANIFEST_SCHEMA,
        "generator": "sonicguide",
        "brand": {"slug": loaded.slug, "name": brand.identity.name, "guide_version": brand.identity.version,
                  "guide_date": brand.identity.date.isoformat() if brand.identity.date else None},
        "scope": "all" if touchpoint_id is None else "touchpoint",
        "touchpoint": touchpoint,
        "usage_rights": rights,
        "files": files,
    }


def licence_text(manifest: dict[str, Any]) -> str:
    """The plain-text licence and usage sheet of a pack (LF line ends, ends with a newline)."""
    brand = manifest["brand"]
    rights = manifest["usage_rights"] or {}
    scope = ("every downloadable asset" if manifest["touchpoint"] is None
             else f"the assets for the touchpoint \"{manifest['touchpoint']['name']}\"")
    lines = [
        f"{brand['name']}: licence and usage sheet",
        "",
        f"This pack holds {scope} of the {brand['name']} sonic identity"
        + (f", guide version {brand['guide_version']}" if brand["guide_version"] else "") + ".",
        "",
        f"Owner:        {rights.get('owner') or 'not stated'}",
        f"Licence:      {rights.get('license') or 'not stated'}",
        f"Territories:  {', '.join(rights.get('territories') or []) or 'not stated'}",
        f"Term:         {rights.get('term') or 'not stated'}",
        f"Contact:      {rights.get('contact') or 'not stated'}",
    ]
    if rights.get("summary"):
        lines += ["", str(rights["summary"])]
    lines += ["", "Restrictions:"]
    lines += [f"  - {r}" for r in rights.get("restrictions") or []] or ["  none stated"]
    lines += ["", "Assets (AI training and data mining permission, origin):"]
    for item in manifest["files"]:
        training = "allowed" if item["disclosure"]["ai_training"] == "allowed" else "NOT allowed"
        lines.append(f"  - {item['path']}: {item['title']}")
        lines.append(f"      AI training and data mining: {training}")
        iptc = item["disclosure"]["iptc_term"]
        origin = item["disclosure"]["tier_label"] + (f" (IPTC {iptc})" if iptc else "")
        lines.append(f"      origin: {origin}")
        lines.append(f"      sha256: {item['sha256']}")
    lines += ["", "Checksums and measured loudness of every file are in manifest.json.",
              "When this sheet and the published guide differ, the guide governs.", ""]
    return "\n".join(lines)


def _pack(report: BrandReport, touchpoint_id: str | None, asset_ids: list[str], cache: Cache) -> Pack:
    loaded = report.loaded
    manifest = manifest_data(report, touchpoint_id, asset_ids, cache)
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    licence_bytes = licence_text(manifest).encode("utf-8")
    uri = layout.pack(loaded.slug, touchpoint_id)
    manifest_uri = layout.pack_file(loaded.slug, touchpoint_id, RESERVED_NAMES[0])
    licence_uri = layout.pack_file(loaded.slug, touchpoint_id, RESERVED_NAMES[1])
    # name -> (site URI, file to read or bytes, SHA-256, asset ids); a file shared by assets goes in once.
    sources: dict[str, tuple[str, Path | bytes, str, list[str]]] = {
        RESERVED_NAMES[0]: (manifest_uri, manifest_bytes, hashlib.sha256(manifest_bytes).hexdigest(), []),
        RESERVED_NAMES[1]: (licence_uri, licence_bytes, hashlib.sha256(licence_bytes).hexdigest(), []),
    }
    assets = {asset.id: asset for asset in loaded.brand.assets}
    for asset_id in asset_ids:
        name = member_path(assets[asset_id].file)
        if name in sources:
            sources[name][3].append(asset_id)
            continue
        path = loaded.asset_paths[asset_id]
        sources[name] = (layout.audio(loaded.slug, assets[asset_id].file), path, cache.content_hash(path), [asset_id])
    members = []
    for name in sorted(sources):
        site_uri, content, sha256, _ids = sources[name]
        if isinstance(content, bytes):
            size, crc = len(content), zipplan.bytes_crc32(content)
        else:
            size, crc = content.stat().st_size, _crc32(content, sha256, cache)
        members.append(zipplan.Member(name=name, size_bytes=size, crc32=crc, source=site_uri))
    zip_layout = zipplan.layout(members)
    digests = {member.source: sources[member.name][2] for member in members}
    key = make_key("pack", PACK_VERSION, [base64.b64encode(part).decode("ascii") if isinstance(part, bytes)
                                          else [digests[part.source], part.size_bytes] for part in zip_layout.parts])
    cached = cache.get_json("packs", key, load=_digest_entry)
    if cached is None:
        readers = {sources[name][0]: sources[name][1] for name in sources}

        def open_member(member: zipplan.Member) -> BinaryIO:
            content = readers[member.source]
            return io.BytesIO(content) if isinstance(content, bytes) else content.open("rb")

        sha256, size = zipplan.sha256_and_size(zipplan.chunks(zip_layout.parts, open_member))
        cached = {"sha256": sha256, "size_bytes": size}
        cache.put_json("packs", key, cached)
    plan_uri = layout.pack_plan(loaded.slug, touchpoint_id)
    plan = plan_json(name=uri.rsplit("/", 1)[-1], plan_uri=plan_uri, zip_layout=zip_layout, digests=digests,
                     sha256=cached["sha256"])
    touchpoint = None
    if touchpoint_id is not None:
        touchpoint = {"id": touchpoint_id, "name": manifest["touchpoint"]["name"]}
    return Pack(uri=uri, plan_uri=plan_uri, manifest_uri=manifest_uri, licence_uri=licence_uri,
                scope=manifest["scope"], touchpoint=touchpoint, asset_ids=list(asset_ids),
                size_bytes=zip_layout.size_bytes, sha256=cached["sha256"],
                files={plan_uri: plan, manifest_uri: manifest_bytes, licence_uri: licence_bytes},
                members=[{"path": name, "uri": sources[name][0], "asset_ids": sources[name][3]}
                         for name in sorted(sources) if name not in RESERVED_NAMES],
                manifest=manifest)


def plan_json(*, name: str, plan_uri: str, zip_layout: zipplan.Layout, digests: dict[str, str],
              sha256: str) -> bytes:
    """The published plan of a pack: UTF-8 JSON, one line, keys in this order.

    ``format`` (:data:`PLAN_FORMAT`), ``format_version`` (:data:`PLAN_VERSION`), ``name`` (the zip's
    file name), ``size_bytes`` and ``sha256`` (of the whole zip), ``parts``: the zip in order, each
    ``{"base64": ...}`` (bytes as they are) or ``{"url", "size_bytes", "sha256"}`` (a published file,
    ``url`` relative to the plan and percent-encoded).
    """
    folder = posixpath.dirname(plan_uri)
    parts: list[dict[str, Any]] = []
    for part in zip_layout.parts:
        if isinstance(part, bytes):
            parts.append({"base64": base64.b64encode(part).decode("ascii")})
        else:
            parts.append({"url": quote(posixpath.relpath(part.source, folder)), "size_bytes": part.size_bytes,
                          "sha256": digests[part.source]})
    plan = {"format": PLAN_FORMAT, "format_version": PLAN_VERSION, "name": name,
            "size_bytes": zip_layout.size_bytes, "sha256": sha256, "parts": parts}
    return (json.dumps(plan, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def _crc32(path: Path, sha256: str, cache: Cache) -> int:
    """CRC-32 of an audio file, cached by its content's SHA-256."""
    entry = cache.get_json("crc32", sha256, load=_crc_entry)
    if entry is not None:
        return int(entry["crc32"])
    crc = zipplan.file_crc32(path)
    cache.put_json("crc32", sha256, {"crc32": crc})
    return crc


def _crc_entry(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not isinstance(value.get("crc32"), int) or not 0 <= value["crc32"] <= 0xFFFFFFFF:
        raise ValueError("expected a CRC-32")
    return value


def _digest_entry(value: Any) -> dict[str, Any]:
    if (not isinstance(value, dict) or not isinstance(value.get("size_bytes"), int)
            or not isinstance(value.get("sha256"), str) or len(value["sha256"]) != 64):
        raise ValueError("expected a pack's SHA-256 and size")
    return value
