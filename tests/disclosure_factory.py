"""Small builders of disclosure models for the disclosure tests (not a test module)."""

from __future__ import annotations

from typing import Any

from sonicguide.core.load.model import Asset, Brand

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
    **disclosure: Any,
) -> Asset:
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
