"""Standard delivery loudness targets, shipped as data with their source and date."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    integrated_lufs: float
    tolerance_lu: float
    true_peak_dbtp: float
    source: str
    checked: str


@cache
def standard_targets() -> dict[str, Target]:
    """Every shipped target by id, in file order."""
    text = resources.files("sonicguide.core").joinpath("data/targets.yml").read_text(encoding="utf-8")
    entries = YAML(typ="safe", pure=True).load(text)
    return {
        str(entry["id"]): Target(
            id=str(entry["id"]),
            name=str(entry["name"]),
            integrated_lufs=float(entry["integrated_lufs"]),
            tolerance_lu=float(entry["tolerance_lu"]),
            true_peak_dbtp=float(entry["true_peak_dbtp"]),
            source=str(entry["source"]),
            checked=str(entry["checked"]),
        )
        for entry in entries
    }
