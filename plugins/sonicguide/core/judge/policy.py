"""The brand's disclosure policy judged: the target tier and every rule, breach by breach."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sonicguide.core.judge.completeness import gaps
from sonicguide.core.judge.records import BreachRecord, PolicyResult
from sonicguide.core.judge.rules import Derived, brand_tier
from sonicguide.core.judge.vocabulary import MODE_LABELS, MODE_RANK, STAGE_LABELS, TIER_LABELS, TIER_ORDER
from sonicguide.core.load.model import Asset, Brand, Mode, PolicyRule, Stage, TierName
from sonicguide.core.views import format as fmt

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
    """Whether ``mode`` keeps a promise of ``at_most``; ``undisclosed`` keeps none (nothing is known)."""
    if mode is Mode.not_applicable:
        return True
    if mode is Mode.undisclosed:
        return False
    return MODE_RANK[mode] <= MODE_RANK[at_most]


def _check_rule(rule: PolicyRule, brand: Brand) -> list[BreachRecord]:
    breaches: list[BreachRecord] = []

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
        if not rule.stages:
            # Every stage: also those the role requires, which silence cannot keep (one breach per
            # unmet requirement; an undisclosed stage is a breach of its own below).
            for gap in gaps(asset):
                if "undisclosed" in gap["states"].values():
                    continue
                breach(asset.id, Stage(gap["stages"][0]) if gap["stages"] else None,
                       f"{asset.id} ({asset.title}): the disclosure is incomplete, {gap['message']}, so the "
                       "promise cannot be checked; declare it")
        for stage in stages:
            d = asset.disclosure.stages.get(stage)
            where = f"{asset.id} ({asset.title}), {STAGE_LABELS[stage].lower()}"
            if d is None:
                breach(asset.id, stage, f"{where}: not declared, so the promise cannot be checked; "
                       "declare it")
                continue
            if d.mode is Mode.undisclosed:
                breach(asset.id, stage, f"{where}: undisclosed, so the promise cannot be kept; "
                       "declare how it was made")
                continue
            if not _allowed(d.mode, rule.at_most):
                breach(asset.id, stage, f"{where}: {MODE_LABELS[d.mode].lower()}, the policy allows at "
                                        f"most {limit}")
            for seg in d.segments:
                if not _allowed(seg.mode, rule.at_most):
                    breach(asset.id, stage, f"{where}, {fmt.time_label(seg.start_s)}–{fmt.time_label(seg.end_s)}: "
                           f"{MODE_LABELS[seg.mode].lower()}, the policy allows at most {limit}")
    return breaches


def check_policy(brand: Brand, derived: Derived) -> list[PolicyResult]:
    """Evaluate the brand's target tier and every policy rule.

    Returns one result per promise, the target tier first::

        {"kind": "target-tier" | "rule", "statement": str, "at_most": mode | None,
         "at_most_label": str | None, "assets": [asset ids covered], "stages": [stage ids] (empty = all),
         "ok": bool, "breaches": [{"asset": id | None, "stage": id | None, "message": str}]}

    A breach message is a sentence a brand team can act on; the MkDocs layer logs each as a warning.
    """
    results: list[PolicyResult] = []
    target = brand.disclosure_policy.target_tier
    if target is not None:
        results.append(_check_target(brand, derived, target))
    for rule in brand.disclosure_policy.rules:
        breaches = _check_rule(rule, brand)
        results.append({"kind": "rule", "statement": rule.statement, "at_most": rule.at_most.value,
                        "at_most_label": MODE_LABELS[rule.at_most],
                        "assets": [a.id for a in _rule_assets(rule, brand)[0]],
                        "stages": [s.value for s in rule.stages], "ok": not breaches, "breaches": breaches})
    return results


def _check_target(brand: Brand, derived: Derived, target: TierName) -> PolicyResult:
    """The target-tier promise: every asset that makes the brand less human than its target breaches
    it; an incomplete asset breaches it once per gap, naming the stage."""
    summary_tier, setters = brand_tier(brand, derived)
    breaches: list[BreachRecord] = []
    if TIER_ORDER.index(summary_tier) > TIER_ORDER.index(target):
        for asset in setters:
            tier = derived[asset.id]["tier"]["id"]
            if TIER_ORDER.index(tier) <= TIER_ORDER.index(target):
                continue
            because = (f"the brand is {TIER_LABELS[summary_tier]}, below its target "
                       f"{TIER_LABELS[target]}, because {asset.id} ({asset.title}) is "
                       f"{TIER_LABELS[tier]}")
            gaps = derived[asset.id]["completeness"]["gaps"]
            if not gaps:
                breaches.append({"asset": asset.id, "stage": None, "message": because})
            for gap in gaps:
                breaches.append({"asset": asset.id, "stage": gap["stages"][0] if gap["stages"] else None,
                                 "message": f"{because}: {gap['message']}"})
    statement = f"Target tier {TIER_LABELS[target]}: the brand's tier is at least that human."
    return {"kind": "target-tier", "statement": statement, "at_most": None, "at_most_label": None,
            "assets": [a.id for a in brand.assets], "stages": [], "ok": not breaches, "breaches": breaches}


def policy_warnings(results: Iterable[Mapping[str, Any]], *, brand_name: str) -> list[str]:
    """One warning line per breach of :func:`check_policy` results, for the build log.

    E.g. ``Acme: policy "Our sonic logo is human-made end to end." is breached: logo (Logo),
    mixing: ai-assisted, the policy allows at most human``.
    """
    return [f'{brand_name}: policy "{result["statement"]}" is breached: {breach["message"]}'
            for result in results for breach in result["breaches"]]


