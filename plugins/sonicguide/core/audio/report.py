"""``analyze_file``: decode a file once, feed every meter, and return plain JSON-ready data."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sonicguide.core.audio.decode import iter_blocks, probe
from sonicguide.core.audio.features import SpectralAccumulator
from sonicguide.core.audio.loudness import LoudnessMeter, TruePeakMeter
from sonicguide.core.audio.peaks import PeakAccumulator, samples_per_pixel

#: Bump whenever a measurement or the layout of the result changes (part of cache keys).

#: Longest loudness series kept in the result (longer ones are decimated).
MAX_SERIES_POINTS = 600


def _round(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _to_db(amplitude: float) -> float | None:
    return None if amplitude <= 0.0 else 20.0 * math.log10(amplitude)


def _series(times_s: Sequence[float], values: Sequence[float | None]) -> dict[str, list[Any]]:
    """Decimate to at most :data:`MAX_SERIES_POINTS` points (every k-th value, kept exact)."""
    step = max(1, math.ceil(len(times_s) / MAX_SERIES_POINTS))
    return {
        "times_s": [round(t, 2) for t in times_s[::step]],
        "lufs": [_round(v, 2) for v in values[::step]],
    }


def measure_loudness(path: Path, *, max_duration_s: float | None = None) -> dict[str, Any]:
    """Loudness and peaks only (no spectra, no estimates): the part timed against ffmpeg.

    Returns ``{"integrated_lufs", "loudness_range_lu", "max_momentary_lufs",
    "max_short_term_lufs", "true_peak_dbtp", "sample_peak_dbfs"}`` (``None`` where undefined).

    Raises:
        AudioError: as :func:`analyze_file`.
    """
    path = Path(path)
    audio_format = probe(path)
    loudness_meter = LoudnessMeter(audio_format.sample_rate_hz, audio_format.channels)
    peak_meter = TruePeakMeter(audio_format.sample_rate_hz, audio_format.channels)
    for block in iter_blocks(path, audio_format, max_duration_s=max_duration_s):
        loudness_meter.feed(block)
        peak_meter.feed(block)
    peak_meter.finish()
    loudness = loudness_meter.result()
    return {
        "integrated_lufs": _round(loudness.integrated_lufs, 2),
        "loudness_range_lu": _round(loudness.loudness_range_lu, 2),
        "max_momentary_lufs": _round(loudness.max_momentary_lufs, 2),
        "max_short_term_lufs": _round(loudness.max_short_term_lufs, 2),
        "true_peak_dbtp": _round(_to_db(peak_meter.true_peak), 2),
        "sample_peak_dbfs": _round(_to_db(peak_meter.sample_peak), 2),
    }


def analyze_file(path: Path, *, max_duration_s: float | None = None) -> dict[str, Any]:
    """Measure one audio file in a single streaming pass.

    Returns a JSON-serialisable dict with keys ``file_bytes``, ``format``, ``loudness``,
    ``null_reasons``, ``spectral``, ``tempo``, ``key``, ``series`` and ``peaks`` (see the
    project's audio contract; loudness in LUFS/LU, peaks in dBFS/dBTP, frequencies in Hz,
    times in seconds). A measurement that does not exist is ``None`` and ``null_reasons`` says why.

    Raises:
        AudioError: the file cannot be decoded, is empty or truncated, contains NaN or infinite
        samples, or is longer than ``max_duration_s``.
    """
    path = Path(path)
    audio_format = probe(path)
    rate, channels = audio_format.sample_rate_hz, audio_format.channels
    loudness_meter = LoudnessMeter(rate, channels)
    peak_meter = TruePeakMeter(rate, channels)
    spectral = SpectralAccumulator(rate, audio_format.declared_frames)
    peaks = PeakAccumulator(rate, samples_per_pixel(audio_format.declared_frames))
    frames = 0
    for block in iter_blocks(path, audio_format, max_duration_s=max_duration_s):
        frames += block.shape[0]
        loudness_meter.feed(block)
        peak_meter.feed(block)
        spectral.feed(block)
        peaks.feed(block)
    peak_meter.finish()
    spectral.finish()
    duration_s = frames / rate

    loudness = loudness_meter.result()
    null_reasons = dict(loudness.null_reasons)
    sample_peak_dbfs = _to_db(peak_meter.sample_peak)
    true_peak_dbtp = _to_db(peak_meter.true_peak)
    if sample_peak_dbfs is None:
        null_reasons["sample_peak_dbfs"] = "silent: every sample is zero"
    if true_peak_dbtp is None:
        null_reasons["true_peak_dbtp"] = "silent: every sample is zero"
    centroid_hz = spectral.spectral_centroid_hz()
    if centroid_hz is None:
        window_ms = 1000.0 * spectral.n_fft / rate
        null_reasons["spectral_centroid_hz"] = (
            "silent: the spectrum has no energy"
            if peak_meter.sample_peak == 0.0
            else f"too short for a spectrum (the analysis window is {window_ms:.0f} ms)"
        )
    tempo = spectral.tempo(duration_s)
    key = spectral.key(duration_s)

    spectrum_hz, spectrum_db = spectral.spectrum()
    times_s, rows_hz, spectrogram_db = spectral.spectrogram()
    return {
        "file_bytes": path.stat().st_size,
        "format": {
            "container": audio_format.container,
            "codec": audio_format.codec,
            "sample_rate_hz": rate,
            "bit_depth": audio_format.bit_depth,
            "channels": channels,
            "frames": frames,
            "duration_s": round(duration_s, 3),
            "mislabelled": audio_format.mislabelled,
        },
        "loudness": {
            "integrated_lufs": _round(loudness.integrated_lufs, 2),
            "loudness_range_lu": _round(loudness.loudness_range_lu, 2),
            "max_momentary_lufs": _round(loudness.max_momentary_lufs, 2),
            "max_short_term_lufs": _round(loudness.max_short_term_lufs, 2),
            "true_peak_dbtp": _round(true_peak_dbtp, 2),
            "sample_peak_dbfs": _round(sample_peak_dbfs, 2),
            "true_peak_oversampling": peak_meter.factor,
        },
        "null_reasons": null_reasons,
        "spectral": {"centroid_hz": _round(centroid_hz, 1)},
        "tempo": {
            "bpm": _round(tempo.value if isinstance(tempo.value, float) else None, 1),
            "confidence": round(tempo.confidence, 2),
            "method": tempo.method,
            "reason": tempo.reason,
            **tempo.extra,
        },
        "key": {
            "name": key.value if isinstance(key.value, str) else None,
            "confidence": round(key.confidence, 2),
            "method": key.method,
            "reason": key.reason,
            **key.extra,
        },
        "series": {
            "spectrum": {
                "freqs_hz": [round(f, 1) for f in spectrum_hz.tolist()],
                "db": [round(v, 1) for v in spectrum_db.tolist()],
            },
            "spectrogram": {
                "times_s": [round(t, 3) for t in times_s.tolist()],
                "freqs_hz": [round(f, 1) for f in rows_hz.tolist()],
                "db": np.round(spectrogram_db, 1).tolist(),
            },
            "momentary": _series(loudness.momentary_times_s, loudness.momentary_lufs),
            "short_term": _series(loudness.short_term_times_s, loudness.short_term_lufs),
        },
        "peaks": peaks.result(),
    }
