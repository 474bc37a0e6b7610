"""Small builders of disclosure models for the disclosure tests (not a test module)."""

from __future__ import annotations

from typing import Any

from sonicguide.core.judge.completeness import requirements_for
from sonicguide.core.load.model import Asset, Brand

#: The reason given to required stages a test case leaves out (see :func:`asset`).
OUTSIDE_CASE = "not part of this test case"

PERSON = [{"name": "Ada Moreau", "role": "composer"}]
TOOL = [
    {
        "name": "Tonewright",
        "version": "2.1",
        "vendor": "Tonewright Labs",
        "training_data": "Licensed catalogue",
        "certification": "Fairly Trained (Licensed Model)",
    }
]


def stage(mode: str, **extra: Any) -> dict[str, Any]:
    """A stage disclosure in ``mode`` with the people or tools the model asks for."""
    data: dict[str, Any] = {"mode": mode}
    if mode == "human":
        data["contributors"] = PERSON
    elif mode in ("ai-assisted", "ai-generated"):
        data["tools"] = TOOL
    data.update(extra)
    return data


def asset(
    asset_id: str = "logo",
    *,
    stages: dict[str, Any],
    role: str = "logo",
    variant_of: str | None = None,
    file: str | None = None,
    complete: bool = True,
    **disclosure: Any,
) -> Asset:
    """An asset of ``role`` with ``stages`` (a mode string or a stage mapping each).

    With ``complete`` (the default), every requirement of the role that ``stages`` leaves unmet gets
    its stages declared ``not-applicable`` with the reason :data:`OUTSIDE_CASE`, so a case about the
    tier rules is not an incomplete disclosure by accident; ``complete=False`` keeps ``stages`` as given.
    """
    stages = dict(stages)
    if complete:
        for row in requirements_for(role):
            if not any(required.value in stages for required in row.stages):
                for required in row.stages:
                    stages[required.value] = {"mode": "not-applicable", "reason": OUTSIDE_CASE}
    return Asset.model_validate(
        {
            "id": asset_id,
            "title": asset_id.replace("-", " ").title(),
            "file": file or f"{asset_id}.wav",
            "role": role,
            "variant_of": variant_of,
            "disclosure": {
                "stages": {k: stage(v) if isinstance(v, str) else v for k, v in stages.items()},
                **disclosure,
            },
        }
    )


def brand(
    assets: list[Asset], *, target: str = "human-made", rules: list[dict[str, Any]] | None = None
) -> Brand:
    return Brand.model_validate(
        {
            "identity": {"name": "Test Brand", "industry": "Testing"},
            "strategy": {"essence": "Clarity", "attributes": [{"name": "clear", "meaning": "no clutter"}]},
            "disclosure_policy": {
                "statement": "We say how we make things.",
                "target_tier": target,
                "rules": rules or [],
            },
            "assets": [a.model_dump(mode="json", exclude_none=True) for a in assets],
        }
    )
