"""schema.org JSON-LD for a brand page, safe to embed in ``<script type="application/ld+json">``.

The graph: a ``Brand`` whose ``subjectOf`` is the guide (a ``CreativeWork``), which ``hasPart``
one ``MusicRecording`` per asset. Each recording carries its ``digitalSourceType`` (the
schema.org member of :data:`sonicguide.core.judge.vocabulary.IPTC_TERMS`), its people through the
schema.org ``Role`` pattern (``creator`` for composition, lyrics and arrangement; ``contributor``
for every other human stage), ``isBasedOn`` its master for variants, and an ``AudioObject`` with
``contentUrl``, ``encodingFormat`` (MIME type) and ``duration`` (ISO 8601).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, Final
from urllib.parse import urljoin

from sonicguide.core.judge.records import DerivedAsset
from sonicguide.core.judge.rules import Derived
from sonicguide.core.judge.vocabulary import AUTHORSHIP_STAGES
from sonicguide.core.load.model import Asset, Brand

#: MIME type of each audio suffix, for ``encodingFormat``.
ENCODING_FORMATS: Final[dict[str, str]] = {
    ".wav": "audio/wav", ".wave": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac",
    ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg; codecs=opus", ".aif": "audio/aiff",
    ".aiff": "audio/aiff", ".m4a": "audio/mp4",
}
#: Characters that could end the script element or start markup, written as JSON escapes.
_SCRIPT_SAFE: Final = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                       0x2028: "\\u2028", 0x2029: "\\u2029"}


def iso8601_duration(seconds: float) -> str:
    """``72.5`` -> ``"PT1M12.5S"``; ``3`` -> ``"PT3S"``; millisecond precision."""
    millis = round(seconds * 1000)
    minutes, millis = divmod(millis, 60_000)
    secs = f"{millis / 1000:.3f}".rstrip("0").rstrip(".")
    return f"PT{minutes}M{secs}S" if minutes else f"PT{secs}S"


def script_safe_json(data: Any) -> str:
    """Compact JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no text can close the script."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


def _people(derived: DerivedAsset) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Role objects for creators (authorship stages) and contributors (every other human stage)."""
    authorship = {s.value for s in AUTHORSHIP_STAGES}
    creators: list[dict[str, Any]] = []
    contributors: list[dict[str, Any]] = []
    for stage in derived["stages"]:
        if stage["mode"] not in ("human", "ai-assisted"):
            continue
        is_author = stage["stage"] in authorship
        prop, target = ("creator", creators) if is_author else ("contributor", contributors)
        for person in stage["contributors"]:
            if person["name"] is None:
                continue  # a role alone names nobody: no Person is claimed
            target.append({"@type": "Role", "roleName": person["role"], "description": stage["stage_label"],
                           prop: {"@type": "Person", "name": person["name"]}})
    return creators, contributors


def _recording(asset: Asset, *, base: str, url: str | None, duration_s: float | None,
               derived: DerivedAsset) -> dict[str, Any]:
    iptc = derived["iptc"]
    audio: dict[str, Any] = {"@type": "AudioObject", "name": asset.title,
                             "encodingFormat": ENCODING_FORMATS.get(PurePosixPath(asset.file).suffix.lower(),
                                                                    "application/octet-stream")}
    if url is not None:
        audio["contentUrl"] = urljoin(base, url) if base else url
    if isinstance(duration_s, int | float) and not isinstance(duration_s, bool):
        audio["duration"] = iso8601_duration(float(duration_s))
    if iptc["schema_org_url"]:
        audio["digitalSourceType"] = iptc["schema_org_url"]
    recording: dict[str, Any] = {"@type": "MusicRecording", "@id": f"{base}#asset-{asset.id}",
                                 "name": asset.title}
    if asset.text_alternative:
        recording["description"] = asset.text_alternative
    if "duration" in audio:
        recording["duration"] = audio["duration"]
    if iptc["schema_org_url"]:
        recording["digitalSourceType"] = iptc["schema_org_url"]
    creators, contributors = _people(derived)
    if creators:
        recording["creator"] = creators
    if contributors:
        recording["contributor"] = contributors
    if asset.variant_of:
        recording["isBasedOn"] = {"@id": f"{base}#asset-{asset.variant_of}"}
    recording["audio"] = audio
    return recording


def brand_jsonld_data(brand: Brand, *, slug: str, asset_urls: Mapping[str, str],
                      durations: Mapping[str, float | None], derived: Derived,
                      page_url: str | None) -> dict[str, Any]:
    """The JSON-LD document as data (see :func:`brand_jsonld`)."""
    base = page_url or ""
    identity = brand.identity
    node: dict[str, Any] = {"@context": "https://schema.org", "@type": "Brand", "@id": f"{base}#brand",
                            "identifier": slug, "name": identity.name}
    if identity.tagline:
        node["slogan"] = identity.tagline
    if page_url:
        node["url"] = page_url
    guide: dict[str, Any] = {"@type": "CreativeWork", "name": f"{identity.name} sonic identity guide"}
    if page_url:
        guide["url"] = page_url
    if identity.version:
        guide["version"] = identity.version
    if identity.date:
        guide["dateModified"] = identity.date.isoformat()
    guide["hasPart"] = [_recording(a, base=base, url=asset_urls.get(a.id), duration_s=durations.get(a.id),
                                   derived=derived[a.id]) for a in brand.assets]
    node["subjectOf"] = guide
    return node


def brand_jsonld(brand: Brand, *, slug: str, asset_urls: Mapping[str, str],
                 durations: Mapping[str, float | None], derived: Derived, page_url: str | None) -> str:
    """The brand page's JSON-LD, as text to place inside ``<script type="application/ld+json">``.

    ``asset_urls``: asset id -> the audio file's URL (absolute, or relative to ``page_url``; made
    absolute when ``page_url`` is given). ``durations``: asset id -> measured duration in seconds
    (``None`` when unmeasured). ``derived``: asset id -> its derived disclosure. ``page_url``: the page's absolute
    URL (``site_url`` + page path) or ``None`` when the site has no ``site_url``; node ids are then
    fragment-only (``#asset-logo``). The text is compact JSON with ``<``, ``>`` and ``&`` escaped
    as ``\\u003c`` etc., so the result needs no further escaping (mark it safe in Jinja).
    """
    return script_safe_json(brand_jsonld_data(brand, slug=slug, asset_urls=asset_urls, durations=durations,
                                              derived=derived, page_url=page_url))
