"""A small two-brand project for the browsing and sharing tests (site and browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitehelpers import brand_yaml, make_project, sine

ACME_EXTRA = """\
sonic_logo:
  asset: logo
  motif: Three rising notes
touchpoints:
  - id: radio
    name: Radio
    assets: [logo]
    loudness: {integrated_lufs: -23, true_peak_dbtp: -1}
  - id: app
    name: App
    assets: [theme, secret]
usage_rights:
  owner: Acme Sound Ltd
  license: All rights reserved; licensed to agencies on brief
  territories: [Worldwide]
  term: Perpetual
  restrictions: [No resale as standalone music]
dos:
  - text: Keep the logo whole
donts:
  - text: Never pitch-shift the logo
"""


def acme_yaml() -> str:
    assets = [
        {"id": "logo", "file": "audio/logo.wav", "role": "logo", "title": "Logo"},
        {
            "id": "theme",
            "file": "audio/theme.flac",
            "role": "theme",
            "title": "Main theme",
            "mode": "ai-assisted",
        },
        {"id": "secret", "file": "audio/secret.wav", "role": "bed", "title": "Unreleased bed"},
    ]
    text = brand_yaml("Acme Sound", assets=assets, extra=ACME_EXTRA)
    # brand_yaml has no per-asset options: mark one asset as not downloadable.
    text = text.replace(
        "    file: audio/secret.wav\n", "    file: audio/secret.wav\n    downloadable: false\n"
    )
    text = text.replace("  industry: Testing\n", "  industry: Retail banking\n")
    return text.replace(
        "    - name: Clear\n      meaning: Nothing muddy\n",
        "    - name: Clear\n      meaning: Nothing muddy\n    - name: Warm\n      meaning: Round\n",
    )


def zeta_yaml() -> str:
    assets = [{"id": "sting", "file": "sting.ogg", "role": "logo", "title": "Sting", "mode": "ai-generated"}]
    text = brand_yaml("Zeta Games", assets=assets)
    text = text.replace("  industry: Testing\n", "  industry: Games\n")
    text = text.replace(
        "    - name: Clear\n      meaning: Nothing muddy\n", "    - name: Playful\n      meaning: Bouncy\n"
    )
    return text.replace("Ada Composer", "Zed Producer")


def make_sharing_project(
    root: Path, *, use_directory_urls: bool = True, extra_config: dict[str, Any] | None = None
) -> Path:
    config = make_project(
        root, {"acme": acme_yaml(), "zeta": zeta_yaml()}, use_directory_urls=use_directory_urls
    )
    sine(root / "brands/acme/audio/logo.wav", seconds=3.0, dbfs=-23.0, subtype="PCM_24")
    sine(root / "brands/acme/audio/theme.flac", seconds=4.0, dbfs=-30.0, sr=44100)
    sine(root / "brands/acme/audio/secret.wav", seconds=2.0, dbfs=-26.0)
    sine(root / "brands/zeta/sting.ogg", seconds=2.0, dbfs=-20.0, freq=440.0)
    if extra_config:
        import json

        data = json.loads(config.read_text(encoding="utf-8"))
        data.update(extra_config)
        config.write_text(json.dumps(data), encoding="utf-8")
    return config
