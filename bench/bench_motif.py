"""Benchmark: finding a sonic logo's motif (``sonicguide.core.audio.motif``) on a labelled set.

Queries are the three example brands' logos as ``scripts/make_example_audio.py`` renders them
(Calder bells and brass, Kestrel marimba and pluck, Glitchwave supersaw and FM chime). For each
logo the set has, generated in-process with fixed seeds:

- positives: 12 s clips holding the logo's notes once at a known offset, transposed by -3..+3
  semitones, stretched by 0.9-1.1, played on another timbre (sine, saw, square, pluck, FM,
  marimba, bell), under a bed (another piece of music in another key, with or without drums) or
  a voice-like masker, at -6 dB relative to the motif;
- negatives: 12 s clips of unrelated music (with the same kinds of timbres and beds) and of noise;
- arranged positives (the hard case the Glitchwave theme shows): the logo's notes as one voice of an
  arrangement whose other voices play the chord the motif outlines (a 16th-note arpeggio in the
  motif's register, a held pad, a bass on the roots, drums on every other clip), at -3..+3
  semitones and 0.9-1.1, the motif at 0, -6 or -12 dB (RMS over its span) relative to the
  accompaniment;
- arranged negatives: the same kind of accompaniment without the motif, and with another melody
  (chord and scale tones in the motif's register and rhythm) in its place, searched with that logo.

The arranged clips are made here from the logos' note lists only (no example file is read).
Seeds: ``--seed 0`` is the set the search was tuned on; ``--seed 3`` is held out (never tuned on).

A detection within 0.5 s of the true offset is a hit (its offset error is measured); every other
detection is a false alarm. Prints precision, recall, the median offset error and the share of
hits within 50 ms, per threshold (goal: precision >= 0.95 and recall >= 0.95, offsets within 50 ms),
and the time per clip.

Usage: ``PYTHONPATH=plugins python bench/bench_motif.py [--per-logo 12]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import scipy.signal

sys.path.insert(0, str(Path(__file__).resolve().parent))
import labelled
from labelled import TIMBRES, mk, render_notes, rms, song, voice_like_noise
from sonicguide.core.audio.motif import THRESHOLD, find_motif, motif_template

SR = 22_050
CLIP_S = 12.0
LOGOS = {
    "calder": (mk.calder_logo, mk.CALDER_LOGO, mk.CALDER_BPM),
    "kestrel": (mk.kestrel_logo, mk.KESTREL_LOGO, mk.KESTREL_BPM),
    "glitchwave": (mk.glitch_logo, mk.GLITCH_LOGO, mk.GLITCH_BPM),
}


def _bed(index: int, rng: np.random.Generator) -> np.ndarray:
    """Background of ``CLIP_S`` seconds: another piece of music, or a voice-like masker."""
    if index % 3 == 2:
        return voice_like_noise(CLIP_S, SR, rng)
    timbres = list(TIMBRES)
    return song(tonic=int(rng.integers(0, 12)), mode=("major", "minor")[index % 2], bpm=float(rng.integers(80, 140)),
                seconds=CLIP_S, timbre=timbres[int(rng.integers(0, len(timbres)))], density=1,
                with_drums=index % 2 == 0, seed=500 + index, sr=SR).audio


def positives(name: str, count: int, seed: int = 7000) -> list[tuple[np.ndarray, float, int, float]]:
    """(clip, true offset s, transposition, stretch) for ``count`` variants of logo ``name``."""
    _, notes, bpm = LOGOS[name]
    out = []
    timbres = list(TIMBRES)
    for index in range(count):
        rng = np.random.default_rng(seed + 100 * list(LOGOS).index(name) + index)
        transpose = int(rng.integers(-3, 4))
        stretch = float(rng.uniform(0.9, 1.1))
        motif = render_notes(notes, bpm=bpm, timbre=timbres[index % len(timbres)], sr=SR, rng=rng,
                             transpose=transpose, stretch=stretch)
        offset = float(rng.uniform(1.0, CLIP_S - motif.size / SR - 0.5))
        bed = _bed(index, rng)
        bed *= rms(motif) * 10 ** (-6 / 20) / max(rms(bed), 1e-12)
        clip = bed.copy()
        labelled.place(clip, motif, offset, SR)
        out.append((clip, offset, transpose, stretch))
    return out


def _triad(root: int, quality: str) -> list[int]:
    return [root, root + (4 if quality == "major" else 3), root + 7]


def arrangement(name: str, index: int, seed: int, *, motif_db: float | None,
                other_melody: bool = False) -> tuple[np.ndarray, float, int, float]:
    """(clip, motif offset s, transposition, stretch): the logo's notes as one voice of an arrangement.

    The chord under the motif is the triad on its first note (major when the motif holds the major
    third above it, else minor), inside a four-bar progression (I-vi-IV-V, or i-VI-III-VII); the
    accompaniment plays it as a 16th-note arpeggio in the motif's octave, a pad an octave below and
    a bass two octaves below. ``motif_db`` is the motif's level relative to the accompaniment over
    the motif's span; ``None`` leaves it out (with ``other_melody``, another melody in the motif's
    rhythm takes its place, chord tones on its beats).
    """
    _, notes, bpm = LOGOS[name]
    rng = np.random.default_rng(seed + 100 * list(LOGOS).index(name) + index)
    timbres = list(TIMBRES)
    transpose = int(rng.integers(-3, 4))
    stretch = float(rng.uniform(0.9, 1.1))
    beat = 60.0 / bpm * stretch
    bar = 4 * beat
    first = notes[0][1] + transpose
    classes = {(pitch + transpose - first) % 12 for _, pitch, _ in notes}
    quality = "major" if classes & {4, 11} else "minor"
    degrees = ((0, "major"), (9, "minor"), (5, "major"), (7, "major")) if quality == "major" else (
        (0, "minor"), (8, "major"), (3, "major"), (10, "major"))
    motif_timbre = timbres[int(rng.integers(0, len(timbres)))]
    arp_timbre, pad_timbre = (timbres[int(rng.integers(0, len(timbres)))] for _ in range(2))
    motif = render_notes(notes, bpm=bpm, timbre=motif_timbre, sr=SR, rng=rng, transpose=transpose, stretch=stretch)
    phase = float(rng.uniform(0.0, bar))
    bar_starts = np.arange(phase - bar, CLIP_S, bar)
    usable = [k for k, at in enumerate(bar_starts) if at >= 0.5 and at + motif.size / SR <= CLIP_S - 0.3]
    entry = usable[int(rng.integers(0, len(usable)))]
    accompaniment = np.zeros(round(CLIP_S * SR))
    for k, at in enumerate(bar_starts):
        step_root, step_quality = degrees[(k - entry) % 4]
        chord = _triad(first + step_root - (12 if step_root > 6 else 0), step_quality)
        for step in range(16):
            pitch = chord[(0, 1, 2, 1)[step % 4]] + (12 if step % 8 == 6 else 0)
            labelled.place(accompaniment, labelled.note(arp_timbre, mk.hz(pitch), beat / 4 * 0.9, SR, rng),
                           at + step * beat / 4, SR, 0.12)
        for pitch in chord:
            labelled.place(accompaniment, labelled.note(pad_timbre, mk.hz(pitch - 12), bar * 0.95, SR, rng), at, SR,
                           0.1)
        for step in range(8):
            labelled.place(accompaniment, labelled.note("bass", mk.hz(chord[0] - 24), beat / 2 * 0.85, SR, rng),
                           at + step * beat / 2, SR, 0.3)
    if index % 2 == 1:
        labelled.drums(accompaniment, SR, 60.0 / beat, rng, gain=float(np.abs(accompaniment).max()))
    offset = float(bar_starts[entry])
    span = slice(round(offset * SR), round(offset * SR) + motif.size)
    clip = accompaniment.copy()
    if motif_db is not None:
        motif *= rms(accompaniment[span]) * 10 ** (motif_db / 20) / max(rms(motif), 1e-12)
        labelled.place(clip, motif, offset, SR)
    elif other_melody:
        chord = _triad(first, quality)
        scale = [first + step for step in ((0, 2, 4, 5, 7, 9, 11) if quality == "major" else (0, 2, 3, 5, 7, 8, 10))]
        shape = np.diff([pitch for _, pitch, _ in notes]) % 12
        line = list(notes)
        while np.array_equal(np.diff([pitch for _, pitch, _ in line]) % 12, shape):  # not the motif again
            line = [(start, int(rng.choice(chord if float(start).is_integer() else scale))
                     + 12 * int(rng.integers(0, 2)), length) for start, _, length in notes]
        melody = render_notes(line, bpm=bpm, timbre=motif_timbre, sr=SR, rng=rng, stretch=stretch)
        melody *= rms(accompaniment[span]) * 10 ** (-6 / 20) / max(rms(melody), 1e-12)
        labelled.place(clip, melody, offset, SR)
    return clip, offset, transpose, stretch


def _pulse(freq_hz: float, duration_s: float, duty: float) -> np.ndarray:
    """A naive pulse wave as 8-bit consoles made it (strong odd harmonics, aliasing and all)."""
    return mk.fade(scipy.signal.square(2 * np.pi * freq_hz * mk.times(duration_s, SR), duty=duty), SR, 0.001, 0.005)


def _triangle(freq_hz: float, duration_s: float) -> np.ndarray:
    return mk.fade(scipy.signal.sawtooth(2 * np.pi * freq_hz * mk.times(duration_s, SR), 0.5), SR)


#: Octave the chiptune plays the motif in, relative to the logo, by clip (pitch class is unchanged).
CHIP_OCTAVES = (0, 12, -12)


def chiptune(name: str, index: int, seed: int, *, with_motif: bool) -> tuple[np.ndarray, float, int, float]:
    """(clip, motif offset s, transposition, stretch): the logo's notes as the lead of a chiptune, the
    case the Glitchwave chiptune variant shows.

    The lead is a naive square wave (odd harmonics at 1/3, 1/5, ...: the fifth and third above every
    note), an octave above or below the logo on every other clip (:data:`CHIP_OCTAVES`), over a 16th-note
    pulse arpeggio of the chord in the lead's register (8 dB under it), a triangle bass jumping an octave
    on every eighth on the chord root (10 dB above the lead, so the lead is never the loudest voice), noise
    drums on every beat, at a tempo 0.9-1.1 times the logo's; then quantised to 7 bits. Without the motif,
    another melody in its rhythm on chord and scale tones takes its place (a hard negative).
    """
    _, notes, bpm = LOGOS[name]
    rng = np.random.default_rng(seed + 100 * list(LOGOS).index(name) + index)
    transpose = int(rng.integers(-3, 4))
    stretch = float(rng.uniform(0.9, 1.1))
    octave = CHIP_OCTAVES[index % len(CHIP_OCTAVES)]
    beat = 60.0 / bpm * stretch
    bar = 4 * beat
    first = notes[0][1] + transpose + octave
    classes = {(pitch - notes[0][1]) % 12 for _, pitch, _ in notes}
    quality = "major" if classes & {4, 11} else "minor"
    degrees = ((0, "major"), (9, "minor"), (5, "major"), (7, "major")) if quality == "major" else (
        (0, "minor"), (8, "major"), (3, "major"), (10, "major"))
    phase = float(rng.uniform(0.0, bar))
    bar_starts = np.arange(phase - bar, CLIP_S, bar)
    length_s = max(start + length for start, _, length in notes) * beat
    usable = [k for k, at in enumerate(bar_starts) if at >= 0.5 and at + length_s <= CLIP_S - 0.3]
    entry = usable[int(rng.integers(0, len(usable)))]
    offset = float(bar_starts[entry])
    clip = np.zeros(round(CLIP_S * SR))
    lead = 10 ** (-19 / 20)
    for k, at in enumerate(bar_starts):
        step_root, step_quality = degrees[(k - entry) % 4]
        chord = _triad(first + step_root - (12 if step_root > 6 else 0), step_quality)
        for step in range(16):
            labelled.place(clip, _pulse(mk.hz(chord[step % 3]), beat / 4 * 0.8, 0.125), at + step * beat / 4, SR,
                           10 ** (-27 / 20))
        for step in range(8):
            root = chord[0] - 24 + (12 if step % 2 else 0)
            labelled.place(clip, _triangle(mk.hz(root), beat / 2 * 0.9), at + step * beat / 2, SR, 10 ** (-9 / 20))
        for b in range(4):
            low, high, decay = (100, 1200, 0.04) if b % 2 == 0 else (1500, 9000, 0.07)
            labelled.place(clip, mk.noise_hit(SR, rng, low_hz=low, high_hz=high, attack_s=0.001, decay_s=decay),
                           at + b * beat, SR, 10 ** (-12 / 20))
    line = [(start, pitch + transpose + octave, length) for start, pitch, length in notes]
    if not with_motif:
        chord = _triad(first, quality)
        scale = [first + step for step in ((0, 2, 4, 5, 7, 9, 11) if quality == "major" else (0, 2, 3, 5, 7, 8, 10))]
        shape = np.diff([pitch for _, pitch, _ in notes]) % 12
        while np.array_equal(np.diff([pitch for _, pitch, _ in line]) % 12, shape):  # not the motif again
            line = [(start, int(rng.choice(chord if float(start).is_integer() else scale))
                     + 12 * int(rng.integers(0, 2)), length) for start, _, length in notes]
    for start, pitch, length in line:
        labelled.place(clip, _pulse(mk.hz(pitch), length * beat * 0.85, 0.5), offset + start * beat, SR, lead)
    peak = float(np.abs(clip).max())
    clip = np.round(clip / peak * 64) / 64 * peak
    return clip, offset, transpose, stretch


def negatives(count: int, seed: int = 9000) -> list[np.ndarray]:
    out = []
    for index in range(count):
        rng = np.random.default_rng(seed + index)
        if index % 4 == 3:
            out.append(rng.standard_normal(round(CLIP_S * SR)) * 0.1)
        else:
            timbres = list(TIMBRES)
            out.append(song(tonic=int(rng.integers(0, 12)), mode=("major", "minor")[index % 2],
                            bpm=float(rng.integers(70, 150)), seconds=CLIP_S, timbre=timbres[index % len(timbres)],
                            density=(1, 2, 4)[index % 3], with_drums=index % 2 == 1, seed=800 + index, sr=SR).audio)
    return out


#: Categories of the labelled set, in the order printed: positives first.
POSITIVE = ("plain", "arranged 0 dB", "arranged -6 dB", "arranged -12 dB", "chiptune")
NEGATIVE = ("unrelated", "accompaniment only", "other melody", "chiptune other melody")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-logo", type=int, default=12, help="positive clips per logo (default 12)")
    parser.add_argument("--negatives", type=int, default=16, help="negative clips (default 16)")
    parser.add_argument("--arranged", type=int, default=12,
                        help="arranged positives per logo (levels 0, -6, -12 dB in turn) and as many arranged "
                             "negatives (accompaniment only, other melody in turn); default 12")
    parser.add_argument("--chiptune", type=int, default=12,
                        help="chiptune positives per logo and as many chiptune negatives (default 12)")
    parser.add_argument("--seed", type=int, default=0,
                        help="another labelled set: 0 is the tuning set, 3 the held-out one")
    parser.add_argument("--thresholds", default="0.4,0.45,0.5,0.55,0.6,0.65,0.7",
                        help="comma-separated thresholds to report; the search's own is always added")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    templates = {name: motif_template(render(SR).mean(axis=1), SR) for name, (render, _, _) in LOGOS.items()}
    # (category, logo, clip, true offset or None, true stretch or None)
    cases: list[tuple[str, str, np.ndarray, float | None, float | None]] = []
    for name in LOGOS:
        cases += [("plain", name, clip, offset, stretch)
                  for clip, offset, _, stretch in positives(name, args.per_logo, 7000 + 1000 * args.seed)]
        for index in range(args.arranged):
            motif_db = (0.0, -6.0, -12.0)[index % 3]
            clip, offset, _, stretch = arrangement(name, index, 20_000 + 1000 * args.seed, motif_db=motif_db)
            cases.append((POSITIVE[1 + index % 3], name, clip, offset, stretch))
            clip, _, _, _ = arrangement(name, index, 40_000 + 1000 * args.seed, motif_db=None,
                                        other_melody=index % 2 == 1)
            cases.append((NEGATIVE[1 + index % 2], name, clip, None, None))
        for index in range(args.chiptune):
            clip, offset, _, stretch = chiptune(name, index, 60_000 + 1000 * args.seed, with_motif=True)
            cases.append(("chiptune", name, clip, offset, stretch))
            clip, _, _, _ = chiptune(name, index, 80_000 + 1000 * args.seed, with_motif=False)
            cases.append(("chiptune other melody", name, clip, None, None))
    noise = negatives(args.negatives, 9000 + 1000 * args.seed + 500 * (args.seed > 0))
    cases += [("unrelated", name, clip, None, None) for name in LOGOS for clip in noise]
    print(f"labelled set (seed {args.seed}): {len(LOGOS)} logos x ({args.per_logo} plain + {args.arranged} arranged "
          f"positives + {args.arranged} arranged negatives) + {len(noise)} unrelated negatives searched with every "
          f"logo; {CLIP_S:g} s clips at {SR} Hz (made in {time.perf_counter() - start:.1f} s)")
    # One search per case at threshold 0: detections keep their similarity.
    detections: list[tuple[str, float | None, list[tuple[float, float]]]] = []
    stretch_errors: list[float] = []  # |found / true - 1| of the best match at the true offset, every positive
    seconds = []
    for category, name, clip, offset, true_stretch in cases:
        t0 = time.perf_counter()
        found = find_motif(templates[name], clip, SR, threshold=0.0).occurrences
        seconds.append(time.perf_counter() - t0)
        detections.append((category, offset, [(o.time_s, o.similarity) for o in found]))
        at_offset = [o for o in found if offset is not None and abs(o.time_s - offset) <= 0.5]
        if at_offset and true_stretch is not None:
            stretch_errors.append(abs(max(at_offset, key=lambda o: o.similarity).stretch / true_stretch - 1.0))
        if args.verbose:
            best = max(found, key=lambda o: o.similarity, default=None)
            near = max((o.similarity for o in found if offset is not None and abs(o.time_s - offset) <= 0.5),
                       default=None)
            print(f"  {category:18s} {name:10s} at {offset if offset is not None else float('nan'):5.2f} s: "
                  f"at the offset {near}, best {best}")
    print(f"search time per {CLIP_S:g} s clip: median {statistics.median(seconds) * 1000:.0f} ms")
    if stretch_errors:
        within2, within4 = (sum(e <= limit for e in stretch_errors) / len(stretch_errors) for limit in (0.02, 0.04))
        print(f"stretch of the match at the true offset ({len(stretch_errors)} positives): median error "
              f"{statistics.median(stretch_errors):.1%}, within 2 % {within2:.1%}, within 4 % {within4:.1%}")
    for threshold in sorted({float(value) for value in args.thresholds.split(",")} | {THRESHOLD}):
        tally = {category: [0, 0, 0, []] for category in POSITIVE + NEGATIVE}  # clips, hits, false alarms, errors
        for category, offset, found in detections:
            kept = [time_s for time_s, similarity in found if similarity >= threshold]
            matched = None
            if offset is not None:
                near = [t for t in kept if abs(t - offset) <= 0.5]
                if near:
                    matched = min(near, key=lambda t: abs(t - offset))
                    tally[category][1] += 1
                    tally[category][3].append(abs(matched - offset))
            tally[category][0] += 1
            tally[category][2] += sum(1 for t in kept if t != matched)
        marker = " (the search's threshold)" if abs(threshold - THRESHOLD) < 1e-9 else ""
        print(f"threshold {threshold:.2f}{marker}")
        for label, chosen in (("all", POSITIVE + NEGATIVE), ("plain set", ("plain", "unrelated")),
                              ("arranged set", POSITIVE[1:4] + NEGATIVE[1:3]),
                              ("chiptune set", ("chiptune", "chiptune other melody"))):
            clips = sum(tally[c][0] for c in chosen if c in POSITIVE)
            hits = sum(tally[c][1] for c in chosen)
            false_alarms = sum(tally[c][2] for c in chosen)
            errors = [e for c in chosen for e in tally[c][3]]
            precision = hits / (hits + false_alarms) if hits + false_alarms else 1.0
            within = sum(e <= 0.05 for e in errors) / len(errors) if errors else 0.0
            median_ms = statistics.median(errors) * 1000 if errors else float("nan")
            print(f"  {label:14s} precision {precision:.3f}  recall {hits / max(clips, 1):.3f}  false alarms "
                  f"{false_alarms:3d}  median offset error {median_ms:5.1f} ms  hits within 50 ms {within:.1%}")
        for category in POSITIVE:
            clips, hits, false_alarms, errors = tally[category]
            within = sum(e <= 0.05 for e in errors) / len(errors) if errors else 0.0
            print(f"    {category:20s} recall {hits / max(clips, 1):.3f} ({hits}/{clips})  hits within 50 ms "
                  f"{within:6.1%}  false alarms {false_alarms}")
        for category in NEGATIVE:
            clips, _, false_alarms, _ = tally[category]
            print(f"    {category:20s} false alarms {false_alarms} in {clips} clips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
