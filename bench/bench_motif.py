"""Benchmark: finding a sonic logo's motif (``sonicguide.core.audio.motif``) on a labelled set.

Queries are the three example brands' logos as ``scripts/make_example_audio.py`` renders them
(Calder bells and brass, Kestrel marimba and pluck, Glitchwave supersaw and FM chime). For each
logo the set has, generated in-process with fixed seeds:

- positives: 12 s clips holding the logo's notes once at a known offset, transposed by -3..+3
  semitones, stretched by 0.9-1.1, played on another timbre (sine, saw, square, pluck, FM,
  marimba, bell), under a bed (another piece of music in another key, with or without drums) or
  a voice-like masker, at -6 dB relative to the motif;
- negatives: 12 s clips of unrelated music (with the same kinds of timbres and beds) and of noise.

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-logo", type=int, default=12, help="positive clips per logo (default 12)")
    parser.add_argument("--negatives", type=int, default=16, help="negative clips (default 16)")
    parser.add_argument("--seed", type=int, default=0, help="another labelled set (check against over-fitting)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    templates = {name: motif_template(render(SR).mean(axis=1), SR) for name, (render, _, _) in LOGOS.items()}
    cases = {name: positives(name, args.per_logo, 7000 + 1000 * args.seed) for name in LOGOS}
    noise = negatives(args.negatives, 9000 + 1000 * args.seed + 500 * (args.seed > 0))
    print(f"labelled set: {len(LOGOS)} logos x {args.per_logo} positives + {len(noise)} negatives, "
          f"{CLIP_S:g} s clips at {SR} Hz (made in {time.perf_counter() - start:.1f} s)")
    # One search per (logo, clip) at threshold 0: detections keep their similarity.
    detections: list[tuple[str, float | None, list[tuple[float, float]]]] = []
    seconds = []
    for name, template in templates.items():
        for clip, offset, transpose, stretch in cases[name]:
            t0 = time.perf_counter()
            found = find_motif(template, clip, SR, threshold=0.0).occurrences
            seconds.append(time.perf_counter() - t0)
            detections.append((name, offset, [(o.time_s, o.similarity) for o in found]))
            if args.verbose:
                best = max(found, key=lambda o: o.similarity, default=None)
                print(f"  {name:10s} at {offset:5.2f} s, {transpose:+d} st, x{stretch:.2f}: best {best}")
        for clip in noise:
            t0 = time.perf_counter()
            found = find_motif(template, clip, SR, threshold=0.0).occurrences
            seconds.append(time.perf_counter() - t0)
            detections.append((name, None, [(o.time_s, o.similarity) for o in found]))
    positives_total = sum(1 for _, offset, _ in detections if offset is not None)
    print(f"search time per {CLIP_S:g} s clip: median {statistics.median(seconds) * 1000:.0f} ms")
    for threshold in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        hits, false_alarms, errors = 0, 0, []
        for _, offset, found in detections:
            kept = [time_s for time_s, similarity in found if similarity >= threshold]
            matched = None
            if offset is not None:
                near = [t for t in kept if abs(t - offset) <= 0.5]
                if near:
                    matched = min(near, key=lambda t: abs(t - offset))
                    hits += 1
                    errors.append(abs(matched - offset))
            false_alarms += sum(1 for t in kept if t != matched)
            if offset is not None and matched is None and args.verbose and threshold == THRESHOLD:
                print(f"    missed at {offset:.2f}")
        precision = hits / (hits + false_alarms) if hits + false_alarms else 1.0
        within = sum(e <= 0.05 for e in errors) / len(errors) if errors else 0.0
        median_ms = statistics.median(errors) * 1000 if errors else float("nan")
        print(f"threshold {threshold:.2f}: precision {precision:.3f}  recall {hits / positives_total:.3f}  "
              f"false alarms {false_alarms:3d}  median offset error {median_ms:5.1f} ms  "
              f"hits within 50 ms {within:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
