"""Delivery packs: deterministic zips of a brand's downloadable assets, with a manifest and a licence sheet.

One pack per brand (every downloadable asset) and one per touchpoint (the downloadable assets used
there). Each zip holds the audio files (at their path inside the brand folder),
``manifest.json`` and ``LICENSE.txt``. Assets marked ``downloadable: false`` never enter a pack.

Same input, same bytes: entries are sorted, every entry carries the DOS epoch 1980-01-01 00:00:00,
regular-file permissions 0644 and the Unix "made by" system; audio is stored (already compressed,
or PCM that deflates poorly for its cost), text is deflated at level 9. No time or host name is
written anywhere.

Packs are cached by content: the key is a hash of the manifest (which holds every member's
SHA-256), the licence text, :data:`PACK_VERSION` and the zlib version, so a warm build copies the
cached zip instead of zipping the audio again.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sonicguide.core.cache import Cache, make_key, seal_entry
from sonicguide.core.judge import conformance
from sonicguide.core.judge.report import BrandReport
from sonicguide.core.views import layout

#: Bump when the zip layout, manifest or licence sheet changes; part of every pack key.
PACK_VERSION = "1"
MANIFEST_SCHEMA = 1
#: 1980-01-01 00:00:00, the earliest time a zip entry can carry.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
TEXT_COMPRESSLEVEL = 9
_REGULAR_FILE_0644 = 0o100644 << 16
_UNIX = 3
_COPY_CHUNK = 1 << 20


@dataclass
class Pack:
    """One built delivery pack.

    ``uri``: where it is published (site source URI); ``path``: the cached zip to copy;
    ``scope``: ``"all"`` or ``"touchpoint"``; ``touchpoint``: ``{"id", "name"}`` or None;
    ``asset_ids``: the assets in it (YAML order); ``size_bytes``: the zip's size;
    ``sha256``: hex digest of the zip; ``manifest``: the manifest as written into the zip.
    """

    uri: str
    path: Path
    scope: str
    touchpoint: dict[str, str] | None
    asset_ids: list[str]
    size_bytes: int
    sha256: str
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


def write_pack(target: Path, entries: list[tuple[str, bytes | Path]]) -> None:
    """Write a deterministic zip of ``entries`` (name, bytes or file to copy) to ``target`` atomically.

    Entries are written sorted by name; bytes (text) are deflated at :data:`TEXT_COMPRESSLEVEL`,
    files (audio) are stored.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with zipfile.ZipFile(temp_name, "w") as archive:
            for name, content in sorted(entries, key=lambda entry: entry[0]):
                info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
                info.create_system = _UNIX
                info.external_attr = _REGULAR_FILE_0644
                if isinstance(content, Path):
                    info.compress_type = zipfile.ZIP_STORED
                    info.file_size = content.stat().st_size
                    with content.open("rb") as source, archive.open(info, "w") as sink:
                        while chunk := source.read(_COPY_CHUNK):
                            sink.write(chunk)
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, content, compresslevel=TEXT_COMPRESSLEVEL)
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _pack(report: BrandReport, touchpoint_id: str | None, asset_ids: list[str], cache: Cache) -> Pack:
    loaded = report.loaded
    manifest = manifest_data(report, touchpoint_id, asset_ids, cache)
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    licence_bytes = licence_text(manifest).encode("utf-8")
    key = make_key("pack", PACK_VERSION, zlib.ZLIB_RUNTIME_VERSION, manifest_bytes.decode("utf-8"),
                   licence_bytes.decode("utf-8"))
    path = cache.entry_path("packs", key, ".zip")
    if path is None:  # pragma: no cover - SiteBuild always gives the cache a folder
        raise RuntimeError("delivery packs need a cache folder")
    if cache.verified("packs", key, ".zip") is None:
        assets = {asset.id: asset for asset in loaded.brand.assets}
        entries: list[tuple[str, bytes | Path]] = [(RESERVED_NAMES[0], manifest_bytes),
                                                   (RESERVED_NAMES[1], licence_bytes)]
        audio = {member_path(assets[a].file): loaded.asset_paths[a] for a in asset_ids}  # shared files once
        entries += sorted(audio.items())
        write_pack(path, entries)
        seal_entry(path)
    touchpoint = None
    if touchpoint_id is not None:
        touchpoint = {"id": touchpoint_id, "name": manifest["touchpoint"]["name"]}
    return Pack(uri=layout.pack(loaded.slug, touchpoint_id), path=path,
                scope=manifest["scope"], touchpoint=touchpoint, asset_ids=list(asset_ids),
                size_bytes=path.stat().st_size, sha256=_sha256_of(path, cache), manifest=manifest)


def _sha256_of(path: Path, cache: Cache) -> str:
    # The cache's stat-keyed hash manifest makes this free on a warm build.
    return cache.content_hash(path)
