"""``analyze_file``: decode a file once, feed every meter, and return plain JSON-ready data."""

from __future__ import annotations

import ctypes
import functools
import math
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sonicguide.core import timing
from sonicguide.core.audio.decode import AudioFormat, iter_blocks, probe
from sonicguide.core.audio.features import Estimate, SpectralAccumulator
from sonicguide.core.audio.limits import AudioLimits
from sonicguide.core.audio.loudness import LoudnessMeter, TruePeakMeter
from sonicguide.core.audio.peaks import PeakAccumulator, samples_per_pixel
from sonicguide.core.errors import AudioError

#: Longest loudness series kept in the result (longer ones are decimated).
MAX_SERIES_POINTS = 600

#: Highest level reported, dB re full scale (dBFS, dBTP, LUFS). Float files may go above full
#: scale, and +40 dB (100 x full scale) is already far beyond any real master; a float WAV whose
#: samples reach 1e30 (+600 dBFS) is not audio at any sensible scale, and its levels are withheld.
MAX_LEVEL_DB = 40.0
#: Largest loudness range reported, LU: EBU Tech 3342 windows are gated 20 LU below the mean, and
#: no real programme spans more than this.
MAX_LOUDNESS_RANGE_LU = 100.0

_LEVEL_FIELDS = ("integrated_lufs", "max_momentary_lufs", "max_short_term_lufs", "true_peak_dbtp",
                 "sample_peak_dbfs")


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
        "times_s": _finite_series(np.asarray(times_s[::step], dtype=np.float64), 2),
        # None (a silent window) becomes NaN here, and None again in the rounded list.
        "lufs": _finite_series(np.asarray(values[::step], dtype=np.float64), 2),
    }


def _limits(limits: AudioLimits | None, max_duration_s: float | None) -> AudioLimits:
    if limits is not None:
        return limits
    return AudioLimits.from_option(max_duration_s)


def _checked_levels(values: dict[str, float | None], reasons: dict[str, str]) -> dict[str, float | None]:
    """Level fields (dB re full scale) rounded; non-finite or implausible ones become ``None`` with a reason.

    When the sample peak itself is above :data:`MAX_LEVEL_DB`, every level and the loudness range
    are withheld: the gates of BS.1770 assume audio at full scale 1.0.
    """
    out = {name: _round(value, 2) for name, value in values.items()}
    peak = values.get("sample_peak_dbfs")
    if peak is not None and math.isfinite(peak) and peak > MAX_LEVEL_DB:
        reason = (f"out of range: the samples reach {peak:+.0f} dBFS, far above full scale (float samples "
                  "not scaled as audio); normalise the file, or export it as 24-bit PCM")
        for name in (*_LEVEL_FIELDS, "loudness_range_lu"):
            if name in out:
                out[name] = None
                reasons[name] = reason
        return out
    for name, value in values.items():
        if value is None:
            continue
        limit = MAX_LOUDNESS_RANGE_LU if name == "loudness_range_lu" else MAX_LEVEL_DB
        if not math.isfinite(value) or value > limit or (name == "loudness_range_lu" and value < 0):
            out[name] = None
            reasons[name] = f"out of range: {value} is not a plausible value"
    return out


#: glibc's ``mallopt`` parameters (``<malloc.h>``) and the values :func:`keep_freed_memory` sets, bytes.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD_BYTES = 32 * 2**20
TRIM_THRESHOLD_BYTES = 64 * 2**20


@functools.cache
def keep_freed_memory() -> bool:
    """Let this process reuse the memory its arrays free instead of handing it back (glibc only).

    By default glibc maps every allocation above a threshold that adapts to the sizes freed so far,
    and unmaps it when freed; it also gives the heap's free top back beyond twice that threshold.
    The analysis allocates and frees arrays of 0.5 to 8 MB per block, so each block got fresh pages
    from the kernel, and the first touch of every page (a page fault) cost about as much as the
    arithmetic: measured, a 30 s stereo file took 0.26 s of CPU this way and 0.15 s with the memory
    kept (``bench/bench_analysis.py``). Allocations up to :data:`MMAP_THRESHOLD_BYTES` now come
    from the heap, and up to :data:`TRIM_THRESHOLD_BYTES` of free heap is kept: a worker's memory
    stays at its peak instead of shrinking between files. Returns whether the settings were applied
    (False on other C libraries, where nothing changes).
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
                    and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


#: The stage (see :mod:`sonicguide.core.timing`) each meter's per-block work counts towards.
_STAGE_OF_METER = {"LoudnessMeter": "loudness", "TruePeakMeter": "true peak", "SpectralAccumulator": "spectra",
                   "PeakAccumulator": "peaks"}


def _feed_all(path: Path, audio_format: AudioFormat, limits: AudioLimits, meters: Sequence[Any]) -> int:
    """Decode once and feed every meter (each has ``feed(block)``); returns the frames decoded.

    Arithmetic on extreme float samples may overflow; such results are caught where they are
    reported (:func:`_checked_levels`, :func:`_finite_estimate`), not as numpy warnings. Running out
    of memory is a refusal of this file, not the end of the build.
    """
    keep_freed_memory()
    frames = 0
    timed = timing.enabled()
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            blocks = iter_blocks(path, audio_format, limits=limits)
            for block in timing.timed_iter("decode", blocks) if timed else blocks:
                frames += block.shape[0]
                for meter in meters:
                    if timed:
                        started = time.perf_counter()
                        meter.feed(block)
                        timing.add(_STAGE_OF_METER.get(type(meter).__name__, "other"), time.perf_counter() - started)
                    else:
                        meter.feed(block)
    except MemoryError:
        raise AudioError(str(path), "ran out of memory while measuring",
                         fix="close other programs, lower the plugin option concurrency, or export a "
                             "shorter file", cacheable=False) from None
    return frames


def measure_loudness(path: Path, *, max_duration_s: float | None = None,
                     limits: AudioLimits | None = None) -> dict[str, Any]:
    """Loudness and peaks only (no spectra, no estimates): the part timed against ffmpeg.

    Returns ``{"integrated_lufs", "loudness_range_lu", "max_momentary_lufs",
    "max_short_term_lufs", "true_peak_dbtp", "sample_peak_dbfs"}`` (``None`` where undefined).

    Raises:
        AudioError: as :func:`analyze_file`.
    """
    path = Path(path)
    limits = _limits(limits, max_duration_s)
    audio_format = probe(path, limits=limits)
    loudness_meter = LoudnessMeter(audio_format.sample_rate_hz, audio_format.channels)
    peak_meter = TruePeakMeter(audio_format.sample_rate_hz, audio_format.channels)
    _feed_all(path, audio_format, limits, (loudness_meter, peak_meter))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        peak_meter.finish()
        loudness = loudness_meter.result()
    return _checked_levels({
        "integrated_lufs": loudness.integrated_lufs,
        "loudness_range_lu": loudness.loudness_range_lu,
        "max_momentary_lufs": loudness.max_momentary_lufs,
        "max_short_term_lufs": loudness.max_short_term_lufs,
        "true_peak_dbtp": _to_db(peak_meter.true_peak),
        "sample_peak_dbfs": _to_db(peak_meter.sample_peak),
    }, {})


def _finite_estimate(estimate: Estimate) -> Estimate:
    """The estimate, or none with a reason when its value or confidence is not a finite number."""
    value, confidence = estimate.value, estimate.confidence
    if (isinstance(value, float) and not math.isfinite(value)) or not math.isfinite(confidence):
        return Estimate(None, 0.0, estimate.method, "not measurable: the signal gave no finite estimate", {})
    return estimate


def _finite_series(values: Sequence[float] | np.ndarray, digits: int) -> Any:
    """``values`` (any shape) as nested lists, each rounded to ``digits`` decimals exactly as
    :func:`round` rounds it, non-finite values as None.

    Vectorised (the spectrogram's 25,000 values took about 20 ms a file one ``round`` at a time): a
    value scaled by ``10**digits`` is rounded to an integer and divided back, which gives the float
    :func:`round` gives (both are the double nearest to integer / ``10**digits``) except where the
    scaled value lies within 1e-6 of a half (the scaling's own rounding could tip it) or beyond
    2**52 (where a double has no fraction left to round); those few go through :func:`round`.
    """
    array = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(array)
    scale = 10.0 ** digits
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.where(finite, array, 0.0) * scale
        rounded = np.rint(scaled) / scale
        doubtful = finite & ((np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6)
                             | ~(np.abs(scaled) < 2.0 ** 52))  # beyond 2**52 scaling loses digits
    result: Any = np.where(finite, rounded, np.nan).astype(object)
    result[~finite] = None
    for index in zip(*np.nonzero(doubtful), strict=True):
        result[index] = round(float(array[index]), digits)
    return result.tolist()


def analyze_file(path: Path, *, max_duration_s: float | None = None,
                 limits: AudioLimits | None = None) -> dict[str, Any]:
    """Measure one audio file in a single streaming pass.

    ``limits`` defaults to :class:`~sonicguide.core.audio.limits.AudioLimits` with
    ``max_duration_s`` (``None``: the default 3 h; ``0``: no duration limit).

    Returns a JSON-serialisable dict with keys ``file_bytes``, ``format``, ``loudness``,
    ``null_reasons``, ``spectral``, ``tempo``, ``key``, ``series`` and ``peaks`` (see the
    project's audio contract; loudness in LUFS/LU, peaks in dBFS/dBTP, frequencies in Hz,
    times in seconds). A measurement that does not exist, is not a finite number or is out of
    range is ``None`` and ``null_reasons`` says why; every float in the result is finite.

    Raises:
        AudioError: the file cannot be decoded, is not audio, is empty or truncated, contains NaN
        or infinite samples, or breaks one of the limits (header values, duration, work, memory
        or time budget).
    """
    path = Path(path)
    limits = _limits(limits, max_duration_s)
    audio_format = probe(path, limits=limits)
    rate, channels = audio_format.sample_rate_hz, audio_format.channels
    loudness_meter = LoudnessMeter(rate, channels)
    peak_meter = TruePeakMeter(rate, channels)
    spectral = SpectralAccumulator(rate, audio_format.declared_frames)
    peaks = PeakAccumulator(rate, samples_per_pixel(audio_format.declared_frames))
    frames = _feed_all(path, audio_format, limits, (loudness_meter, peak_meter, spectral, peaks))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        return _report(path, audio_format, frames, loudness_meter, peak_meter, spectral, peaks)


def _report(path: Path, audio_format: AudioFormat, frames: int, loudness_meter: LoudnessMeter,
            peak_meter: TruePeakMeter, spectral: SpectralAccumulator, peaks: PeakAccumulator) -> dict[str, Any]:
    rate, channels = audio_format.sample_rate_hz, audio_format.channels
    with timing.stage("true peak"):
        peak_meter.finish()
    with timing.stage("spectra"):
        spectral.finish()
    duration_s = frames / rate

    with timing.stage("loudness"):
        loudness = loudness_meter.result()
    null_reasons = dict(loudness.null_reasons)
    sample_peak_dbfs = _to_db(peak_meter.sample_peak)
    true_peak_dbtp = _to_db(peak_meter.true_peak)
    if sample_peak_dbfs is None:
        null_reasons["sample_peak_dbfs"] = "silent: every sample is zero"
    if true_peak_dbtp is None:
        null_reasons["true_peak_dbtp"] = "silent: every sample is zero"
    levels = _checked_levels({
        "integrated_lufs": loudness.integrated_lufs,
        "loudness_range_lu": loudness.loudness_range_lu,
        "max_momentary_lufs": loudness.max_momentary_lufs,
        "max_short_term_lufs": loudness.max_short_term_lufs,
        "true_peak_dbtp": true_peak_dbtp,
        "sample_peak_dbfs": sample_peak_dbfs,
    }, null_reasons)
    centroid_hz = spectral.spectral_centroid_hz()
    if centroid_hz is None:
        window_ms = 1000.0 * spectral.n_fft / rate
        null_reasons["spectral_centroid_hz"] = (
            "silent: the spectrum has no energy"
            if peak_meter.sample_peak == 0.0
            else f"too short for a spectrum (the analysis window is {window_ms:.0f} ms)"
        )
    elif not (math.isfinite(centroid_hz) and 0.0 <= centroid_hz <= rate / 2):
        null_reasons["spectral_centroid_hz"] = "not measurable: the spectrum is not a finite number"
        centroid_hz = None
    with timing.stage("tempo and key"):
        tempo = _finite_estimate(spectral.tempo(duration_s))
        key = _finite_estimate(spectral.key(duration_s))

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
        "loudness": {**levels, "true_peak_oversampling": peak_meter.factor},
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
                "freqs_hz": _finite_series(spectrum_hz, 1),
                "db": _finite_series(spectrum_db, 1),
            },
            "spectrogram": {
                "times_s": _finite_series(times_s, 3),
                "freqs_hz": _finite_series(rows_hz, 1),
                "db": _finite_series(spectrogram_db, 1),
            },
            "momentary": _series(loudness.momentary_times_s, loudness.momentary_lufs),
            "short_term": _series(loudness.short_term_times_s, loudness.short_term_lufs),
        },
        "peaks": peaks.result(),
    }
