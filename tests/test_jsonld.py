"""The brand page's JSON-LD: it parses, a JSON-LD processor expands it offline, and text cannot break out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup

from disclosure_factory import asset, brand, stage
from sonicguide.core.judge.rules import derive_brand
from sonicguide.core.views.jsonld import brand_jsonld, iso8601_duration

SCHEMA = "https://schema.org/"
PAGE = "https://guides.example/acme/"

HOSTILE = '</script><script>alert("x")</script> & <!--'


def _brand() -> Any:
    logo = asset(
        "logo",
        stages={
            "composition": {"mode": "human", "contributors": [{"name": HOSTILE, "role": "composer"}]},
            "instrumental_performance": "human",
            "mastering": "ai-assisted",
        },
    )
    variant = asset(
        "logo-alt",
        role="variant",
        variant_of="logo",
        file="audio/alt.mp3",
        stages={"composition": "human", "variant_generation": stage("ai-generated")},
    )
    return brand([logo, variant])


def _document(**overrides: Any) -> str:
    kwargs: dict[str, Any] = {
        "slug": "acme",
        "asset_urls": {"logo": "../audio/logo.wav", "logo-alt": "alt.mp3"},
        "durations": {"logo": 72.5, "logo-alt": None},
        "page_url": PAGE,
    }
    model = _brand()
    return brand_jsonld(model, derived=derive_brand(model), **(kwargs | overrides))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(72.5, "PT1M12.5S"), (3, "PT3S"), (0.0004, "PT0S"), (59.9996, "PT1M0S"), (3600, "PT60M0S")],
)
def test_iso8601_duration(seconds: float, text: str) -> None:
    assert iso8601_duration(seconds) == text


def test_hostile_text_cannot_close_the_script_and_round_trips() -> None:
    text = _document()
    assert "<" not in text and ">" not in text and "&" not in text
    html = f'<head><script type="application/ld+json">{text}</script></head>'
    scripts = BeautifulSoup(html, "html.parser").find_all("script")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    creator = data["subjectOf"]["hasPart"][0]["creator"][0]
    assert creator == {
        "@type": "Role",
        "roleName": "composer",
        "description": "Composition",
        "creator": {"@type": "Person", "name": HOSTILE},
    }


def test_structure_of_the_recordings() -> None:
    data = json.loads(_document())
    assert data["@type"] == "Brand" and data["url"] == PAGE and data["identifier"] == "acme"
    logo, alt = data["subjectOf"]["hasPart"]
    assert logo["@type"] == "MusicRecording" and logo["@id"] == PAGE + "#asset-logo"
    assert logo["digitalSourceType"] == SCHEMA + "AlgorithmicallyEnhancedDigitalSource"
    assert logo["duration"] == "PT1M12.5S"
    assert logo["audio"] == {
        "@type": "AudioObject",
        "name": "Logo",
        "encodingFormat": "audio/wav",
        "contentUrl": "https://guides.example/audio/logo.wav",
        "duration": "PT1M12.5S",
        "digitalSourceType": SCHEMA + "AlgorithmicallyEnhancedDigitalSource",
    }
    assert [r["roleName"] for r in logo["contributor"]] == ["composer"]  # the performer
    assert alt["digitalSourceType"] == SCHEMA + "CompositeWithTrainedAlgorithmicMediaDigitalSource"
    assert alt["isBasedOn"] == {"@id": PAGE + "#asset-logo"}
    assert alt["audio"]["encodingFormat"] == "audio/mpeg" and "duration" not in alt["audio"]


def test_without_a_site_url_ids_are_fragments_and_urls_stay_relative() -> None:
    data = json.loads(_document(page_url=None))
    logo = data["subjectOf"]["hasPart"][0]
    assert logo["@id"] == "#asset-logo" and logo["audio"]["contentUrl"] == "../audio/logo.wav"
    assert "url" not in data


def test_same_input_same_bytes() -> None:
    assert _document() == _document()


# A minimal local stand-in for the schema.org context (it cannot be fetched here): a vocabulary plus
# the IRI-valued properties we use, as the published context declares them.
LOCAL_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "url": {"@type": "@id"},
        "contentUrl": {"@type": "@id"},
        "digitalSourceType": {"@type": "@id"},
    }
}


def test_a_json_ld_processor_expands_it_offline() -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    requested: list[str] = []

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        requested.append(url)
        assert url.rstrip("/") == SCHEMA.rstrip("/"), url
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}

    expanded = jsonld.expand(json.loads(_document()), {"documentLoader": loader})
    assert requested
    [brand_node] = expanded
    assert brand_node["@type"] == [SCHEMA + "Brand"]
    guide = brand_node[SCHEMA + "subjectOf"][0]
    recordings = guide[SCHEMA + "hasPart"]
    assert [r["@id"] for r in recordings] == [PAGE + "#asset-logo", PAGE + "#asset-logo-alt"]
    assert recordings[0][SCHEMA + "digitalSourceType"] == [
        {"@id": SCHEMA + "AlgorithmicallyEnhancedDigitalSource"}
    ]
    audio = recordings[0][SCHEMA + "audio"][0]
    assert audio[SCHEMA + "contentUrl"] == [{"@id": "https://guides.example/audio/logo.wav"}]
    person = recordings[0][SCHEMA + "creator"][0][SCHEMA + "creator"][0]
    assert person[SCHEMA + "name"] == [{"@value": HOSTILE}]
