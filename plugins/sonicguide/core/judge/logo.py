"""The sonic logo across the brand: which assets carry it, where and how clearly.

:func:`logo_consistency` shapes the logo searches already in each asset's measurements
(:class:`~sonicguide.core.audio.measurements.LogoFacts`) into the brand's consistency matrix, one
row per asset that should carry the logo; :func:`missing_logo` names the rows that break
``sonic_logo.required_in``. The brand page, ``brand.json`` and the findings read these; nothing
here measures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypedDict

from sonicguide.core.audio.logo_search import carries_logo
from sonicguide.core.audio.measurements import LogoFacts, Measurements
from sonicguide.core.load.model import Brand

#: Similarity from which an occurrence is called clear (below it, down to the search's threshold,
#: it is recognisable: the motif is there, but changed or masked).
CLEAR_FROM = 0.7

LogoStatus = Literal["carries", "missing", "not-searched"]


class LogoCell(TypedDict):
    """One occurrence as the matrix shows it."""

    time_s: float
    similarity: float
    transposition_semitones: int
    stretch: float
    clarity: Literal["clear", "recognisable"]


class LogoRow(TypedDict):
    """One asset that should carry the logo (``index``: its place in ``assets``)."""

    asset: str
    title: str
    role: str
    index: int
    #: Whether ``sonic_logo.required_in`` names the asset's role.
    required: bool
    status: LogoStatus
    occurrences: list[LogoCell]
    best_similarity: float | None
    #: Why the asset was not searched (its audio could not be decoded).
    reason: str | None


class LogoConsistency(TypedDict):
    """The brand's consistency matrix (see the module docstring)."""

    logo_asset: str
    required_in: list[str]
    threshold: float | None
    clear_from: float
    method: str | None
    rows: list[LogoRow]


def logo_consistency(brand: Brand, measured: Mapping[str, Measurements | None],
                     errors: Mapping[str, str | None]) -> LogoConsistency | None:
    """The matrix of ``brand`` from each asset's measurements (``None`` without ``sonic_logo``).

    An asset is a row when it was searched (its measurements hold :class:`LogoFacts`) or when it
    should have been and could not be (``errors`` says why).
    """
    logo = brand.sonic_logo
    if logo is None:
        return None
    required = set(logo.required_in)
    rows: list[LogoRow] = []
    threshold: float | None = None
    method: str | None = None
    for index, asset in enumerate(brand.assets):
        if asset.id == logo.asset or not carries_logo(asset.role, asset.carries_logo):
            continue
        measurements = measured.get(asset.id)
        facts: LogoFacts | None = measurements.logo if measurements is not None else None
        row = LogoRow(asset=asset.id, title=asset.title, role=asset.role, index=index,
                      required=asset.role in required, status="not-searched", occurrences=[],
                      best_similarity=None, reason=None)
        if facts is None or facts.error is not None:
            row["reason"] = (facts.error if facts is not None else None) or errors.get(asset.id) or (
                "the sonic logo's audio could not be analysed")
        else:
            threshold, method = facts.threshold, facts.method
            row["best_similarity"] = facts.best_similarity
            row["occurrences"] = [LogoCell(time_s=o.time_s, similarity=o.similarity,
                                           transposition_semitones=o.transposition_semitones, stretch=o.stretch,
                                           clarity="clear" if o.similarity >= CLEAR_FROM else "recognisable")
                                  for o in facts.occurrences]
            row["status"] = "carries" if facts.occurrences else "missing"
        rows.append(row)
    return LogoConsistency(logo_asset=logo.asset, required_in=list(logo.required_in), threshold=threshold,
                           clear_from=CLEAR_FROM, method=method, rows=rows)


def missing_logo(matrix: LogoConsistency | None) -> Sequence[LogoRow]:
    """The rows whose role ``required_in`` names and where the motif was searched and not found."""
    if matrix is None:
        return []
    return [row for row in matrix["rows"] if row["required"] and row["status"] == "missing"]
