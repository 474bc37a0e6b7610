"""The shapes of a derived disclosure, as they cross from the rules to the report and the views.

:func:`sonicguide.core.judge.rules.derive_asset` makes a :class:`DerivedAsset` per asset, once per
build; the brand summary, policy, lineage, JSON-LD, packs, Content Credentials and templates read
it. These are ``TypedDict``s: plain JSON-ready dicts at run time (``brand.json`` writes them as
they are, Jinja reads them by key), checked by mypy wherever they are made or read.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from sonicguide.core.load.model import DerivedTier


class ModeFields(TypedDict):
    mode: str
    mode_label: str
    mode_abbr: str


class ContributorRecord(TypedDict):
    name: str | None
    role: str
    #: "Ada Moreau (composer)" or "Composer (not named)".
    label: str


class ToolRecord(TypedDict):
    name: str
    version: str | None
    vendor: str | None
    training_data: str | None
    certification: str | None


class SegmentRecord(ModeFields):
    start_s: float
    end_s: float
    #: ``start_s`` and ``end_s`` as shown (the one formatter's time labels).
    start: str
    end: str
    description: str


class StageRecord(ModeFields):
    stage: str
    stage_label: str
    #: Why a stage is not applicable or undisclosed, as written.
    reason: str | None
    contributors: list[ContributorRecord]
    tools: list[ToolRecord]
    notes: str | None
    segments: list[SegmentRecord]


class IPTCRecord(TypedDict):
    """The IPTC digital source type; every value but ``rule`` and ``when`` is None when no term applies."""

    term: str | None
    name: str | None
    uri: str | None
    schema_org: str | None
    schema_org_url: str | None
    generative: bool | None
    rule: str
    when: str


class TierRecord(TypedDict):
    id: DerivedTier
    label: str
    #: 0 for human-made, up to the least human tier.
    rank: int
    when: str | None


class CertificationRecord(TypedDict):
    scheme: str
    id: str | None
    url: str | None
    status: Literal["self-declared", "independently-verified"]
    status_label: str


class EvidenceRecord(TypedDict):
    kind: str
    name: str
    sha256: str | None
    description: str | None


class VerificationRecord(TypedDict):
    status: Literal["self-declared", "independently-verified"]
    label: str
    schemes: list[str]
    certifications: list[CertificationRecord]
    evidence: list[EvidenceRecord]


class ApprovalRecord(TypedDict):
    by: str
    role: str | None
    #: YYYY-MM-DD.
    date: str
    note: str | None
    #: The note closed as a sentence, for display.
    note_sentence: str | None


class AITrainingRecord(TypedDict):
    value: str
    label: str


class GapRecord(TypedDict):
    """One requirement of the asset's role that its disclosure does not meet."""

    stages: list[str]
    label: str
    states: dict[str, str]
    message: str
    why: str


class CompletenessRecord(TypedDict):
    complete: bool
    gaps: list[GapRecord]
    #: One sentence listing every gap; None when complete.
    summary: str | None


class DerivedAsset(TypedDict):
    """One asset's disclosure, derived once (see :func:`sonicguide.core.judge.rules.derive_asset`)."""

    id: str
    title: str
    role: str
    variant_of: str | None
    stages: list[StageRecord]
    iptc: IPTCRecord
    tier: TierRecord
    verification: VerificationRecord
    approval: ApprovalRecord | None
    ai_training: AITrainingRecord
    #: Our estimate, 0..1; None when no stage applies or the disclosure is incomplete.
    human_share: float | None
    human_percent: int | None
    completeness: CompletenessRecord


class BreachRecord(TypedDict):
    """One broken promise: the asset and stage (when one is to blame) and a sentence to act on."""

    asset: str | None
    stage: str | None
    message: str


class PolicyResult(TypedDict):
    """One promise of the brand's policy, judged (see :func:`sonicguide.core.judge.policy.check_policy`)."""

    kind: Literal["target-tier", "rule"]
    statement: str
    at_most: str | None
    at_most_label: str | None
    #: Asset ids the promise covers; ``stages`` the stage ids (empty: every stage).
    assets: list[str]
    stages: list[str]
    ok: bool
    breaches: list[BreachRecord]


class LineageTier(TypedDict):
    id: DerivedTier
    label: str


class LineageNode(TypedDict):
    """A master and its variants (see :func:`sonicguide.core.judge.rules.lineage`)."""

    id: str
    title: str
    role: str
    tier: LineageTier
    iptc_term: str | None
    approval: ApprovalRecord | None
    missing_parent: str | None
    children: list[LineageNode]


class StageCounts(TypedDict):
    """How many of the brand's assets declare a stage in each mode (``undeclared``: not at all)."""

    stage: str
    stage_label: str
    counts: dict[str, int]
    #: The counts as shares of all assets, 0..1.
    shares: dict[str, float]


class StageColumn(TypedDict):
    stage: str
    stage_label: str


class MatrixCell(ModeFields):
    stage: str
    stage_label: str
    #: Time segments in another mode.
    segments: int


class MatrixRow(TypedDict):
    id: str
    title: str
    tier_label: str
    cells: list[MatrixCell]


class SpectrumMatrix(TypedDict):
    """The human–AI spectrum: assets × the stages any asset declares."""

    stages: list[StageColumn]
    rows: list[MatrixRow]


class LegendEntry(ModeFields):
    meaning: str


class HumanShare(TypedDict):
    value: float | None
    percent: int | None
    label: str
    method: str


class TierCount(TypedDict):
    id: DerivedTier
    label: str
    count: int


class TargetTier(TypedDict):
    id: DerivedTier
    label: str
    rank: int


class IncompleteAsset(TypedDict):
    id: str
    title: str
    summary: str | None


class BrandVerification(TypedDict):
    status: Literal["self-declared", "independently-verified"]
    label: str
    schemes: list[str]
    #: Counts of assets.
    verified: int
    self_declared: int


class BrandSummary(TypedDict):
    """The brand-level view of its assets' disclosures (see :func:`sonicguide.core.judge.rules.brand_summary`)."""

    assets: list[DerivedAsset]
    stages: list[StageCounts]
    matrix: SpectrumMatrix
    legend: list[LegendEntry]
    human_share: HumanShare
    tier: TierRecord
    tier_counts: list[TierCount]
    target_tier: TargetTier | None
    meets_target: bool | None
    incomplete: list[IncompleteAsset]
    verification: BrandVerification
    policy_statement: str


CheckStatus = Literal["pass", "fail", "unknown", "advisory"]


class CheckResult(TypedDict):
    """One conformance check of one asset (see :mod:`sonicguide.core.judge.conformance`)."""

    check: str
    label: str
    expected: str
    measured: str
    status: CheckStatus
    message: str


class TouchpointRow(TypedDict):
    """An asset at one touchpoint: its checks, and the touchpoint's effective loudness target."""

    asset: str
    asset_title: str
    touchpoint: str
    touchpoint_name: str
    target: LoudnessTarget | None
    checks: list[CheckResult]
    status: str


class AssetRow(TypedDict):
    """An asset against the brand: musical DNA and delivery specs."""

    asset: str
    asset_title: str
    role: str
    checks: list[CheckResult]
    status: str


class ConformanceMatrix(TypedDict):
    rows: list[TouchpointRow]
    assets: list[AssetRow]
    #: Counts of checks: passed, failed, unknown, advisory.
    summary: dict[str, int]
    #: One line per failed check (the findings carry the same with their YAML positions).
    failures: list[str]


class SignerRecord(TypedDict):
    common_name: str | None
    issuer: str | None
    algorithm: str | None
    time: str | None


class ManifestAction(TypedDict):
    action: str | None
    #: An IPTC digital source type URI, when the action declares one.
    digital_source_type: str | None
    software_agent: str | None
    description: str | None


class CredentialState(TypedDict):
    """What reading a file's C2PA manifest gave (see :func:`sonicguide.core.judge.credentials.read_credentials`).

    ``state``: ``trusted``, ``valid-untrusted``, ``invalid``, ``none``, ``unsupported-format`` or
    ``not-checked``; ``label`` and ``meaning`` are the page's words for it.
    """

    state: str
    label: str
    meaning: str
    reason: str | None
    signer: SignerRecord | None
    title: str | None
    claim_generator: str | None
    actions: list[ManifestAction]
    digital_source_types: list[str]
    digital_source_terms: list[str]
    authors: list[str]
    failure_codes: list[str]
    informational_codes: list[str]


class LoudnessTarget(TypedDict):
    """A touchpoint's effective loudness target (see :func:`sonicguide.core.judge.conformance.resolve_loudness`)."""

    standard: str | None
    standard_name: str | None
    source: str | None
    #: YYYY-MM-DD: when the standard's figures were last checked against its source.
    checked: str | None
    integrated_lufs: float | None
    tolerance_lu: float
    true_peak_dbtp: float | None
    #: Fields the touchpoint sets over the standard's.
    overridden: list[str]
