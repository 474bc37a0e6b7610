"""Content Credentials (C2PA): read, compare with the YAML disclosure, and sign.

``c2pa-python`` is an optional extra (``pip install 'sonicguide[c2pa]'``) imported only inside the
functions that need it, so the rest of the package works without it; every function then says
so instead of failing. Reading never touches the network: OCSP and remote manifests are switched
off, and trust comes only from the anchors the caller passes.

Public functions:

* :func:`read_credentials` - the C2PA state of one audio file, with its actions, IPTC digital source
  types, signer and validation codes.
* :func:`contradictions` - sentences where an embedded manifest and the YAML disclosure disagree.
* :func:`build_manifest` - the manifest definition ``sonicguide sign`` embeds for an asset.
* :func:`sign_file` - write a signed copy of an audio file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

from sonicguide.core.judge.records import CredentialState, DerivedAsset, ManifestAction
from sonicguide.core.judge.vocabulary import C2PA_STATES, FINISHING_STAGES, IPTC_SCHEME, IPTC_TERMS, STAGE_LABELS
from sonicguide.core.load.model import Stage

NOT_INSTALLED: Final = "c2pa-python not installed (pip install 'sonicguide[c2pa]')"
#: Containers C2PA covers for audio, by file suffix, with the MIME type we hand the SDK.
MIME_TYPES: Final[dict[str, str]] = {".wav": "audio/wav", ".wave": "audio/wav", ".mp3": "audio/mpeg",
                                     ".flac": "audio/flac", ".m4a": "audio/mp4"}
#: The C2PA value for "no digital source type claimed".
EMPTY_SOURCE_TYPE: Final = "http://c2pa.org/digitalsourcetype/empty"
_VALIDATION_STATES: Final = {"Trusted": "trusted", "Valid": "valid-untrusted", "Invalid": "invalid"}


def c2pa_version() -> str | None:
    """Version of the installed c2pa-python (part of cache keys), ``None`` without it."""
    try:
        return version("c2pa-python")
    except PackageNotFoundError:
        return None


def c2pa_available() -> bool:
    """Whether the optional ``c2pa`` module can be imported."""
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return False
    return True


def _result(state: str, reason: str | None = None, **found: Any) -> CredentialState:
    label, meaning = C2PA_STATES[state]
    return {"state": state, "label": label, "meaning": meaning, "reason": reason,
            "signer": found.get("signer"), "title": found.get("title"),
            "claim_generator": found.get("claim_generator"), "actions": found.get("actions", []),
            "digital_source_types": found.get("digital_source_types", []),
            "digital_source_terms": found.get("digital_source_terms", []),
            "authors": found.get("authors", []),
            "failure_codes": found.get("failure_codes", []),
            "informational_codes": found.get("informational_codes", [])}


def not_checked() -> CredentialState:
    """The state of a file whose credentials were not read."""
    return _result("not-checked", "not read in this run")


def _reader_settings(trust_anchors_pem: str | None) -> dict[str, Any]:
    settings: dict[str, Any] = {"verify": {"verify_trust": True, "ocsp_fetch": False,
                                           "remote_manifest_fetch": False}}
    if trust_anchors_pem:
        settings["trust"] = {"trust_anchors": trust_anchors_pem}
    return settings


def _term(uri: str) -> str | None:
    return uri.removeprefix(IPTC_SCHEME) if uri.startswith(IPTC_SCHEME) else None


def _agent(value: Any) -> str | None:
    if isinstance(value, Mapping):
        name, version = value.get("name"), value.get("version")
        return f"{name} {version}" if name and version else (str(name) if name else None)
    return str(value) if value else None


def _summarise(store: Mapping[str, Any]) -> dict[str, Any]:
    """Pick what the page shows from a manifest store (``Reader.json()`` parsed)."""
    manifest = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    actions: list[ManifestAction] = []
    authors: list[str] = []
    for assertion in manifest.get("assertions", []):
        label, data = str(assertion.get("label", "")), assertion.get("data") or {}
        if label.startswith("c2pa.actions"):
            for action in data.get("actions", []):
                actions.append({"action": action.get("action"),
                                "digital_source_type": action.get("digitalSourceType"),
                                "software_agent": _agent(action.get("softwareAgent")),
                                "description": action.get("description")})
        elif label.startswith("stds.schema-org.CreativeWork"):
            people = data.get("author", [])
            authors.extend(str(p.get("name")) for p in (people if isinstance(people, list) else [people])
                           if isinstance(p, Mapping) and p.get("name"))
    types = sorted({a["digital_source_type"] for a in actions if a["digital_source_type"]})
    info = manifest.get("signature_info") or {}
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    generators = manifest.get("claim_generator_info") or []
    return {
        "title": manifest.get("title"),
        "claim_generator": _agent(generators[0]) if generators else manifest.get("claim_generator"),
        "signer": {"common_name": info.get("common_name"), "issuer": info.get("issuer"),
                   "algorithm": info.get("alg"), "time": info.get("time")} if info else None,
        "actions": actions,
        "digital_source_types": types,
        "digital_source_terms": sorted({t for t in (_term(u) for u in types) if t}),
        "authors": authors,
        "failure_codes": sorted({str(c.get("code")) for c in results.get("failure", [])}),
        "informational_codes": sorted({str(c.get("code")) for c in results.get("informational", [])}),
    }


def read_credentials(path: Path, *, trust_anchors_pem: str | None = None) -> CredentialState:
    """Read and validate the C2PA manifest embedded in an audio file.

    ``trust_anchors_pem``: concatenated PEM root certificates; a manifest whose signer chains to one
    is ``trusted``. Returns::

        {"state": "trusted" | "valid-untrusted" | "invalid" | "none" | "unsupported-format" | "not-checked",
         "label", "meaning" (page text for the state), "reason": str | None (why, for invalid and
         unchecked files), "signer": {"common_name", "issuer", "algorithm", "time"} | None, "title",
         "claim_generator", "actions": [{"action", "digital_source_type" (URI), "software_agent",
         "description"}], "digital_source_types": [URI], "digital_source_terms": [IPTC term],
         "authors": [name], "failure_codes": [C2PA validation code], "informational_codes": [...]}
    """
    mime = MIME_TYPES.get(path.suffix.lower())
    if mime is None:
        return _result("unsupported-format", f"C2PA does not cover {path.suffix or 'this'} files; "
                       "deliver WAV, MP3 or FLAC to carry Content Credentials")
    try:
        import c2pa
    except ImportError:
        return _result("not-checked", NOT_INSTALLED)
    try:
        context = c2pa.Context.from_dict(_reader_settings(trust_anchors_pem))
        with path.open("rb") as stream, context:
            reader = c2pa.Reader.try_create(mime, stream, context=context)
            if reader is None:
                return _result("none")
            with reader:
                store = json.loads(reader.json())
    except c2pa.C2paError.NotSupported as error:
        return _result("unsupported-format", str(error))
    except c2pa.C2paError as error:
        return _result("invalid", f"the manifest cannot be read: {error}")
    found = _summarise(store)
    state = _VALIDATION_STATES.get(str(store.get("validation_state")), "invalid")
    reason = None
    if state == "invalid":
        reason = "; ".join(found["failure_codes"]) or f"validation state {store.get('validation_state')!r}"
    elif state == "valid-untrusted":
        reason = ("no trust anchor configured" if not trust_anchors_pem
                  else "the signer does not chain to a configured trust anchor")
    return _result(state, reason, **found)


#: States whose manifest content we believe enough to compare with the YAML.
READABLE_STATES: Final = frozenset({"trusted", "valid-untrusted"})


def contradictions(derived: DerivedAsset, credentials: Mapping[str, Any]) -> list[str]:
    """Where the embedded manifest and the YAML disclosure disagree about generative AI.

    ``derived`` is :func:`sonicguide.core.judge.rules.derive_asset` output, ``credentials`` is
    :func:`read_credentials` output. Only intact manifests (trusted or valid) are compared; an
    invalid one is already a warning of its own. Returns sentences for warnings and the page.

    Compared: whether generative AI made the asset (IPTC terms ``trainedAlgorithmicMedia``,
    ``compositeWithTrainedAlgorithmicMedia``, ``compositeSynthetic``) by the YAML's derived term and
    by any action in the manifest. Non-generative terms are not compared with each other
    (``algorithmicallyEnhanced`` in a manifest may be plain signal processing).
    """
    if credentials.get("state") not in READABLE_STATES:
        return []
    terms = [t for t in credentials.get("digital_source_terms", []) if t in IPTC_TERMS]
    if not terms:
        return []
    iptc = derived["iptc"]
    yaml_term, tier = iptc.get("term"), derived["tier"]["label"]
    yaml_generative = bool(iptc.get("generative"))
    manifest_generative = sorted(t for t in terms if IPTC_TERMS[t].generative)
    said = f"the disclosure says {tier} ({yaml_term or 'no source type'})"
    if manifest_generative and not yaml_generative:
        return [f"{derived['id']}: {said}, but the embedded C2PA manifest declares "
                f"{', '.join(manifest_generative)} (generative AI)."]
    if yaml_generative and not manifest_generative:
        return [f"{derived['id']}: {said}, but the embedded C2PA manifest declares only "
                f"{', '.join(terms)} (no generative AI)."]
    return []


# --------------------------------------------------------------------------------------------
# Signing


def _edit_source_type(stage: Stage, mode: str) -> str:
    """The IPTC term of one AI stage as an edit, consistent with the asset-level rules."""
    if mode == "ai-assisted" or stage in FINISHING_STAGES:
        return "algorithmicallyEnhanced"
    return "compositeWithTrainedAlgorithmicMedia"


def build_manifest(derived: DerivedAsset, *, generator: str, generator_version: str) -> dict[str, Any]:
    """The C2PA manifest definition for a signed copy of an asset.

    ``derived`` is :func:`sonicguide.core.judge.rules.derive_asset` output. The manifest holds a
    ``c2pa.created`` action with the derived IPTC digital source type, one ``c2pa.edited`` action per
    stage that used AI (with its first tool as software agent) and a schema.org ``CreativeWork``
    assertion naming the people credited in the disclosure as authors. Plain JSON data, stable for
    the same input (so it can be hashed for the signing cache).
    """
    iptc_uri = derived["iptc"].get("uri") or EMPTY_SOURCE_TYPE
    actions: list[dict[str, Any]] = [{
        "action": "c2pa.created", "digitalSourceType": iptc_uri,
        "description": f"{derived['tier']['label']}; stage by stage disclosure published by the brand",
    }]
    if derived["iptc"].get("term") != "trainedAlgorithmicMedia":
        for stage in derived["stages"]:
            uses_ai = stage["mode"] in ("ai-assisted", "ai-generated")
            if not uses_ai or stage["stage"] == Stage.creative_direction.value:
                continue
            action: dict[str, Any] = {
                "action": "c2pa.edited",
                "digitalSourceType": IPTC_SCHEME + _edit_source_type(Stage(stage["stage"]), stage["mode"]),
                "description": f"{STAGE_LABELS[Stage(stage['stage'])]}: {stage['mode_label']}",
            }
            if stage["tools"]:
                tool = stage["tools"][0]
                action["softwareAgent"] = {"name": tool["name"], **({"version": tool["version"]}
                                                                    if tool["version"] else {})}
            actions.append(action)
    people: dict[str, None] = {}
    for stage in derived["stages"]:
        for person in stage["contributors"]:
            if person["name"] is not None:  # people given by role alone are not named in the manifest
                people.setdefault(person["name"], None)
    return {
        "claim_generator_info": [{"name": generator, "version": generator_version}],
        "title": derived["title"],
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": actions}},
            {"label": "stds.schema-org.CreativeWork",
             "data": {"@context": "https://schema.org", "@type": "CreativeWork",
                      "author": [{"@type": "Person", "name": name} for name in people]}},
        ],
    }


def sign_file(source: Path, destination: Path, *, manifest: Mapping[str, Any], cert_chain_pem: str,
              key_pem: str, tsa_url: str | None = None) -> None:
    """Write ``destination``: a copy of ``source`` carrying ``manifest`` signed with ES256.

    ``cert_chain_pem``: the signing certificate followed by its issuers (a self-signed leaf is
    refused by the SDK); ``key_pem``: the leaf's P-256 private key (PKCS#8 PEM); ``tsa_url``: an
    RFC 3161 timestamp authority, or ``None`` for none (then nothing is fetched). ``source`` is only
    read. Raises :class:`RuntimeError` without c2pa-python and ``c2pa.C2paError`` when signing fails.
    """
    try:
        import c2pa
    except ImportError as error:
        raise RuntimeError(NOT_INSTALLED) from error
    mime = MIME_TYPES.get(source.suffix.lower())
    if mime is None:
        raise ValueError(f"C2PA cannot sign {source.suffix or 'suffix-less'} files")
    info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, cert_chain_pem.encode(), key_pem.encode(), tsa_url)
    settings = {"verify": {"ocsp_fetch": False, "remote_manifest_fetch": False}}
    with (c2pa.Context.from_dict(settings) as context, c2pa.Signer.from_info(info) as signer,
          c2pa.Builder(dict(manifest), context=context) as builder, source.open("rb") as src,
          destination.open("w+b") as dst):
        builder.sign(signer, mime, src, dst)


def sdk_version() -> str | None:
    """The c2pa SDK version (part of the signing cache key), or ``None`` without c2pa-python."""
    try:
        import c2pa
    except ImportError:
        return None
    return str(c2pa.sdk_version())

