"""Test signals whose loudness and peaks are known by construction (EBU Tech 3341 / 3342 style),
plus small deterministic "musical" signals for comparisons with ffmpeg."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf


def db_to_amplitude(dbfs: float) -> float:
    """Peak amplitude of a sine whose level is ``dbfs`` (0 dBFS = full-scale sine)."""
    return float(10.0 ** (dbfs / 20.0))


def sine(
    rate: int,
    seconds: float,
    dbfs: float,
    *,
    freq_hz: float = 1000.0,
    channels: int = 2,
    phase_rad: float = 0.0,
) -> np.ndarray:
    """A sine on every channel, shape ``(frames, channels)``, float64."""
    t = np.arange(round(rate * seconds)) / rate
    mono = db_to_amplitude(dbfs) * np.sin(2 * np.pi * freq_hz * t + phase_rad)
    return np.repeat(mono[:, None], channels, axis=1)


def sine_sequence(rate: int, segments: list[tuple[float, float]], *, channels: int = 2) -> np.ndarray:
    """1 kHz sine segments ``[(seconds, dbfs), ...]`` back to back (phase continuous)."""
    levels = np.concatenate([np.full(round(rate * s), db_to_amplitude(d)) for s, d in segments])
    t = np.arange(levels.size) / rate
    mono = levels * np.sin(2 * np.pi * 1000.0 * t)
    return np.repeat(mono[:, None], channels, axis=1)


def write(
    path: Path, data: np.ndarray, rate: int, subtype: str | None = None, fmt: str | None = None
) -> Path:
    sf.write(str(path), data, rate, subtype=subtype, format=fmt)
    return path


def musical(
    rate: int, seconds: float, *, seed: int = 0, bpm: float = 120.0, level: float = 0.3
) -> np.ndarray:
    """A deterministic stereo "song": chords with harmonics, kick and hat, a swelling pad.

    Its dynamics change over time (a quiet intro, a loud chorus) so the loudness range is not zero.
    """
    rng = np.random.default_rng(seed)
    n = round(rate * seconds)
    t = np.arange(n) / rate
    out = np.zeros((n, 2))
    # Chords: D major I-IV-V-I, two beats each, sawtooth-ish (5 harmonics).
    beat = 60.0 / bpm
    chords = [(62, 66, 69), (67, 71, 74), (69, 73, 76), (62, 66, 69)]
    for index, start in enumerate(np.arange(0.0, seconds, 2 * beat)):
        notes = chords[index % 4]
        a, b = round(start * rate), min(n, round((start + 2 * beat) * rate))
        seg = t[a:b] - start
        env = np.exp(-seg * 1.5)
        for note in notes:
            f = 440.0 * 2 ** ((note - 69) / 12)
            for h in range(1, 6):
                if f * h < rate / 2:
                    tone = np.sin(2 * np.pi * f * h * seg + rng.uniform(0, 6.28)) / h
                    out[a:b, 0] += 0.08 * env * tone
                    out[a:b, 1] += 0.07 * env * tone
    # Kick on every beat, hat on off-beats.
    for start in np.arange(0.0, seconds, beat):
        a = round(start * rate)
        m = min(n - a, round(0.15 * rate))
        seg = np.arange(m) / rate
        kick = np.sin(2 * np.pi * (50 + 80 * np.exp(-seg * 30)) * seg) * np.exp(-seg * 18)
        out[a : a + m] += 0.5 * kick[:, None]
        h = round((start + beat / 2) * rate)
        m = min(n - h, round(0.05 * rate))
        if m > 0:
            hat = rng.standard_normal(m) * np.exp(-np.arange(m) / rate * 80)
            out[h : h + m] += 0.08 * np.stack([hat, np.roll(hat, 7)], axis=1)
    # Dynamics: quiet first third, loud middle, medium end.
    gain = np.interp(
        t, [0, seconds / 3, seconds / 3 + 0.5, 2 * seconds / 3, seconds], [0.25, 0.25, 1.0, 1.0, 0.5]
    )
    out *= gain[:, None]
    return level * out / np.abs(out).max()


def ffmpeg_ebur128(path: Path) -> dict[str, float]:
    """Integrated loudness, LRA and true peak from ffmpeg's ``ebur128=peak=true`` summary."""
    exe = shutil.which("ffmpeg")
    assert exe is not None
    result = subprocess.run(
        [
            exe,
            "-nostats",
            "-hide_banner",
            "-i",
            str(path),
            "-filter_complex",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = result.stderr[result.stderr.rindex("Summary:") :]

    def grab(label: str) -> float:
        match = re.search(rf"{label}:\s+(-?[\d.]+|-inf)", summary)
        assert match, f"{label} missing in ffmpeg summary:\n{summary}"
        return float(match.group(1))

    return {"integrated_lufs": grab("I"), "loudness_range_lu": grab("LRA"), "true_peak_dbtp": grab("Peak")}
