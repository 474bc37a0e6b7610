"""Helpers for tests that build real sites in temporary folders."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from sonicguide.core.judge.completeness import requirements_for

REPO = Path(__file__).resolve().parent.parent


def sine(path: Path, *, seconds: float = 3.0, sr: int = 48000, freq: float = 1000.0, dbfs: float = -23.0,
         channels: int = 2, subtype: str | None = None, fmt: str | None = None) -> Path:
    """Write a sine of peak level ``dbfs`` per channel (a 1 kHz stereo sine at -23 dBFS measures -23 LUFS)."""
    t = np.arange(int(seconds * sr)) / sr
    tone = (10 ** (dbfs / 20)) * np.sin(2 * np.pi * freq * t)
    data = np.repeat(tone[:, None], channels, axis=1) if channels > 1 else tone
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data, sr, subtype=subtype, format=fmt)
    return path


def brand_yaml(name: str = "Test Brand", *, assets: list[dict[str, Any]] | None = None,
               extra: str = "", target_tier: str = "ai-generated") -> str:
    """A minimal valid brand.yml with the given assets (id, file, role, title, mode)."""
    assets = assets or [{"id": "logo", "file": "audio/logo.wav", "role": "logo"}]
    lines = [
        "identity:",
        f"  name: {json.dumps(name)}",
        "  tagline: A test tagline",
        "  industry: Testing",
        "  summary: A **short** summary.",
        "  version: '1.10'",
        "strategy:",
        "  essence: Clarity",
        "  attributes:",
        "    - name: Clear",
        "      meaning: Nothing muddy",
        "  musical_dna:",
        "    tempo_bpm: {min: 90, max: 120}",
        "disclosure_policy:",
        "  statement: Human-made where it matters.",
        f"  target_tier: {target_tier}",
        "assets:",
    ]
    for asset in assets:
        lines += [
            f"  - id: {asset['id']}",
            f"    title: {json.dumps(asset.get('title', asset['id'].title()))}",
            f"    file: {asset['file']}",
            f"    role: {asset.get('role', 'theme')}",
            f"    text_alternative: {json.dumps(asset.get('text_alternative', 'A steady test tone.'))}",
            "    disclosure:",
            "      stages:",
            "        composition:",
            f"          mode: {asset.get('mode', 'human')}",
            "          contributors: [{name: Ada Composer, role: composer}]",
        ]
        if asset.get("mode", "human") != "human":
            lines.append("          tools: [{name: GenTool, version: '2', vendor: ToolCo}]")
        # Every other stage the role requires: not applicable to a synthesised test tone, with the reason.
        for row in requirements_for(asset.get("role", "theme")):
            if "composition" not in [s.value for s in row.stages]:
                lines += [f"        {s.value}: {{mode: not-applicable, reason: a synthesised test tone}}"
                          for s in row.stages]
    return "\n".join(lines) + "\n" + extra


def make_project(root: Path, brands: dict[str, str], *, use_directory_urls: bool = True,
                 plugin_options: dict[str, Any] | None = None) -> Path:
    """Write mkdocs.yml, an empty docs folder and the given brand.yml texts; returns mkdocs.yml."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for slug, text in brands.items():
        folder = root / "brands" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "brand.yml").write_text(text, encoding="utf-8")
    options = {"brands_dir": "brands", "cache_dir": ".cache/sonicguide", "concurrency": 1, **(plugin_options or {})}
    config = {
        "site_name": "Test guides",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": use_directory_urls,
        "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False,
                  "features": ["navigation.instant"]},
        "plugins": ["search", {"sonicguide": options}],
    }
    path = root / "mkdocs.yml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return path


def fresh_plugin_instances() -> None:
    """Make the next ``load_config`` create new plugin instances, as a new ``mkdocs build`` process does.

    MkDocs keeps the plugin instances in its configuration schema for the whole process (so that
    ``mkdocs serve`` keeps their state between rebuilds), so every build in a test process shares
    them. Material's search plugin keeps the index of a ``--dirty`` build and merges it into every
    later index of that instance: after ``test_media_links``' dirty build, another test's search index
    held that site's pages too (seen only where xdist ran the two tests in one worker).
    """
    dict(MkDocsConfig._schema)["plugins"].plugin_cache.clear()


def build_site(config_file: Path, *, strict: bool = True) -> Path:
    """Build like ``mkdocs build --strict`` in a new process would (new plugin instances); returns the
    site folder."""
    fresh_plugin_instances()
    config = load_config(str(config_file), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        # "mkdocs", or "properdocs" when the tests run under ProperDocs (see conftest.py).
        root = logging.getLogger(build.__module__.split(".")[0])
        root.handlers[:] = [h for h in root.handlers if type(h).__name__ != "CountHandler"]
    return config_file.parent / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
