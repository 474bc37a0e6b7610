"""A minimal valid brand for the hardening tests (YAML text and a real one-second WAV)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

#: The smallest brand that validates: every required field, one asset, one touchpoint.
MINIMAL_BRAND = """\
identity:
  name: Minimal
  industry: Testing
strategy:
  essence: Small and clear.
  attributes:
    - name: Clear
      meaning: Nothing superfluous.
touchpoints:
  - id: app
    name: App
disclosure_policy:
  statement: Made by people.
  target_tier: human-made
assets:
  - id: logo
    title: Logo
    file: audio/logo.wav
    role: logo
    disclosure:
      stages:
        composition:
          mode: human
          contributors:
            - name: Ada
              role: Composer
        instrumental_performance: {mode: not-applicable, reason: a synthesised test tone}
        production: {mode: not-applicable, reason: a synthesised test tone}
        mixing: {mode: not-applicable, reason: a synthesised test tone}
        mastering: {mode: not-applicable, reason: a synthesised test tone}
"""


def write_tone(path: Path, *, duration_s: float = 0.25, rate_hz: int = 8000) -> Path:
    """A short 440 Hz tone at -12 dBFS, 16-bit mono WAV (or the format the suffix names)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    time_s = np.arange(int(duration_s * rate_hz)) / rate_hz
    sf.write(path, 0.25 * np.sin(2 * np.pi * 440 * time_s), rate_hz)
    return path


def make_brand(brands_dir: Path, slug: str = "minimal", text: str = MINIMAL_BRAND, *,
               audio: tuple[str, ...] = ("audio/logo.wav",)) -> Path:
    """Write ``brands_dir/slug/brand.yml`` with ``text`` and tones at ``audio``; return the folder."""
    folder = brands_dir / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brand.yml").write_text(text, encoding="utf-8")
    for relative in audio:
        write_tone(folder / relative)
    return folder
