"""One brand judged once: :func:`judge_brand` turns a loaded brand, its measurements and its Content
Credentials into a :class:`BrandReport`; every view (page, brief, cards, comparison, JSON-LD,
packs, ``brand.json``) only presents that report, and the front ends decide on its findings.

:meth:`BrandReport.to_json` is ``brand.json``; :func:`report_json_schema` describes it
(published as ``schema/brand-report.schema.json``, with :data:`FORMAT_VERSION`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from sonicguide.core.audio.measurements import Measurements
from sonicguide.core.audio.pipeline import AssetAnalysis
from sonicguide.core.judge import conformance, credentials, look, policy, rules
from sonicguide.core.judge.findings import Finding, Kind, Position, Severity, sort_key
from sonicguide.core.judge.logo import LogoConsistency, logo_consistency, missing_logo
from sonicguide.core.judge.records import (
    BrandSummary,
    ConformanceMatrix,
    CredentialState,
    DerivedAsset,
    LineageNode,
    PolicyResult,
)
from sonicguide.core.load.brand import LoadedBrand
from sonicguide.core.load.model import Asset, Brand, Touchpoint
from sonicguide.core.load.yamlload import Loc, format_loc

#: Version of the layout of ``brand.json``; bump on any incompatible change.
FORMAT_VERSION = 1



@dataclass(frozen=True)
class AssetReport:
    """One asset judged: its YAML, where it is, what was measured, its derived disclosure."""

    asset: Asset
    index: int
    path: Path | None
    analysis: AssetAnalysis
    #: :func:`sonicguide.core.judge.rules.derive_asset` of the asset, computed once.
    disclosure: DerivedAsset
    credentials: CredentialState
    #: Contradictions between the Content Credentials and the disclosure, as sentences.
    clashes: tuple[str, ...]
    touchpoints: tuple[Touchpoint, ...]

    @property
    def id(self) -> str:
        return self.asset.id

    @property
    def measurements(self) -> Measurements | None:
        return self.analysis.measurements

    @property
    def error(self) -> str | None:
        return self.analysis.error


@dataclass(frozen=True)
class BrandReport:
    """A brand judged once per build (see the module docstring)."""

    loaded: LoadedBrand
    assets: tuple[AssetReport, ...]
    #: :func:`sonicguide.core.judge.conformance.check_brand`.
    conformance: ConformanceMatrix
    #: :func:`sonicguide.core.judge.rules.brand_summary`.
    disclosure: BrandSummary
    #: :func:`sonicguide.core.judge.policy.check_policy`.
    policy: tuple[PolicyResult, ...]
    #: :func:`sonicguide.core.judge.rules.lineage`.
    lineage: tuple[LineageNode, ...]
    findings: tuple[Finding, ...]
    #: The brand's colours as its pages use them (:func:`sonicguide.core.judge.look.page_colours`),
    #: accessible variants where a given colour fails WCAG 2.2 AA; None without ``identity.look``.
    look: Mapping[str, Mapping[str, str | None]] | None = None
    #: :func:`sonicguide.core.judge.logo.logo_consistency`: which assets carry the sonic logo.
    logo: LogoConsistency | None = None

    @property
    def slug(self) -> str:
        return self.loaded.slug

    @property
    def brand(self) -> Brand:
        return self.loaded.brand

    @property
    def derived(self) -> dict[str, DerivedAsset]:
        return {report.id: report.disclosure for report in self.assets}

    @property
    def policy_breached(self) -> bool:
        return any(not result["ok"] for result in self.policy)

    def asset(self, asset_id: str) -> AssetReport:
        return next(report for report in self.assets if report.id == asset_id)

    def to_json(self, *, urls: Mapping[str, str]) -> dict[str, Any]:
        """``brand.json``: the validated brand, every measurement, the judgement and the findings.

        ``urls`` maps asset id to the URL of its audio relative to ``brand.json``.
        """
        return ReportDocument(
            format_version=FORMAT_VERSION,
            slug=self.slug,
            schema_version=self.brand.schema_version,
            brand=self.brand,
            measurements={a.id: (a.measurements if a.measurements is not None else
                                 Unmeasured(error=a.error or "not analysed", fix=a.analysis.fix))
                          for a in self.assets},
            urls=dict(urls),
            conformance=dict(self.conformance),
            disclosure={"assets": {a.id: a.disclosure for a in self.assets}, "summary": self.disclosure,
                        "policy": list(self.policy), "lineage": list(self.lineage),
                        "policy_breached": self.policy_breached},
            credentials={a.id: a.credentials for a in self.assets},
            findings=list(self.findings),
            logo=dict(self.logo) if self.logo is not None else None,
        ).model_dump(mode="json", exclude_none=False)


class Unmeasured(BaseModel):
    """Why an asset has no measurements in ``brand.json``, and what to do about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    error: str
    fix: str | None = None


class ReportDocument(BaseModel):
    """The layout of ``brand.json`` (see :func:`report_json_schema`)."""

    model_config = ConfigDict(frozen=True, title="sonicguide brand report (brand.json)")

    format_version: Literal[1]
    slug: str
    schema_version: int
    brand: Brand
    measurements: dict[str, Measurements | Unmeasured]
    urls: dict[str, str]
    conformance: dict[str, Any]
    disclosure: dict[str, Any]
    credentials: dict[str, Any]
    findings: list[Finding]
    #: The sonic logo's consistency matrix (None without ``sonic_logo``); each asset's occurrences
    #: are also in its ``measurements.logo``.
    logo: dict[str, Any] | None = None


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``brand.json``."""
    schema = ReportDocument.model_json_schema(mode="serialization")
    schema["$id"] = f"urn:sonicguide:schema:brand-report:{FORMAT_VERSION}"
    return schema


# --------------------------------------------------------------------------------------------
# Judging


def judge_brand(loaded: LoadedBrand, analyses: Mapping[str, AssetAnalysis],
                credential_states: Mapping[str, CredentialState]) -> BrandReport:
    """Judge one brand once: derive every disclosure, check conformance and policy, compare Content
    Credentials, and collect every finding with its position and fix.

    ``analyses`` and ``credential_states`` map asset id to that asset's analysis and
    :func:`sonicguide.core.judge.credentials.read_credentials` result; an asset missing from
    ``analyses`` counts as not analysed, one missing from ``credential_states`` as not checked.
    """
    brand = loaded.brand
    derived = rules.derive_brand(brand)
    findings: list[Finding] = []
    find = _finder(loaded, findings)
    assets: list[AssetReport] = []
    for index, asset in enumerate(brand.assets):
        analysis = analyses.get(asset.id, AssetAnalysis(None, "not analysed"))
        state = credential_states.get(asset.id) or credentials.not_checked()
        clashes = tuple(credentials.contradictions(derived[asset.id], state))
        for clash in clashes:
            find(Kind.CREDENTIALS, Severity.WARNING, ("assets", index, "disclosure"), asset.id,
                 f"the Content Credentials contradict the disclosure: {clash}",
                 "correct the disclosure, or sign the file again with `sonicguide sign`")
        if analysis.error is not None and asset.id in analyses:
            find(Kind.AUDIO, Severity.ERROR, ("assets", index, "file"), asset.id,
                 f"{asset.file!r} cannot be used: {analysis.error}",
                 analysis.fix or "export the file again (WAV, FLAC, MP3 or Ogg Vorbis) or fix the path")
        _disclosure_findings(index, asset, derived[asset.id], find)
        if not asset.text_alternative and not asset.transcript:
            find(Kind.ACCESSIBILITY, Severity.WARNING, ("assets", index), asset.id,
                 "no text_alternative or transcript; people who cannot hear the asset get nothing",
                 "add text_alternative to the asset")
        assets.append(AssetReport(asset=asset, index=index, path=loaded.asset_paths.get(asset.id),
                                  analysis=analysis, disclosure=derived[asset.id], credentials=state,
                                  clashes=clashes, touchpoints=tuple(brand.touchpoints_of(asset))))
    measured = {a: (analysis.measurements if analysis.error is None else None) for a, analysis in analyses.items()}
    matrix = conformance.check_brand(brand, measured)
    _conformance_findings(brand, matrix, find)
    results = policy.check_policy(brand, derived)
    _policy_findings(brand, results, find)
    colours = _look(brand, find)
    logo = logo_consistency(brand, {a.id: a.measurements for a in assets}, {a.id: a.error for a in assets})
    _logo_findings(brand, logo, find)
    return BrandReport(
        loaded=loaded, assets=tuple(assets), conformance=matrix,
        disclosure=rules.brand_summary(brand, derived), policy=tuple(results),
        lineage=tuple(rules.lineage(brand, derived)), findings=tuple(sorted(findings, key=sort_key)),
        look=colours, logo=logo)


Find = Callable[[Kind, Severity, Loc, "str | None", str, str], None]


def _finder(loaded: LoadedBrand, findings: list[Finding]) -> Find:
    document = loaded.document

    def find(kind: Kind, severity: Severity, loc: Loc, asset: str | None, message: str, fix: str) -> None:
        line, column = document.where(loc)
        findings.append(Finding(kind=kind, severity=severity, brand=loaded.slug, asset=asset,
                                field=format_loc(loc), position=Position(file=document.file, line=line,
                                                                         column=column),
                                message=message, fix=fix))
    return find


def _disclosure_findings(index: int, asset: Asset, derived: Mapping[str, Any], find: Find) -> None:
    """A required stage left out is a warning: silence must become a statement (a mode, or
    ``undisclosed``). An explicit ``undisclosed`` is honest and shown as such; policies judge it."""
    for gap in derived["completeness"]["gaps"]:
        if set(gap["states"].values()) != {"not declared"}:
            continue
        stages = " or ".join(f"{stage}:" for stage in gap["stages"])
        find(Kind.DISCLOSURE, Severity.WARNING, ("assets", index, "disclosure", "stages"), asset.id,
             f"{asset.id} ({asset.title}) has an incomplete disclosure: {gap['message']}; its tier is "
             f"Incomplete disclosure and no source type is claimed",
             f"add {stages} with its mode (human, ai-assisted, ai-generated; not-applicable with a reason), or "
             f"mode: undisclosed if you cannot say")


#: Which YAML value set the expectation of each conformance check (the path under the touchpoint),
#: and what to do when it fails.
_TOUCHPOINT_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "loudness.integrated": (("loudness",), "normalise the asset to the touchpoint's loudness target, or "
                                           "correct the target"),
    "loudness.true_peak": (("loudness",), "limit the asset's true peak below the ceiling (re-master it)"),
    "duration.max": (("max_duration_s",), "shorten the asset, or raise the touchpoint's max_duration_s"),
    "format.touchpoint": (("formats",), "export the asset in a format the touchpoint accepts, or add its format"),
    "profile.sample_rate": (("profile", "sample_rate_hz"), "export the asset at the sample rate the channel "
                                                           "plays, or correct the profile"),
    "profile.channels": (("profile", "channels"), "export the asset with the channels the channel plays "
                                                  "(mono: fold down and check it), or correct the profile"),
    "profile.bandwidth": (("profile", "bandwidth"), "make a version for this channel that keeps its energy "
                                                    "inside the band (filter and re-balance it), or correct the "
                                                    "profile"),
    "playback.energy_kept": (("playback", "min_energy_kept_percent"),
                             "make a version for this channel that keeps more of its energy inside the chain's "
                             "band (less deep bass, less air), or lower min_energy_kept_percent"),
    "playback.speech_kept": (("playback", "min_speech_band_kept_percent"),
                             "record or equalise the voice so that its energy sits inside the chain's band, or "
                             "lower min_speech_band_kept_percent"),
}
_BRAND_FIELDS: dict[str, tuple[Loc, str]] = {
    "dna.tempo": (("strategy", "musical_dna", "tempo_bpm"),
                  "re-record the asset in the brand's tempo range, or widen tempo_bpm"),
    "dna.key": (("strategy", "musical_dna", "keys"), "use one of the brand's keys, or add this key to keys"),
}


def _conformance_findings(brand: Brand, matrix: ConformanceMatrix, find: Find) -> None:
    touchpoint_index = {tp.id: i for i, tp in enumerate(brand.touchpoints)}
    roles = {asset.id: asset.role for asset in brand.assets}
    for row in matrix["rows"]:
        for check in row["checks"]:
            if check["status"] != "fail":
                continue
            field, fix = _TOUCHPOINT_FIELDS.get(check["check"], ((), "correct the asset or the touchpoint"))
            touchpoint = brand.touchpoints[touchpoint_index[row["touchpoint"]]]
            if check["check"] == "duration.max" and isinstance(touchpoint.max_duration_s, dict):
                field = (*field, roles[row["asset"]])  # the per-role limit that failed
            loc: Loc = ("touchpoints", touchpoint_index[row["touchpoint"]], *field)
            find(Kind.CONFORMANCE, Severity.WARNING, loc, row["asset"],
                 f"{row['asset']} at {row['touchpoint']}: {check['message']}", fix)
    for asset_row in matrix["assets"]:
        for check in asset_row["checks"]:
            if check["status"] != "fail":
                continue
            loc, fix = _BRAND_FIELDS.get(check["check"], (("delivery",), "correct the asset or the delivery spec"))
            find(Kind.CONFORMANCE, Severity.WARNING, loc, asset_row["asset"],
                 f"{asset_row['asset']}: {check['message']}", fix)


def _look(brand: Brand, find: Find) -> dict[str, dict[str, str | None]] | None:
    given = brand.identity.look
    if given is None or (given.primary is None and given.accent is None and given.accent_dark is None):
        return None
    colours = look.brand_colours(given.primary, given.accent, given.accent_dark)
    for adjustment in colours.adjustments:
        find(Kind.ACCESSIBILITY, Severity.WARNING, ("identity", "look", adjustment.field), None,
             look.adjustment_message(adjustment), look.adjustment_fix(adjustment))
    return look.page_colours(colours)


def _policy_findings(brand: Brand, results: list[PolicyResult], find: Find) -> None:
    rule_index = 0
    for result in results:
        if result["kind"] == "target-tier":
            loc: Loc = ("disclosure_policy", "target_tier")
            fix = "change the assets that set the tier, or lower target_tier"
        else:
            loc = ("disclosure_policy", "rules", rule_index)
            rule_index += 1
            fix = "change the asset's disclosure or production, or the rule"
        for breach in result["breaches"]:
            find(Kind.POLICY, Severity.WARNING, loc, breach["asset"],
                 f'policy "{result["statement"]}" is breached: {breach["message"]}', fix)


def _logo_findings(brand: Brand, matrix: LogoConsistency | None, find: Find) -> None:
    """An asset whose role ``sonic_logo.required_in`` names, searched, without the logo's motif."""
    if matrix is None:
        return
    threshold = matrix["threshold"]
    for row in missing_logo(matrix):
        best = row["best_similarity"]
        nearest = (f"the best match has similarity {best:.2f}, below {threshold:.2f}"
                   if best is not None and threshold is not None else "no match at all")
        find(Kind.LOGO, Severity.WARNING, ("assets", row["index"]), row["asset"],
             f"{row['asset']} ({row['title']}) is a {row['role']} and sonic_logo.required_in says every "
             f"{row['role']} carries the sonic logo, but its motif was not found ({nearest})",
             f"put the logo's motif into the asset (any key, instrument or tempo within about 10 %), set "
             f"carries_logo: false on the asset, or remove {row['role']} from sonic_logo.required_in")
