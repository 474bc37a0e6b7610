"""Disclosure rules: per asset the IPTC digital source type, the tier and the human-share estimate;
per brand the summary, the brand tier and the variant lineage.

The rules are tables (:data:`IPTC_RULES`, :data:`TIER_RULES`) that the methodology page renders, so
what the site says it does and what it does cannot drift apart. Everything here is computed once per
asset by :func:`derive_asset`; the brand-level functions take those results instead of deriving again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from sonicguide.core.judge.completeness import completeness
from sonicguide.core.judge.records import (
    BrandSummary,
    CertificationRecord,
    DerivedAsset,
    IncompleteAsset,
    IPTCRecord,
    LegendEntry,
    LineageNode,
    MatrixCell,
    MatrixRow,
    ModeFields,
    StageCounts,
    StageRecord,
    TierRecord,
)
from sonicguide.core.judge.vocabulary import (
    _UNDECLARED_DATA,
    AUTHORSHIP_STAGES,
    CONTENT_STAGES,
    FINISHING_STAGES,
    IPTC_TERMS,
    MODE_ABBREVIATIONS,
    MODE_HUMAN_WEIGHT,
    MODE_LABELS,
    MODE_MEANINGS,
    PERFORMANCE_STAGES,
    STAGE_LABELS,
    TIER_LABELS,
    TIER_ORDER,
    UNDECLARED,
    VERIFICATION_LABELS,
)
from sonicguide.core.load.model import Asset, Brand, DerivedTier, Mode, Stage, StageDisclosure
from sonicguide.core.views import format as fmt

#: Asset id -> :func:`derive_asset` of that asset, computed once per build.
Derived = Mapping[str, DerivedAsset]


@dataclass(frozen=True)
class _Facts:
    """What the rules look at, computed once per asset."""

    asset: Asset
    stages: Mapping[Stage, StageDisclosure]

    @property
    def complete(self) -> bool:
        return bool(completeness(self.asset)["complete"])

    def applicable(self, group: Iterable[Stage]) -> list[Stage]:
        """The stages of ``group`` declared with a known mode that applies (not n/a, not undisclosed)."""
        return [s for s in group if s in self.stages
                and self.stages[s].mode not in (Mode.not_applicable, Mode.undisclosed)]

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
    IPTCRule("incomplete", None,
             "a stage the asset's role requires (see Required stages) is missing, undisclosed, or not applicable "
             "without a reason",
             "the source type would be a claim about stages nobody declared: none is made, and the page lists "
             "the missing stages", lambda f: not f.complete),
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


def derive_iptc(asset: Asset) -> IPTCRecord:
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

    tier: DerivedTier
    when: str
    test: Callable[[_Facts], bool]


TIER_RULES: Final[tuple[TierRule, ...]] = (
    TierRule("incomplete", "a stage the asset's role requires (see Required stages) is missing, undisclosed, or "
                           "not applicable without a reason: silence is never human", lambda f: not f.complete),
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


def derive_tier(asset: Asset) -> TierRecord:
    """The asset's tier by the first matching rule of :data:`TIER_RULES`.

    Returns ``{"id", "label", "rank", "when"}``; ``rank`` is 0 for human-made up to 3 for AI-generated.
    """
    facts = _Facts(asset, asset.disclosure.stages)
    rule = next(r for r in TIER_RULES if r.test(facts))
    return _tier_data(rule.tier, rule.when)


def _tier_data(tier: DerivedTier, when: str | None = None) -> TierRecord:
    return {"id": tier, "label": TIER_LABELS[tier], "rank": TIER_ORDER.index(tier), "when": when}


# --------------------------------------------------------------------------------------------
# Per asset


def _mode_data(mode: Mode) -> ModeFields:
    return {"mode": mode.value, "mode_label": MODE_LABELS[mode], "mode_abbr": MODE_ABBREVIATIONS[mode]}


def _stage_data(stage: Stage, disclosure: StageDisclosure) -> StageRecord:
    return {
        "stage": stage.value,
        "stage_label": STAGE_LABELS[stage],
        **_mode_data(disclosure.mode),
        "reason": disclosure.reason,
        "contributors": [{"name": c.name, "role": c.role, "label": c.label} for c in disclosure.contributors],
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
    if disclosure.mode in (Mode.not_applicable, Mode.undisclosed):
        return None
    weight = MODE_HUMAN_WEIGHT[disclosure.mode]
    segment_weights = [MODE_HUMAN_WEIGHT[s.mode] for s in disclosure.segments
                       if s.mode is not Mode.not_applicable]
    if segment_weights and min(segment_weights) != weight:
        weight = (weight + min(segment_weights)) / 2
    return weight


def human_share(asset: Asset) -> float | None:
    """Our estimate of the share of the asset's declared stage work done by people, 0..1.

    Mean of :func:`_stage_weight` over the applicable declared stages; ``None`` if none applies or
    the disclosure is incomplete (an estimate over the stages someone chose to declare would flatter).
    """
    if not completeness(asset)["complete"]:
        return None
    weights = [w for w in (_stage_weight(d) for d in asset.disclosure.stages.values()) if w is not None]
    return sum(weights) / len(weights) if weights else None




def derive_asset(asset: Asset) -> DerivedAsset:
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
    * ``completeness``: :func:`sonicguide.core.judge.completeness.completeness` (``complete``,
      ``gaps``, ``summary``); stages also carry ``reason`` and contributors ``label``
      ("Composer (not named)")
    """
    disclosure = asset.disclosure
    certifications: list[CertificationRecord] = [
        {"scheme": c.scheme, "id": c.id, "url": c.url, "status": c.status,
         "status_label": VERIFICATION_LABELS[c.status]} for c in disclosure.certifications]
    verified = [c["scheme"] for c in certifications if c["status"] == "independently-verified"]
    status: Literal["self-declared", "independently-verified"] = (
        "independently-verified" if verified else "self-declared")
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
        "completeness": completeness(asset),
    }


def derive_brand(brand: Brand) -> dict[str, DerivedAsset]:
    """:func:`derive_asset` of every asset of ``brand``, by asset id (the one place that derives)."""
    return {asset.id: derive_asset(asset) for asset in brand.assets}


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
    "Incomplete disclosure when any asset's disclosure is incomplete; otherwise the least human tier "
    "among its core assets (those that are not a variant of another asset); a variant "
    "less human than that lowers the brand to Human-directed, AI-assisted when a person approved it "
    "(approval recorded), and to the variant's own tier when nobody did")


def brand_tier(brand: Brand, derived: Derived) -> tuple[DerivedTier, list[Asset]]:
    """The brand's tier by :data:`BRAND_TIER_RULE`, and the assets that set it (least human first).

    A human-made core with approved AI-generated variants is a human-directed identity that AI
    assisted; the label must still never claim more than an unapproved asset supports.
    """
    tiers = {asset.id: derived[asset.id]["tier"]["id"] for asset in brand.assets}
    cores = [a for a in brand.assets if a.variant_of is None] or list(brand.assets)
    rank = TIER_ORDER.index
    tier: DerivedTier = max((tiers[a.id] for a in cores), key=rank)
    assisted: DerivedTier = "human-directed-ai-assisted"
    for asset in brand.assets:
        if asset.variant_of is None or rank(tiers[asset.id]) <= rank(tier):
            continue
        # An approval vouches for generated material, never for stages nobody declared.
        approved = asset.disclosure.approval is not None and tiers[asset.id] != "incomplete"
        lowered = max(tier, assisted, key=rank) if approved else tiers[asset.id]
        tier = max(tier, lowered, key=rank)
    setters = sorted((a for a in brand.assets if rank(tiers[a.id]) >= rank(tier)),
                     key=lambda a: -rank(tiers[a.id]))
    return tier, setters


def brand_summary(brand: Brand, derived: Derived) -> BrandSummary:
    """The brand-level view of its assets' disclosures.

    Keys:

    ``derived`` maps every asset id to its :func:`derive_asset` result. Keys:

    * ``assets``: ``[derived[a.id] for a in brand.assets]`` in YAML order
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
    * ``target_tier``: ``{"id", "label", "rank"}``; ``meets_target``: bool (brand tier at least as human);
      both ``None`` when the policy names no target
    * ``incomplete``: ``[{"id", "title", "summary"}]``, the assets whose disclosure is incomplete
    * ``verification``: ``{"status", "label", "schemes", "verified": n, "self_declared": n}``: the
      brand counts as independently verified only when every asset is; ``schemes`` is the sorted
      union of the verifying schemes; the counts are of assets
    * ``policy_statement``: the brand's policy statement (YAML text)
    """
    assets = [derived[a.id] for a in brand.assets]
    declared = [s for s in Stage if any(s in a.disclosure.stages for a in brand.assets)]
    stages: list[StageCounts] = []
    for stage in declared:
        counts = {m.value: 0 for m in Mode} | {UNDECLARED: 0}
        for asset in brand.assets:
            declared_stage = asset.disclosure.stages.get(stage)
            counts[declared_stage.mode.value if declared_stage else UNDECLARED] += 1
        stages.append({"stage": stage.value, "stage_label": STAGE_LABELS[stage], "counts": counts,
                       "shares": {k: v / len(brand.assets) for k, v in counts.items()}})
    rows: list[MatrixRow] = []
    for asset, facts in zip(brand.assets, assets, strict=True):
        cells: list[MatrixCell] = []
        for stage in declared:
            d = asset.disclosure.stages.get(stage)
            mode = _mode_data(d.mode) if d else _UNDECLARED_DATA
            cells.append({"stage": stage.value, "stage_label": STAGE_LABELS[stage], **mode,
                          "segments": len(d.segments) if d else 0})
        rows.append({"id": asset.id, "title": asset.title, "tier_label": facts["tier"]["label"],
                     "cells": cells})
    shares = [a["human_share"] for a in assets if a["human_share"] is not None]
    share = sum(shares) / len(shares) if shares else None
    tier, _ = brand_tier(brand, derived)
    target = brand.disclosure_policy.target_tier
    incomplete: list[IncompleteAsset] = [
        {"id": a.id, "title": a.title, "summary": derived[a.id]["completeness"]["summary"]}
        for a in brand.assets if not derived[a.id]["completeness"]["complete"]]
    verified = sum(1 for a in assets if a["verification"]["status"] == "independently-verified")
    legend: list[LegendEntry] = [{**_mode_data(m), "meaning": MODE_MEANINGS[m]} for m in Mode]
    legend.append({**_UNDECLARED_DATA, "meaning": "the asset's disclosure does not mention the stage"})
    brand_status: Literal["self-declared", "independently-verified"] = (
        "independently-verified" if verified == len(assets) else "self-declared")
    return {
        "assets": assets,
        "stages": stages,
        "matrix": {"stages": [{"stage": s.value, "stage_label": STAGE_LABELS[s]} for s in declared],
                   "rows": rows},
        "legend": legend,
        "human_share": {"value": share, "percent": None if share is None else round(share * 100),
                        "label": "Human share (our estimate)", "method": HUMAN_SHARE_METHOD},
        "tier": _tier_data(tier, BRAND_TIER_RULE),
        "tier_counts": [{"id": t, "label": TIER_LABELS[t], "count": sum(a["tier"]["id"] == t for a in assets)}
                        for t in TIER_ORDER],
        "target_tier": None if target is None else {"id": target, "label": TIER_LABELS[target],
                                                    "rank": TIER_ORDER.index(target)},
        "meets_target": None if target is None else TIER_ORDER.index(tier) <= TIER_ORDER.index(target),
        "incomplete": incomplete,
        "verification": {"status": brand_status, "label": VERIFICATION_LABELS[brand_status],
                         "schemes": sorted({s for a in assets for s in a["verification"]["schemes"]}),
                         "verified": verified, "self_declared": len(assets) - verified},
        "policy_statement": brand.disclosure_policy.statement,
    }



# --------------------------------------------------------------------------------------------
# Lineage


def lineage(brand: Brand, derived: Derived) -> list[LineageNode]:
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

    def node(asset: Asset, missing_parent: str | None = None) -> LineageNode:
        placed.add(asset.id)
        facts = derived[asset.id]
        return {"id": asset.id, "title": asset.title, "role": asset.role,
                "tier": {"id": facts["tier"]["id"], "label": facts["tier"]["label"]},
                "iptc_term": facts["iptc"]["term"], "approval": facts["approval"],
                "missing_parent": missing_parent,
                "children": [node(c) for c in children.get(asset.id, []) if c.id not in placed]}

    roots = [node(a, a.variant_of if a.variant_of and a.variant_of not in by_id else None)
             for a in brand.assets
             if a.variant_of is None or a.variant_of not in by_id or a.variant_of == a.id]
    for asset in brand.assets:  # cycles: a -> b -> a has no root
        if asset.id not in placed:
            roots.append(node(asset))
    return roots


