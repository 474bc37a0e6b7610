"""The JSON Schema of ``brand.yml``, as draft-07 for editors' YAML language servers.

pydantic emits JSON Schema 2020-12; the YAML language server (VS Code, JetBrains, Neovim) reads
draft-07 best. :func:`brand_json_schema` converts: ``$defs`` -> ``definitions``, ``$ref`` targets
rewritten, siblings of ``$ref`` moved beside an ``allOf`` (draft-07 ignores them), ``prefixItems``
-> ``items`` + ``additionalItems``.

Our loader keeps every scalar as the author's text and pydantic converts where a field asks for a
number or a boolean, while an editor types scalars itself (``version: 1.10`` is a number to it,
``required: yes`` a string). So the schema accepts what we accept: text fields take any scalar,
number fields also take text, boolean fields also take yes/no text, and numeric choices also take
their text. The build remains the judge; the schema must never flag input the build accepts.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sonicguide.core.load.model import SCHEMA_VERSION, Brand

SCHEMA_ID = f"urn:sonicguide:schema:brand:{SCHEMA_VERSION}"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"

#: Help text for fields the model leaves undescribed, keyed ``Model.field`` (shown by editors).
FIELD_HELP: dict[str, str] = {
    "Brand.identity": "Who the brand is: name, industry, owners, version.",
    "Brand.strategy": "What the sound means: essence, attributes, emotional range, musical DNA.",
    "Brand.sonic_logo": "The sonic logo: which asset, its motif, duration and sync point.",
    "Brand.touchpoints": "Where the sound is heard, with loudness targets and durations.",
    "Brand.voice": "How the brand speaks (optional).",
    "Brand.ui_sounds": "Interface sounds and their triggers (optional).",
    "Brand.dos": "Things to do, each optionally with an asset id as an audible example.",
    "Brand.donts": "Things never to do, each optionally with an asset id as an audible example.",
    "Brand.delivery": "Delivery specifications: formats, sample rate, bit depth, channels.",
    "Brand.usage_rights": "Who may use the sounds, where, and for how long.",
    "Brand.disclosure_policy": "Where on the human-AI spectrum the brand means to sit.",
    "Brand.assets": "Every audio file of the identity, with its contribution disclosure.",
    "Strategy.essence": "One sentence: the feeling every sound should carry.",
    "Strategy.attributes": "Sonic attributes, each with a short meaning (at least one).",
    "Strategy.emotional_range": "Qualities and the excess each must never become.",
    "TempoRange.min": "Slowest tempo, in beats per minute (20 to 400).",
    "TempoRange.max": "Fastest tempo, in beats per minute (20 to 400).",
    "SonicLogo.asset": "The id of the asset that is the sonic logo.",
    "SonicLogo.duration_s": "Duration in seconds (12.5) or minutes:seconds ('0:12.5').",
    "Touchpoint.id": "Unique id: lower-case letters, digits and hyphens.",
    "Touchpoint.assets": "Ids of the assets used at this touchpoint.",
    "Touchpoint.max_duration_s": "Longest allowed sound, in seconds (12.5) or minutes:seconds ('0:12.5').",
    "LoudnessSpec.integrated_lufs": "Integrated loudness target in LUFS (ITU-R BS.1770), -70 to 0.",
    "LoudnessSpec.tolerance_lu": "Allowed deviation from the target, in LU (0 to 20).",
    "LoudnessSpec.true_peak_dbtp": "True-peak ceiling in dBTP (-30 to 6).",
    "DeliverySpec.sample_rate_hz": "Sample rate in Hz (8000 to 384000).",
    "DeliverySpec.bit_depth": "Bits per sample: 8, 16, 24 or 32.",
    "DeliverySpec.channels": "Number of channels (1 to 32).",
    "Asset.id": "Unique id: lower-case letters, digits and hyphens.",
    "Asset.role": "logo, theme, variant, cut-down, stem, bed, ui or voice.",
    "Asset.variant_of": "The id of the asset this one is a variant of.",
    "Asset.touchpoints": "Ids of the touchpoints where this asset is used.",
    "Asset.disclosure": "Who or what made each production stage of this asset.",
    "Marker.at_s": "Time in seconds (12.5) or minutes:seconds ('0:12.5').",
    "Segment.start_s": "Start in seconds (12.5) or minutes:seconds ('0:12.5').",
    "Segment.end_s": "End in seconds (12.5) or minutes:seconds ('0:12.5').",
    "StageDisclosure.mode": "human, ai-assisted, ai-generated or not-applicable.",
    "StageDisclosure.contributors": "The people who did this stage (required for mode human).",
    "StageDisclosure.tools": "The AI tools used (required for ai-assisted and ai-generated).",
    "Disclosure.stages": "One entry per production stage, e.g. composition:, mixing:.",
    "Certification.url": "An https:// link to the certificate.",
}

_SCALARS_AS_TEXT = ["string", "number", "integer", "boolean"]


def brand_json_schema() -> dict[str, Any]:
    """The draft-07 JSON Schema of ``brand.yml`` as a plain dict (deterministic key order)."""
    source = Brand.model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    definitions = source.pop("$defs", {})
    _add_help(source, definitions)
    converted = _convert(source)
    result: dict[str, Any] = {
        "$schema": DRAFT_07,
        "$id": SCHEMA_ID,
        "title": "sonicguide brand.yml",
        "description": ("A brand's sonic identity for sonicguide: identity, strategy, sonic logo, "
                        "touchpoints, assets and their human/AI contribution disclosure. "
                        "Check a file with `sonicguide validate`."),
    }
    result.update({key: value for key, value in converted.items() if key not in ("title", "description")})
    result["definitions"] = {name: _convert(definitions[name]) for name in sorted(definitions)}
    return result


def schema_text() -> str:
    """:func:`brand_json_schema` as JSON text: two-space indent, UTF-8, final newline."""
    return json.dumps(brand_json_schema(), indent=2, ensure_ascii=False) + "\n"


def _add_help(root: dict[str, Any], definitions: dict[str, Any]) -> None:
    models = {"Brand": root, **definitions}
    for dotted, text in FIELD_HELP.items():
        model, field = dotted.split(".")
        prop = models.get(model, {}).get("properties", {}).get(field)
        if prop is not None and "description" not in prop:
            prop["description"] = text


def _convert(node: Any) -> Any:
    """Rewrite one 2020-12 schema node (recursively) as draft-07, loosened for text scalars."""
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _convert(value) for key, value in copy.deepcopy(node).items()}
    if "prefixItems" in node:
        node["items"] = node.pop("prefixItems")
        node.setdefault("additionalItems", False)
    kind = node.get("type")
    if kind == "string" and "enum" not in node and "const" not in node:
        # Any scalar is text to our loader: `version: 1.10`, `name: true`, `id: 2024`.
        node["type"] = list(_SCALARS_AS_TEXT)
    elif kind in ("number", "integer"):
        node["type"] = [kind, "string"]  # "0:12.5", "48000" and -16 are all read as numbers
    elif kind == "boolean":
        node["type"] = ["boolean", "string"]
        node.setdefault("examples", [True, False])
    if "const" in node and isinstance(node["const"], int | float):
        node["enum"] = [node.pop("const")]
    if "enum" in node and any(isinstance(value, int | float) for value in node["enum"]):
        # bit_depth: 24 or "24"; the editor offers the numbers, the text forms are accepted too.
        node["enum"] = [*node["enum"], *(str(value) for value in node["enum"])]
        if "type" in node:
            kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
            node["type"] = [*kinds, "string"] if "string" not in kinds else kinds
    if "$ref" in node and len(node) > 1:
        # draft-07 ignores every sibling of $ref; keep them beside an allOf instead.
        ref = node.pop("$ref")
        node = {"allOf": [{"$ref": ref}], **node}
    return node
