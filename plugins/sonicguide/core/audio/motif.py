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
Local maxima from :data:`CANDIDATE_FROM`, at least most of a logo length apart, are candidates.
No dynamic time warping: a sonic logo keeps its rhythm, so a few uniform stretches suffice.

Each candidate's start is refined on note onsets (:func:`refine_start`) and then rescored on the
logo's note sequence (:func:`note_similarity`): the pitch class each of the logo's notes brings in,
against the recording's chroma over each note's span with what stays the same across the motif's
notes removed. Where the motif is one voice of an arrangement whose arpeggio, pad and bass play the
same chord (the Glitchwave theme), the whole-window correlation is diluted by the other voices and
by what the logo itself plays besides its notes (a landing chord, a kick, a reverb tail); the note
sequence is not. The note sequence is read from half an octave below the logo's lowest note up
(:func:`register_note_similarity`): a bass under the motif is not one of its notes, even when it jumps
an octave on every eighth as chiptune basses do. The stretch an occurrence reports is the one that puts
the logo's note onsets where their pitch classes rise (:func:`fit_note_onsets`), not the one whose
chroma frames match best, which what rings with the notes (a chime, a landing chord, a reverb) pulls.
An occurrence's similarity weighs both (:func:`combined_similarity`); those at or
above :data:`THRESHOLD` are the occurrences.

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
#: Chroma correlation from which a match is a candidate, rescored on the note sequence.
CANDIDATE_FROM = 0.25
#: The logo's notes for :func:`note_similarity`: onsets at least NOTE_GAP_S apart and at least
#: NOTE_ONSET of the strongest; a note counts for at most NOTE_MAX_S.
NOTE_GAP_S = 0.1
NOTE_ONSET = 0.2
NOTE_MAX_S = 0.5
#: A note's pitch class is read from its first NOTE_ATTACK_S.
NOTE_ATTACK_S = 0.05
#: Logos with fewer notes are matched by the chroma correlation alone.
MIN_NOTES = 3
#: The note match (:func:`register_note_similarity`) reads the recording from this many semitones below
#: the logo's lowest note up, with the logo's register moved by each of these octaves (semitones).
REGISTER_MARGIN = 6
REGISTER_OCTAVES = (0,)
#: Share of the chroma correlation in an occurrence's similarity (the rest: the note sequence).
CHROMA_WEIGHT = 0.3
#: Similarity (:func:`combined_similarity`) from which a match counts as an occurrence: chosen on
#: ``bench/bench_motif.py --seed 0`` (no false alarm there; 0.64 had one, 0.62 four), checked on ``--seed 3``.
THRESHOLD = 0.66
METHOD = (
    "chroma (100 Hz-4 kHz, 2 s moving average and per-frame mean removed) normalised "
    "cross-correlation over 12 transpositions and 17 time stretches (0.88-1.12); each start "
    "refined on note onsets (rising chroma), the stretch on when the logo's notes start; similarity "
    "0.3 x that correlation + 0.7 x the match of the logo's note sequence (one pitch class per note, "
    "what the notes share removed), read from the logo's register up"
)


@dataclass(frozen=True)
class MotifTemplate:
    """A logo's motif, ready to be searched for.

    ``chroma`` has shape ``(frames, 12)``, one row every :data:`HOP_S` seconds, pitch class 0 = C.
    """

    chroma: FloatArray
    duration_s: float
    #: The logo's notes: (first frame, end frame) of each, from its onsets (see :func:`note_spans`).
    notes: tuple[tuple[int, int], ...] = ()
    #: The pitch class (0 = C) each of ``notes`` brings in (see :func:`note_pitch_classes`).
    pitch_classes: tuple[int, ...] = ()
    #: (lowest, highest) MIDI note the notes are played on (see :func:`note_register`).
    register: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class MotifOccurrence:
    """One place where the motif plays.

    ``time_s``: where the motif starts in the recording, seconds. ``similarity``: 0-1, the chroma
    correlation and the note-sequence match weighed together (:func:`combined_similarity`).
    ``transposition_semitones``: -5..+6, how far the occurrence is above
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
    return remove_bed(log_chroma(mono, sample_rate_hz))


def remove_bed(chroma: FloatArray) -> FloatArray:
    """``chroma`` (a :func:`log_chroma`) with each bin's :data:`BED_S` moving average and each frame's
    mean removed."""
    size = max(1, round(BED_S / HOP_S))
    chroma = chroma - scipy.ndimage.uniform_filter1d(chroma, size, axis=0, mode="nearest")
    return np.asarray(chroma - chroma.mean(axis=1, keepdims=True), np.float64)


def log_chroma(mono: npt.NDArray[np.floating], sample_rate_hz: int) -> FloatArray:
    """Log-compressed chroma as it is before anything is removed, shape ``(frames, 12)``, frames as
    :func:`chroma_frames`."""
    return pitch_spectrum(mono, sample_rate_hz).chroma()


@dataclass(frozen=True)
class PitchSpectrum:
    """Magnitude per semitone, linear, divided by the loudest chroma value of the recording.

    ``magnitude`` has shape ``(frames, semitones)``, frames as :func:`chroma_frames`; column ``k`` is
    MIDI note ``lowest_midi + k`` (every STFT bin between :data:`LOW_HZ` and :data:`HIGH_HZ` summed
    onto its nearest semitone).
    """

    magnitude: FloatArray
    lowest_midi: int

    def chroma(self, first_midi: int | None = None, last_midi: int | None = None) -> FloatArray:
        """Log-compressed chroma (``log(1 + COMPRESSION * value)``, shape ``(frames, 12)``) of the
        semitones from ``first_midi`` to ``last_midi`` (inclusive; all by default)."""
        first = 0 if first_midi is None else max(0, first_midi - self.lowest_midi)
        last = self.magnitude.shape[1] if last_midi is None else max(first, last_midi - self.lowest_midi + 1)
        part = self.magnitude[:, first:last]
        classes = (np.arange(first, first + part.shape[1]) + self.lowest_midi) % 12
        fold = np.zeros((part.shape[1], 12))
        fold[np.arange(part.shape[1]), classes] = 1.0
        return np.asarray(np.log1p(COMPRESSION * (part @ fold)), np.float64)


def pitch_spectrum(mono: npt.NDArray[np.floating], sample_rate_hz: int) -> PitchSpectrum:
    """The STFT of ``mono`` (about :data:`WINDOW_S` long, every :data:`HOP_S`) summed onto semitones
    (see :class:`PitchSpectrum`)."""
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
    midi = np.round(12.0 * np.log2(frequencies[inside] / 440.0) + 69.0).astype(np.int64)
    lowest = int(midi.min()) if midi.size else 69
    semitones = int(midi.max()) - lowest + 1 if midi.size else 1
    # fold matrix: bins -> semitones
    fold = np.zeros((inside.size, semitones), np.float32)
    fold[np.arange(inside.size), midi - lowest] = 1.0
    magnitude = np.empty((count, semitones))
    step = 512
    for first in range(0, count, step):
        index = starts[first : first + step, None] + np.arange(n_fft)
        spectrum = np.abs(scipy.fft.rfft(padded[index] * window, axis=1)[:, inside])
        magnitude[first : first + step] = spectrum @ fold
    classes = (np.arange(semitones) + lowest) % 12
    peak = max((float(magnitude[:, classes == c].sum(axis=1).max(initial=0.0)) for c in range(12)), default=0.0)
    if peak <= 0.0:
        return PitchSpectrum(np.zeros((count, semitones)), lowest)
    return PitchSpectrum(magnitude / peak, lowest)


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
    spectrum = pitch_spectrum(signal, sample_rate_hz)
    raw = spectrum.chroma()
    notes = note_spans(raw)
    pitch_classes = note_pitch_classes(raw, notes)
    return MotifTemplate(remove_bed(raw), signal.size / sample_rate_hz, notes, pitch_classes,
                         note_register(spectrum, notes, pitch_classes))


def note_register(spectrum: PitchSpectrum, notes: tuple[tuple[int, int], ...], pitch_classes: tuple[int, ...]
                  ) -> tuple[int, int]:
    """(lowest, highest) MIDI note of ``notes``: each note's octave is that of the lowest semitone of its
    pitch class that rises at least half as much as the one that rises most over its first
    :data:`NOTE_ATTACK_S`; (0, 0) without notes."""
    if not notes:
        return (0, 0)
    level = np.log1p(COMPRESSION * spectrum.magnitude)
    attack = max(1, round(NOTE_ATTACK_S / HOP_S))
    before = max(1, round(0.03 / HOP_S))
    pitches = []
    for (a, b), pitch_class in zip(notes, pitch_classes, strict=True):
        rise = level[a : min(b, a + attack)].max(axis=0) - level[max(0, a - before)]
        columns = np.flatnonzero((np.arange(level.shape[1]) + spectrum.lowest_midi) % 12 == pitch_class)
        if columns.size and rise[columns].max() > 0:
            # the lowest octave that rises nearly as much as the most: the fundamental, not a partial
            pitches.append(int(columns[np.flatnonzero(rise[columns] >= 0.5 * rise[columns].max())[0]])
                           + spectrum.lowest_midi)
    return (min(pitches), max(pitches)) if pitches else (0, 0)


def note_spans(raw: FloatArray) -> tuple[tuple[int, int], ...]:
    """Where the notes of a logo are: (first frame, end frame) from its start (frame 0: the logo is
    trimmed to its first sound) and each onset (a peak of the summed rise of ``raw``, a
    :func:`log_chroma`, at least :data:`NOTE_GAP_S` apart and at least :data:`NOTE_ONSET` of the
    strongest) to the next, each at most :data:`NOTE_MAX_S` long."""
    if raw.shape[0] < 2:
        return ()
    rise = np.maximum(np.diff(raw, axis=0, prepend=raw[:1]), 0.0).sum(axis=1)
    gap = max(1, round(NOTE_GAP_S / HOP_S))
    peak = scipy.ndimage.maximum_filter1d(rise, 2 * gap + 1, mode="constant")
    starts = [0]  # the logo is trimmed to its first sound, whose rise spreads over the first window
    for frame in np.flatnonzero((rise >= peak) & (rise >= NOTE_ONSET * rise.max()) & (rise > 0)):
        if not starts or frame - starts[-1] >= gap:
            starts.append(int(frame))
    longest = round(NOTE_MAX_S / HOP_S)
    ends = [*starts[1:], raw.shape[0]]
    return tuple((start, min(end, start + longest)) for start, end in zip(starts, ends, strict=True))


def note_pitch_classes(raw: FloatArray, notes: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """The pitch class each note brings in: the one that rises most from just before its onset to
    its first :data:`NOTE_ATTACK_S` (what was already sounding, a chord or a ringing note, does not
    rise)."""
    attack = max(1, round(NOTE_ATTACK_S / HOP_S))
    before = max(1, round(0.03 / HOP_S))
    return tuple(int(np.argmax(raw[a : min(b, a + attack)].max(axis=0) - raw[max(0, a - before)]))
                 for a, b in notes)


def note_similarity(template: MotifTemplate, raw: FloatArray, frame: int, shift: int, stretch: float) -> float:
    """How well the logo's note sequence matches ``raw`` (a :func:`log_chroma`) from ``frame``,
    transposed up by ``shift`` semitones and stretched by ``stretch``; NaN when the logo has fewer
    than :data:`MIN_NOTES` notes or the motif would run past the end.

    Each note is its pitch class alone (:func:`note_pitch_classes`), whatever else the logo plays
    with it (a chime, a landing chord, a reverb tail). The recording's mean chroma over each note's
    span is taken with each pitch class's mean over the notes and each note's mean removed, so a
    chord held or arpeggiated under the motif weighs nothing and every note weighs alike however
    long it is; the score is the Pearson correlation of that with the notes' pitch classes, the
    mean of two readings: over each note's whole span and over its first half (where a note that
    other voices echo or hold on is still its own).
    """
    if len(template.notes) < MIN_NOTES or len(template.pitch_classes) != len(template.notes):
        return math.nan
    if frame + round(template.notes[-1][1] * stretch) > raw.shape[0]:
        return math.nan
    logo = np.zeros((len(template.notes), 12))
    logo[np.arange(len(template.notes)), (np.asarray(template.pitch_classes) + shift) % 12] = 1.0
    logo -= logo.mean(axis=0, keepdims=True)
    logo -= logo.mean(axis=1, keepdims=True)
    scores = []
    for part in (1.0, 0.5):
        spans = [(frame + round(a * stretch),
                  frame + max(round((a + part * (b - a)) * stretch), round(a * stretch) + 1))
                 for a, b in template.notes]
        found = np.stack([raw[a:b].mean(axis=0) for a, b in spans])
        found -= found.mean(axis=0, keepdims=True)
        found -= found.mean(axis=1, keepdims=True)
        norm = math.sqrt(float((logo**2).sum()) * float((found**2).sum()))
        scores.append(float((logo * found).sum()) / norm if norm > 0 else 0.0)
    return sum(scores) / len(scores)


def register_note_similarity(template: MotifTemplate, spectrum: PitchSpectrum, frame: int, shift: int,
                             stretch: float) -> float:
    """:func:`note_similarity` read from the logo's register up: on the chroma of ``spectrum``'s
    semitones from :data:`REGISTER_MARGIN` below the logo's lowest note (:attr:`MotifTemplate.register`,
    moved by the transposition ``shift`` and by each of :data:`REGISTER_OCTAVES`), the best of them.

    A bass or a pad below the motif's register is accompaniment: a bass that jumps an octave on every
    eighth puts its root under every other note of a motif in eighths, which the note sequence would
    otherwise read as the motif's. Above the register nothing is cut (the motif's own partials are
    there). Without a register (a logo of too few notes), the whole range.
    """
    if template.register == (0, 0):
        return note_similarity(template, spectrum.chroma(), frame, shift, stretch)
    signed = shift - 12 if shift > 6 else shift
    scores = [note_similarity(template, spectrum.chroma(template.register[0] + signed + octave - REGISTER_MARGIN),
                              frame, shift, stretch) for octave in REGISTER_OCTAVES]
    readable = [score for score in scores if not math.isnan(score)]
    return max(readable) if readable else math.nan


def combined_similarity(correlation: float, notes: float) -> float:
    """An occurrence's similarity: :data:`CHROMA_WEIGHT` of the chroma correlation and the rest of
    the note-sequence match (:func:`note_similarity`); the correlation alone when the logo has too
    few notes to match as a sequence."""
    if math.isnan(notes):
        return correlation
    return CHROMA_WEIGHT * correlation + (1.0 - CHROMA_WEIGHT) * notes


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


def fit_note_onsets(template: MotifTemplate, raw: FloatArray, frame: int, shift: int, stretch: float
                    ) -> tuple[int, float, float]:
    """``(start frame, stretch, fit)`` that put the logo's note onsets where their pitch classes rise
    in ``raw`` (a :func:`log_chroma`), near ``frame`` and ``stretch``.

    Each of the logo's notes (:attr:`MotifTemplate.notes`) is expected at ``start + onset * stretch``
    with its pitch class (raised by ``shift``); the recording's rise there (the largest within one
    frame either side, less the mean rise of all pitch classes, so a drum hit counts for nothing) is
    summed over the notes. Starts within :data:`FINE_REACH_S` of ``frame`` and stretches within
    :data:`FINE_STRETCH_SPAN` of ``stretch`` in steps of :data:`FINE_STRETCH_STEP` are tried. ``fit`` is
    the best sum over the notes' count. The logo's own timbre does not enter: only when its notes
    start.
    """
    # silence before the recording: a logo that opens it rises at frame 0
    rise = np.maximum(np.diff(raw, axis=0, prepend=np.zeros((1, raw.shape[1]))), 0.0)
    rise = rise - rise.mean(axis=1, keepdims=True)
    starts = np.asarray([a for a, _ in template.notes], np.float64)
    classes = (np.asarray(template.pitch_classes, np.int64) + shift) % 12
    reach = round(FINE_REACH_S / HOP_S)
    candidates = np.arange(max(0, frame - reach), frame + reach + 1)
    best = (-math.inf, frame, stretch)
    low = max(min(STRETCHES) - 0.03, stretch - FINE_STRETCH_SPAN)
    high = min(max(STRETCHES) + 0.03, stretch + FINE_STRETCH_SPAN)
    for factor in np.arange(low, high + 1e-9, FINE_STRETCH_STEP):
        at = candidates[:, None] + starts[None, :] * factor  # fractional frames
        inside = (at <= rise.shape[0] - 2).all(axis=1)
        if not inside.any():
            continue
        at = at[inside]
        whole = np.floor(at).astype(np.int64)
        part = at - whole
        scores = ((1.0 - part) * rise[whole, classes[None, :]] + part * rise[whole + 1, classes[None, :]]).mean(axis=1)
        index = int(np.argmax(scores))
        # ties go to the stretch nearest 1 (the logo as it is)
        score = float(scores[index]) - 1e-6 * abs(float(factor) - 1.0)
        if score > best[0]:
            best = (score, int(candidates[inside][index]), float(factor))
    return best[1], round(best[2], 3), best[0]


def find_motif(
    template: MotifTemplate,
    mono: npt.NDArray[np.floating],
    sample_rate_hz: int,
    *,
    threshold: float = THRESHOLD,
) -> MotifSearch:
    """Every occurrence of ``template`` in ``mono`` (samples at ``sample_rate_hz``), in time order."""
    spectrum = pitch_spectrum(mono, sample_rate_hz)
    raw = spectrum.chroma()
    chroma = remove_bed(raw)
    duration_s = np.asarray(mono).size / sample_rate_hz
    similarity, shift, stretch = similarity_curves(template, chroma)
    # Occurrences are at least most of a logo length apart: keep the best within that reach.
    reach = max(1, round(0.8 * template.chroma.shape[0] * min(STRETCHES)))
    local_best = scipy.ndimage.maximum_filter1d(similarity, 2 * reach + 1, mode="constant")
    found = []
    taken = -math.inf
    for frame in np.flatnonzero((similarity >= CANDIDATE_FROM) & (similarity >= local_best)):
        if frame - taken < reach:
            continue
        taken = float(frame)
        semitones = int(shift[frame])
        start, fine_stretch = int(frame), float(stretch[frame])
        start, fine_stretch = refine_start(template, chroma, start, semitones, fine_stretch)
        if len(template.notes) >= MIN_NOTES:
            # the stretch from when the logo's notes start: not pulled by what rings with them
            _, fine_stretch, _ = fit_note_onsets(template, raw, start, semitones, fine_stretch)
        score = combined_similarity(float(similarity[frame]),
                                    register_note_similarity(template, spectrum, start, semitones, fine_stretch))
        if score < threshold:
            continue
        found.append(
            MotifOccurrence(
                time_s=round(float(start) * HOP_S, 3),
                similarity=round(min(max(score, 0.0), 1.0), 3),
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
