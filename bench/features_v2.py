"""The key and tempo estimators of ANALYSIS_VERSION 2 (sonicguide before issue 14 part 3), frozen here
as the baseline that ``bench_estimates.py --methods ours,ours-v2`` scores and times ours against.
Not used by the site."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.fft

from sonicguide.core.audio.limits import fft_size

FloatArray = npt.NDArray[np.float64]

#: Longest dimension of the stored spectrogram.
SPECTROGRAM_COLUMNS = 200
SPECTROGRAM_ROWS = 128
SPECTRUM_BINS = 200
#: Frequency range of the log-spaced spectrum and spectrogram, Hz (upper end capped at Nyquist).
LOW_HZ = 20.0
HIGH_HZ = 20_000.0
#: Power floor of the reported spectra, dB (an all-zero band is reported at this floor).
FLOOR_DB = -150.0

#: Band power below which the onset envelope ignores changes (-70 dB re a full-scale sine).
ONSET_FLOOR_POWER = 1e-7
#: Largest per-frame flux (log10 power units summed over bands) below which nothing changes.
MIN_ONSET_FLUX = 0.05
#: Below this normalised autocorrelation there is no steady beat to report.
MIN_TEMPO_CONFIDENCE = 0.15
#: Shortest signal for which a tempo is estimated, seconds.
MIN_TEMPO_DURATION_S = 4.0
#: Shortest signal for which a key is estimated, seconds.
MIN_KEY_DURATION_S = 1.0
#: Width (octaves, one standard deviation) of the log-normal tempo prior centred on 120 BPM.
TEMPO_PRIOR_OCTAVES = 0.6
#: Weight of the autocorrelation at twice (and, halved, four times) a candidate beat period: a beat
#: that the bar-level periodicity confirms wins over its half or double.
METRICAL_WEIGHT = 1.0
TEMPO_METHOD = (
    "autocorrelation of the spectral-flux onset envelope, reinforced at 2 and 4 beats, "
    "log-normal prior centred on 120 BPM"
)
#: Length of the key analysis window, seconds (a power of two of samples nearest to it).
KEY_WINDOW_S = 0.37
#: Weight of the bass (30-250 Hz) pitch-class share of the tonic in the key score.
BASS_WEIGHT = 0.3
KEY_METHOD = (
    "Krumhansl-Kessler key profiles correlated with the long-term chroma "
    "(370 ms windows, subharmonic summation, fundamentals 82 Hz to 1.3 kHz) plus the tonic's share of the bass"
)

#: Krumhansl & Kessler (1982) probe-tone profiles, tonic first.
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
MAJOR_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")


def log_band_edges(sample_rate_hz: int, bands: int) -> FloatArray:
    """Edges (Hz, shape ``(bands + 1,)``) of log-spaced bands from 20 Hz to min(20 kHz, Nyquist)."""
    high = min(HIGH_HZ, sample_rate_hz / 2.0)
    return np.geomspace(LOW_HZ, high, bands + 1)


def band_average(power: FloatArray, bin_hz: float, edges_hz: FloatArray) -> FloatArray:
    """Mean of ``power`` (last axis = FFT bins spaced ``bin_hz``) over each band ``edges_hz``.

    Integrates the piecewise-constant spectrum exactly, so bands narrower than one bin get the
    value of the bin they fall in and no band is empty. Shape: ``power.shape[:-1] + (bands,)``.
    """
    bins = power.shape[-1]
    # Bin k covers [(k - 0.5), (k + 0.5)) * bin_hz; cumulative integral at bin borders.
    cumulative = np.concatenate((np.zeros((*power.shape[:-1], 1)), np.cumsum(power, axis=-1)), axis=-1)
    positions = np.clip(edges_hz / bin_hz + 0.5, 0.0, float(bins))
    index = np.minimum(np.floor(positions).astype(np.int64), bins - 1)
    fraction = positions - index
    at_edges = cumulative[..., index] + fraction * (cumulative[..., index + 1] - cumulative[..., index])
    widths = np.diff(positions)
    return np.asarray(np.diff(at_edges, axis=-1) / np.maximum(widths, 1e-12), dtype=np.float64)


def power_to_db(power: FloatArray) -> FloatArray:
    """Power to dB, floored at :data:`FLOOR_DB`."""
    with np.errstate(divide="ignore"):
        return np.maximum(10.0 * np.log10(power), FLOOR_DB)


@dataclass(frozen=True)
class Estimate:
    """A tempo or key estimate. ``value`` is ``None`` with a ``reason`` when none is given."""

    value: float | str | None
    confidence: float
    method: str
    reason: str | None
    extra: dict[str, object]


class SpectralAccumulator:
    """Streams the mono mix through one STFT and accumulates every spectral feature.

    ``expected_frames`` (from the header) places STFT frames into spectrogram columns; a stream
    that turns out longer is folded into the last column.
    """

    def __init__(self, sample_rate_hz: int, expected_frames: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self.n_fft = fft_size(sample_rate_hz)
        self.hop = self.n_fft // 4
        self.bin_hz = sample_rate_hz / self.n_fft
        window = np.hanning(self.n_fft + 1)[:-1]  # periodic Hann
        # Scale so a full-scale sine centred on a bin reads 0 dB.
        self._window = (window * (2.0 / window.sum())).astype(np.float32)
        bins = self.n_fft // 2 + 1
        self._power_sum = np.zeros(bins)
        self._magnitude_sum = np.zeros(bins)
        self.frames = 0
        self._columns = max(1, min(SPECTROGRAM_COLUMNS, expected_frames // self.hop))
        self._expected_frames = max(1, expected_frames)
        self._column_power = np.zeros((self._columns, bins))
        self._column_count = np.zeros(self._columns)
        # Onset bands: 48 log bands, as FFT bin index ranges for reduceat.
        edges = np.unique(np.clip(np.round(log_band_edges(sample_rate_hz, 48) / self.bin_hz), 1, bins - 1))
        self._onset_starts = edges.astype(np.int64)
        self._previous_log_bands: FloatArray | None = None
        self._onset: list[FloatArray] = []
        self._buffer = np.zeros(0, dtype=np.float32)
        self._consumed = 0  # stream index of self._buffer[0]
        # The key's long window: frequency resolution for low notes (2.7-2.9 Hz bins).
        self.key_n_fft = int(2 ** round(math.log2(sample_rate_hz * KEY_WINDOW_S)))
        self._key_window = np.hanning(self.key_n_fft + 1)[:-1].astype(np.float32)
        self._key_buffer = np.zeros(0, dtype=np.float32)
        self._key_magnitude_sum = np.zeros(self.key_n_fft // 2 + 1)
        self._key_frames = 0

    @property
    def frame_rate_hz(self) -> float:
        """STFT frames per second (the onset envelope's rate)."""
        return self.sample_rate_hz / self.hop

    def feed(self, block: npt.NDArray[np.float32]) -> None:
        """Add a block of shape ``(frames, channels)``."""
        mono = block[:, 0].copy()
        for channel in range(1, block.shape[1]):  # faster than block.mean(axis=1)
            mono += block[:, channel]
        if block.shape[1] > 1:
            mono *= np.float32(1.0 / block.shape[1])
        self._buffer = np.concatenate((self._buffer, mono))
        self._feed_key(mono)
        count = (self._buffer.size - self.n_fft) // self.hop + 1
        if count <= 0:
            return
        frames = np.lib.stride_tricks.sliding_window_view(self._buffer, self.n_fft)[:: self.hop][:count]
        spectrum = scipy.fft.rfft(frames * self._window, axis=1)
        # Squared in float64: float32 overflows for samples far above full scale (float WAVs).
        power = spectrum.real.astype(np.float64) ** 2 + spectrum.imag.astype(np.float64) ** 2
        self._accumulate(power, first_sample=self._consumed)
        used = count * self.hop
        self._buffer = self._buffer[used:].copy()
        self._consumed += used

    def _feed_key(self, mono: npt.NDArray[np.float32]) -> None:
        self._key_buffer = np.concatenate((self._key_buffer, mono))
        hop = self.key_n_fft // 2
        count = (self._key_buffer.size - self.key_n_fft) // hop + 1
        if count <= 0:
            return
        frames = np.lib.stride_tricks.sliding_window_view(self._key_buffer, self.key_n_fft)[::hop][:count]
        self._key_magnitude_sum += np.abs(scipy.fft.rfft(frames * self._key_window, axis=1)).sum(axis=0)
        self._key_frames += count
        self._key_buffer = self._key_buffer[count * hop :].copy()

    def _accumulate(self, power: FloatArray, first_sample: int) -> None:
        count = power.shape[0]
        self._power_sum += power.sum(axis=0)
        self._magnitude_sum += np.sqrt(power).sum(axis=0)
        centres = first_sample + np.arange(count) * self.hop + self.n_fft // 2
        columns = np.minimum(centres * self._columns // self._expected_frames, self._columns - 1)
        starts = np.flatnonzero(np.diff(columns, prepend=-1))
        self._column_power[columns[starts]] += np.add.reduceat(power, starts, axis=0)
        self._column_count[columns[starts]] += np.diff(np.append(starts, count))
        bands = np.add.reduceat(power, self._onset_starts, axis=1)[:, :-1]
        # Floor at -70 dB (full-scale sine = 0 dB) so that noise far below the content (dither,
        # quantisation) does not make up onsets.
        log_bands = np.log10(np.maximum(bands, ONSET_FLOOR_POWER))
        previous = log_bands[:1] if self._previous_log_bands is None else self._previous_log_bands
        flux = np.maximum(np.diff(log_bands, axis=0, prepend=previous), 0.0).sum(axis=1)
        self._previous_log_bands = log_bands[-1:]
        self._onset.append(flux)
        self.frames += count

    def finish(self) -> None:
        """Analyse the last partial frame, zero-padded (so short files still get one frame)."""
        if self._buffer.size and (self.frames == 0 or self._buffer.size > self.n_fft - self.hop):
            # Centred in the window: the Hann taper would hide a very short file at its edge.
            padded = np.zeros(self.n_fft, dtype=np.float32)
            offset = (self.n_fft - self._buffer.size) // 2
            padded[offset : offset + self._buffer.size] = self._buffer
            spectrum = scipy.fft.rfft(padded * self._window)
            power = (spectrum.real.astype(np.float64) ** 2 + spectrum.imag.astype(np.float64) ** 2)[None, :]
            self._accumulate(power, first_sample=self._consumed)
        self._buffer = np.zeros(0, dtype=np.float32)
        if self._key_frames == 0 and self._key_buffer.size:
            padded = np.zeros(self.key_n_fft, dtype=np.float32)
            offset = (self.key_n_fft - self._key_buffer.size) // 2
            padded[offset : offset + self._key_buffer.size] = self._key_buffer
            self._key_magnitude_sum += np.abs(scipy.fft.rfft(padded * self._key_window))
            self._key_frames = 1
        self._key_buffer = np.zeros(0, dtype=np.float32)

    # -- results -----------------------------------------------------------------------------

    def frequencies_hz(self) -> FloatArray:
        """Centre frequency of every FFT bin, Hz, shape ``(n_fft // 2 + 1,)``."""
        return np.arange(self._power_sum.size, dtype=np.float64) * self.bin_hz

    def average_power(self) -> FloatArray:
        """Mean power per FFT bin (full-scale sine = 1.0), shape ``(n_fft // 2 + 1,)``."""
        return self._power_sum / max(self.frames, 1)

    def spectral_centroid_hz(self) -> float | None:
        """Magnitude-weighted mean frequency of the average spectrum; ``None`` for silence."""
        total = self._magnitude_sum.sum()
        if total <= 0.0:
            return None
        return float((self._magnitude_sum * self.frequencies_hz()).sum() / total)

    def spectrum(self, bands: int = SPECTRUM_BINS) -> tuple[FloatArray, FloatArray]:
        """Log-spaced average spectrum: (band centre frequencies Hz, power dB), each ``(bands,)``."""
        edges = log_band_edges(self.sample_rate_hz, bands)
        centres = np.sqrt(edges[:-1] * edges[1:])
        return centres, power_to_db(band_average(self.average_power(), self.bin_hz, edges))

    def spectrogram(self, rows: int = SPECTROGRAM_ROWS) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(column centre times s ``(c,)``, row centre frequencies Hz ``(rows,)``, dB ``(c, rows)``).

        Columns that received no frame (a stream shorter than the header said) are dropped.
        """
        filled = self._column_count > 0
        mean_power = self._column_power[filled] / self._column_count[filled, None]
        edges = log_band_edges(self.sample_rate_hz, rows)
        centres = np.sqrt(edges[:-1] * edges[1:])
        column_s = self._expected_frames / self.sample_rate_hz / self._columns
        times = (np.flatnonzero(filled).astype(np.float64) + 0.5) * column_s
        return times, centres, power_to_db(band_average(mean_power, self.bin_hz, edges))

    def onset_envelope(self) -> FloatArray:
        """Positive spectral flux per STFT frame, shape ``(frames,)``."""
        return np.concatenate(self._onset) if self._onset else np.zeros(0)

    def tempo(self, duration_s: float) -> Estimate:
        """Estimate the tempo in BPM from the onset envelope's autocorrelation."""
        return estimate_tempo(self.onset_envelope(), self.frame_rate_hz, duration_s)

    def key(self, duration_s: float) -> Estimate:
        """Estimate the key from the long-term chroma."""
        if duration_s < MIN_KEY_DURATION_S:
            return Estimate(None, 0.0, KEY_METHOD, f"shorter than {MIN_KEY_DURATION_S:g} s", {})
        key_bin_hz = self.sample_rate_hz / self.key_n_fft
        frequencies_hz = np.arange(self._key_magnitude_sum.size, dtype=np.float64) * key_bin_hz
        return estimate_key(self._key_magnitude_sum / max(self._key_frames, 1), frequencies_hz)


def estimate_tempo(onset: FloatArray, frame_rate_hz: float, duration_s: float) -> Estimate:
    """Tempo (BPM) from an onset envelope sampled at ``frame_rate_hz``.

    The envelope minus its 1 s moving average is autocorrelated. Each beat period ``L`` between
    40 and 240 BPM scores its autocorrelation plus :data:`METRICAL_WEIGHT` times that at ``2L``
    and half that at ``4L`` (bars confirm beats, which keeps the estimate off half and double
    tempo), times a log-normal prior (centre 120 BPM, :data:`TEMPO_PRIOR_OCTAVES` standard
    deviation); the best wins, refined by parabolic interpolation. The confidence is that score
    without the prior, as a share of its largest possible value (a click track's). Other strong
    metrical levels (half, double) are listed in ``extra["alternatives_bpm"]``.
    """
    if duration_s < MIN_TEMPO_DURATION_S:
        return Estimate(None, 0.0, TEMPO_METHOD, f"shorter than {MIN_TEMPO_DURATION_S:g} s", {})
    if onset.size < 8 or float(onset.max(initial=0.0)) < MIN_ONSET_FLUX:
        return Estimate(None, 0.0, TEMPO_METHOD, "no onsets: the signal does not change over time", {})
    smooth = max(1, round(frame_rate_hz))
    baseline = np.convolve(onset, np.ones(smooth) / smooth, "same")
    envelope = onset - baseline
    # Light smoothing (3 frames) makes autocorrelation peaks parabolic for sub-frame refinement.
    envelope = np.convolve(envelope, np.array([0.25, 0.5, 0.25]), "same")
    size = envelope.size
    spectrum = scipy.fft.rfft(envelope, n=2 * size)
    autocorrelation = scipy.fft.irfft(spectrum.real**2 + spectrum.imag**2)[:size]
    if autocorrelation[0] <= 0:
        return Estimate(None, 0.0, TEMPO_METHOD, "no onsets: the signal does not change over time", {})
    # Unbiased normalisation: each lag has size - lag overlapping products.
    autocorrelation = autocorrelation / (size - np.arange(size)) * size / autocorrelation[0]
    low_lag = max(2, math.floor(60.0 * frame_rate_hz / 240.0))
    high_lag = min(size // 2, math.ceil(60.0 * frame_rate_hz / 40.0))
    if high_lag <= low_lag + 2:
        return Estimate(None, 0.0, TEMPO_METHOD, "too short for the slowest tempo considered (40 BPM)", {})
    lags = np.arange(low_lag, high_lag + 1)
    bpm = 60.0 * frame_rate_hz / lags
    prior = np.exp(-0.5 * (np.log2(bpm / 120.0) / TEMPO_PRIOR_OCTAVES) ** 2)
    values = autocorrelation[lags]
    metrical = values.copy()
    # Only periods that are periodic themselves (a positive local maximum) get credit from their
    # multiples: 2/3 of a beat, whose 2x and 4x land on beats, does not.
    periodic = values > 0.0
    periodic[1:-1] &= (values[1:-1] >= values[:-2]) & (values[1:-1] >= values[2:])
    for multiple, weight in ((2, METRICAL_WEIGHT), (4, METRICAL_WEIGHT / 2)):
        inside = periodic & (lags * multiple < size)
        metrical[inside] += weight * autocorrelation[lags[inside] * multiple]
    best = int(np.argmax(metrical * prior))
    lag = float(lags[best])
    if 0 < best < lags.size - 1:
        left, centre, right = values[best - 1], values[best], values[best + 1]
        denominator = left - 2 * centre + right
        if denominator < 0:
            lag += float(np.clip(0.5 * (left - right) / denominator, -0.5, 0.5))
    # The metrical score's largest possible value is 1 + 1.5 * METRICAL_WEIGHT (a click track's).
    confidence = float(np.clip(metrical[best] / (1.0 + 1.5 * METRICAL_WEIGHT), 0.0, 1.0))
    tempo_bpm = 60.0 * frame_rate_hz / lag
    if confidence < MIN_TEMPO_CONFIDENCE:
        return Estimate(
            None, confidence, TEMPO_METHOD, "no periodic onsets: the signal shows no steady beat", {}
        )
    alternatives = []
    for factor in (0.5, 2.0):
        other = lag / factor
        index = round(other) - low_lag
        if 0 <= index < values.size and values[index] >= 0.5 * values[best]:
            alternatives.append(round(60.0 * frame_rate_hz / other, 1))
    return Estimate(tempo_bpm, confidence, TEMPO_METHOD, None, {"alternatives_bpm": alternatives})


def key_name(tonic: int, mode: str) -> str:
    """Conventional name of a key, e.g. ``key_name(2, "major") == "D major"``."""
    names = MAJOR_NAMES if mode == "major" else MINOR_NAMES
    return f"{names[tonic % 12]} {mode}"


def harmonic_chroma(magnitude: FloatArray, frequencies_hz: FloatArray) -> FloatArray:
    """Pitch-class salience, shape ``(12,)``, by subharmonic summation (Hermes 1988).

    Each candidate fundamental from E2 (82 Hz) to E6 (1.3 kHz) scores the strongest bin within
    half a semitone of each of its first six harmonics, weighted 0.8 ** (h - 1); scores are folded
    into pitch classes (A4 = 440 Hz). Crediting harmonics to their fundamental keeps the 3rd and
    5th harmonics of a chord from reading as notes of their own.
    """
    bin_hz = float(frequencies_hz[1] - frequencies_hz[0])
    last_bin = magnitude.size - 1
    chroma = np.zeros(12)
    half_semitone = 2.0 ** (0.5 / 12.0)
    for midi in range(40, 89):
        fundamental_hz = 440.0 * 2.0 ** ((midi - 69) / 12.0)
        salience = 0.0
        for harmonic in range(1, 7):
            centre_hz = fundamental_hz * harmonic
            low = round(centre_hz / half_semitone / bin_hz)
            high = round(centre_hz * half_semitone / bin_hz)
            if low > last_bin:
                break
            salience += 0.8 ** (harmonic - 1) * float(magnitude[low : min(high, last_bin) + 1].max())
        chroma[midi % 12] += salience
    return chroma


def bass_chroma(magnitude: FloatArray, frequencies_hz: FloatArray) -> FloatArray:
    """Share of the energy between 30 and 250 Hz in each pitch class, shape ``(12,)``, sums to 1
    (all zeros when there is no bass). Needs bins finer than a semitone there (about 3 Hz)."""
    chroma = np.zeros(12)
    inside = (frequencies_hz >= 30.0) & (frequencies_hz <= 250.0)
    pitch_classes = np.round(12.0 * np.log2(frequencies_hz[inside] / 440.0) + 69.0).astype(np.int64) % 12
    np.add.at(chroma, pitch_classes, magnitude[inside] ** 2)
    total = float(chroma.sum())
    return chroma / total if total > 0.0 else chroma


def estimate_key(magnitude: FloatArray, frequencies_hz: FloatArray) -> Estimate:
    """Key from a mean magnitude spectrum (Krumhansl-Schmuckler key finding).

    The spectrum is reduced to a chroma vector by :func:`harmonic_chroma` (square-rooted, so that
    one loud note does not outweigh the rest), which is correlated (Pearson) with the 24 rotated
    Krumhansl-Kessler profiles; each key also scores :data:`BASS_WEIGHT` times its tonic's share
    of the bass (:func:`bass_chroma`). The confidence is the best score (capped at 1) times the
    margin to the runner-up (a margin of 0.2 or more counts fully) times the chroma's relative
    spread (``(max - min) / max``; 0.5 or more counts fully, noise has about 0.1).
    """
    useful = (frequencies_hz >= 80.0) & (frequencies_hz <= 5000.0)
    if not useful.any() or magnitude[useful].sum() <= 0:
        return Estimate(None, 0.0, KEY_METHOD, "silent or no content between 80 Hz and 5 kHz", {})
    chroma = np.sqrt(harmonic_chroma(magnitude, frequencies_hz))
    if np.ptp(chroma) <= 1e-12 * chroma.max():
        return Estimate(None, 0.0, KEY_METHOD, "no tonal centre: every pitch class is equally strong", {})
    bass = bass_chroma(magnitude, frequencies_hz)
    scores = []
    for mode, profile in (("major", MAJOR_PROFILE), ("minor", MINOR_PROFILE)):
        for tonic in range(12):
            r = float(np.corrcoef(chroma, np.roll(profile, tonic))[0, 1]) + BASS_WEIGHT * float(bass[tonic])
            scores.append((r, tonic, mode))
    scores.sort(key=lambda item: item[0], reverse=True)
    best_r, tonic, mode = scores[0]
    margin = best_r - scores[1][0]
    # Noise has a nearly flat chroma (relative spread about 0.1); music about 0.5 or more.
    spread = float(np.ptp(chroma) / chroma.max())
    confidence = float(np.clip(best_r, 0.0, 1.0) * min(1.0, margin / 0.2) * min(1.0, spread / 0.5))
    name = key_name(tonic, mode)
    extra: dict[str, object] = {
        "tonic_pitch_class": tonic,
        "mode": mode,
        "correlation": round(best_r, 3),
        "runner_up": key_name(scores[1][1], scores[1][2]),
    }
    return Estimate(name, confidence, KEY_METHOD, None, extra)
