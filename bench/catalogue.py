"""Generate a reference catalogue of brands for the benchmarks (deterministic, cached on disk).

``make_catalogue(root, brands=50, assets=8, seconds=30.0)`` writes ``root/brands/<slug>/`` with a
valid ``brand.yml`` and ``assets`` audio files of ``seconds`` stereo 48 kHz audio in mixed formats
(WAV 24-bit, FLAC, Ogg Vorbis, MP3), and ``root/mkdocs.yml``. Existing files are reused.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parent.parent
FORMATS = (("wav", "WAV", "PCM_24"), ("flac", "FLAC", "PCM_16"), ("ogg", "OGG", "VORBIS"),
           ("mp3", "MP3", "MPEG_LAYER_III"))
ROLES = ("logo", "theme", "variant", "cut-down", "bed", "ui", "stem", "variant")


def synth(seed: int, *, seconds: float, sr: int = 48000) -> np.ndarray:
    """A few seconds of chords, bass and a pulse: music-like enough for every measurement."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    root = 110.0 * 2 ** (rng.integers(0, 12) / 12)
    bpm = float(rng.integers(80, 140))
    beat = 60.0 / bpm
    signal = np.zeros(n)
    for ratio in (1.0, 1.25, 1.5, 2.0):
        signal += 0.12 * np.sin(2 * np.pi * root * ratio * t) * (0.6 + 0.4 * np.sin(2 * np.pi * t / 7.0))
    pulse = np.exp(-((t % beat) / 0.05)) * np.sin(2 * np.pi * 60 * t)
    noise = rng.standard_normal(n) * np.exp(-((t % beat) / 0.02)) * 0.1
    signal += 0.5 * pulse + noise
    stereo = np.stack([signal, np.roll(signal, 240)], axis=1)
    return 0.3 * stereo / np.max(np.abs(stereo))


def brand_yaml(index: int, files: list[str]) -> str:
    lines = [
        "identity:",
        f"  name: Benchmark Brand {index:03d}",
        "  tagline: A generated brand for benchmarks",
        f"  industry: {('Retail', 'Transport', 'Finance', 'Gaming')[index % 4]}",
        "strategy:",
        "  essence: Measured",
        "  attributes:",
        "    - {name: Warm, meaning: Rounded low mids}",
        "    - {name: Bright, meaning: Clear top end}",
        "  musical_dna:",
        "    tempo_bpm: {min: 80, max: 140}",
        "disclosure_policy:",
        "  statement: Human-directed.",
        "  target_tier: human-directed-ai-assisted",
        "touchpoints:",
        "  - {id: web, name: Web, loudness: {standard: spotify}}",
        "assets:",
    ]
    for number, file in enumerate(files):
        lines += [
            f"  - id: asset-{number}",
            f"    title: Asset {number}",
            f"    file: {file}",
            f"    role: {ROLES[number % len(ROLES)]}",
            "    text_alternative: Chords over a soft pulse.",
            "    touchpoints: [web]",
            "    disclosure:",
            "      stages:",
            "        composition: {mode: human, contributors: [{name: A. Composer, role: composer}]}",
            "        mastering: {mode: ai-assisted, tools: [{name: AutoMaster, version: '3'}]}",
        ]
    return "\n".join(lines) + "\n"


def make_catalogue(root: Path, *, brands: int = 50, assets: int = 8, seconds: float = 30.0,
                   same_audio: bool = False) -> Path:
    """Write (or reuse) the catalogue under ``root``; returns its ``mkdocs.yml``.

    ``same_audio``: every brand's n-th asset is the same bytes (analysed once: the cache is keyed by
    content), so a build's cost is what grows with the brands besides the analysis of their audio.
    """
    for index in range(brands):
        folder = root / "brands" / f"brand-{index:03d}"
        files = []
        for number in range(assets):
            ext, fmt, subtype = FORMATS[(number if same_audio else index + number) % len(FORMATS)]
            relative = f"audio/a{number}.{ext}"
            path = folder / relative
            files.append(relative)
            if path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            first = root / "brands" / "brand-000" / relative
            if same_audio and index > 0 and first.is_file():
                shutil.copyfile(first, path)  # the same bytes (an encoder need not repeat itself)
            else:
                sf.write(path, synth(index * 1000 + number, seconds=seconds), 48000, format=fmt, subtype=subtype)
        text = brand_yaml(index, files)
        target = folder / "brand.yml"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    (root / "docs").mkdir(parents=True, exist_ok=True)
    config = {
        "site_name": "Benchmark catalogue",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False},
        "plugins": ["search", {"sonicguide": {"brands_dir": "brands", "cache_dir": ".cache/sonicguide"}}],
    }
    path = root / "mkdocs.yml"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def add_catalogue_options(parser: argparse.ArgumentParser) -> None:
    """The options every catalogue benchmark takes: its size and where it is kept."""
    parser.add_argument("--brands", type=int, default=50)
    parser.add_argument("--assets", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=REPO / "bench/out")


def catalogue_name(args: argparse.Namespace) -> str:
    """The folder name of the catalogue the options describe (shared by the benchmarks)."""
    return f"catalogue-{args.brands}x{args.assets}x{args.seconds:g}s"


def extract_plugins(revision: str, target: Path) -> Path:
    """The ``plugins`` folder of ``revision`` (a git revision of this repository), extracted into
    ``target``: the code a bench compares this checkout against."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "plugins"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "plugins"
