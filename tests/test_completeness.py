"""Issue 11: disclosures that silence cannot satisfy.

Golden cases: every way of leaving a stage out (missing, ``undisclosed``, ``not-applicable``
without a reason, ``human`` with no contributors) against every target tier and every kind of
policy rule, as the lines a user reads (``sonicguide validate`` / the build log); the expected
lines are in ``tests/golden/completeness.yml`` (regenerate with ``SONICGUIDE_REGOLD=1`` and read
the diff). A property test: no brand.yml with a missing required stage ever yields "Human-made".
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from disclosure_factory import TOOL
from hardening_fixtures import write_tone
from sonicguide.core.errors import BrandError
from sonicguide.core.judge import rules
from sonicguide.core.judge.findings import Kind
from sonicguide.core.judge.report import judge_brand
from sonicguide.core.load.brand import load_brand
from sonicguide.core.load.model import Asset, Brand, Stage
from sonicguide.core.views import jsonld

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "completeness.yml"
#: The shipped table, read here directly (not through the code under test).
TABLE = YAML(typ="safe", pure=True).load(
    (REPO / "plugins/sonicguide/core/data/required_stages.yml").read_text(encoding="utf-8"))
ROLES = ("logo", "theme", "variant", "cut-down", "stem", "bed", "ui", "voice", "ivr", "alert")

# A logo that declares every stage its role requires, people named and not.
COMPLETE_LOGO = {
    "composition": {"mode": "human", "contributors": [{"name": "Ada Moreau", "role": "composer"}]},
    "instrumental_performance": {"mode": "human", "contributors": [{"role": "marimba player"}]},
    "production": {"mode": "human", "contributors": [{"name": "Sam Okafor", "role": "producer"}]},
    "mixing": {"mode": "human", "contributors": [{"name": "Sam Okafor", "role": "mix engineer"}]},
    "mastering": {"mode": "human", "contributors": [{"role": "mastering engineer"}]},
}
#: The ways of leaving the mastering of the logo unsaid.
ROUTES: dict[str, Any] = {
    "missing": None,
    "undisclosed": {"mode": "undisclosed", "reason": "the studio has not told us"},
    "not-applicable without a reason": {"mode": "not-applicable"},
    "empty contributors": {"mode": "human", "contributors": []},
}
POLICIES: dict[str, dict[str, Any]] = {
    **{f"target {tier}": {"target_tier": tier} for tier in
       ("human-made", "human-directed-ai-assisted", "ai-generated-human-curated", "ai-generated")},
    "no target, no rule": {},
    **{f"rule at most {mode}": {"rules": [{"statement": f"The logo is at most {mode}.", "roles": ["logo"],
                                           "at_most": mode}]}
       for mode in ("human", "ai-assisted", "ai-generated")},
    "rule on mastering": {"rules": [{"statement": "Mastering is human.", "stages": ["mastering"],
                                     "at_most": "human"}]},
}


def brand_text(stages: dict[str, Any], policy: dict[str, Any]) -> str:
    data = {
        "identity": {"name": "Acme", "industry": "Testing"},
        "strategy": {"essence": "Clarity", "attributes": [{"name": "Clear", "meaning": "Nothing muddy"}]},
        "disclosure_policy": {"statement": "People make our logo.", **policy},
        "assets": [{"id": "logo", "title": "Logo", "file": "audio/logo.wav", "role": "logo",
                    "text_alternative": "A short tone.", "disclosure": {"stages": stages}}],
    }
    return json.dumps(data, indent=2)  # JSON is YAML, with stable line numbers


def user_lines(tmp_path: Path, text: str) -> list[str]:
    """What ``sonicguide validate`` and the build print for the brand: problems, or the
    disclosure and policy findings (the audio is not judged here)."""
    folder = tmp_path / "brands" / "acme"
    folder.mkdir(parents=True)
    (folder / "brand.yml").write_text(text, encoding="utf-8")
    write_tone(folder / "audio" / "logo.wav")
    try:
        loaded = load_brand(folder, display_root=tmp_path)
    except BrandError as error:
        return [str(problem) for problem in error.problems]
    report = judge_brand(loaded, {}, {})
    return [str(finding) for finding in report.findings if finding.kind in (Kind.DISCLOSURE, Kind.POLICY)]


def golden() -> dict[str, list[str]]:
    if not GOLDEN.exists():
        return {}
    return YAML(typ="safe", pure=True).load(GOLDEN.read_text(encoding="utf-8")) or {}


CASES = [(route, policy) for route in ROUTES for policy in POLICIES]


@pytest.mark.parametrize(("route", "policy"), CASES, ids=[f"{r} / {p}" for r, p in CASES])
def test_every_omission_route_against_every_policy(tmp_path: Path, route: str, policy: str) -> None:
    stages = {k: v for k, v in COMPLETE_LOGO.items() if k != "mastering"}
    if ROUTES[route] is not None:
        stages["mastering"] = ROUTES[route]
    lines = user_lines(tmp_path, brand_text(stages, POLICIES[policy]))
    key = f"{route} / {policy}"
    if os.environ.get("SONICGUIDE_REGOLD"):
        data = golden()
        data[key] = lines
        GOLDEN.parent.mkdir(exist_ok=True)
        yaml = YAML()
        yaml.width = 4096
        with GOLDEN.open("w", encoding="utf-8") as stream:
            yaml.dump(dict(sorted(data.items())), stream)
    assert lines == golden()[key]
    # Whatever the route and policy, silence is never kept: something the user reads names the
    # asset and the stage. An explicit `undisclosed` under a policy that promises nothing is honest
    # and logs nothing; its page still says "Incomplete disclosure" (checked in the site test).
    if route == "undisclosed" and policy == "no target, no rule":
        assert lines == []
        return
    assert any(("logo" in line or "assets[0]" in line) and "mastering" in line for line in lines), lines
    if policy != "no target, no rule" and route in ("missing", "undisclosed"):
        assert any(line.endswith("[policy]") and "mastering" in line for line in lines), lines


def test_the_complete_logo_keeps_every_policy(tmp_path: Path) -> None:
    for index, policy in enumerate(POLICIES.values()):
        assert user_lines(tmp_path / str(index), brand_text(COMPLETE_LOGO, policy)) == []


def test_a_reasoned_not_applicable_is_shown_and_keeps_the_tier(tmp_path: Path) -> None:
    stages = {**COMPLETE_LOGO, "mastering": {"mode": "not-applicable", "reason": "delivered unmastered"}}
    assert user_lines(tmp_path, brand_text(stages, {"target_tier": "human-made"})) == []
    derived = rules.derive_asset(Asset.model_validate(
        {"id": "logo", "title": "Logo", "file": "logo.wav", "role": "logo", "disclosure": {"stages": stages}}))
    assert derived["tier"]["label"] == "Human-made"
    mastering = next(s for s in derived["stages"] if s["stage"] == "mastering")
    assert mastering["reason"] == "delivered unmastered"
    people = {c["label"] for s in derived["stages"] for c in s["contributors"]}
    assert {"Marimba player (not named)", "Ada Moreau (composer)"} <= people


# --------------------------------------------------------------------------------------------
# Property: a missing required stage never yields "Human-made"


def unmet_rows(role: str, stages: dict[str, dict[str, Any]]) -> list[list[str]]:
    """The rows of the shipped table that ``stages`` leaves unmet, by the table's own words."""
    unmet = []
    for row in TABLE["requirements"]:
        if role not in row["roles"]:
            continue
        met = [s for s in row["stages"] if s in stages and stages[s]["mode"] != "undisclosed"
               and (stages[s]["mode"] != "not-applicable" or stages[s].get("reason"))]
        if not met:
            unmet.append(row["stages"])
    return unmet


def stage_value(mode: str, reason: bool) -> dict[str, Any]:
    value: dict[str, Any] = {"mode": mode}
    if mode == "human":
        value["contributors"] = [{"role": "composer"}]
    elif mode in ("ai-assisted", "ai-generated"):
        value["tools"] = TOOL
    elif reason:
        value["reason"] = "a reason"
    return value


stage_maps = st.dictionaries(
    st.sampled_from([s.value for s in Stage]),
    st.builds(stage_value, st.sampled_from(["human", "ai-assisted", "ai-generated", "not-applicable",
                                            "undisclosed"]), st.booleans()),
    max_size=len(Stage))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(role=st.sampled_from(ROLES), stages=stage_maps, approved=st.booleans())
def test_no_missing_required_stage_ever_yields_human_made(role: str, stages: dict[str, Any],
                                                          approved: bool) -> None:
    asset = Asset.model_validate({
        "id": "a", "title": "A", "file": "a.wav", "role": role,
        "variant_of": "master" if role in ("variant", "cut-down") else None,
        "disclosure": {"stages": stages or {"creative_direction": stage_value("human", False)},
                       **({"approval": {"by": "Ada", "date": "2026-01-02"}} if approved else {})}})
    derived = rules.derive_asset(asset)
    if unmet_rows(role, dict(asset.disclosure.model_dump(mode="json")["stages"])):
        assert derived["tier"]["id"] == "incomplete"
        assert derived["tier"]["label"] == "Incomplete disclosure"
        assert derived["iptc"]["term"] is None and derived["human_share"] is None
        master = Asset.model_validate({"id": "master", "title": "M", "file": "m.wav", "role": "theme",
                                       "disclosure": {"stages": {"composition": stage_value("human", False)}}})
        brand = Brand.model_validate({
            "identity": {"name": "B", "industry": "I"},
            "strategy": {"essence": "E", "attributes": [{"name": "a", "meaning": "b"}]},
            "disclosure_policy": {"statement": "S", "target_tier": "human-made"},
            "assets": [a.model_dump(mode="json", exclude_none=True) for a in (asset, master)]})
        derived_brand = rules.derive_brand(brand)
        assert rules.brand_tier(brand, derived_brand)[0] == "incomplete"
        graph = jsonld.brand_jsonld_data(brand, slug="b", asset_urls={}, durations={}, derived=derived_brand,
                                         page_url=None)
        recording = graph["subjectOf"]["hasPart"][0]
        assert "digitalSourceType" not in recording and "digitalSourceType" not in recording["audio"]
    assert derived["tier"]["id"] != "human-made" or not unmet_rows(role, asset.disclosure.model_dump(
        mode="json")["stages"])


# --------------------------------------------------------------------------------------------
# The CLI says "uncertain" too


def test_analyze_says_uncertain_for_low_confidence_estimates(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from sonicguide.cli import main
    from sonicguide.commands.analyze import render_table
    from sonicguide.core.judge.conformance import MIN_ESTIMATE_CONFIDENCE, MIN_TEMPO_CONFIDENCE

    row = {"file": "x.wav", "container": "wav", "codec": "pcm_16", "sample_rate_hz": 48000, "bit_depth": 16,
           "channels": 1, "duration_s": 1.0, "mislabelled": None, "null_reasons": {},
           **dict.fromkeys(("integrated_lufs", "loudness_range_lu", "true_peak_dbtp", "sample_peak_dbfs",
                            "max_momentary_lufs", "max_short_term_lufs", "spectral_centroid_hz"), -20.0),
           "tempo_bpm": 58.0, "tempo_confidence": MIN_TEMPO_CONFIDENCE - 0.01,
           "key": "E major", "key_confidence": MIN_ESTIMATE_CONFIDENCE + 0.2}
    text = render_table(row)
    assert f"58.0 BPM (uncertain, confidence {MIN_TEMPO_CONFIDENCE - 0.01:.2f})" in text
    assert f"E major (confidence {MIN_ESTIMATE_CONFIDENCE + 0.2:.2f})" in text  # confident: no "uncertain"
    # The JSON says it as a boolean beside each estimate.
    path = tmp_path / "noise.wav"
    write_tone(path, duration_s=2.0, rate_hz=48000)
    assert main(["analyze", str(path), "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    for value, confidence, flag, threshold in (
            (result["tempo_bpm"], result["tempo_confidence"], result["tempo_uncertain"], MIN_TEMPO_CONFIDENCE),
            (result["key"], result["key_confidence"], result["key_uncertain"], MIN_ESTIMATE_CONFIDENCE)):
        assert flag is (None if value is None else confidence < threshold)
