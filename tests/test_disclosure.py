"""Disclosure derivation: IPTC terms, tiers, brand summary, policy, lineage and methodology."""

from __future__ import annotations

import re
from typing import Any

import pytest

from disclosure_factory import PERSON, TOOL, asset, brand, stage
from sonicguide.core.judge import policy, vocabulary
from sonicguide.core.judge import rules as disclosure_rules
from sonicguide.core.load.model import Asset, Brand
from sonicguide.core.views import methodology


def with_derived(model: Brand) -> tuple[Brand, dict[str, dict[str, Any]]]:
    """The model and its derived disclosures, as the judging passes them."""
    return model, disclosure_rules.derive_brand(model)

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
HUMAN_CORE = {"composition": "human", "arrangement": "human", "instrumental_performance": "human"}

# Each case: stages -> (IPTC term, tier). The expectations are the published rules read by hand.
CASES = {
    "recorded band": (HUMAN_CORE | {"mixing": "human", "mastering": "human"}, "digitalCapture", "human-made"),
    "programmed in a DAW": (
        {
            "composition": "human",
            "instrumental_performance": "not-applicable",
            "production": "human",
            "sound_design": "human",
        },
        "digitalCreation",
        "human-made",
    ),
    "AI mastering": (
        HUMAN_CORE | {"mastering": "ai-assisted"},
        "algorithmicallyEnhanced",
        "human-directed-ai-assisted",
    ),
    "automatic AI mastering": (
        HUMAN_CORE | {"mastering": "ai-generated"},
        "algorithmicallyEnhanced",
        "human-directed-ai-assisted",
    ),
    "AI-assisted composition": (
        {"composition": "ai-assisted", "production": "human"},
        "algorithmicallyEnhanced",
        "human-directed-ai-assisted",
    ),
    "AI vocals on a human song": (
        HUMAN_CORE | {"vocal_performance": "ai-generated"},
        "compositeWithTrainedAlgorithmicMedia",
        "ai-generated-human-curated",
    ),
    "AI backing vocals in a segment": (
        HUMAN_CORE
        | {
            "vocal_performance": stage(
                "human",
                segments=[
                    {
                        "start_s": "0:12",
                        "end_s": "0:20",
                        "mode": "ai-generated",
                        "description": "AI backing vocals",
                    }
                ],
            )
        },
        "compositeWithTrainedAlgorithmicMedia",
        "human-directed-ai-assisted",
    ),
    "AI composition, human performance": (
        {"composition": "ai-generated", "instrumental_performance": "human"},
        "compositeSynthetic",
        "ai-generated-human-curated",
    ),
    "fully generated, human direction": (
        {"creative_direction": "human", "composition": "ai-generated", "production": "ai-generated"},
        "trainedAlgorithmicMedia",
        "ai-generated-human-curated",
    ),
    "fully generated, nobody": (
        {"composition": "ai-generated", "production": "ai-generated"},
        "trainedAlgorithmicMedia",
        "ai-generated",
    ),
    "generated, human mastering": (
        {"composition": "ai-generated", "production": "ai-generated", "mastering": "human"},
        "trainedAlgorithmicMedia",
        "ai-generated-human-curated",
    ),
    "AI-directed human work": (
        {"creative_direction": "ai-generated", "composition": "human"},
        "digitalCreation",
        "ai-generated-human-curated",
    ),
    # Every required stage not applicable: nothing made a sound, so nothing is claimed.
    "only direction": ({"creative_direction": "human"}, None, "incomplete"),
}


@pytest.mark.parametrize("name", CASES)
def test_iptc_term_and_tier_follow_the_published_rules(name: str) -> None:
    stages, term, tier = CASES[name]
    derived = disclosure_rules.derive_asset(asset(stages=stages))
    assert derived["iptc"]["term"] == term
    assert derived["tier"]["id"] == tier
    if term:
        assert derived["iptc"]["uri"] == IPTC + term


def test_a_generated_variant_of_a_human_master_is_edited_with_generative_ai() -> None:
    variant = asset(
        "theme-short",
        role="variant",
        variant_of="theme",
        stages=HUMAN_CORE | {"variant_generation": "ai-generated"},
        approval={"by": "Ada Moreau", "date": "2026-03-02"},
    )
    derived = disclosure_rules.derive_asset(variant)
    assert derived["iptc"]["term"] == "compositeWithTrainedAlgorithmicMedia"
    assert derived["tier"]["id"] == "ai-generated-human-curated"
    assert derived["approval"] == {"by": "Ada Moreau", "role": None, "date": "2026-03-02", "note": None,
                                   "note_sentence": None}


def test_a_human_cut_down_is_human_edits() -> None:
    cut = asset(
        "theme-15", role="cut-down", variant_of="theme", stages=HUMAN_CORE | {"variant_generation": "human"}
    )
    assert disclosure_rules.derive_asset(cut)["iptc"]["term"] == "humanEdits"


def test_schema_org_uses_its_older_names_for_current_iptc_terms() -> None:
    assert vocabulary.IPTC_TERMS["digitalCreation"].schema_org_url == "https://schema.org/DigitalArtDigitalSource"
    assert vocabulary.IPTC_TERMS["humanEdits"].schema_org == "MinorHumanEditsDigitalSource"
    generative = {t.term for t in vocabulary.IPTC_TERMS.values() if t.generative}
    assert generative == {
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
        "compositeSynthetic",
    }


def test_every_rule_term_is_a_known_term_and_every_term_is_reachable() -> None:
    rule_terms = {r.term for r in disclosure_rules.IPTC_RULES if r.term}
    assert rule_terms == set(vocabulary.IPTC_TERMS)
    reached = {CASES[name][1] for name in CASES} | {"compositeWithTrainedAlgorithmicMedia", "humanEdits"}
    assert rule_terms <= reached
    assert {CASES[name][2] for name in CASES} == set(vocabulary.TIER_ORDER)


def test_stage_data_keeps_everything_the_page_shows_in_production_order() -> None:
    derived = disclosure_rules.derive_asset(
        asset(
            stages={
                "mastering": "ai-assisted",
                "composition": stage(
                    "human",
                    notes="Written at the piano",
                    segments=[
                        {
                            "start_s": 72.5,
                            "end_s": 80,
                            "mode": "ai-assisted",
                            "description": "AI-suggested fill",
                        }
                    ],
                ),
            },
            certifications=[{"scheme": "Fairly Trained", "id": "FT-1", "status": "independently-verified"}],
            evidence=[{"kind": "stem", "name": "vox.wav", "sha256": "ab" * 32}],
            ai_training="allowed",
            complete=False,
        )
    )
    assert [s["stage"] for s in derived["stages"]] == ["composition", "mastering"]
    composition, mastering = derived["stages"]
    assert composition["contributors"] == [{**PERSON[0], "label": "Ada Moreau (composer)"}]
    assert composition["notes"] == "Written at the piano"
    assert composition["segments"][0] | {} == {
        "start_s": 72.5,
        "end_s": 80.0,
        "start": "1:12.5",
        "end": "1:20",
        "mode": "ai-assisted",
        "mode_label": "AI-assisted",
        "mode_abbr": "AA",
        "description": "AI-suggested fill",
    }
    assert mastering["tools"] == TOOL
    assert derived["verification"]["status"] == "independently-verified"
    assert derived["verification"]["schemes"] == ["Fairly Trained"]
    assert derived["verification"]["evidence"][0]["sha256"] == "ab" * 32
    assert derived["ai_training"]["value"] == "allowed"


def test_without_a_verified_certification_everything_is_self_declared() -> None:
    derived = disclosure_rules.derive_asset(asset(stages=HUMAN_CORE, certifications=[{"scheme": "Own audit"}]))
    assert derived["verification"]["status"] == "self-declared"
    assert derived["verification"]["certifications"][0]["status_label"] == "Self-declared"


def test_human_share_is_the_mean_stage_weight() -> None:
    # human 1, ai-assisted 1/2, ai-generated 0, n/a not counted: (1 + 0.5 + 0) / 3
    a = asset(
        stages={
            "composition": "human",
            "mixing": "ai-assisted",
            "production": "ai-generated",
            "lyrics": "not-applicable",
        }
    )
    assert disclosure_rules.derive_asset(a)["human_share"] == pytest.approx(0.5)
    # A human stage with an AI-generated segment counts half-way: (1 + 0) / 2
    seg = asset(
        stages={
            "vocal_performance": stage(
                "human", segments=[{"start_s": 1, "end_s": 2, "mode": "ai-generated", "description": "x"}]
            )
        }
    )
    assert disclosure_rules.derive_asset(seg)["human_percent"] == 50


def test_an_unapproved_generated_variant_sets_the_brand_tier() -> None:
    logo, theme, variant = _mixed_brand()
    unapproved = asset("theme-alt", role="variant", variant_of="theme",
                       stages={"variant_generation": "ai-generated"})
    assert disclosure_rules.derive_tier(unapproved)["id"] == "ai-generated"
    summary = disclosure_rules.brand_summary(
        *with_derived(brand([logo, theme, unapproved], target="human-directed-ai-assisted")))
    assert summary["tier"]["id"] == "ai-generated"
    assert summary["meets_target"] is False
    approved = disclosure_rules.brand_summary(*with_derived(brand([logo, theme, variant], target="human-made")))
    assert approved["tier"]["id"] == "human-directed-ai-assisted"


def _mixed_brand() -> tuple[Asset, Asset, Asset]:
    logo = asset("logo", stages=HUMAN_CORE)
    theme = asset("theme", role="theme", stages=HUMAN_CORE | {"mastering": "ai-assisted"})
    variant = asset(
        "theme-alt",
        role="variant",
        variant_of="theme",
        stages=HUMAN_CORE | {"variant_generation": "ai-generated"},
        approval={"by": "Ada Moreau", "role": "music director", "date": "2026-03-02"},
    )
    return logo, theme, variant


def test_brand_summary_counts_modes_per_stage_and_tiers_by_core_and_approved_variants() -> None:
    logo, theme, variant = _mixed_brand()
    summary = disclosure_rules.brand_summary(
        *with_derived(brand([logo, theme, variant], target="human-directed-ai-assisted")))
    by_stage = {s["stage"]: s for s in summary["stages"]}
    assert list(by_stage) == [
        "composition",
        "arrangement",
        "instrumental_performance",
        "production",
        "mixing",
        "mastering",
        "variant_generation",
    ]
    # The factory declares the required stages a case leaves out not-applicable, with a reason.
    assert by_stage["mastering"]["counts"] == {
        "human": 0,
        "ai-assisted": 1,
        "ai-generated": 0,
        "not-applicable": 2,
        "undisclosed": 0,
        "undeclared": 0,
    }
    assert by_stage["composition"]["shares"]["human"] == 1.0
    # A human core whose AI-generated variant a person approved is human-directed, AI-assisted.
    assert summary["tier"]["id"] == "human-directed-ai-assisted"
    assert summary["meets_target"] is True
    assert [t["count"] for t in summary["tier_counts"]] == [1, 1, 1, 0, 0]
    assert summary["incomplete"] == []
    assert summary["verification"] == {"status": "self-declared", "label": "Self-declared", "schemes": [],
                                       "verified": 0, "self_declared": 3}
    # logo 1, theme (3 + 0.5) / 4, variant (3 + 0) / 4
    assert summary["human_share"]["value"] == pytest.approx((1 + 0.875 + 0.75) / 3)
    assert "not a standard" in summary["human_share"]["method"]
    row = summary["matrix"]["rows"][0]
    assert [c["mode_abbr"] for c in row["cells"]] == ["H", "H", "H", "n/a", "n/a", "n/a", "–"]
    assert {entry["mode"] for entry in summary["legend"]} == {
        "human",
        "ai-assisted",
        "ai-generated",
        "not-applicable",
        "undisclosed",
        "undeclared",
    }


def test_policy_breaches_name_the_asset_the_stage_and_the_limit() -> None:
    _logo, theme, variant = _mixed_brand()
    seg_logo = asset(
        "logo",
        stages=HUMAN_CORE
        | {
            "vocal_performance": stage(
                "human",
                segments=[
                    {"start_s": "0:01", "end_s": "0:02", "mode": "ai-generated", "description": "AI choir"}
                ],
            )
        },
    )
    rules = [
        {"statement": "Our sonic logo is human-made end to end.", "roles": ["logo"], "at_most": "human"},
        {
            "statement": "Masters are never AI-generated.",
            "assets": ["theme", "ghost"],
            "at_most": "ai-assisted",
        },
        {
            "statement": "Composition is human everywhere.",
            "stages": ["composition", "lyrics"],
            "at_most": "human",
        },
    ]
    results = policy.check_policy(*with_derived(brand([seg_logo, theme, variant], target="human-made", rules=rules)))
    kinds = [r["kind"] for r in results]
    assert kinds == ["target-tier", "rule", "rule", "rule"]
    target, logo_rule, master_rule, composition_rule = results
    assert not target["ok"] and {b["asset"] for b in target["breaches"]} <= {"logo", "theme", "theme-alt"}
    assert target["breaches"]
    assert not logo_rule["ok"] and logo_rule["assets"] == ["logo"]
    assert [b["message"] for b in logo_rule["breaches"]] == [
        "logo (Logo), vocal performance, 0:01–0:02: ai-generated, the policy allows at most human"
    ]
    assert [b["asset"] for b in master_rule["breaches"]] == ["ghost"]
    assert "does not have" in master_rule["breaches"][0]["message"]
    # lyrics undeclared for every asset: the promise cannot be checked
    assert {(b["asset"], b["stage"]) for b in composition_rule["breaches"]} == {
        ("logo", "lyrics"),
        ("theme", "lyrics"),
        ("theme-alt", "lyrics"),
    }


def test_policy_warnings_are_one_line_per_breach() -> None:
    results = policy.check_policy(*with_derived(
        brand([asset(stages=HUMAN_CORE | {"mixing": "ai-assisted"})],
              rules=[{"statement": "Logo human.", "roles": ["logo"], "at_most": "human"}])))
    assert policy.policy_warnings(results, brand_name="Acme") == [
        'Acme: policy "Target tier Human-made: the brand\'s tier is at least that human." is breached: '
        "the brand is Human-directed, AI-assisted, below its target Human-made, because logo (Logo) "
        "is Human-directed, AI-assisted",
        'Acme: policy "Logo human." is breached: '
        "logo (Logo), mixing: ai-assisted, the policy allows at most human",
    ]


def test_a_kept_policy_has_no_breach() -> None:
    results = policy.check_policy(*with_derived(
        brand(
            [asset(stages=HUMAN_CORE)],
            rules=[{"statement": "Logo human.", "assets": ["logo"], "at_most": "human"}],
        )
    ))
    assert all(r["ok"] and not r["breaches"] for r in results)


def test_lineage_nests_variants_under_masters_with_approvals() -> None:
    logo, theme, variant = _mixed_brand()
    cut = asset("theme-alt-15", role="cut-down", variant_of="theme-alt", stages=HUMAN_CORE)
    orphan = asset("stray", role="variant", variant_of="missing", stages=HUMAN_CORE)
    trees = disclosure_rules.lineage(*with_derived(brand([logo, theme, variant, cut, orphan])))
    assert [t["id"] for t in trees] == ["logo", "theme", "stray"]
    theme_node = trees[1]
    assert [c["id"] for c in theme_node["children"]] == ["theme-alt"]
    alt = theme_node["children"][0]
    assert alt["approval"]["by"] == "Ada Moreau" and alt["tier"]["label"] == "AI-generated, human-curated"
    assert [c["id"] for c in alt["children"]] == ["theme-alt-15"]
    assert trees[2]["missing_parent"] == "missing"


def test_lineage_survives_a_cycle() -> None:
    a = asset("a", role="variant", variant_of="b", stages=HUMAN_CORE)
    b = asset("b", role="variant", variant_of="a", stages=HUMAN_CORE)
    trees = disclosure_rules.lineage(*with_derived(brand([a, b])))
    ids: list[str] = []

    def walk(nodes: list[dict[str, object]]) -> None:
        for node in nodes:
            ids.append(str(node["id"]))
            walk(node["children"])  # type: ignore[arg-type]

    walk(trees)
    assert sorted(ids) == ["a", "b"]


def test_methodology_publishes_the_rule_tables() -> None:
    text = methodology.methodology_markdown()
    for rule in disclosure_rules.IPTC_RULES:
        assert rule.when in text
        if rule.term:
            assert f"`{rule.term}`" in text
    for tier in disclosure_rules.TIER_RULES:
        assert tier.when in text and vocabulary.TIER_LABELS[tier.tier] in text
    assert disclosure_rules.HUMAN_SHARE_METHOD in text
    for label, _meaning in vocabulary.C2PA_STATES.values():
        assert f"| {label} |" in text
    # every table row has as many cells as its header
    for block in re.split(r"\n\n", text):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
            assert len(widths) == 1, block


def test_methodology_renders_to_html_tables() -> None:
    markdown = pytest.importorskip("markdown")
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markdown.markdown(methodology.methodology_markdown(), extensions=["tables"]), "html.parser")
    tables = soup.find_all("table")
    assert len(tables) == 7  # stages, modes, required stages, IPTC rules, tiers, C2PA states, playback chains
    iptc = tables[3]
    assert len(iptc.find("tbody").find_all("tr")) == len(disclosure_rules.IPTC_RULES)
    assert [h.get_text() for h in soup.find_all("h2")] == [
        "Stages", "Modes", "Required stages", "IPTC digital source type", "Tiers", "Human share",
        "Self-declared and verified",
        "Content Credentials (C2PA)", "Playback chains"]
