"""Spectral features from one streamed short-time Fourier transform of the mono mix.

One STFT (Hann window of about 85 ms, hop of a quarter window) feeds every feature:

- the long-term average spectrum (Welch-style mean of frame powers) and the spectral centroid;
- a small spectrogram (at most ``SPECTROGRAM_COLUMNS`` time columns, frames averaged per column);
- the onset-strength envelope (positive spectral flux of log band energies) for the tempo estimate;
- a second, longer STFT (about 370 ms, half-window hop: semitones stay apart down to the bass)
  whose frames are mapped onto pitches (MIDI 28-95, harmonics credited to their fundamental) and
  folded into a chroma per frame: their mean, the bass's pitch classes and a histogram of the
  triad each frame sounds like feed the key estimate, and how long its chords last (the harmonic
  rhythm) tells the tempo estimate which metrical level is the beat.

Tempo and key are estimates and say so: each comes with a method name and a confidence in 0..1.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.fft
import scipy.sparse

from sonicguide.core.audio.limits import fft_size

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

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
#: Below this confidence there is no steady beat to report.
MIN_TEMPO_CONFIDENCE = 0.15
#: Below this confidence there is no tonal centre to report (noise, speech, clicks).
MIN_KEY_CONFIDENCE = 0.1
#: Shortest signal for which a tempo is estimated, seconds.
MIN_TEMPO_DURATION_S = 4.0
#: Shortest signal for which a key is estimated, seconds.
MIN_KEY_DURATION_S = 1.0
#: Centre (BPM) and width (octaves, one standard deviation) of the log-normal tempo prior.
TEMPO_PRIOR_BPM = 120.0
TEMPO_PRIOR_OCTAVES = 0.5
#: The comb filter: a beat period scores the mean autocorrelation peak at 1..COMB_BEATS periods.
COMB_BEATS = 4
#: Half-width of the window in which each comb tooth looks for its autocorrelation peak.
COMB_TOLERANCE = 0.02
#: Harmonic-rhythm prior: chords most often change once a 4/4 bar (Goto & Muraoka 1999 find the
#: bar level by the same assumption), so the tempo whose bar lasts as long as the measured chord
#: duration is favoured, with this width in octaves (one standard deviation).
BEATS_PER_CHORD = 4
CHORD_PRIOR_OCTAVES = 0.6
#: The chord-duration measure: chroma smoothed over this long (s), similarity up to this lag (s).
CHORD_SMOOTH_S = 0.4
CHORD_MAX_LAG_S = 8.0
#: The harmony changes only if frames that far apart are at most this similar (cosine of centred
#: chroma); a repeated chord, a drone or a click track stays above it and gives no chord duration.
CHORD_CHANGE_SIMILARITY = 0.5
TEMPO_METHOD = (
    "comb filter (1-4 beats) on the autocorrelation of the spectral-flux onset envelope, "
    "log-normal prior centred on 120 BPM (0.5 octave), and a harmonic-rhythm prior "
    "(a 4-beat bar as long as the measured chord duration, 0.6 octave)"
)
#: Length of the key analysis window, seconds (a power of two of samples nearest to it).
KEY_WINDOW_S = 0.37
#: Weight of the bass (MIDI 28-51, 41-139 Hz) pitch-class share of the tonic in the key score.
BASS_WEIGHT = 0.3
#: Weight of the correlation of the frames' triad histogram with the key's chord profile.
CHORD_WEIGHT = 1.0
#: Pitches (MIDI) of the salience map: bass from the first, treble chroma from TREBLE_MIDI.
LOW_MIDI, TREBLE_MIDI, BASS_TOP_MIDI, HIGH_MIDI = 28, 48, 52, 96
#: Frames whose peak sample is below this (-80 dBFS) add nothing to the key's chroma or chords.
KEY_FRAME_FLOOR = 1e-4
KEY_METHOD = (
    "Krumhansl-Kessler key profiles correlated with the mean of per-frame normalised chroma "
    "(370 ms windows, harmonics summed onto fundamentals from 131 Hz), plus the tonic's share of the bass "
    "and the correlation of the frames' triads with each key's diatonic chords"
)

#: Krumhansl & Kessler (1982) probe-tone profiles, tonic first.
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
#: How often each triad (root in semitones above the tonic, quality) serves a key: the diatonic
#: triads by harmonic function (tonic, dominant, subdominant, then the substitutes); in minor the
#: harmonic-minor dominant (a major triad on the fifth, with the leading tone) and the natural
#: minor's v, VI, III and VII.
MAJOR_CHORDS = ((0, "major", 1.0), (7, "major", 0.8), (5, "major", 0.7), (9, "minor", 0.6),
                (2, "minor", 0.5), (4, "minor", 0.3))  # fmt: skip
MINOR_CHORDS = ((0, "minor", 1.0), (7, "major", 0.8), (5, "minor", 0.7), (8, "major", 0.6),
                (3, "major", 0.5), (10, "major", 0.5), (7, "minor", 0.4))  # fmt: skip
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


def _power(spectrum: npt.NDArray[np.complex64]) -> FloatArray:
    """Power (re² + im²) of complex64 spectra, in float64: squared in float32 it would overflow
    for samples far above full scale (a float WAV may hold 1e30), and a float64 square of a
    float32 is exact."""
    power = spectrum.real.astype(np.float64)
    power *= power
    imaginary = spectrum.imag.astype(np.float64)
    imaginary *= imaginary
    power += imaginary
    return power


@dataclass(frozen=True)
class Estimate:
    """A tempo or key estimate. ``value`` is ``None`` with a ``reason`` when none is given."""

    value: float | str | None
    confidence: float
    method: str
    reason: str | None
    extra: dict[str, object]


#: STFT frames transformed together. Their float32 frames, complex64 spectra and float64 powers
#: (about 0.5 MB each at 48 kHz) stay in the processor's cache from one step to the next; a whole
#: 2 MB block's worth (256 frames, 4-8 MB an array) went through memory at every step and took
#: about twice as long.
STFT_CHUNK_FRAMES = 32
#: Key STFT frames transformed together (their windowed frames take 0.5 MB at 48 kHz).
KEY_CHUNK_FRAMES = 8


class SpectralAccumulator:
    """Streams the mono mix through one STFT and accumulates every spectral feature.

    ``expected_frames`` (from the header) places STFT frames into spectrogram columns; a stream
    that turns out longer is folded into the last column.

    Both STFTs (the main one and the key's longer one) read one buffer of the mono mix, which
    keeps the samples from the earlier of their next frames on.
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
        self._magnitude_sum = np.zeros(bins)
        self.frames = 0
        self._columns = max(1, min(SPECTROGRAM_COLUMNS, expected_frames // self.hop))
        self._expected_frames = max(1, expected_frames)
        # Every frame's power is added to one column, so the column sums also give the average spectrum.
        self._column_power = np.zeros((self._columns, bins))
        self._column_count = np.zeros(self._columns)
        # Onset bands: 48 log bands, as FFT bin index ranges for reduceat.
        edges = np.unique(np.clip(np.round(log_band_edges(sample_rate_hz, 48) / self.bin_hz), 1, bins - 1))
        self._onset_starts = edges.astype(np.int64)
        self._previous_log_bands: FloatArray | None = None
        self._onset: list[FloatArray] = []
        # The mono mix from stream index self._mono_start on; frames start at self._next_frame (main
        # STFT) and self._key_next (key STFT), both >= self._mono_start.
        self._mono = np.zeros(0, dtype=np.float32)
        self._mono_start = 0
        self._next_frame = 0
        self._key_next = 0
        # Scratch arrays of one chunk, reused: (frames, n_fft) float32 and (frames, bins) float64.
        self._windowed = np.empty((STFT_CHUNK_FRAMES, self.n_fft), dtype=np.float32)
        self._scratch = np.empty((STFT_CHUNK_FRAMES, bins))
        # The key's long window: frequency resolution for low notes (2.7-2.9 Hz bins).
        self.key_n_fft = int(2 ** round(math.log2(sample_rate_hz * KEY_WINDOW_S)))
        self._key_window = np.hanning(self.key_n_fft + 1)[:-1].astype(np.float32)
        self._key_windowed = np.empty((KEY_CHUNK_FRAMES, self.key_n_fft), dtype=np.float32)
        self._key_evidence = KeyEvidence()
        self._key_frames = 0

    @property
    def frame_rate_hz(self) -> float:
        """STFT frames per second (the onset envelope's rate)."""
        return self.sample_rate_hz / self.hop

    def feed(self, block: npt.NDArray[np.float32]) -> None:
        """Add a block of shape ``(frames, channels)``."""
        frames, channels = block.shape
        if frames == 0:
            return
        keep_from = min(self._next_frame, self._key_next) - self._mono_start
        kept = self._mono.size - keep_from
        mono = np.empty(kept + frames, dtype=np.float32)
        mono[:kept] = self._mono[keep_from:]
        mix = mono[kept:]
        if channels == 1:
            mix[:] = block[:, 0]
        else:
            # Channel by channel, in order: faster than block.mean(axis=1), and the same sums.
            np.add(block[:, 0], block[:, 1], out=mix)
            for channel in range(2, channels):
                mix += block[:, channel]
            mix *= np.float32(1.0 / channels)
        self._mono, self._mono_start = mono, self._mono_start + keep_from
        self._feed_key()
        offset = self._next_frame - self._mono_start
        count = (self._mono.size - offset - self.n_fft) // self.hop + 1
        if count <= 0:
            return
        frames_view = np.lib.stride_tricks.sliding_window_view(self._mono[offset:], self.n_fft)[:: self.hop]
        for first in range(0, count, STFT_CHUNK_FRAMES):
            chunk = frames_view[first : min(count, first + STFT_CHUNK_FRAMES)]
            windowed = np.multiply(chunk, self._window, out=self._windowed[: chunk.shape[0]])
            self._accumulate(_power(scipy.fft.rfft(windowed, axis=1)),
                             first_sample=self._next_frame + first * self.hop)
        self._next_frame += count * self.hop

    def _feed_key(self) -> None:
        hop = self.key_n_fft // 2
        offset = self._key_next - self._mono_start
        count = (self._mono.size - offset - self.key_n_fft) // hop + 1
        if count <= 0:
            return
        samples = self._mono[offset : offset + (count + 1) * hop]
        # A frame is two half-window segments: its peak is the larger of theirs.
        segment_peak = np.abs(samples).reshape(count + 1, hop).max(axis=1)
        audible = np.flatnonzero(np.maximum(segment_peak[:-1], segment_peak[1:]) >= KEY_FRAME_FLOOR)
        if audible.size:
            frames_view = np.lib.stride_tricks.sliding_window_view(samples, self.key_n_fft)[::hop]
            magnitude = np.empty((audible.size, self.key_n_fft // 2 + 1), dtype=np.float32)
            for first in range(0, audible.size, KEY_CHUNK_FRAMES):
                rows = audible[first : first + KEY_CHUNK_FRAMES]
                # Consecutive rows (the usual case) are read in place, not gathered into a copy.
                chunk = (frames_view[rows[0] : rows[-1] + 1] if rows[-1] - rows[0] == rows.size - 1
                         else frames_view[rows])
                windowed = np.multiply(chunk, self._key_window, out=self._key_windowed[: rows.size])
                np.abs(scipy.fft.rfft(windowed, axis=1), out=magnitude[first : first + rows.size])
            self._key_evidence.add(magnitude, self.sample_rate_hz / self.key_n_fft)
        self._key_frames += count
        self._key_next += count * hop

    def _accumulate(self, power: FloatArray, first_sample: int) -> None:
        count = power.shape[0]
        self._magnitude_sum += np.sqrt(power, out=self._scratch[:count]).sum(axis=0)
        centres = first_sample + np.arange(count) * self.hop + self.n_fft // 2
        columns = np.minimum(centres * self._columns // self._expected_frames, self._columns - 1)
        starts = np.concatenate(([0], np.flatnonzero(columns[1:] != columns[:-1]) + 1))
        # A few frames a column: summing each run of rows beats np.add.reduceat along axis 0 five-fold.
        for run_start, run_stop in zip(starts.tolist(), [*starts[1:].tolist(), count], strict=True):
            self._column_power[columns[run_start]] += power[run_start:run_stop].sum(axis=0)
            self._column_count[columns[run_start]] += run_stop - run_start
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
        rest = self._mono[self._next_frame - self._mono_start :]
        if rest.size and (self.frames == 0 or rest.size > self.n_fft - self.hop):
            # Centred in the window: the Hann taper would hide a very short file at its edge.
            padded = np.zeros(self.n_fft, dtype=np.float32)
            offset = (self.n_fft - rest.size) // 2
            padded[offset : offset + rest.size] = rest
            self._accumulate(_power(scipy.fft.rfft(padded * self._window)[None, :]), first_sample=self._next_frame)
        key_rest = self._mono[self._key_next - self._mono_start :]
        if self._key_frames == 0 and key_rest.size:
            padded = np.zeros(self.key_n_fft, dtype=np.float32)
            offset = (self.key_n_fft - key_rest.size) // 2
            padded[offset : offset + key_rest.size] = key_rest
            if np.abs(padded).max() >= KEY_FRAME_FLOOR:
                magnitude = np.abs(scipy.fft.rfft(padded * self._key_window))[None, :]
                self._key_evidence.add(magnitude, self.sample_rate_hz / self.key_n_fft)
            self._key_frames = 1
        self._mono = np.zeros(0, dtype=np.float32)
        self._mono_start = self._next_frame = self._key_next = 0

    # -- results -----------------------------------------------------------------------------

    def frequencies_hz(self) -> FloatArray:
        """Centre frequency of every FFT bin, Hz, shape ``(n_fft // 2 + 1,)``."""
        return np.arange(self._magnitude_sum.size, dtype=np.float64) * self.bin_hz

    def average_power(self) -> FloatArray:
        """Mean power per FFT bin (full-scale sine = 1.0), shape ``(n_fft // 2 + 1,)``."""
        return np.asarray(self._column_power.sum(axis=0) / max(self.frames, 1), dtype=np.float64)

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
        """Estimate the tempo in BPM from the onset envelope's autocorrelation and the chord duration."""
        chord_s = self._key_evidence.chord_duration_s(self.sample_rate_hz / (self.key_n_fft // 2))
        return estimate_tempo(self.onset_envelope(), self.frame_rate_hz, duration_s, chord_duration_s=chord_s)

    def key(self, duration_s: float) -> Estimate:
        """Estimate the key from the long-term chroma."""
        if duration_s < MIN_KEY_DURATION_S:
            return Estimate(None, 0.0, KEY_METHOD, f"shorter than {MIN_KEY_DURATION_S:g} s", {})
        return key_from_evidence(self._key_evidence)


def _onset_autocorrelation(onset: FloatArray, frame_rate_hz: float) -> FloatArray | None:
    """Unbiased autocorrelation (lag 0 = 1) of the onset envelope minus its 1 s moving average,
    lightly smoothed (3 frames) so that peaks are parabolic; ``None`` when it has no energy."""
    smooth = max(1, round(frame_rate_hz))
    envelope = onset - np.convolve(onset, np.ones(smooth) / smooth, "same")
    envelope = np.convolve(envelope, np.array([0.25, 0.5, 0.25]), "same")
    size = envelope.size
    spectrum = scipy.fft.rfft(envelope, n=2 * size)
    autocorrelation = scipy.fft.irfft(spectrum.real**2 + spectrum.imag**2)[:size]
    if autocorrelation[0] <= 0:
        return None
    # Unbiased normalisation: each lag has size - lag overlapping products.
    return np.asarray(autocorrelation / (size - np.arange(size)) * size / autocorrelation[0], dtype=np.float64)


def _peak_near(autocorrelation: FloatArray, lag: float) -> tuple[float, float]:
    """(value, sub-frame position) of the autocorrelation's largest value within
    :data:`COMB_TOLERANCE` of ``lag``; ``(0, lag)`` beyond its end."""
    low = max(1, math.floor(lag * (1.0 - COMB_TOLERANCE)))
    high = math.ceil(lag * (1.0 + COMB_TOLERANCE))
    if high >= autocorrelation.size - 1:
        return 0.0, lag
    index = low + int(np.argmax(autocorrelation[low : high + 1]))
    left, centre, right = autocorrelation[index - 1], autocorrelation[index], autocorrelation[index + 1]
    denominator = left - 2.0 * centre + right
    shift = float(np.clip(0.5 * (left - right) / denominator, -0.5, 0.5)) if denominator < 0 else 0.0
    return float(centre), index + shift


def _comb(autocorrelation: FloatArray, lags: FloatArray) -> FloatArray:
    """For each beat period in ``lags`` (frames), the mean autocorrelation peak (largest value
    within :data:`COMB_TOLERANCE`) at 1..:data:`COMB_BEATS` periods, over the teeth inside the
    first half of the lags (0 when none is). Vectorised: every window is gathered at once."""
    size = autocorrelation.size
    teeth = lags[:, None] * np.arange(1, COMB_BEATS + 1)[None, :]
    low = np.maximum(1, np.floor(teeth * (1.0 - COMB_TOLERANCE))).astype(np.int64)
    high = np.ceil(teeth * (1.0 + COMB_TOLERANCE)).astype(np.int64)
    # A tooth counts only where at least half the envelope overlaps itself: beyond, the unbiased
    # normalisation divides a few products by a few, and 4 s of noise read "64 BPM, confidence 0.8".
    inside = high <= size // 2
    width = int((high - low).max(initial=0)) + 1
    index = np.minimum(low[..., None] + np.arange(width), high[..., None])
    peaks = autocorrelation[np.minimum(index, size - 1)].max(axis=-1)
    counts = inside.sum(axis=1)
    return np.asarray(np.where(inside, peaks, 0.0).sum(axis=1) / np.maximum(counts, 1), dtype=np.float64)


def estimate_tempo(
    onset: FloatArray, frame_rate_hz: float, duration_s: float, *, chord_duration_s: float | None = None
) -> Estimate:
    """Tempo (BPM) from an onset envelope sampled at ``frame_rate_hz``.

    The envelope's autocorrelation (:func:`_onset_autocorrelation`) is read by a comb filter: each
    tempo from 40 to 240 BPM (400 log-spaced candidates) scores the mean autocorrelation peak at 1,
    2, 3 and 4 beat periods (a beat that its bars confirm; a level that only divides the beat
    scores low at the odd multiples), times a log-normal prior (:data:`TEMPO_PRIOR_BPM`,
    :data:`TEMPO_PRIOR_OCTAVES`) and, given ``chord_duration_s`` (:meth:`KeyEvidence.chord_duration_s`),
    times a log-normal harmonic-rhythm prior centred on the tempo whose :data:`BEATS_PER_CHORD`-beat
    bar lasts that long (:data:`CHORD_PRIOR_OCTAVES`): the comb scores a beat and its half or double
    alike when the onsets are regular at both, and the chords tell them apart (a piece whose chords
    change every 1.6 s is more likely at 150 BPM than at 75).
    The best candidate is refined from the peaks' sub-frame positions.
    The confidence is the comb score (1 for a click track) times one minus half the ratio of the
    strongest rival metrical level's (1/2, 2/3, 3/2 or 2 times the tempo) score with the prior to
    the winner's: an estimate whose half or double is nearly as likely says so. Rivals with at
    least half the comb score are listed in ``extra["alternatives_bpm"]``.
    """
    if duration_s < MIN_TEMPO_DURATION_S:
        return Estimate(None, 0.0, TEMPO_METHOD, f"shorter than {MIN_TEMPO_DURATION_S:g} s", {})
    if onset.size < 8 or float(onset.max(initial=0.0)) < MIN_ONSET_FLUX:
        return Estimate(None, 0.0, TEMPO_METHOD, "no onsets: the signal does not change over time", {})
    autocorrelation = _onset_autocorrelation(onset, frame_rate_hz)
    if autocorrelation is None:
        return Estimate(None, 0.0, TEMPO_METHOD, "no onsets: the signal does not change over time", {})
    if 60.0 * frame_rate_hz / 40.0 >= autocorrelation.size / 2:
        return Estimate(None, 0.0, TEMPO_METHOD, "too short for the slowest tempo considered (40 BPM)", {})

    chord_bpm = 60.0 * BEATS_PER_CHORD / chord_duration_s if chord_duration_s else None

    def prior(bpm: float) -> float:
        tempo_prior = math.exp(-0.5 * (math.log2(bpm / TEMPO_PRIOR_BPM) / TEMPO_PRIOR_OCTAVES) ** 2)
        if chord_bpm is None:
            return tempo_prior
        return tempo_prior * math.exp(-0.5 * (math.log2(bpm / chord_bpm) / CHORD_PRIOR_OCTAVES) ** 2)

    candidates = np.geomspace(40.0, 240.0, 400)
    scores = _comb(autocorrelation, 60.0 * frame_rate_hz / candidates)
    posterior = scores * np.array([prior(float(bpm)) for bpm in candidates])
    best = int(np.argmax(posterior))
    if posterior[best] <= 0.0:
        return Estimate(None, 0.0, TEMPO_METHOD, "no periodic onsets: the signal shows no steady beat", {})
    lag = 60.0 * frame_rate_hz / float(candidates[best])
    positions = [
        _peak_near(autocorrelation, lag * k)[1] / k
        for k in range(1, COMB_BEATS + 1)
        if math.ceil(lag * k * (1.0 + COMB_TOLERANCE)) <= autocorrelation.size // 2
    ]
    tempo_bpm = 60.0 * frame_rate_hz / float(np.mean(positions))
    rivals = []
    for factor in (0.5, 2.0 / 3.0, 1.5, 2.0):
        other = tempo_bpm * factor
        if 40.0 <= other <= 240.0:
            score = float(_comb(autocorrelation, np.array([60.0 * frame_rate_hz / other]))[0])
            rivals.append((score * prior(other), score, other, factor))
    strongest = max((rival[0] for rival in rivals), default=0.0)
    ambiguity = min(1.0, strongest / float(posterior[best]))
    confidence = float(np.clip(scores[best] * (1.0 - 0.5 * ambiguity), 0.0, 1.0))
    if confidence < MIN_TEMPO_CONFIDENCE:
        return Estimate(
            None,
            confidence,
            TEMPO_METHOD,
            f"no steady beat: the onsets are not periodic enough (confidence {confidence:.2f})",
            {},
        )
    alternatives = [
        round(other, 1) for _, score, other, factor in rivals if factor in (0.5, 2.0) and score >= 0.5 * scores[best]
    ]
    extra: dict[str, object] = {"alternatives_bpm": alternatives}
    if chord_duration_s:
        extra["chord_duration_s"] = round(chord_duration_s, 2)
    return Estimate(tempo_bpm, confidence, TEMPO_METHOD, None, extra)


def key_name(tonic: int, mode: str) -> str:
    """Conventional name of a key, e.g. ``key_name(2, "major") == "D major"``."""
    names = MAJOR_NAMES if mode == "major" else MINOR_NAMES
    return f"{names[tonic % 12]} {mode}"


@functools.lru_cache(maxsize=8)
def pitch_salience_matrix(bins: int, bin_hz: float) -> scipy.sparse.csr_matrix:
    """Map from magnitude bins to pitch salience, a sparse matrix of shape
    ``(HIGH_MIDI - LOW_MIDI, bins)`` (pitches x bins: ``matrix @ magnitude.T``).

    Each pitch (MIDI :data:`LOW_MIDI` to :data:`HIGH_MIDI` - 1, A4 = 440 Hz) sums its first six
    harmonics weighted 0.8 ** (h - 1) (harmonic summation, Klapuri 2006), each harmonic a
    triangle one semitone wide in log frequency: a CQT-like log-frequency mapping in which the
    3rd and 5th harmonics of a note count for the note, not for notes of their own.

    Built from the few bins each triangle covers, so its memory does not grow with the FFT size
    times the pitch count (a dense map was 25 MB at 768 kHz).
    """
    rows: list[IntArray] = []
    columns: list[IntArray] = []
    values: list[FloatArray] = []
    for row, midi in enumerate(range(LOW_MIDI, HIGH_MIDI)):
        for harmonic in range(1, 7):
            centre = midi + 12.0 * math.log2(harmonic)
            low_hz, high_hz = (440.0 * 2.0 ** ((centre + edge - 69.0) / 12.0) for edge in (-0.5, 0.5))
            first, last = max(1, math.ceil(low_hz / bin_hz)), min(bins - 1, math.floor(high_hz / bin_hz))
            if first > last:
                continue
            index = np.arange(first, last + 1)
            semitones = 12.0 * np.log2(index * bin_hz / 440.0) + 69.0
            weight = 0.8 ** (harmonic - 1) * np.clip(1.0 - 2.0 * np.abs(semitones - centre), 0.0, None)
            rows.append(np.full(index.size, row))
            columns.append(index)
            values.append(weight)
    if not values:
        return scipy.sparse.csr_matrix((HIGH_MIDI - LOW_MIDI, bins))
    # Duplicate (row, column) pairs (harmonics of one pitch sharing a bin) are summed, as before.
    return scipy.sparse.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
                                   shape=(HIGH_MIDI - LOW_MIDI, bins))


def _fold(salience: FloatArray, first_midi: int) -> FloatArray:
    """Pitch salience (last axis = consecutive MIDI pitches from ``first_midi``) folded into 12 pitch classes."""
    chroma = np.zeros((*salience.shape[:-1], 12))
    for offset in range(salience.shape[-1]):
        chroma[..., (first_midi + offset) % 12] += salience[..., offset]
    return chroma


def _triads() -> FloatArray:
    """Binary templates of the 24 triads, shape ``(24, 12)``: 12 major (root C..B), then 12 minor."""
    templates = np.zeros((24, 12))
    for quality, third in enumerate((4, 3)):
        for root in range(12):
            templates[12 * quality + root, [root, (root + third) % 12, (root + 7) % 12]] = 1.0
    return templates


TRIADS = _triads()


def chord_profile(mode: str) -> FloatArray:
    """Weights of the 24 triads (as :data:`TRIADS`) in the key of C ``mode``."""
    profile = np.zeros(24)
    for root, quality, weight in MAJOR_CHORDS if mode == "major" else MINOR_CHORDS:
        profile[(0 if quality == "major" else 12) + root] = weight
    return profile


def _roll_chords(profile: FloatArray, tonic: int) -> FloatArray:
    return np.concatenate((np.roll(profile[:12], tonic), np.roll(profile[12:], tonic)))


class KeyEvidence:
    """What the key estimate needs from the key STFT's frames, accumulated as they stream:
    the sum of each frame's treble chroma (normalised to its largest pitch class, so loud
    frames do not outweigh quiet ones), the bass energy per pitch class, and how many frames
    sound most like each of the 24 triads."""

    def __init__(self) -> None:
        self.chroma_sum = np.zeros(12)
        self.bass_energy = np.zeros(12)
        self.chord_counts = np.zeros(24)
        self.frames = 0
        self._harmony: list[FloatArray] = []

    def add(self, magnitude: npt.NDArray[np.float32] | FloatArray, bin_hz: float) -> None:
        """Add frames of magnitude spectra, shape ``(frames, bins)`` (float32 or float64) with bins
        spaced ``bin_hz``."""
        # Sparse product (pitches x bins) @ (bins x frames): no BLAS threads, a few ms a minute of audio.
        salience = np.asarray((pitch_salience_matrix(magnitude.shape[1], bin_hz) @ magnitude.T).T, dtype=np.float64)
        treble = _fold(salience[:, TREBLE_MIDI - LOW_MIDI :], TREBLE_MIDI)
        peaks = treble.max(axis=1, keepdims=True)
        sounding = peaks[:, 0] > 0.0
        normalised = treble[sounding] / peaks[sounding]
        self.chroma_sum += normalised.sum(axis=0)
        self.bass_energy += (_fold(salience[:, : BASS_TOP_MIDI - LOW_MIDI], LOW_MIDI) ** 2).sum(axis=0)
        bass = _fold(salience[sounding, : BASS_TOP_MIDI - LOW_MIDI], LOW_MIDI)
        bass_peaks = bass.max(axis=1, keepdims=True)
        self._harmony.append(normalised + np.divide(bass, bass_peaks, out=np.zeros_like(bass), where=bass_peaks > 0))
        unit = normalised / np.linalg.norm(normalised, axis=1, keepdims=True)
        np.add.at(self.chord_counts, np.argmax(unit @ TRIADS.T, axis=1), 1.0)
        self.frames += int(sounding.sum())


    def chord_duration_s(self, frame_rate_hz: float) -> float | None:
        """How long a chord lasts (s), from the sounding frames (``frame_rate_hz`` of them a second).

        Each frame's treble chroma plus its bass chroma (each normalised to its largest pitch
        class) is smoothed over :data:`CHORD_SMOOTH_S`, centred and scaled to unit length; the
        mean cosine similarity of frames ``lag`` apart falls from 1 at lag 0 towards its floor
        as the lag approaches the chord duration (a triangle for chords of equal length, whose
        half-way point is at half the duration). Returns twice the lag (interpolated) at which
        the similarity first reaches half-way between 1 and its minimum over lags up to
        :data:`CHORD_MAX_LAG_S`; ``None`` when there are too few frames or the similarity never
        falls to :data:`CHORD_CHANGE_SIMILARITY` (the harmony does not change).
        """
        if not self._harmony:
            return None
        harmony = np.concatenate(self._harmony)
        smooth = max(1, round(CHORD_SMOOTH_S * frame_rate_hz))
        if harmony.shape[0] < smooth + 8:
            return None
        cumulative = np.cumsum(np.vstack((np.zeros((1, 12)), harmony)), axis=0)
        smoothed = (cumulative[smooth:] - cumulative[:-smooth]) / smooth
        centred = smoothed - smoothed.mean(axis=1, keepdims=True)
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        unit = np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 1e-12)
        count = unit.shape[0]
        lags = np.arange(min(count - 2, round(CHORD_MAX_LAG_S * frame_rate_hz)))
        similarity = np.array([float((unit[lag:] * unit[: count - lag]).sum(axis=1).mean()) for lag in lags])
        if similarity.size < 4 or similarity.min() > CHORD_CHANGE_SIMILARITY:
            return None
        half = 0.5 * (similarity[0] + similarity.min())
        index = int(np.argmax(similarity <= half))
        lag = index - 1 + (similarity[index - 1] - half) / max(similarity[index - 1] - similarity[index], 1e-12)
        return float(2.0 * lag / frame_rate_hz)


#: The 24 keys' rotated Krumhansl-Kessler profiles and chord profiles, shape ``(24, 12)`` and
#: ``(24, 24)``: C major .. B major, then C minor .. B minor.
_KEY_PROFILES = np.array([np.roll(profile, tonic) for profile in (MAJOR_PROFILE, MINOR_PROFILE) for tonic in range(12)])
_KEY_CHORD_PROFILES = np.array([_roll_chords(chord_profile(mode), tonic) for mode in ("major", "minor")
                                for tonic in range(12)])


def _pearson(rows: FloatArray, vector: FloatArray) -> FloatArray:
    """Pearson correlation of each row of ``rows`` (shape ``(n, k)``) with ``vector`` (``(k,)``)."""
    centred_rows = rows - rows.mean(axis=1, keepdims=True)
    centred = vector - vector.mean()
    return np.asarray(centred_rows @ centred / np.sqrt((centred_rows**2).sum(axis=1) * (centred**2).sum()),
                      dtype=np.float64)


def key_from_evidence(evidence: KeyEvidence) -> Estimate:
    """Key from :class:`KeyEvidence` (Krumhansl-Schmuckler key finding with bass and chords).

    Each of the 24 keys scores the Pearson correlation of the mean chroma with its rotated
    Krumhansl-Kessler profile, plus :data:`BASS_WEIGHT` times its tonic's share of the bass
    energy, plus :data:`CHORD_WEIGHT` times the correlation of the frames' triad histogram with
    the key's chord profile (:data:`MAJOR_CHORDS`, :data:`MINOR_CHORDS`): a minor key's dominant
    is a major triad with the leading tone, which tells it from its relative major. The
    confidence is the best key's chroma correlation (0 to 1) times its margin over the runner-up
    (0.3 or more counts fully) times the chroma's relative spread (``(max - min) / max``; 0.5 or
    more counts fully, noise has about 0.1). Below :data:`MIN_KEY_CONFIDENCE` no key is given.
    """
    if evidence.frames == 0 or evidence.chroma_sum.max() <= 0.0:
        return Estimate(None, 0.0, KEY_METHOD, "silent or no pitched content from 131 Hz up", {})
    chroma = evidence.chroma_sum / evidence.frames
    if np.ptp(chroma) <= 1e-9 * chroma.max():
        return Estimate(None, 0.0, KEY_METHOD, "no tonal centre: every pitch class is equally strong", {})
    bass_total = float(evidence.bass_energy.sum())
    bass = evidence.bass_energy / bass_total if bass_total > 0.0 else evidence.bass_energy
    chords = evidence.chord_counts / max(float(evidence.chord_counts.sum()), 1.0)
    use_chords = float(np.ptp(chords)) > 0.0
    # Pearson correlations with the 24 rotated profiles at once (np.corrcoef per key took 5 ms).
    correlations = _pearson(_KEY_PROFILES, chroma)
    if use_chords:
        chord_correlations = _pearson(_KEY_CHORD_PROFILES, chords)
    scores = []
    for index in range(24):
        mode, tonic = ("major", "minor")[index // 12], index % 12
        r = float(correlations[index])
        total = r + BASS_WEIGHT * float(bass[tonic])
        if use_chords:
            total += CHORD_WEIGHT * float(chord_correlations[index])
        scores.append((total, r, tonic, mode))
    scores.sort(key=lambda item: item[0], reverse=True)
    best_total, best_r, tonic, mode = scores[0]
    margin = best_total - scores[1][0]
    spread = float(np.ptp(chroma) / chroma.max())
    confidence = float(np.clip(best_r, 0.0, 1.0) * min(1.0, margin / 0.3) * min(1.0, spread / 0.5))
    if confidence < MIN_KEY_CONFIDENCE:
        return Estimate(
            None,
            confidence,
            KEY_METHOD,
            f"no clear tonal centre (confidence {confidence:.2f}; "
            f"{key_name(tonic, mode)} and {key_name(scores[1][2], scores[1][3])} fit about equally)",
            {},
        )
    extra: dict[str, object] = {
        "tonic_pitch_class": tonic,
        "mode": mode,
        "correlation": round(best_r, 3),
        "runner_up": key_name(scores[1][2], scores[1][3]),
    }
    return Estimate(key_name(tonic, mode), confidence, KEY_METHOD, None, extra)


def estimate_key(magnitude: FloatArray, frequencies_hz: FloatArray) -> Estimate:
    """Key from one magnitude spectrum (bins evenly spaced from 0 Hz), as one frame of :class:`KeyEvidence`."""
    evidence = KeyEvidence()
    if magnitude.any():
        evidence.add(magnitude[None, :], float(frequencies_hz[1] - frequencies_hz[0]))
    return key_from_evidence(evidence)
