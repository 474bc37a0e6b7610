"""Find a sonic logo's motif inside another recording.

The logo and the recording are reduced to chroma (pitch-class) frames, 12 values every
:data:`HOP_S` seconds, from an STFT of about 93 ms folded onto pitch classes between 100 Hz and
4 kHz and log-compressed. Each chroma bin then has its moving average over :data:`BED_S` seconds
removed, so that what is held (a pad, a drone, a bed under a voice) weighs little and what moves
(the notes of the motif) weighs most; then each frame's mean over the 12 bins is removed, so that
loudness alone (a drum hit, the rhythm of any melody) does not match: only which pitch classes
rise and fall does.

The logo's chroma frames, stretched in time by each factor of :data:`STRETCHES` (tempo changes
of about ±10 %) and rotated by each of the 12 transpositions, are slid along the recording; at
every frame the normalised cross-correlation (Pearson, over the whole window) scores the match.
Local maxima at or above :data:`THRESHOLD`, at least one logo length apart, are the occurrences.
No dynamic time warping: a sonic logo keeps its rhythm, so a few uniform stretches suffice.

Everything here is deterministic and uses numpy and scipy only. Accuracy is measured by
``bench/bench_motif.py`` on a labelled set (see the README for the figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.fft
import scipy.ndimage

from .decode import iter_blocks, probe
from .limits import AudioLimits

FloatArray = npt.NDArray[np.float64]

#: Time between chroma frames, seconds.
HOP_S = 0.01
#: STFT window, seconds (rounded to a power of two of samples).
WINDOW_S = 0.093
#: Frequency range folded onto pitch classes, Hz.
LOW_HZ = 100.0
HIGH_HZ = 4000.0
#: Length of the moving average removed from each chroma bin, seconds.
BED_S = 2.0
#: Log compression of the chroma: ``log(1 + COMPRESSION * magnitude / loudest)``.
COMPRESSION = 3.0
#: Time-scale factors tried: the motif played this many times as long (0.9 = 10 % faster).
#: Steps of 1.5 % keep the offset error of a stretched motif within about 50 ms.
STRETCHES = tuple(round(0.88 + 0.015 * step, 3) for step in range(17))
#: Refinement of each occurrence's start: stretches within this much of the coarse one, in steps of
#: :data:`FINE_STRETCH_STEP`, and starts within :data:`FINE_REACH_S` of the coarse one.
FINE_STRETCH_SPAN = 0.1
FINE_STRETCH_STEP = 0.005
FINE_REACH_S = 0.08
#: Matches below this similarity keep their coarse start (a search at a low threshold lists many;
#: none of them can count as an occurrence).
REFINE_FROM = 0.4
#: Similarity (normalised cross-correlation) from which a match counts as an occurrence.
THRESHOLD = 0.55
METHOD = (
    "chroma (100 Hz-4 kHz, 2 s moving average and per-frame mean removed) normalised "
    "cross-correlation over 12 transpositions and 17 time stretches (0.88-1.12); each start "
    "refined on note onsets (rising chroma) over finer stretches"
)


@dataclass(frozen=True)
class MotifTemplate:
    """A logo's motif, ready to be searched for.

    ``chroma`` has shape ``(frames, 12)``, one row every :data:`HOP_S` seconds, pitch class 0 = C.
    """

    chroma: FloatArray
    duration_s: float


@dataclass(frozen=True)
class MotifOccurrence:
    """One place where the motif plays.

    ``time_s``: where the motif starts in the recording, seconds. ``similarity``: normalised
    cross-correlation, 0-1. ``transposition_semitones``: -5..+6, how far the occurrence is above
    the logo (pitch class only: an octave is 0). ``stretch``: how many times longer the
    occurrence lasts than the logo (1.1 = 10 % slower).
    """

    time_s: float
    similarity: float
    transposition_semitones: int
    stretch: float


@dataclass(frozen=True)
class MotifSearch:
    """Every occurrence of a motif in one recording, in time order."""

    occurrences: tuple[MotifOccurrence, ...]
    duration_s: float
    threshold: float
    method: str


def chroma_frames(mono: npt.NDArray[np.floating], sample_rate_hz: int) -> FloatArray:
    """Log-compressed chroma, each bin's :data:`BED_S` moving average and each frame's mean
    removed, shape ``(frames, 12)``.

    Frame ``i`` is centred on ``i * HOP_S`` seconds (the signal is zero-padded by half a window).
    """
    n_fft = int(2 ** round(math.log2(sample_rate_hz * WINDOW_S)))
    hop = sample_rate_hz * HOP_S
    signal = np.asarray(mono, dtype=np.float32)
    padded = np.concatenate((np.zeros(n_fft // 2, np.float32), signal, np.zeros(n_fft // 2, np.float32)))
    count = max(1, math.floor(signal.size / hop) + 1)
    starts = np.minimum(np.round(np.arange(count) * hop).astype(np.int64), max(0, padded.size - n_fft))
    if padded.size < n_fft:
        padded = np.concatenate((padded, np.zeros(n_fft - padded.size, np.float32)))
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32)
    frequencies = np.arange(n_fft // 2 + 1) * sample_rate_hz / n_fft
    inside = np.flatnonzero((frequencies >= LOW_HZ) & (frequencies <= min(HIGH_HZ, sample_rate_hz / 2)))
    pitch_class = np.round(12.0 * np.log2(frequencies[inside] / 440.0) + 69.0).astype(np.int64) % 12
    # fold matrix: bins -> pitch classes
    fold = np.zeros((inside.size, 12), np.float32)
    fold[np.arange(inside.size), pitch_class] = 1.0
    chroma = np.empty((count, 12))
    step = 512
    for first in range(0, count, step):
        index = starts[first : first + step, None] + np.arange(n_fft)
        spectrum = np.abs(scipy.fft.rfft(padded[index] * window, axis=1)[:, inside])
        chroma[first : first + step] = spectrum @ fold
    peak = float(chroma.max(initial=0.0))
    if peak <= 0.0:
        return np.zeros((count, 12))
    chroma = np.log1p(COMPRESSION * chroma / peak)
    size = max(1, round(BED_S / HOP_S))
    chroma = chroma - scipy.ndimage.uniform_filter1d(chroma, size, axis=0, mode="nearest")
    return np.asarray(chroma - chroma.mean(axis=1, keepdims=True), np.float64)


def motif_template(mono: npt.NDArray[np.floating], sample_rate_hz: int) -> MotifTemplate:
    """The searchable form of a logo recording (mono samples at ``sample_rate_hz``).

    Leading and trailing silence (below -60 dB of the loudest frame's energy) is trimmed, so an
    occurrence's time is where the logo's first sound starts.
    """
    signal = np.asarray(mono, dtype=np.float64)
    hop = max(1, round(sample_rate_hz * HOP_S))
    energy = np.add.reduceat(signal**2, np.arange(0, signal.size, hop)) if signal.size else np.zeros(1)
    loud = np.flatnonzero(energy > 1e-6 * energy.max()) if energy.max() > 0 else np.zeros(0, np.int64)
    if loud.size:
        signal = signal[loud[0] * hop : (loud[-1] + 1) * hop]
    return MotifTemplate(chroma_frames(signal, sample_rate_hz), signal.size / sample_rate_hz)


def _stretched(chroma: FloatArray, factor: float) -> FloatArray:
    frames = chroma.shape[0]
    length = max(2, round(frames * factor))
    positions = np.linspace(0.0, frames - 1, length)
    return np.stack([np.interp(positions, np.arange(frames), chroma[:, c]) for c in range(12)], axis=1)


def similarity_curves(template: MotifTemplate, chroma: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Best match at every start frame of ``chroma``, over transpositions and stretches.

    Returns ``(similarity, transposition, stretch)``, each of shape ``(frames,)``: the normalised
    cross-correlation of the best (transposition, stretch) starting at that frame (0 where the
    stretched logo would run past the end), the transposition in semitones (0..11) and the stretch
    factor of that best match.
    """
    frames = chroma.shape[0]
    best = np.zeros(frames)
    best_shift = np.zeros(frames)
    best_stretch = np.ones(frames)
    if frames == 0 or template.chroma.shape[0] < 2:
        return best, best_shift, best_stretch
    size = scipy.fft.next_fast_len(frames + max(round(template.chroma.shape[0] * max(STRETCHES)), 2))
    signal_spectrum = scipy.fft.rfft(chroma, n=size, axis=0)  # (bins, 12)
    sums = np.concatenate((np.zeros(1), np.cumsum(chroma.sum(axis=1))))
    squares = np.concatenate((np.zeros(1), np.cumsum((chroma**2).sum(axis=1))))
    for factor in STRETCHES:
        pattern = _stretched(template.chroma, factor)
        length = pattern.shape[0]
        if length > frames:
            continue
        pattern = pattern - pattern.mean()
        norm = float(np.sqrt((pattern**2).sum()))
        if norm <= 0.0:
            continue
        pattern_spectrum = np.conj(scipy.fft.rfft(pattern, n=size, axis=0))
        starts = frames - length + 1
        window_sum = sums[length : length + starts] - sums[:starts]
        window_square = squares[length : length + starts] - squares[:starts]
        spread = np.sqrt(np.maximum(window_square - window_sum**2 / (12 * length), 1e-12))
        for shift in range(12):
            # pattern rotated up by `shift`: its pitch class c lands on c + shift in the signal
            cross = (signal_spectrum * np.roll(pattern_spectrum, shift, axis=1)).sum(axis=1)
            numerator = scipy.fft.irfft(cross, n=size)[:starts]
            score = numerator / (norm * spread)
            better = score > best[:starts]
            best[:starts] = np.where(better, score, best[:starts])
            best_shift[:starts] = np.where(better, shift, best_shift[:starts])
            best_stretch[:starts] = np.where(better, factor, best_stretch[:starts])
    return np.clip(best, 0.0, 1.0), best_shift, best_stretch


def onsets(chroma: FloatArray) -> FloatArray:
    """Where each pitch class rises (half-wave rectified frame-to-frame difference of ``chroma``):
    note onsets, whatever the instrument's decay."""
    return np.maximum(np.diff(chroma, axis=0, prepend=chroma[:1]), 0.0)


def refine_start(template: MotifTemplate, chroma: FloatArray, frame: int, shift: int, stretch: float
                 ) -> tuple[int, float]:
    """A finer ``(start frame, stretch)`` for a match found at ``frame``.

    The coarse search matches whole chroma frames, so an instrument whose notes ring longer or
    shorter than the logo's pulls the best stretch (and with it the start) off by a few per cent;
    the notes' onsets do not depend on the decay. The logo's onsets, rotated by ``shift`` and
    stretched by every factor within :data:`FINE_STRETCH_SPAN` of ``stretch``, are correlated
    with the recording's onsets at every start within :data:`FINE_REACH_S` of ``frame``.
    """
    found = onsets(chroma)
    pattern_onsets = np.roll(onsets(template.chroma), shift, axis=1)
    reach = round(FINE_REACH_S / HOP_S)
    best_score, best_frame, best_stretch = -math.inf, frame, stretch
    low = max(min(STRETCHES) - 0.03, stretch - FINE_STRETCH_SPAN)
    high = min(max(STRETCHES) + 0.03, stretch + FINE_STRETCH_SPAN)
    for factor in np.arange(low, high + 1e-9, FINE_STRETCH_STEP):
        pattern = _stretched(pattern_onsets, float(factor))
        length = pattern.shape[0]
        first, last = max(0, frame - reach), min(frame + reach, found.shape[0] - length)
        if last < first:
            continue
        pattern = pattern - pattern.mean()
        norm = float(np.sqrt((pattern**2).sum()))
        windows = np.lib.stride_tricks.sliding_window_view(found[first : last + length], length, axis=0)
        windows = windows - windows.mean(axis=(1, 2), keepdims=True)  # (starts, 12, length)
        spread = np.sqrt((windows**2).sum(axis=(1, 2)))
        scores = np.einsum("scl,lc->s", windows, pattern) / np.maximum(norm * spread, 1e-12)
        index = int(np.argmax(scores))
        if scores[index] > best_score:
            best_score, best_frame, best_stretch = float(scores[index]), first + index, float(factor)
    return best_frame, round(best_stretch, 3)


def find_motif(
    template: MotifTemplate,
    mono: npt.NDArray[np.floating],
    sample_rate_hz: int,
    *,
    threshold: float = THRESHOLD,
) -> MotifSearch:
    """Every occurrence of ``template`` in ``mono`` (samples at ``sample_rate_hz``), in time order."""
    chroma = chroma_frames(mono, sample_rate_hz)
    duration_s = np.asarray(mono).size / sample_rate_hz
    similarity, shift, stretch = similarity_curves(template, chroma)
    # Occurrences are at least most of a logo length apart: keep the best within that reach.
    reach = max(1, round(0.8 * template.chroma.shape[0] * min(STRETCHES)))
    local_best = scipy.ndimage.maximum_filter1d(similarity, 2 * reach + 1, mode="constant")
    found = []
    taken = -math.inf
    for frame in np.flatnonzero((similarity >= threshold) & (similarity >= local_best)):
        if frame - taken < reach:
            continue
        taken = float(frame)
        semitones = int(shift[frame])
        start, fine_stretch = int(frame), float(stretch[frame])
        if similarity[frame] >= REFINE_FROM:
            start, fine_stretch = refine_start(template, chroma, start, semitones, fine_stretch)
        found.append(
            MotifOccurrence(
                time_s=round(float(start) * HOP_S, 3),
                similarity=round(float(similarity[frame]), 3),
                transposition_semitones=semitones - 12 if semitones > 6 else semitones,
                stretch=fine_stretch,
            )
        )
    return MotifSearch(tuple(found), round(duration_s, 3), threshold, METHOD)


def read_mono(path: Path, *, max_duration_s: float | None = None) -> tuple[FloatArray, int]:
    """Decode ``path`` to a mono mix (mean of the channels) and its sample rate.

    Raises:
        AudioError: as :func:`~sonicguide.core.audio.analyze_file`.
    """
    audio_format = probe(path)
    limits = AudioLimits.from_option(max_duration_s)
    blocks = [block.mean(axis=1) for block in iter_blocks(path, audio_format, limits=limits)]
    mono = np.concatenate(blocks).astype(np.float64) if blocks else np.zeros(0)
    return mono, audio_format.sample_rate_hz


def find_logo_in_file(
    logo: Path | MotifTemplate, path: Path, *, threshold: float = THRESHOLD, max_duration_s: float | None = None
) -> MotifSearch:
    """Occurrences of the logo (a file, or a template made once for many files) in ``path``.

    Raises:
        AudioError: either file cannot be decoded (see :func:`read_mono`).
    """
    if not isinstance(logo, MotifTemplate):
        logo = motif_template(*read_mono(logo, max_duration_s=max_duration_s))
    mono, rate = read_mono(path, max_duration_s=max_duration_s)
    return find_motif(logo, mono, rate, threshold=threshold)
