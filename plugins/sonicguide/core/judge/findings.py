"""Findings: what judging a brand found, each with a kind, a severity, a place and a fix.

A finding is data, not text: the MkDocs layer decides what stops a build by :attr:`Finding.kind`
and :attr:`Finding.severity` (``fail_on_conformance`` turns conformance warnings into errors),
``sonicguide validate`` prints the same findings, and ``brand.json`` carries them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from sonicguide.core.errors import place


class Kind(StrEnum):
    """What a finding is about."""

    SCHEMA = "schema"
    REFERENCE = "reference"
    AUDIO = "audio"
    CONFORMANCE = "conformance"
    POLICY = "policy"
    #: A disclosure that leaves a stage its role requires unsaid.
    DISCLOSURE = "disclosure"
    CREDENTIALS = "credentials"
    #: An asset that ``sonic_logo.required_in`` says must carry the logo, where it was not found.
    LOGO = "logo"
    ACCESSIBILITY = "accessibility"


class Severity(StrEnum):
    """``error`` stops every build; ``warning`` stops ``--strict`` builds (and ``validate``)."""

    ERROR = "error"
    WARNING = "warning"


class Position(BaseModel):
    """Where in which file (1-based line and column; ``None`` when the file has no such place)."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return place(self.file, self.line, self.column)


class Finding(BaseModel):
    """One thing a brand team has to act on.

    ``field`` is the path of the YAML value that set the expectation (``touchpoints[2].loudness``),
    ``position`` its place in ``brand.yml``; ``brand`` is the brand's slug and ``asset`` the asset
    concerned, if one is. ``message`` says what is wrong and ``fix`` what to do.
    """

    model_config = ConfigDict(frozen=True)

    kind: Kind
    severity: Severity
    brand: str
    asset: str | None = None
    field: str = ""
    position: Position | None = None
    message: str
    fix: str

    def __str__(self) -> str:
        where = str(self.position) if self.position is not None else self.brand
        return f"{where}: {self.field or '(document)'}: {self.message}; {self.fix}. [{self.kind.value}]"


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    position = finding.position
    return (position.file if position else finding.brand, (position.line or 0) if position else 0,
            (position.column or 0) if position else 0, finding.field, finding.message)


def render(findings: list[Finding], *, head: str) -> str:
    """A block of findings for a log or an error: ``head`` with the count, then one per line."""
    count = len(findings)
    lines = [f"{count} {head}{'s' if count != 1 else ''}:",
             *(f"  {finding}" for finding in sorted(findings, key=sort_key))]
    return "\n".join(lines)


def stopping(findings: list[Finding], *, fail_on_conformance: bool) -> tuple[list[Finding], list[Finding]]:
    """Split findings into ``(errors, warnings)``: what stops every build, and what is a warning.

    Errors always stop; with ``fail_on_conformance`` so do conformance warnings. A warning stops a
    ``--strict`` build, and makes ``sonicguide validate`` exit 1, so the two agree.
    """
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for finding in findings:
        stops = finding.severity is Severity.ERROR or (fail_on_conformance and finding.kind is Kind.CONFORMANCE)
        (errors if stops else warnings).append(finding)
    return errors, warnings
