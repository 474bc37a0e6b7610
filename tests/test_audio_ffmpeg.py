"""Agreement with an independent meter: ffmpeg's ``ebur128`` filter (``peak=true``).

ffmpeg prints one decimal; the tolerances are the project's (integrated 0.1 LU, true peak 0.3 dB,
loudness range 0.5 LU).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from audio_signals import ffmpeg_ebur128, musical, write
from sonicguide.core.audio import analyze_file

pytestmark = [
    pytest.mark.ffmpeg,
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed"),
]

CASES = [
    # (name, rate, seconds, seed, level, subtype)
    ("song.wav", 48_000, 30.0, 1, 0.9, "PCM_24"),
    ("song.flac", 44_100, 30.0, 2, 0.7, "PCM_16"),
    ("song.ogg", 48_000, 30.0, 3, 0.95, "VORBIS"),
    ("song.mp3", 44_100, 30.0, 4, 0.99, "MPEG_LAYER_III"),
    ("quiet.wav", 96_000, 20.0, 5, 0.05, "FLOAT"),
    ("hot.flac", 48_000, 20.0, 6, 1.0, "PCM_24"),
    # Low rates: both meters design K-weighting per rate (ffmpeg does not resample to 48 kHz).
    ("phone.wav", 8_000, 20.0, 7, 0.8, "PCM_16"),
    ("low.flac", 22_050, 20.0, 8, 0.8, "PCM_16"),
]


@pytest.mark.parametrize(
    ("name", "rate", "seconds", "seed", "level", "subtype"), CASES, ids=[c[0] for c in CASES]
)
def test_agrees_with_ffmpeg_ebur128(
    tmp_path: Path, name: str, rate: int, seconds: float, seed: int, level: float, subtype: str
) -> None:
    data = musical(rate, seconds, seed=seed, level=level)
    if name.startswith("hot"):
        data = np.clip(data * 1.6, -1.0, 1.0)  # clipped master: true peak above the sample peak
    path = write(tmp_path / name, data, rate, subtype)
    ours = analyze_file(path)["loudness"]
    reference = ffmpeg_ebur128(path)
    assert ours["integrated_lufs"] == pytest.approx(reference["integrated_lufs"], abs=0.1)
    assert ours["true_peak_dbtp"] == pytest.approx(reference["true_peak_dbtp"], abs=0.3)
    assert ours["loudness_range_lu"] == pytest.approx(reference["loudness_range_lu"], abs=0.5)


def test_agrees_on_mono_noise(tmp_path: Path) -> None:
    noise = np.random.default_rng(9).standard_normal(48_000 * 15) * 0.1
    noise[48_000 * 5 : 48_000 * 10] *= 0.1  # a quiet middle: non-zero loudness range
    path = write(tmp_path / "noise.wav", noise, 48_000, "PCM_16")
    ours = analyze_file(path)["loudness"]
    reference = ffmpeg_ebur128(path)
    assert ours["integrated_lufs"] == pytest.approx(reference["integrated_lufs"], abs=0.1)
    assert ours["true_peak_dbtp"] == pytest.approx(reference["true_peak_dbtp"], abs=0.3)
    assert ours["loudness_range_lu"] == pytest.approx(reference["loudness_range_lu"], abs=0.5)


@pytest.mark.parametrize("channels", [5, 6])
def test_agrees_on_surround(tmp_path: Path, channels: int) -> None:
    stereo = musical(48_000, 20.0, seed=11, level=0.5)
    centre = stereo[:, :1] * 0.7
    surround = stereo * 0.5
    parts = [stereo, centre, stereo[:, :1] * 1.5, surround] if channels == 6 else [stereo, centre, surround]
    path = write(tmp_path / f"surround{channels}.wav", np.hstack(parts), 48_000, "PCM_24")
    ours = analyze_file(path)["loudness"]
    reference = ffmpeg_ebur128(path)
    assert ours["integrated_lufs"] == pytest.approx(reference["integrated_lufs"], abs=0.1)
    assert ours["true_peak_dbtp"] == pytest.approx(reference["true_peak_dbtp"], abs=0.3)
    assert ours["loudness_range_lu"] == pytest.approx(reference["loudness_range_lu"], abs=0.5)
