"""Required stages per role, and whether an asset's disclosure is complete.

Silence is never human: a stage the asset's role requires that is missing or ``undisclosed`` (or
``not-applicable`` without a reason) makes the disclosure **incomplete**. The requirements are
shipped as data (``core/data/required_stages.yml``), each row with its reason and the sources of
the practice, and rendered on the methodology page, so what the site says and does cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from ruamel.yaml import YAML

from sonicguide.core.judge.records import CompletenessRecord, GapRecord
from sonicguide.core.judge.vocabulary import CONTENT_STAGES, STAGE_LABELS
from sonicguide.core.load.model import Asset, Mode, Stage, StageDisclosure

#: Why a required stage does not count: left out, declared ``undisclosed``, or ``not-applicable``
#: with no reason.
GapState = Literal["not declared", "undisclosed", "not applicable, no reason given"]


@dataclass(frozen=True)
class Source:
    """Where a practice comes from (``url`` is ``None`` for sonicguide's own choices)."""

    id: str
    title: str
    url: str | None
    checked: str


@dataclass(frozen=True)
class Requirement:
    """One row: assets of ``roles`` must declare one of ``stages`` (any one meets the row)."""

    roles: tuple[str, ...]
    stages: tuple[Stage, ...]
    why: str
    sources: tuple[Source, ...]

    @property
    def label(self) -> str:
        """``"Mastering"``; ``"Instrumental performance, vocal performance or sound design"``."""
        names = [STAGE_LABELS[s].lower() for s in self.stages]
        text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return text[:1].upper() + text[1:]


@cache
def requirements() -> tuple[Requirement, ...]:
    """Every shipped requirement, in file order."""
    text = resources.files("sonicguide.core").joinpath("data/required_stages.yml").read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    sources = {key: Source(id=str(key), title=str(value["title"]),
                           url=None if value.get("url") is None else str(value["url"]),
                           checked=str(value["checked"])) for key, value in data["sources"].items()}
    return tuple(Requirement(roles=tuple(str(r) for r in row["roles"]),
                             stages=tuple(Stage(s) for s in row["stages"]),
                             why=" ".join(str(row["why"]).split()),
                             sources=tuple(sources[s] for s in row["sources"]))
                 for row in data["requirements"])


def requirements_for(role: str) -> list[Requirement]:
    """The rows that apply to an asset of ``role``."""
    return [row for row in requirements() if role in row.roles]


def required_stages(role: str) -> list[Stage]:
    """Every stage named by a requirement of ``role``, in production order."""
    named = {stage for row in requirements_for(role) for stage in row.stages}
    return [stage for stage in Stage if stage in named]


def _state(disclosure: StageDisclosure | None) -> GapState | None:
    """Why a declared (or missing) stage cannot meet a requirement, or ``None`` when it can."""
    if disclosure is None:
        return "not declared"
    if disclosure.mode is Mode.undisclosed:
        return "undisclosed"
    if disclosure.mode is Mode.not_applicable and disclosure.reason is None:
        return "not applicable, no reason given"
    return None


def gaps(asset: Asset) -> list[GapRecord]:
    """The requirements ``asset`` does not meet, each ``{"stages": [stage ids], "label", "states":
    {stage id: state}, "message", "why"}``; ``message`` is a phrase such as ``"mastering is not
    declared"``."""
    stages: Mapping[Stage, StageDisclosure] = asset.disclosure.stages
    found: list[GapRecord] = []
    for row in requirements_for(asset.role):
        states = {stage: _state(stages.get(stage)) for stage in row.stages}
        if any(state is None for state in states.values()):
            continue
        found.append({"stages": [s.value for s in row.stages], "label": row.label,
                      "states": {s.value: state for s, state in states.items() if state is not None},
                      "message": _message(row, states), "why": row.why})
    if not found and not any(_makes(stages.get(stage)) for stage in CONTENT_STAGES):
        # Every requirement answered "not applicable": nothing made a sound, so nothing can be claimed.
        found.append({"stages": [], "label": "A stage that makes sound", "states": {},
                      "message": "no stage that makes sound (composition to variant generation) is declared "
                                 "human, AI-assisted or AI-generated", "why": "an origin is a claim about how "
                                                                            "the sound was made"})
    return found


def _message(row: Requirement, states: Mapping[Stage, GapState | None]) -> str:
    if len(row.stages) == 1:
        return f"{row.label.lower()} is {states[row.stages[0]]}"
    distinct = set(states.values())
    if distinct == {"not declared"}:
        return f"none of {row.label.lower()} is declared"
    return f"{row.label.lower()}: " + ", ".join(f"{STAGE_LABELS[s].lower()} {state}" for s, state in states.items())


def completeness(asset: Asset) -> CompletenessRecord:
    """``{"complete": bool, "gaps": gaps(asset), "summary": str | None}``; ``summary`` is one
    sentence listing every gap (``None`` when complete)."""
    found = gaps(asset)
    summary = None
    if found:
        summary = "Incomplete disclosure: " + "; ".join(gap["message"] for gap in found) + "."
    return {"complete": not found, "gaps": found, "summary": summary}


#: An example reason per stage, for messages.
_EXAMPLE_REASONS: dict[Stage, str] = {
    Stage.composition: "a recorded sound, nothing composed",
    Stage.lyrics: "no words",
    Stage.instrumental_performance: "programmed, not played",
    Stage.vocal_performance: "instrumental, no voice",
    Stage.production: "a single recording, nothing built",
    Stage.sound_design: "played, no designed sounds",
    Stage.mixing: "one source, nothing to balance",
    Stage.mastering: "delivered as an unmastered stem",
    Stage.variant_generation: "not derived from another asset",
}


def _makes(disclosure: StageDisclosure | None) -> bool:
    return disclosure is not None and disclosure.mode in (Mode.human, Mode.ai_assisted, Mode.ai_generated)


def unexplained_not_applicable(asset: Asset) -> list[tuple[Stage, str]]:
    """``not-applicable`` stages without a ``reason`` that a requirement of the asset's role relies
    on (no other stage of the row says how it was made), each with the message to show at its
    ``mode:``. A validation error: the reason is what the page shows instead of the stage."""
    stages = asset.disclosure.stages
    found: dict[Stage, str] = {}
    for row in requirements_for(asset.role):
        if any(_makes(stages.get(stage)) for stage in row.stages):
            continue
        for stage in row.stages:
            disclosure = stages.get(stage)
            if disclosure is not None and disclosure.mode is Mode.not_applicable and disclosure.reason is None:
                example = _EXAMPLE_REASONS.get(stage, "why the stage does not exist")
                found[stage] = (f"'not-applicable' on {stage.value}, which a {asset.role} asset must declare, needs "
                                f"a reason: add reason: {example!r} (or your own words), or write mode: undisclosed "
                                f"if you cannot say.")
    return [(stage, found[stage]) for stage in Stage if stage in found]


def methodology_rows() -> list[list[str]]:
    """The requirements as table rows: roles, stages, why, sources (Markdown links)."""
    rows = []
    for row in requirements():
        links = [f"[{s.title}]({s.url}) (checked {s.checked})" if s.url else s.title for s in row.sources]
        rows.append([", ".join(f"`{r}`" for r in row.roles), row.label, row.why, "; ".join(links)])
    return rows
