"""Labelled synthetic music for the estimate and motif benchmarks (deterministic, in memory).

The instruments are those of ``scripts/make_example_audio.py`` (sine partials, detuned saws,
pulse waves, plucked strings, FM electric piano, marimba, bells, noise drums, a formant vowel),
so the benchmarks hear the same kinds of sound as the example brands.

Every function returns mono float64 audio at ``sr`` Hz (full scale = 1.0) and takes a
``numpy.random.Generator`` or a seed, so a run is reproducible.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import make_example_audio as mk

Audio = np.ndarray

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)  # natural minor; the dominant chord raises the 7th
MAJOR_PROGRESSIONS = ((0, 5, 3, 4), (0, 3, 4, 0), (0, 4, 5, 3), (0, 3, 0, 4))  # scale degrees (0 = I)
MINOR_PROGRESSIONS = ((0, 5, 3, 4), (0, 3, 4, 0), (0, 5, 2, 6), (0, 3, 6, 4))


def _sine(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    t = mk.times(duration_s, sr)
    env = mk.adsr(duration_s, sr, attack_s=0.01, decay_s=0.5, sustain=0.6, release_s=0.1)[: len(t)]
    return mk.fade(np.sin(2 * np.pi * freq_hz * t)[: len(env)] * env, sr)


def _saw(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    env = mk.adsr(duration_s, sr, attack_s=0.01, decay_s=0.3, sustain=0.7, release_s=0.08)
    return mk.fade(mk.saw_stack(freq_hz, len(env) / sr, sr, rng, voices=2, cutoff_hz=3000) * env, sr)


def _square(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    return mk.square(freq_hz, duration_s, sr, duty=0.5, decay_s=max(0.15, duration_s))


def _pluck(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    return mk.pluck(freq_hz, max(0.4, duration_s), sr)


def _fm(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    return mk.fm_piano(freq_hz, duration_s, sr)


def _marimba(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    return mk.marimba(freq_hz, max(0.5, duration_s), sr, rng)


def _bell(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    return mk.bell(freq_hz, max(1.0, duration_s * 1.5), sr)


#: Instruments by name: ``(freq_hz, duration_s, sr, rng) -> mono note``.
TIMBRES: dict[str, Callable[[float, float, int, np.random.Generator], Audio]] = {
    "sine": _sine,
    "saw": _saw,
    "square": _square,
    "pluck": _pluck,
    "fm": _fm,
    "marimba": _marimba,
    "bell": _bell,
}
_BASS = {"bass": lambda freq_hz, duration_s, sr, rng: mk.bass(freq_hz, duration_s, sr)}


_NOTES: dict[tuple[str, float, float, int], Audio] = {}


def note(timbre: str, freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    """One note on ``timbre``, memoised by (timbre, pitch, length): synthesis dominates the set's cost."""
    key = (timbre, round(freq_hz, 2), round(duration_s, 3), sr)
    if key not in _NOTES:
        _NOTES[key] = {**TIMBRES, **_BASS}[timbre](freq_hz, duration_s, sr, rng)
    return _NOTES[key]


def place(buffer: Audio, sound: Audio, at_s: float, sr: int, gain: float = 1.0) -> None:
    """Add ``sound`` into ``buffer`` at ``at_s`` seconds (cut at the end of the buffer)."""
    start = round(at_s * sr)
    if start >= buffer.size or start < 0:
        return
    n = min(sound.size, buffer.size - start)
    buffer[start : start + n] += gain * sound[:n]


def drums(buffer: Audio, sr: int, bpm: float, rng: np.random.Generator, *, gain: float = 1.0) -> None:
    """Kick on beats 1 and 3, snare on 2 and 4, closed hats on eighths, over the whole buffer."""
    beat = 60.0 / bpm
    kick = mk.kick(sr, start_hz=120, end_hz=48, decay_s=0.3)
    snares = [mk.snare(sr, rng, decay_s=0.1) for _ in range(3)]
    hats = [mk.noise_hit(sr, rng, low_hz=6000, high_hz=14000, attack_s=0.001, decay_s=0.02) for _ in range(5)]
    for index, at in enumerate(np.arange(0.0, buffer.size / sr, beat)):
        if index % 2 == 0:
            place(buffer, kick, at, sr, 0.6 * gain)
        else:
            place(buffer, snares[index % 3], at, sr, 0.35 * gain)
        for half in (0.0, 0.5):
            place(buffer, hats[(2 * index + round(2 * half)) % 5], at + half * beat, sr, 0.15 * gain)


@dataclass(frozen=True)
class Song:
    """One labelled piece: its audio and the truth it was made from."""

    name: str
    audio: Audio
    sr: int
    tonic: int  # pitch class, C = 0
    mode: str  # "major" or "minor"
    bpm: float
    timbre: str
    drums: bool

    @property
    def key_name(self) -> str:
        names = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
        minor_names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")
        return f"{(names if self.mode == 'major' else minor_names)[self.tonic]} {self.mode}"


def _chord(tonic_midi: int, mode: str, degree: int) -> list[int]:
    scale = MAJOR_SCALE if mode == "major" else MINOR_SCALE
    notes = []
    for step in (0, 2, 4):
        index = degree + step
        notes.append(tonic_midi + scale[index % 7] + 12 * (index // 7))
    if mode == "minor" and degree == 4:  # harmonic-minor dominant: raise the third of V
        notes[1] += 1
    return notes


def song(
    *,
    tonic: int,
    mode: str,
    bpm: float,
    seconds: float,
    timbre: str,
    density: int,
    with_drums: bool,
    seed: int,
    sr: int = 22_050,
) -> Song:
    """A piece in ``tonic``/``mode`` at ``bpm``: a chord on every bar (block or arpeggiated), a bass
    line on the roots, and a melody of ``density`` notes per beat (1, 2 or 4) drawn from the scale
    with chord tones on strong beats; optional drums. Mono, peak 0.5."""
    rng = np.random.default_rng(seed)
    beat = 60.0 / bpm
    bar = 4 * beat
    out = np.zeros(round(seconds * sr))
    tonic_midi = 48 + tonic  # C3..B3
    scale = MAJOR_SCALE if mode == "major" else MINOR_SCALE
    progression = (MAJOR_PROGRESSIONS if mode == "major" else MINOR_PROGRESSIONS)[seed % 4]
    arpeggiate = seed % 3 == 0
    for index, at in enumerate(np.arange(0.0, seconds, bar)):
        degree = progression[index % 4]
        chord = _chord(tonic_midi + 12, mode, degree)
        if arpeggiate:
            for step in range(8):
                place(out, note(timbre, mk.hz(chord[(0, 1, 2, 1)[step % 4]]), beat / 2, sr, rng), at + step * beat / 2,
                      sr, 0.12)
        else:
            for half in (0, 2):
                for pitch in chord:
                    place(out, note(timbre, mk.hz(pitch), 1.9 * beat, sr, rng), at + half * beat, sr, 0.12)
        root = tonic_midi - 12 + scale[degree % 7]
        for b in (0, 2):
            place(out, note("bass", mk.hz(root), 1.8 * beat, sr, rng), at + b * beat, sr, 0.3)
        # melody: chord tones on the beat, scale steps between
        for step in range(4 * density):
            on_beat = step % density == 0
            pitch = int(rng.choice(chord)) + 12 if on_beat else tonic_midi + 24 + scale[int(rng.integers(0, 7))]
            if rng.random() < 0.15 and not on_beat:
                continue
            length = beat / density
            place(out, note(timbre, mk.hz(pitch), 0.9 * length, sr, rng), at + step * length, sr, 0.25)
    if with_drums:
        drums(out, sr, bpm, rng, gain=float(np.abs(out).max()) if out.any() else 1.0)
    out = mk.fade(out, sr, 0.005, 0.05)
    out = 0.5 * out / max(float(np.abs(out).max()), 1e-9)
    key_names = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
    name = f"{key_names[tonic]}-{mode}-{bpm:g}bpm-{timbre}-d{density}-{seconds:g}s{'-drums' if with_drums else ''}"
    return Song(name, out, sr, tonic, mode, bpm, timbre, with_drums)


def estimate_set(count: int = 48, *, sr: int = 22_050, first: int = 0) -> list[Song]:
    """``count`` labelled songs spread over all 24 keys, 7 timbres, densities 1/2/4, 5-60 s,
    tempi 70-160 BPM, half with drums (deterministic; ``first`` picks another set of seeds)."""
    songs = []
    timbres = list(TIMBRES)
    lengths = (5.0, 10.0, 20.0, 30.0, 60.0, 15.0)
    for index in range(first, first + count):
        rng = np.random.default_rng(1000 + index)
        songs.append(
            song(
                tonic=(index * 7) % 12,
                mode="major" if (index // 12) % 2 == 0 else "minor",
                bpm=float(rng.integers(70, 161)),
                seconds=lengths[index % len(lengths)],
                timbre=timbres[index % len(timbres)],
                density=(1, 2, 4)[index % 3],
                with_drums=index % 2 == 1,
                seed=index,
                sr=sr,
            )
        )
    return songs


# -- motifs ---------------------------------------------------------------------------------

Note = tuple[float, int, float]
"""A motif note: (start in beats, MIDI pitch, length in beats)."""


def render_notes(
    notes: Sequence[Note],
    *,
    bpm: float,
    timbre: str,
    sr: int,
    rng: np.random.Generator,
    transpose: int = 0,
    stretch: float = 1.0,
    chord: Sequence[int] | None = None,
) -> Audio:
    """The motif on ``timbre``: ``stretch`` > 1 plays it slower (longer), ``transpose`` in semitones.

    ``chord`` (MIDI) adds a soft chord on the last note, as logos often resolve onto one.
    """
    beat = 60.0 / bpm * stretch
    end = max(start + length for start, _, length in notes) * beat + 1.0
    out = np.zeros(round(end * sr))
    for start, pitch, length in notes:
        place(out, note(timbre, mk.hz(pitch + transpose), length * beat, sr, rng), start * beat, sr, 0.5)
    if chord is not None:
        last = max(start for start, _, _ in notes) * beat
        for pitch in chord:
            place(out, _saw(mk.hz(pitch + transpose), 0.8, sr, rng), last, sr, 0.08)
    return out


def voice_like_noise(seconds: float, sr: int, rng: np.random.Generator) -> Audio:
    """Speech-like masker: a gliding formant vowel in syllable-rate bursts plus breathy noise."""
    out = np.zeros(round(seconds * sr))
    at = 0.0
    vowels = ((730, 90, 1090, 110), (570, 80, 840, 100), (300, 60, 2300, 150), (500, 80, 1500, 120))
    while at < seconds:
        length = float(rng.uniform(0.15, 0.4))
        f1, b1, f2, b2 = vowels[int(rng.integers(0, len(vowels)))]
        f0 = float(rng.uniform(95, 220))
        syllable = mk.formant_vowel(f0, length + 0.2, sr, [(f1, b1), (f2, b2), (2500, 200)], rng)
        place(out, syllable, at, sr, 1.0)
        at += length + float(rng.uniform(0.02, 0.2))
    breath = signal.sosfilt(signal.butter(2, [500, 4000], "band", fs=sr, output="sos"), rng.standard_normal(out.size))
    return out + 0.05 * breath


def rms(x: Audio) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0
