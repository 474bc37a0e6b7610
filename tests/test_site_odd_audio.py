"""A brand whose audio is at the edges (silence, a 10 ms click, 8 kHz 8-bit mono, 192 kHz float,
six channels, a WAV named .mp3) builds with --strict and says honestly what it could not measure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from sitehelpers import brand_yaml, build_site, make_project, soup


def _write(path: Path, data: np.ndarray, sr: int, **kwargs: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data, sr, **kwargs)


def test_edge_audio_builds_and_is_reported_honestly(tmp_path: Path) -> None:
    assets = [
        {"id": "silence", "file": "audio/silence.wav", "role": "bed"},
        {"id": "click", "file": "audio/click.wav", "role": "ui"},
        {"id": "phone", "file": "audio/phone.wav", "role": "voice"},
        {"id": "hires", "file": "audio/hires.wav", "role": "stem"},
        {"id": "surround", "file": "audio/surround.flac", "role": "bed"},
        {"id": "mislabelled", "file": "audio/really-a-wav.mp3", "role": "ui"},
    ]
    config = make_project(tmp_path, {"edge": brand_yaml("Edge", assets=assets)})
    audio = tmp_path / "brands/edge/audio"
    rng = np.random.default_rng(7)
    _write(audio / "silence.wav", np.zeros((48000 * 2, 2)), 48000)
    click = np.zeros(480)
    click[:48] = 0.8
    _write(audio / "click.wav", click, 48000)
    t8 = np.arange(8000 * 3) / 8000
    _write(audio / "phone.wav", 0.3 * np.sin(2 * np.pi * 440 * t8), 8000, subtype="PCM_U8")
    t192 = np.arange(192000 * 2) / 192000
    _write(audio / "hires.wav", 0.2 * np.sin(2 * np.pi * 1000 * t192), 192000, subtype="FLOAT")
    _write(audio / "surround.flac", 0.05 * rng.standard_normal((48000 * 4, 6)), 48000)
    _write(audio / "really-a-wav.mp3", 0.1 * np.sin(2 * np.pi * 660 * t8), 8000, format="WAV")
    site = build_site(config)

    measured = json.loads((site / "edge/brand.json").read_text(encoding="utf-8"))["measurements"]
    assert measured["silence"]["loudness"]["integrated_lufs"] is None
    assert "silen" in measured["silence"]["null_reasons"]["integrated_lufs"]
    assert measured["click"]["loudness"]["integrated_lufs"] is None  # shorter than one 400 ms block
    assert measured["click"]["loudness"]["sample_peak_dbfs"] is not None
    assert measured["phone"]["format"]["sample_rate_hz"] == 8000
    assert measured["hires"]["format"]["sample_rate_hz"] == 192000
    assert measured["surround"]["format"]["channels"] == 6
    assert measured["mislabelled"]["format"]["container"] == "wav"
    assert measured["mislabelled"]["format"]["mislabelled"]

    page = soup(site / "edge/index.html")
    silence = page.select_one("section#silence")
    assert silence is not None and "\u2212\u221e LUFS (silent)" in silence.get_text(" ", strip=True)
    click_text = page.select_one("section#click")
    assert click_text is not None and "not measurable" in click_text.get_text(" ", strip=True)
    for asset_id in ("phone", "hires", "surround", "mislabelled"):
        section = page.select_one(f"section#{asset_id}")
        assert section is not None and "LUFS" in section.get_text(" ", strip=True)
