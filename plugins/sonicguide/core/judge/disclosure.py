"""Contribution disclosures: standard vocabularies, tiers, the brand summary and policy checks.

Everything here turns the validated model (:mod:`sonicguide.core.load.model`) into plain data (dicts,
lists, strings, numbers) that templates, ``brand.json`` and the JSON-LD writer read. The rules
that derive a code or a label are tables in this module (:data:`IPTC_RULES`, :data:`TIER_RULES`),
and :func:`methodology_markdown` renders the same tables for the published methodology page, so
what the site says it does and what it does cannot drift apart.

Public functions and their results (all keys always present; optional values are ``None``):

* :func:`derive_asset` - one asset's stage-by-stage disclosure, IPTC digital source type, tier,
  verification status and human-share estimate.
* :func:`brand_summary` - per-stage counts across assets, the assets x stages matrix for the
  spectrum chart, the brand tier against the policy target and the brand's human-share estimate.
* :func:`check_policy` - every policy promise evaluated, with breaches and human messages;
  :func:`policy_warnings` flattens them into log lines.
* :func:`lineage` - master -> variants trees with tier and approval per node.
* :func:`methodology_markdown` - the methodology page as Markdown (our text only, no YAML text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sonicguide.core.load.model import Asset, Brand, Mode, PolicyRule, Stage, StageDisclosure, TierName
from sonicguide.core.views import format as fmt

IPTC_SCHEME: Final = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SCHEMA_ORG: Final = "https://schema.org/"

# --------------------------------------------------------------------------------------------
# Vocabulary: stages, modes and their labels


STAGE_LABELS: Final[dict[Stage, str]] = {
    Stage.creative_direction: "Creative direction",
    Stage.composition: "Composition",
    Stage.lyrics: "Lyrics",
    Stage.arrangement: "Arrangement",
    Stage.instrumental_performance: "Instrumental performance",
    Stage.vocal_performance: "Vocal performance",
    Stage.production: "Production",
    Stage.sound_design: "Sound design",
    Stage.mixing: "Mixing",
    Stage.mastering: "Mastering",
    Stage.variant_generation: "Variant generation",
}

#: What each stage covers, for the methodology page.
STAGE_MEANINGS: Final[dict[Stage, str]] = {
    Stage.creative_direction: "the brief, the choices and the final say; makes no sound itself",
    Stage.composition: "melody, harmony, rhythm: the musical idea",
    Stage.lyrics: "the words, if any",
    Stage.arrangement: "which instruments play what, and when",
    Stage.instrumental_performance: "playing the instruments (recorded or played in)",
    Stage.vocal_performance: "singing or speaking",
    Stage.production: "building the track: programming, sound selection, editing",
    Stage.sound_design: "designed sounds and textures",
    Stage.mixing: "balancing and processing the parts",
    Stage.mastering: "final loudness, tone and delivery files",
    Stage.variant_generation: "making this asset from another one (a cut-down, a re-orchestration)",
}

#: Stages whose output is the audible material itself.
AUTHORSHIP_STAGES: Final = (Stage.composition, Stage.lyrics, Stage.arrangement)
REALISATION_STAGES: Final = (Stage.instrumental_performance, Stage.vocal_performance, Stage.production,
                             Stage.sound_design)
PERFORMANCE_STAGES: Final = (Stage.instrumental_performance, Stage.vocal_performance)
FINISHING_STAGES: Final = (Stage.mixing, Stage.mastering)
#: Stages that make content: authorship, realisation and derivation of a variant.
CONTENT_STAGES: Final = (*AUTHORSHIP_STAGES, *REALISATION_STAGES, Stage.variant_generation)

MODE_LABELS: Final[dict[Mode, str]] = {
    Mode.human: "Human",
    Mode.ai_assisted: "AI-assisted",
    Mode.ai_generated: "AI-generated",
    Mode.not_applicable: "Not applicable",
}
#: Short text shown in chart cells so colour is never the only cue.
MODE_ABBREVIATIONS: Final[dict[Mode, str]] = {
    Mode.human: "H",
    Mode.ai_assisted: "AA",
    Mode.ai_generated: "AG",
    Mode.not_applicable: "n/a",
}
MODE_MEANINGS: Final[dict[Mode, str]] = {
    Mode.human: "people did the stage; no AI tool was used for it",
    Mode.ai_assisted: ("people did the stage and stayed in control; AI tools helped (suggestions, "
                       "processing, clean-up) but did not generate material that ends up in the asset"),
    Mode.ai_generated: "an AI model generated the stage's material; people may have prompted, picked or "
                       "edited it",
    Mode.not_applicable: "the stage does not exist for this asset (an instrumental has no lyrics)",
}
#: Marker for a stage an asset does not declare at all (shown in the chart, never in the YAML).
UNDECLARED: Final = "undeclared"
_UNDECLARED_DATA: Final = {"mode": UNDECLARED, "mode_label": "Not declared", "mode_abbr": "–"}

#: How human a mode is, for the estimate: 1 = all people, 0 = all model.
MODE_HUMAN_WEIGHT: Final[dict[Mode, float]] = {Mode.human: 1.0, Mode.ai_assisted: 0.5, Mode.ai_generated: 0.0}
#: Order used to compare modes ("at most ai-assisted"): lower is more human.
_MODE_RANK: Final[dict[Mode, int]] = {Mode.not_applicable: -1, Mode.human: 0, Mode.ai_assisted: 1,
                                      Mode.ai_generated: 2}

# --------------------------------------------------------------------------------------------
# IPTC digital source type


@dataclass(frozen=True)
class IPTCTerm:
    """A term of the IPTC Digital Source Type NewsCodes and its schema.org enumeration member."""

    term: str
    name: str
    schema_org: str
    generative: bool

    @property
    def uri(self) -> str:
        return IPTC_SCHEME + self.term

    @property
    def schema_org_url(self) -> str:
        return SCHEMA_ORG + self.schema_org


#: The IPTC terms we use, with IPTC's English names. schema.org still names two of them after the
#: retired IPTC terms: digitalCreation is ``DigitalArtDigitalSource`` and humanEdits is
#: ``MinorHumanEditsDigitalSource``.
IPTC_TERMS: Final[dict[str, IPTCTerm]] = {t.term: t for t in (
    IPTCTerm("digitalCapture", "Digital capture sampled from real life", "DigitalCaptureDigitalSource",
             False),
    IPTCTerm("digitalCreation", "Digital creation", "DigitalArtDigitalSource", False),
    IPTCTerm("humanEdits", "Human-edited media", "MinorHumanEditsDigitalSource", False),
    IPTCTerm("algorithmicallyEnhanced", "Algorithmically-altered media",
             "AlgorithmicallyEnhancedDigitalSource", False),
    IPTCTerm("compositeWithTrainedAlgorithmicMedia", "Edited using Generative AI",
             "CompositeWithTrainedAlgorithmicMediaDigitalSource", True),
    IPTCTerm("compositeSynthetic", "Composite including generative AI elements",
             "CompositeSyntheticDigitalSource", True),
    IPTCTerm("trainedAlgorithmicMedia", "Created using Generative AI", "TrainedAlgorithmicMediaDigitalSource",
             True),
)}


@dataclass(frozen=True)
class _Facts:
    """What the rules look at, computed once per asset."""

    asset: Asset
    stages: Mapping[Stage, StageDisclosure]

    def applicable(self, group: Iterable[Stage]) -> list[Stage]:
        return [s for s in group if s in self.stages and self.stages[s].mode is not Mode.not_applicable]

    def wholly_generated(self, stage: Stage) -> bool:
        disclosure = self.stages[stage]
        return disclosure.mode is Mode.ai_generated and all(
            seg.mode in (Mode.ai_generated, Mode.not_applicable) for seg in disclosure.segments)

    def touched_by_generation(self, stage: Stage) -> bool:
        """The stage, or a time segment of it, is AI-generated."""
        disclosure = self.stages[stage]
        return disclosure.mode is Mode.ai_generated or any(
            seg.mode is Mode.ai_generated for seg in disclosure.segments)

    def uses_ai(self, stage: Stage) -> bool:
        disclosure = self.stages[stage]
        modes = {disclosure.mode, *(seg.mode for seg in disclosure.segments)}
        return bool(modes & {Mode.ai_assisted, Mode.ai_generated})

    @property
    def content(self) -> list[Stage]:
        return self.applicable(CONTENT_STAGES)


@dataclass(frozen=True)
class IPTCRule:
    """One row of the published mapping: the first rule whose test holds gives the asset's term."""

    id: str
    term: str | None
    when: str
    why: str
    test: Callable[[_Facts], bool]


def _all_generated(f: _Facts) -> bool:
    return bool(f.content) and all(f.wholly_generated(s) for s in f.content)


def _authorship_generated(f: _Facts) -> bool:
    return any(f.touched_by_generation(s) for s in f.applicable(AUTHORSHIP_STAGES))


def _content_generated(f: _Facts) -> bool:
    return any(f.touched_by_generation(s) for s in f.content)


def _any_ai(f: _Facts) -> bool:
    return any(f.uses_ai(s) for s in f.applicable([*CONTENT_STAGES, *FINISHING_STAGES]))


def _human_variant(f: _Facts) -> bool:
    return f.asset.variant_of is not None and bool(f.applicable([Stage.variant_generation]))


def _human_performance(f: _Facts) -> bool:
    return bool(f.applicable(PERFORMANCE_STAGES))


#: The published mapping from stages to one IPTC term per asset, tried in order.
IPTC_RULES: Final[tuple[IPTCRule, ...]] = (
    IPTCRule("no-content", None,
             "no stage that makes sound (composition to variant generation) is declared or applicable",
             "there is nothing to classify; the page says the source type is not declared",
             lambda f: not f.content),
    IPTCRule("all-generated", "trainedAlgorithmicMedia",
             "every applicable content stage is AI-generated, with no human segment",
             "the audio was created by a generative model; people directing, choosing, mixing or mastering "
             "it do "
             "not change what created it (IPTC: created using generative AI)", _all_generated),
    IPTCRule("generated-authorship", "compositeSynthetic",
             "the composition, lyrics or arrangement is wholly or partly AI-generated, and not every content "
             "stage is",
             "the musical idea itself mixes human and synthetic elements, so there is no human core that "
             "AI merely "
             "edited (IPTC: composite including generative AI elements)", _authorship_generated),
    IPTCRule("generated-parts", "compositeWithTrainedAlgorithmicMedia",
             "the composition, lyrics and arrangement are human or AI-assisted, and a realisation stage, a "
             "time "
             "segment or the variant generation is AI-generated",
             "a human-authored work with generated parts, like AI backing vocals in one passage or a variant "
             "generated from a human master: IPTC's term for media edited using generative AI (the audio "
             "counterpart of inpainting)", _content_generated),
    IPTCRule("ai-assisted", "algorithmicallyEnhanced",
             "nothing is AI-generated, and an AI tool assisted a content, mixing or mastering stage; or "
             "mixing or "
             "mastering was done automatically",
             "AI-assisted means the tool processed or suggested but did not generate material in the "
             "asset, which "
             "is IPTC's algorithmically-altered media (modification by algorithm, configured by a human)",
             _any_ai),
    IPTCRule("human-variant", "humanEdits",
             "every stage is human and the asset is a variant (variant_of) edited from its master by a "
             "person",
             "a cut-down or edit of an existing recording made with ordinary tools is IPTC's human-edited "
             "media",
             _human_variant),
    IPTCRule("human-performance", "digitalCapture",
             "every stage is human and a person performed an instrument or the vocals",
             "a human performance is read as a recording from real life. The YAML does not say whether a "
             "part "
             "was played on a microphone or into a sequencer; declare instrumental performance "
             "not-applicable "
             "for programmed music to get digitalCreation", _human_performance),
    IPTCRule("human-creation", "digitalCreation",
             "every stage is human and no performance was recorded (programmed, synthesised, designed in a "
             "DAW)",
             "media made by people with non-generative software is IPTC's digital creation", lambda f: True),
)


def derive_iptc(asset: Asset) -> dict[str, Any]:
    """The asset's IPTC digital source type, by the first matching rule of :data:`IPTC_RULES`.

    Returns ``{"term", "name", "uri", "schema_org", "schema_org_url", "generative", "rule", "when"}``;
    every value but ``rule`` and ``when`` is ``None`` when no content stage applies.
    """
    facts = _Facts(asset, asset.disclosure.stages)
    rule = next(r for r in IPTC_RULES if r.test(facts))
    term = IPTC_TERMS[rule.term] if rule.term else None
    return {
        "term": term.term if term else None,
        "name": term.name if term else None,
        "uri": term.uri if term else None,
        "schema_org": term.schema_org if term else None,
        "schema_org_url": term.schema_org_url if term else None,
        "generative": term.generative if term else None,
        "rule": rule.id,
        "when": rule.when,
    }


# --------------------------------------------------------------------------------------------
# Tiers


TIER_ORDER: Final[tuple[TierName, ...]] = (
    "human-made", "human-directed-ai-assisted", "ai-generated-human-curated", "ai-generated")
TIER_LABELS: Final[dict[TierName, str]] = {
    "human-made": "Human-made",
    "human-directed-ai-assisted": "Human-directed, AI-assisted",
    "ai-generated-human-curated": "AI-generated, human-curated",
    "ai-generated": "AI-generated",
}


def _human_involvement(f: _Facts) -> bool:
    """A person shaped or chose the generated result."""
    direction = f.stages.get(Stage.creative_direction)
    directed = direction is not None and direction.mode in (Mode.human, Mode.ai_assisted)
    human_stage = any(not f.wholly_generated(s) for s in f.applicable([*CONTENT_STAGES, *FINISHING_STAGES]))
    return directed or human_stage or f.asset.disclosure.approval is not None


def _wholly_generated_content(f: _Facts) -> bool:
    return any(f.wholly_generated(s) for s in f.content)


def _no_ai_anywhere(f: _Facts) -> bool:
    return not any(f.uses_ai(s) for s in f.applicable(Stage))


def _ai_directed(f: _Facts) -> bool:
    direction = f.stages.get(Stage.creative_direction)
    return direction is not None and direction.mode is Mode.ai_generated


@dataclass(frozen=True)
class TierRule:
    """One row of the published tier rules, tried in order."""

    tier: TierName
    when: str
    test: Callable[[_Facts], bool]


TIER_RULES: Final[tuple[TierRule, ...]] = (
    TierRule("human-made", "every declared stage is human or not applicable, with no AI segment",
             _no_ai_anywhere),
    TierRule("human-directed-ai-assisted",
             "no content stage is wholly AI-generated and the creative direction (if declared) is not "
             "AI-generated: people made the material, AI tools assisted, and at most bounded time segments "
             "were generated (listed on the page)",
             lambda f: not _wholly_generated_content(f) and not _ai_directed(f)),
    TierRule("ai-generated-human-curated",
             "at least one content stage is wholly AI-generated, and a person directed it (creative "
             "direction "
             "human or AI-assisted), did a content, mixing or mastering stage, or approved the result "
             "(approval recorded)", _human_involvement),
    TierRule("ai-generated", "anything else: generated with no recorded human direction, work or approval",
             lambda f: True),
)


def derive_tier(asset: Asset) -> dict[str, Any]:
    """The asset's tier by the first matching rule of :data:`TIER_RULES`.

    Returns ``{"id", "label", "rank", "when"}``; ``rank`` is 0 for human-made up to 3 for AI-generated.
    """
    facts = _Facts(asset, asset.disclosure.stages)
    rule = next(r for r in TIER_RULES if r.test(facts))
    return _tier_data(rule.tier, rule.when)


def _tier_data(tier: TierName, when: str | None = None) -> dict[str, Any]:
    return {"id": tier, "label": TIER_LABELS[tier], "rank": TIER_ORDER.index(tier), "when": when}


# --------------------------------------------------------------------------------------------
# Per asset


def _mode_data(mode: Mode) -> dict[str, str]:
    return {"mode": mode.value, "mode_label": MODE_LABELS[mode], "mode_abbr": MODE_ABBREVIATIONS[mode]}


def _stage_data(stage: Stage, disclosure: StageDisclosure) -> dict[str, Any]:
    return {
        "stage": stage.value,
        "stage_label": STAGE_LABELS[stage],
        **_mode_data(disclosure.mode),
        "contributors": [{"name": c.name, "role": c.role} for c in disclosure.contributors],
        "tools": [{"name": t.name, "version": t.version, "vendor": t.vendor, "training_data": t.training_data,
                   "certification": t.certification} for t in disclosure.tools],
        "notes": disclosure.notes,
        "segments": [{"start_s": seg.start_s, "end_s": seg.end_s, "start": fmt.time_label(seg.start_s),
                      "end": fmt.time_label(seg.end_s), **_mode_data(seg.mode), "description": seg.description}
                     for seg in disclosure.segments],
    }


def _stage_weight(disclosure: StageDisclosure) -> float | None:
    """The stage's human weight: its mode's weight; a stage with segments of another mode counts half-way
    between its mode and the least human segment (segment lengths against the asset are not known here)."""
    if disclosure.mode is Mode.not_applicable:
        return None
    weight = MODE_HUMAN_WEIGHT[disclosure.mode]
    segment_weights = [MODE_HUMAN_WEIGHT[s.mode] for s in disclosure.segments
                       if s.mode is not Mode.not_applicable]
    if segment_weights and min(segment_weights) != weight:
        weight = (weight + min(segment_weights)) / 2
    return weight


def human_share(asset: Asset) -> float | None:
    """Our estimate of the share of the asset's declared stage work done by people, 0..1.

    Mean of :func:`_stage_weight` over the applicable declared stages; ``None`` if none applies.
    """
    weights = [w for w in (_stage_weight(d) for d in asset.disclosure.stages.values()) if w is not None]
    return sum(weights) / len(weights) if weights else None


VERIFICATION_LABELS: Final = {"self-declared": "Self-declared", "independently-verified": "Independently "
                                                                                          "verified"}


def derive_asset(asset: Asset) -> dict[str, Any]:
    """One asset's disclosure as plain data, stages in production order.

    Keys:

    * ``id``, ``title``, ``role``, ``variant_of`` (str or None)
    * ``stages``: list of ``{"stage", "stage_label", "mode", "mode_label", "mode_abbr",
      "contributors": [{"name", "role"}], "tools": [{"name", "version", "vendor", "training_data",
      "certification"}], "notes", "segments": [{"start_s", "end_s", "start", "end", "mode",
      "mode_label", "mode_abbr", "description"}]}`` (``start``/``end`` as m:ss text)
    * ``iptc``: see :func:`derive_iptc`; ``tier``: see :func:`derive_tier`
    * ``verification``: ``{"status": "self-declared" | "independently-verified", "label",
      "schemes": [verified scheme names], "certifications": [{"scheme", "id", "url", "status",
      "status_label"}], "evidence": [{"kind", "name", "sha256", "description"}]}``. The status is
      independently verified when at least one certification is; the tier and IPTC term are then
      still derived from the self-declared stages, which the certification vouches for.
    * ``approval``: ``{"by", "role", "date" (YYYY-MM-DD), "note", "note_sentence"}`` or None
      (``note_sentence``: the note closed as a sentence by format.sentence, for display)
    * ``ai_training``: ``{"value": "allowed" | "not-allowed", "label"}``
    * ``human_share``: float 0..1 or None (see :func:`human_share`); ``human_percent``: int or None
    """
    disclosure = asset.disclosure
    certifications = [{"scheme": c.scheme, "id": c.id, "url": c.url, "status": c.status,
                       "status_label": VERIFICATION_LABELS[c.status]} for c in disclosure.certifications]
    verified = [c["scheme"] for c in certifications if c["status"] == "independently-verified"]
    status = "independently-verified" if verified else "self-declared"
    approval = disclosure.approval
    share = human_share(asset)
    return {
        "id": asset.id,
        "title": asset.title,
        "role": asset.role,
        "variant_of": asset.variant_of,
        "stages": [_stage_data(stage, disclosure.stages[stage])
                   for stage in Stage if stage in disclosure.stages],
        "iptc": derive_iptc(asset),
        "tier": derive_tier(asset),
        "verification": {
            "status": status,
            "label": VERIFICATION_LABELS[status],
            "schemes": verified,
            "certifications": certifications,
            "evidence": [{"kind": e.kind, "name": e.name, "sha256": e.sha256, "description": e.description}
                         for e in disclosure.evidence],
        },
        "approval": None if approval is None else {
            "by": approval.by, "role": approval.role, "date": approval.date.isoformat(),
            "note": approval.note, "note_sentence": fmt.sentence(approval.note) if approval.note else None},
        "ai_training": {"value": disclosure.ai_training,
                        "label": "AI training and data mining: " + disclosure.ai_training.replace("-", " ")},
        "human_share": share,
        "human_percent": None if share is None else round(share * 100),
    }


# --------------------------------------------------------------------------------------------
# Brand


HUMAN_SHARE_METHOD: Final = (
    "sonicguide's estimate, not a standard measure: each applicable declared stage counts human = 1, "
    "AI-assisted = 1/2, AI-generated = 0 (a stage with AI-generated time segments counts half-way between "
    "its "
    "mode and the segments' mode); an asset's share is the mean over its stages, the brand's the mean over "
    "its assets, each asset weighing the same.")

#: Brand tier rule, published on the methodology page.
BRAND_TIER_RULE: Final = (
    "the least human tier among its core assets (those that are not a variant of another asset); a variant "
    "less human than that lowers the brand to Human-directed, AI-assisted when a person approved it "
    "(approval recorded), and to the variant's own tier when nobody did")


def brand_tier(brand: Brand) -> tuple[TierName, list[Asset]]:
    """The brand's tier by :data:`BRAND_TIER_RULE`, and the assets that set it (least human first).

    A human-made core with approved AI-generated variants is a human-directed identity that AI
    assisted; the label must still never claim more than an unapproved asset supports.
    """
    tiers = {asset.id: derive_tier(asset)["id"] for asset in brand.assets}
    cores = [a for a in brand.assets if a.variant_of is None] or list(brand.assets)
    rank = TIER_ORDER.index
    tier: TierName = max((tiers[a.id] for a in cores), key=rank)
    assisted: TierName = "human-directed-ai-assisted"
    for asset in brand.assets:
        if asset.variant_of is None or rank(tiers[asset.id]) <= rank(tier):
            continue
        lowered = tiers[asset.id] if asset.disclosure.approval is None else max(tier, assisted, key=rank)
        tier = max(tier, lowered, key=rank)
    setters = sorted((a for a in brand.assets if rank(tiers[a.id]) >= rank(tier)),
                     key=lambda a: -rank(tiers[a.id]))
    return tier, setters


def brand_summary(brand: Brand) -> dict[str, Any]:
    """The brand-level view of its assets' disclosures.

    Keys:

    * ``assets``: ``[derive_asset(a) for a in brand.assets]`` in YAML order
    * ``stages``: the stages at least one asset declares, in production order, each
      ``{"stage", "stage_label", "counts": {mode: n, "undeclared": n}, "shares": {mode: 0..1, ...}}``
      with modes ``human``, ``ai-assisted``, ``ai-generated``, ``not-applicable``; shares are of all assets
    * ``matrix``: ``{"stages": [{"stage", "stage_label"}], "rows": [{"id", "title", "tier_label",
      "cells": [{"stage", "stage_label", "mode", "mode_label", "mode_abbr", "segments": n}]}]}``;
      a stage an asset does not declare has mode ``"undeclared"`` (abbreviation "–")
    * ``legend``: ``[{"mode", "mode_label", "mode_abbr", "meaning"}]`` including ``undeclared``
    * ``human_share``: ``{"value": 0..1 | None, "percent": int | None, "label", "method"}``
    * ``tier``: ``{"id", "label", "rank", "when"}`` (the brand tier, :data:`BRAND_TIER_RULE`)
    * ``tier_counts``: ``[{"id", "label", "count"}]`` for all four tiers in order
    * ``target_tier``: ``{"id", "label", "rank"}``; ``meets_target``: bool (brand tier at least as human)
    * ``verification``: ``{"status", "label", "schemes", "verified": n, "self_declared": n}``: the
      brand counts as independently verified only when every asset is; ``schemes`` is the sorted
      union of the verifying schemes; the counts are of assets
    * ``policy_statement``: the brand's policy statement (YAML text)
    """
    assets = [derive_asset(a) for a in brand.assets]
    declared = [s for s in Stage if any(s in a.disclosure.stages for a in brand.assets)]
    stages = []
    for stage in declared:
        counts = {m.value: 0 for m in Mode} | {UNDECLARED: 0}
        for asset in brand.assets:
            declared_stage = asset.disclosure.stages.get(stage)
            counts[declared_stage.mode.value if declared_stage else UNDECLARED] += 1
        stages.append({"stage": stage.value, "stage_label": STAGE_LABELS[stage], "counts": counts,
                       "shares": {k: v / len(brand.assets) for k, v in counts.items()}})
    rows = []
    for asset, derived in zip(brand.assets, assets, strict=True):
        cells = []
        for stage in declared:
            d = asset.disclosure.stages.get(stage)
            mode = _mode_data(d.mode) if d else _UNDECLARED_DATA
            cells.append({"stage": stage.value, "stage_label": STAGE_LABELS[stage], **mode,
                          "segments": len(d.segments) if d else 0})
        rows.append({"id": asset.id, "title": asset.title, "tier_label": derived["tier"]["label"],
                     "cells": cells})
    shares = [a["human_share"] for a in assets if a["human_share"] is not None]
    share = sum(shares) / len(shares) if shares else None
    tier, _ = brand_tier(brand)
    target = brand.disclosure_policy.target_tier
    verified = sum(1 for a in assets if a["verification"]["status"] == "independently-verified")
    brand_status = "independently-verified" if verified == len(assets) else "self-declared"
    return {
        "assets": assets,
        "stages": stages,
        "matrix": {"stages": [{"stage": s.value, "stage_label": STAGE_LABELS[s]} for s in declared],
                   "rows": rows},
        "legend": [{**_mode_data(m), "meaning": MODE_MEANINGS[m]} for m in Mode]
                  + [{**_UNDECLARED_DATA, "meaning": "the asset's disclosure does not mention the stage"}],
        "human_share": {"value": share, "percent": None if share is None else round(share * 100),
                        "label": "Human share (our estimate)", "method": HUMAN_SHARE_METHOD},
        "tier": _tier_data(tier, BRAND_TIER_RULE),
        "tier_counts": [{"id": t, "label": TIER_LABELS[t], "count": sum(a["tier"]["id"] == t for a in assets)}
                        for t in TIER_ORDER],
        "target_tier": {k: v for k, v in _tier_data(target).items() if k != "when"},
        "meets_target": TIER_ORDER.index(tier) <= TIER_ORDER.index(target),
        "verification": {"status": brand_status, "label": VERIFICATION_LABELS[brand_status],
                         "schemes": sorted({s for a in assets for s in a["verification"]["schemes"]}),
                         "verified": verified, "self_declared": len(assets) - verified},
        "policy_statement": brand.disclosure_policy.statement,
    }


# --------------------------------------------------------------------------------------------
# Policy


def _rule_assets(rule: PolicyRule, brand: Brand) -> tuple[list[Asset], list[str]]:
    """The assets a rule covers, and the ids it names that the brand does not have."""
    if not rule.assets and not rule.roles:
        return list(brand.assets), []
    by_id = {a.id: a for a in brand.assets}
    chosen = [a for a in brand.assets if a.id in rule.assets or a.role in rule.roles]
    return chosen, [i for i in rule.assets if i not in by_id]


def _allowed(mode: Mode, at_most: Mode) -> bool:
    if mode is Mode.not_applicable:
        return True
    if at_most is Mode.not_applicable:
        return False
    return _MODE_RANK[mode] <= _MODE_RANK[at_most]


def _check_rule(rule: PolicyRule, brand: Brand) -> list[dict[str, Any]]:
    breaches: list[dict[str, Any]] = []

    def breach(asset: str | None, stage: Stage | None, message: str) -> None:
        breaches.append({"asset": asset, "stage": stage.value if stage else None, "message": message})

    assets, missing = _rule_assets(rule, brand)
    for asset_id in missing:
        breach(asset_id, None, f"the rule names asset {asset_id!r}, which the brand does not have")
    if not assets and not missing:
        breach(None, None, "the rule covers no asset (no asset has the roles it names)")
    limit = MODE_LABELS[rule.at_most].lower()
    for asset in assets:
        stages = rule.stages or [s for s in Stage if s in asset.disclosure.stages]
        for stage in stages:
            d = asset.disclosure.stages.get(stage)
            where = f"{asset.id} ({asset.title}), {STAGE_LABELS[stage].lower()}"
            if d is None:
                breach(asset.id, stage, f"{where}: not declared, so the promise cannot be checked; "
                       "declare it")
                continue
            if not _allowed(d.mode, rule.at_most):
                breach(asset.id, stage, f"{where}: {MODE_LABELS[d.mode].lower()}, the policy allows at "
                                        f"most {limit}")
            for seg in d.segments:
                if not _allowed(seg.mode, rule.at_most):
                    breach(asset.id, stage, f"{where}, {fmt.time_label(seg.start_s)}–{fmt.time_label(seg.end_s)}: "
                           f"{MODE_LABELS[seg.mode].lower()}, the policy allows at most {limit}")
    return breaches


def check_policy(brand: Brand) -> list[dict[str, Any]]:
    """Evaluate the brand's target tier and every policy rule.

    Returns one result per promise, the target tier first::

        {"kind": "target-tier" | "rule", "statement": str, "at_most": mode | None,
         "at_most_label": str | None, "assets": [asset ids covered], "stages": [stage ids] (empty = all),
         "ok": bool, "breaches": [{"asset": id | None, "stage": id | None, "message": str}]}

    A breach message is a sentence a brand team can act on; the MkDocs layer logs each as a warning.
    """
    summary_tier, setters = brand_tier(brand)
    target = brand.disclosure_policy.target_tier
    tier_breaches = []
    if TIER_ORDER.index(summary_tier) > TIER_ORDER.index(target):
        for asset in setters:
            tier = derive_tier(asset)["id"]
            if TIER_ORDER.index(tier) > TIER_ORDER.index(target):
                tier_breaches.append({"asset": asset.id, "stage": None, "message": (
                    f"the brand is {TIER_LABELS[summary_tier]}, below its target {TIER_LABELS[target]}, "
                    f"because {asset.id} ({asset.title}) is {TIER_LABELS[tier]}")})
    statement = f"Target tier {TIER_LABELS[target]}: the brand's tier is at least that human."
    results = [{"kind": "target-tier", "statement": statement,
                "at_most": None, "at_most_label": None, "assets": [a.id for a in brand.assets], "stages": [],
                "ok": not tier_breaches, "breaches": tier_breaches}]
    for rule in brand.disclosure_policy.rules:
        breaches = _check_rule(rule, brand)
        results.append({"kind": "rule", "statement": rule.statement, "at_most": rule.at_most.value,
                        "at_most_label": MODE_LABELS[rule.at_most],
                        "assets": [a.id for a in _rule_assets(rule, brand)[0]],
                        "stages": [s.value for s in rule.stages], "ok": not breaches, "breaches": breaches})
    return results


def policy_warnings(results: Iterable[Mapping[str, Any]], *, brand_name: str) -> list[str]:
    """One warning line per breach of :func:`check_policy` results, for the build log.

    E.g. ``Acme: policy "Our sonic logo is human-made end to end." is breached: logo (Logo),
    mixing: ai-assisted, the policy allows at most human``.
    """
    return [f'{brand_name}: policy "{result["statement"]}" is breached: {breach["message"]}'
            for result in results for breach in result["breaches"]]


# --------------------------------------------------------------------------------------------
# Lineage


def lineage(brand: Brand) -> list[dict[str, Any]]:
    """Masters and their variants as trees, in YAML order.

    Each node: ``{"id", "title", "role", "tier": {"id", "label"}, "iptc_term", "approval":
    {"by", "role", "date", "note"} | None, "missing_parent": str | None, "children": [node, ...]}``.
    Roots are assets without ``variant_of``, or whose ``variant_of`` names no asset
    (``missing_parent`` then holds that id). Assets caught in a ``variant_of`` cycle become roots
    too, so every asset appears exactly once.
    """
    by_id = {a.id: a for a in brand.assets}
    children: dict[str, list[Asset]] = {}
    for asset in brand.assets:
        if asset.variant_of in by_id and asset.variant_of != asset.id:
            children.setdefault(asset.variant_of, []).append(asset)
    placed: set[str] = set()

    def node(asset: Asset, missing_parent: str | None = None) -> dict[str, Any]:
        placed.add(asset.id)
        derived = derive_asset(asset)
        return {"id": asset.id, "title": asset.title, "role": asset.role,
                "tier": {"id": derived["tier"]["id"], "label": derived["tier"]["label"]},
                "iptc_term": derived["iptc"]["term"], "approval": derived["approval"],
                "missing_parent": missing_parent,
                "children": [node(c) for c in children.get(asset.id, []) if c.id not in placed]}

    roots = [node(a, a.variant_of if a.variant_of and a.variant_of not in by_id else None)
             for a in brand.assets
             if a.variant_of is None or a.variant_of not in by_id or a.variant_of == a.id]
    for asset in brand.assets:  # cycles: a -> b -> a has no root
        if asset.id not in placed:
            roots.append(node(asset))
    return roots


# --------------------------------------------------------------------------------------------
# Content Credentials states (shown by the page, read by :mod:`sonicguide.core.judge.credentials`)


C2PA_STATES: Final[dict[str, tuple[str, str]]] = {
    "trusted": ("Trusted", "a valid manifest signed by a certificate that chains to a configured trust "
                "anchor"),
    "valid-untrusted": ("Valid, signer not trusted", "the manifest is intact and matches the audio, but "
                                                     "its signer "
                        "does not chain to a trust anchor configured for this site"),
    "invalid": ("Invalid", "the manifest does not match the file (tampered audio or manifest) or cannot be "
                           "read"),
    "none": ("No credentials", "the file carries no C2PA manifest"),
    "unsupported-format": ("Format not supported", "C2PA tools do not read this container (Ogg, Opus)"),
    "not-checked": ("Not checked", "the optional C2PA reader is not installed (pip install "
                                   "'sonicguide[c2pa]')"),
}


# --------------------------------------------------------------------------------------------
# Methodology page


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows), ""]


def methodology_markdown() -> str:
    """The methodology page, generated from the same tables the derivation uses.

    Markdown with tables (the ``tables`` extension, on in MkDocs by default). Contains only this
    module's text, never brand YAML, so it needs no sanitising.
    """
    lines = [
        "# Disclosure methodology",
        "",
        "Every asset in these guides declares, stage by stage, who or what made it. This page explains how "
        "the "
        "site turns those declarations into an IPTC digital source type, a tier label and a human-share "
        "estimate, and what the Content Credentials states mean. The rules below are the code's own tables.",
        "",
        "## Stages",
        "",
        *_table(["Stage", "Covers"], ([STAGE_LABELS[s], STAGE_MEANINGS[s]] for s in Stage)),
        "Content stages (they make the sound): "
        + ", ".join(STAGE_LABELS[s].lower() for s in CONTENT_STAGES) + ". Finishing stages: "
        + ", ".join(STAGE_LABELS[s].lower() for s in FINISHING_STAGES) + ". Creative direction makes no "
                                                                         "sound "
        "of its own; it counts for the tier, not for the source type.",
        "",
        "## Modes",
        "",
        *_table(["Mode", "Chart", "Meaning"], ([MODE_LABELS[m], MODE_ABBREVIATIONS[m], MODE_MEANINGS[m]]
                                               for m in Mode)),
        "A stage may list time segments done in another mode (\"AI backing vocals 0:12–0:20\"). A segment "
        "counts like a stage in that mode for the source type, the tier and the policy rules.",
        "",
        "## IPTC digital source type",
        "",
        "The [IPTC Digital Source Type](http://cv.iptc.org/newscodes/digitalsourcetype/) vocabulary "
        "describes a "
        "whole file, not production stages. Each asset gets exactly one term: the first rule that holds "
        "wins.",
        "",
        *_table(["#", "When", "IPTC term", "schema.org member", "Why"],
                ([str(i), r.when, f"`{r.term}`" if r.term else "(none)",
                  f"`{IPTC_TERMS[r.term].schema_org}`" if r.term else "(none)", r.why]
                 for i, r in enumerate(IPTC_RULES, start=1))),
        "The IPTC URI of a term is `" + IPTC_SCHEME + "<term>`. schema.org's `digitalSourceType` still "
                                                      "uses names "
        "from before IPTC's 2024 revision: `DigitalArtDigitalSource` stands for `digitalCreation` and "
        "`MinorHumanEditsDigitalSource` for `humanEdits`.",
        "",
        "## Tiers",
        "",
        "Each asset gets the first tier whose rule holds:",
        "",
        *_table(["Tier", "Rule"], ([TIER_LABELS[r.tier], r.when] for r in TIER_RULES)),
        f"The brand's tier is {BRAND_TIER_RULE}. The brand's policy names a target tier; a brand whose "
        "tier is "
        "less human than its target, or an asset that breaks a policy rule, is reported as a warning and "
        "shown on the page.",
        "",
        "## Human share",
        "",
        f"There is no standard percentage of human authorship. The figure shown is {HUMAN_SHARE_METHOD} "
        "It weighs every stage the same (creative direction as much as mastering) and trusts the "
        "declarations.",
        "",
        "## Self-declared and verified",
        "",
        "Everything in a disclosure is **self-declared** by the brand team unless a certification is marked "
        "**independently verified** (a third party such as a certification scheme checked it). Verified "
        "claims are shown as solid badges naming the scheme; self-declared ones as outlined badges. Evidence "
        "(hashes of session files or stems) lets anyone holding the files check them later; the site does "
        "not "
        "check certifications itself.",
        "",
        "## Content Credentials (C2PA)",
        "",
        "With the optional C2PA reader installed, the site reads manifests embedded in WAV, MP3 and FLAC "
        "files. `sonicguide sign` writes signed copies whose manifest carries the derived IPTC term. A "
        "manifest that declares generative AI where the disclosure does not (or the reverse) is reported "
        "as a "
        "contradiction.",
        "",
        *_table(["State", "Meaning"], ([label, meaning] for label, meaning in C2PA_STATES.values())),
    ]
    return "\n".join(lines).rstrip() + "\n"
