"""Benchmark: tempo and key estimates against a labelled synthetic set, ours and established ones.

Generates a labelled set in-process (``labelled.estimate_set``: all 24 keys, seven timbres, melody
densities of 1, 2 and 4 notes per beat, 5-60 s, 70-160 BPM, half with drums), writes it as
``.npy`` files to a temporary folder, then runs every estimator in a fresh process of its own so
that its import and first-call costs (librosa's numba compilation) are measured honestly:

- ``ours``: ``sonicguide.core.audio.features`` (the analysis the site shows);
- ``baseline`` (alias ``ours-v2``): ``features.py`` as it was at a git revision (``--baseline-rev``,
  default the last commit of ANALYSIS_VERSION 2), read with ``git show`` into a temporary module;
  with it in the run, every other method's per-file time is also printed as a ratio to it;
- ``librosa``: ``librosa.feature.rhythm.tempo`` for tempo, and the usual recipe for key (no key
  estimator ships with librosa): mean ``chroma_cqt`` correlated with the Krumhansl-Kessler profiles;
- ``essentia``: ``RhythmExtractor2013(method="multifeature")`` and ``KeyExtractor()`` (defaults).

Estimators that do not import are reported as not installed. Prints, per estimator: MIREX key
score (1 exact, 0.5 fifth, 0.3 relative, 0.2 parallel), exact key accuracy, tempo within 4 %,
octave errors (x2, x1/2, x3, x1/3 within 4 %) counted apart, import time, first-file time and the
median per-file time after it. Goals for ours: MIREX >= 0.8, tempo within 4 % on >= 90 %.

Usage: ``PYTHONPATH=plugins python bench/bench_estimates.py [--count 48] [--sr 22050] [--methods ours,librosa]
[--baseline-rev REV]``
(run it with an interpreter where librosa/essentia are installed to compare with them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
MAJOR_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
PITCH_CLASSES = {
    "C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6, "G": 7,
    "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11,
}  # fmt: skip
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


# -- scoring --------------------------------------------------------------------------------


def parse_key(name: str | None) -> tuple[int, str] | None:
    """``"F# minor"`` -> ``(6, "minor")``; ``None`` for no estimate."""
    if not name:
        return None
    tonic, mode = name.split()
    return PITCH_CLASSES[tonic], mode.lower()


def mirex_key_score(truth: tuple[int, str], estimate: tuple[int, str] | None) -> float:
    """MIREX weighted key score: 1 same key, 0.5 a fifth away (same mode), 0.3 relative, 0.2 parallel."""
    if estimate is None:
        return 0.0
    (t, tm), (e, em) = truth, estimate
    if (t, tm) == (e, em):
        return 1.0
    if tm == em and (e - t) % 12 in (5, 7):
        return 0.5
    if tm == "major" and em == "minor" and (e - t) % 12 == 9:
        return 0.3
    if tm == "minor" and em == "major" and (e - t) % 12 == 3:
        return 0.3
    if t == e and tm != em:
        return 0.2
    return 0.0


def tempo_class(truth: float, estimate: float | None) -> str:
    """``"correct"`` within 4 %, ``"octave"`` within 4 % of 2, 1/2, 3 or 1/3 times, else ``"wrong"``."""
    if estimate is None or estimate <= 0:
        return "none"
    if abs(estimate - truth) <= 0.04 * truth:
        return "correct"
    for factor in (2.0, 0.5, 3.0, 1.0 / 3.0):
        if abs(estimate - truth * factor) <= 0.04 * truth * factor:
            return "octave"
    return "wrong"


# -- estimators (each runs in its own process) ------------------------------------------------


#: The last commit whose estimators are those of ANALYSIS_VERSION 2 (the parent of the commit that
#: introduced version 3): the default baseline.
BASELINE_REV = "c0d7005"
FEATURES_PATH = "plugins/sonicguide/core/audio/features.py"
#: Where the worker finds the baseline's source, written there by :func:`write_baseline`.
BASELINE_MODULE = "baseline_features"


def write_baseline(folder: Path, rev: str) -> None:
    """Write ``features.py`` at git revision ``rev`` into ``folder`` as :data:`BASELINE_MODULE`."""
    source = subprocess.run(
        ["git", "-C", str(HERE.parent), "show", f"{rev}:{FEATURES_PATH}"],
        capture_output=True, text=True, check=True,
    ).stdout
    (folder / f"{BASELINE_MODULE}.py").write_text(source)


def _ours() -> Any:
    from sonicguide.core.audio.features import SpectralAccumulator

    def estimate(audio: np.ndarray, sr: int) -> tuple[float | None, str | None]:
        spectral = SpectralAccumulator(sr, audio.size)
        spectral.feed(audio.astype(np.float32)[:, None])
        spectral.finish()
        duration = audio.size / sr
        tempo, key = spectral.tempo(duration), spectral.key(duration)
        return (tempo.value if isinstance(tempo.value, float) else None,
                key.value if isinstance(key.value, str) else None)

    return estimate


def _baseline(folder: Path) -> Any:
    import importlib

    sys.path.insert(0, str(folder))
    SpectralAccumulator = importlib.import_module(BASELINE_MODULE).SpectralAccumulator

    def estimate(audio: np.ndarray, sr: int) -> tuple[float | None, str | None]:
        spectral = SpectralAccumulator(sr, audio.size)
        spectral.feed(audio.astype(np.float32)[:, None])
        spectral.finish()
        duration = audio.size / sr
        tempo, key = spectral.tempo(duration), spectral.key(duration)
        return (tempo.value if isinstance(tempo.value, float) else None,
                key.value if isinstance(key.value, str) else None)

    return estimate


def _librosa() -> Any:
    import librosa

    def estimate(audio: np.ndarray, sr: int) -> tuple[float | None, str | None]:
        y = audio.astype(np.float32)
        bpm = float(np.atleast_1d(librosa.feature.tempo(y=y, sr=sr))[0])
        chroma = librosa.feature.chroma_cqt(y=y, sr=sr).mean(axis=1)
        best = max(
            ((float(np.corrcoef(chroma, np.roll(profile, tonic))[0, 1]), tonic, mode)
             for mode, profile in (("major", KK_MAJOR), ("minor", KK_MINOR)) for tonic in range(12)),
        )
        return bpm, f"{MAJOR_NAMES[best[1]]} {best[2]}"

    return estimate


def _essentia() -> Any:
    import essentia
    import essentia.standard as es

    essentia.log.infoActive = False
    essentia.log.warningActive = False

    def estimate(audio: np.ndarray, sr: int) -> tuple[float | None, str | None]:
        y = audio.astype(np.float32)
        if sr != 44_100:
            y = es.Resample(inputSampleRate=sr, outputSampleRate=44_100)(y)
        bpm = float(es.RhythmExtractor2013(method="multifeature")(y)[0])
        key, scale, _strength = es.KeyExtractor()(y)
        return bpm, f"{key} {scale}"

    return estimate


ESTIMATORS = {"ours": _ours, "librosa": _librosa, "essentia": _essentia}
BASELINE_NAMES = ("baseline", "ours-v2")


def worker(method: str, folder: Path) -> None:
    """Import ``method``, run it on every file of ``folder``; print one JSON line of results."""
    start = time.perf_counter()
    try:
        estimate = _baseline(folder) if method in BASELINE_NAMES else ESTIMATORS[method]()
    except ImportError as exc:
        print(json.dumps({"method": method, "error": f"not installed ({exc})"}))
        return
    import_s = time.perf_counter() - start
    labels = json.loads((folder / "labels.json").read_text())
    results = []
    for item in labels:
        audio = np.load(folder / f"{item['name']}.npy")
        t0 = time.perf_counter()
        bpm, key = estimate(audio, item["sr"])
        results.append({"name": item["name"], "bpm": bpm, "key": key, "seconds": time.perf_counter() - t0})
    print(json.dumps({"method": method, "import_s": import_s, "results": results}))


# -- the run -----------------------------------------------------------------------------------


def generate(folder: Path, count: int, sr: int, first: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    from labelled import estimate_set

    labels = []
    for song in estimate_set(count, sr=sr, first=first):
        np.save(folder / f"{song.name}.npy", song.audio.astype(np.float32))
        labels.append({"name": song.name, "sr": sr, "key": song.key_name, "bpm": song.bpm,
                       "timbre": song.timbre, "drums": song.drums, "seconds": song.audio.size / sr})
    (folder / "labels.json").write_text(json.dumps(labels))
    return labels


def report(method: str, run: dict[str, Any], labels: list[dict[str, Any]], verbose: bool,
           baseline_s: float | None = None) -> float | None:
    """Print one estimator's figures; return its median per-file time (s)."""
    if "error" in run:
        print(f"{method:9s} {run['error']}")
        return None
    truth = {item["name"]: item for item in labels}
    scores, exact, classes = [], 0, {"correct": 0, "octave": 0, "wrong": 0, "none": 0}
    for result in run["results"]:
        item = truth[result["name"]]
        true_key = parse_key(item["key"])
        assert true_key is not None
        score = mirex_key_score(true_key, parse_key(result["key"]))
        scores.append(score)
        exact += score == 1.0
        verdict = tempo_class(item["bpm"], result["bpm"])
        classes[verdict] += 1
        if verbose and (score < 1.0 or verdict != "correct"):
            print(f"    {item['name']:45s} key {result['key']!s:10s} ({score:.1f})  "
                  f"tempo {result['bpm'] or 0:6.1f} ({verdict})")
    n = len(scores)
    times = [r["seconds"] for r in run["results"]]
    per_file = statistics.median(times[1:] or times)
    ratio = f"  ({per_file / baseline_s:.2f}x baseline)" if baseline_s else ""
    print(
        f"{method:9s} MIREX key {np.mean(scores):.3f}  exact key {exact / n:6.1%}  "
        f"tempo within 4 % {classes['correct'] / n:6.1%}  octave errors {classes['octave'] / n:5.1%}  "
        f"other/none {(classes['wrong'] + classes['none']) / n:5.1%}  |  import {run['import_s']:5.2f} s  "
        f"first file {times[0]:6.2f} s  per file (median of the rest) {per_file * 1000:6.0f} ms{ratio}"
    )
    return per_file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=48, help="labelled songs (default 48)")
    parser.add_argument("--sr", type=int, default=22_050)
    parser.add_argument("--first", type=int, default=0, help="first seed: another set to check against over-fitting")
    parser.add_argument("--methods", default="baseline,ours,librosa,essentia")
    parser.add_argument("--baseline-rev", default=BASELINE_REV,
                        help=f"git revision of the baseline features.py (default {BASELINE_REV}: version 2)")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--set", type=Path, metavar="DIR", help="keep the labelled set in DIR and reuse it")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return 0
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent / "plugins"), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as temp:
        folder = args.set or Path(temp)
        start = time.perf_counter()
        if args.set and (args.set / "labels.json").is_file():
            labels = json.loads((args.set / "labels.json").read_text())
        else:
            folder.mkdir(parents=True, exist_ok=True)
            labels = generate(folder, args.count, args.sr, args.first)
        total = sum(item["seconds"] for item in labels)
        print(f"labelled set: {len(labels)} songs, {total:.0f} s of audio at {args.sr} Hz "
              f"(made in {time.perf_counter() - start:.1f} s)")
        methods = args.methods.split(",")
        for name in BASELINE_NAMES:
            if name in methods:  # the baseline first, so the others print their time as a ratio to it
                methods.insert(0, methods.pop(methods.index(name)))
                write_baseline(folder, args.baseline_rev)
                print(f"baseline: {FEATURES_PATH} at {args.baseline_rev}")
        baseline_s = None
        for method in methods:
            output = subprocess.run(
                [sys.executable, __file__, "--worker", method, str(folder)],
                capture_output=True, text=True, env=env, check=False,
            )
            lines = [line for line in output.stdout.splitlines() if line.startswith("{")]
            if not lines:
                print(f"{method:9s} failed: {output.stderr.strip()[-400:]}")
                continue
            per_file = report(method, json.loads(lines[-1]), labels, args.verbose, baseline_s)
            if method in BASELINE_NAMES:
                baseline_s = per_file
    return 0


if __name__ == "__main__":
    sys.exit(main())
