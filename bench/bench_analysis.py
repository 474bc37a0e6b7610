"""Benchmark: one file's analysis (decode through tempo and key) against issue 16's floor.

For each case (container, sample rate, channels, length) it prints the steady-state time per file
of every measurement stage (decode, loudness, true peak, spectra, peaks, tempo and key: what
``report.analyze_file`` does; charts are not included) and their total, the floor measured in the
same run, and the ratio total / floor (goal <= 1.5).

- The floor is issue 16's (``bench_build.floor_decode_fft``): ``sf.read(path, dtype="float32")``
  and ``np.fft.rfft(data, axis=0)``, in a process that does nothing else, as the build's floor is
  measured.
- Steady state: a worker process (one BLAS thread, as the build's workers) analyses each file once
  to warm up, then ``--repeat`` times (a 5 min file once); the median is kept, and the median of ``--rounds`` rounds
  is printed. The worker also times the floor itself after its analyses (``floor*``: the same
  steps in a process whose memory allocator has been through the analysis), printed for context.
- ``--before REV`` also times the code of a git revision (``catalogue.extract_plugins``); every
  round runs the two in alternating order, and the before/after ratio of every figure is printed.

The audio is ``catalogue.synth`` (chords, bass and a pulse), written once into ``--out``.
Wall-clock figures depend on what else the machine runs: the load average is printed with them.

Usage: ``python bench/bench_analysis.py [--before REV] [--rounds 3] [--repeat 3] [--quick]``
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STAGES = ("decode", "loudness", "true peak", "spectra", "peaks", "tempo and key")
#: (name, extension, libsndfile format, subtype, sample rate Hz, channels, seconds).
CASES = (
    ("wav 48k stereo", "wav", "WAV", "PCM_24", 48_000, 2, 30.0),
    ("flac 48k stereo", "flac", "FLAC", "PCM_16", 48_000, 2, 30.0),
    ("ogg 48k stereo", "ogg", "OGG", "VORBIS", 48_000, 2, 30.0),
    ("mp3 48k stereo", "mp3", "MP3", "MPEG_LAYER_III", 48_000, 2, 30.0),
    ("wav 44.1k stereo", "wav", "WAV", "PCM_24", 44_100, 2, 30.0),
    ("wav 96k stereo", "wav", "WAV", "PCM_24", 96_000, 2, 30.0),
    ("wav 96k mono", "wav", "WAV", "PCM_24", 96_000, 1, 30.0),
    ("flac 48k stereo 5 min", "flac", "FLAC", "PCM_16", 48_000, 2, 300.0),
)


def make_files(folder: Path, cases: tuple[tuple[Any, ...], ...]) -> list[Path]:
    """Write (or reuse) one file per case."""
    import numpy as np
    import soundfile as sf

    sys.path.insert(0, str(HERE))
    from catalogue import synth

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, (_, ext, fmt, subtype, rate, channels, seconds) in enumerate(cases):
        path = folder / f"case{number}-{rate}-{channels}ch-{seconds:g}s.{ext}"
        if not path.exists():
            audio = synth(number + 1, seconds=seconds, sr=rate)
            audio = audio[:, :1] if channels == 1 else audio
            sf.write(path, np.ascontiguousarray(audio), rate, format=fmt, subtype=subtype)
        paths.append(path)
    return paths


# -- worker processes ----------------------------------------------------------------------


def _floor_once(path: str) -> tuple[float, float]:
    """(wall, CPU) seconds of decoding ``path`` and one FFT pass over it."""
    import numpy as np
    import soundfile as sf

    started, started_cpu = time.perf_counter(), time.process_time()
    data, _ = sf.read(path, dtype="float32", always_2d=True)
    np.fft.rfft(data, axis=0)
    return time.perf_counter() - started, time.process_time() - started_cpu


def _repeats(path: str, repeat: int) -> int:
    """``repeat`` for a 30 s file, fewer for longer ones (a 5 min file is timed once a round)."""
    import soundfile as sf

    seconds = float(sf.info(path).duration)
    return max(1, min(repeat, round(repeat * 30.0 / max(seconds, 1e-3))))


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def worker_analysis(plugins: str, files: list[str], repeat: int) -> dict[str, Any]:
    """Per file: the median total and per-stage seconds of ``repeat`` analyses after one to warm up."""
    sys.path.insert(0, plugins)
    from sonicguide.core import timing
    from sonicguide.core.audio.report import analyze_file

    results: dict[str, Any] = {}
    for path in files:
        analyze_file(Path(path))
        timing.take()
        runs, stages = [], []
        for _ in range(_repeats(path, repeat)):
            started, started_cpu = time.perf_counter(), time.process_time()
            analyze_file(Path(path))
            runs.append((time.perf_counter() - started, time.process_time() - started_cpu))
            stages.append(timing.take())
        total, total_cpu = _medians(runs)
        floor, floor_cpu = _medians([_floor_once(path) for _ in range(_repeats(path, repeat) + 1)][1:])
        results[path] = {
            "total": total, "total_cpu": total_cpu, "floor_same_process": floor,
            "floor_same_process_cpu": floor_cpu,
            "stages": {name: statistics.median(s.get(name, 0.0) for s in stages) for name in STAGES},
        }
    return results


def worker_floor(files: list[str], repeat: int) -> dict[str, Any]:
    """Per file: the median floor (decode + rfft) of ``repeat`` runs after one to warm up."""
    results = {}
    for path in files:
        floor, floor_cpu = _medians([_floor_once(path) for _ in range(_repeats(path, repeat) + 1)][1:])
        results[path] = {"floor": floor, "floor_cpu": floor_cpu}
    return results


def run_worker(kind: str, files: list[Path], repeat: int, plugins: Path | None = None) -> dict[str, Any]:
    """Run one worker in a fresh process (one BLAS thread, stage timings on) and return its figures."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "SONICGUIDE_TIMINGS": "1"}
    arguments = [sys.executable, __file__, "--worker", kind, "--repeat", str(repeat)]
    if plugins is not None:
        arguments += ["--plugins", str(plugins)]
    output = subprocess.run([*arguments, *map(str, files)], env=env, check=True, capture_output=True,
                            text=True).stdout
    return dict(json.loads(output.splitlines()[-1]))


# -- the report ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="also time this git revision's plugins, interleaved")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="analyses per file and round after a warm-up")
    parser.add_argument("--quick", action="store_true", help="only the four 48 kHz stereo 30 s files")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "analysis")
    parser.add_argument("--worker", choices=("analysis", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--plugins", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "analysis":
        print(json.dumps(worker_analysis(args.plugins, args.files, args.repeat)))
        return
    if args.worker == "floor":
        print(json.dumps(worker_floor(args.files, args.repeat)))
        return

    cases = CASES[:4] if args.quick else CASES
    files = make_files(args.out, cases)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        revisions: dict[str, Path] = {"after": REPO / "plugins"}
        if args.before:
            sys.path.insert(0, str(HERE))
            from catalogue import extract_plugins

            revisions = {"before": extract_plugins(args.before, Path(tmp)), **revisions}
        analysis: dict[str, list[dict[str, Any]]] = {name: [] for name in revisions}
        floors: list[dict[str, Any]] = []
        loads = [os.getloadavg()[0]]
        for round_number in range(args.rounds):
            order = list(revisions) if round_number % 2 == 0 else list(reversed(revisions))
            for name in order:
                analysis[name].append(run_worker("analysis", files, args.repeat, revisions[name]))
                loads.append(os.getloadavg()[0])
            floors.append(run_worker("floor", files, args.repeat))
            loads.append(os.getloadavg()[0])

    print(f"steady-state seconds per file, medians of {args.rounds} rounds x {args.repeat} runs; "
          f"load average (1 min) {min(loads):.2f}-{max(loads):.2f} during the run")
    header = f"{'case':22s} {'rev':6s} " + " ".join(f"{s[:9]:>9s}" for s in STAGES)
    header += f" {'total':>7s} {'floor':>7s} {'ratio':>6s} {'cpu':>7s} {'floor':>7s} {'ratio':>6s} {'ratio*':>6s}"
    print(header)
    for (case, *_), path in zip(cases, files, strict=True):
        key = str(path)
        floor = statistics.median(f[key]["floor"] for f in floors)
        floor_cpu = statistics.median(f[key]["floor_cpu"] for f in floors)
        figures = {}
        for name in revisions:
            stages = [statistics.median(r[key]["stages"][stage] for r in analysis[name]) for stage in STAGES]
            total, cpu, same_cpu = (statistics.median(r[key][field] for r in analysis[name])
                                    for field in ("total", "total_cpu", "floor_same_process_cpu"))
            figures[name] = [*stages, total, cpu]
            print(f"{case:22s} {name:6s} " + " ".join(f"{s:9.3f}" for s in stages)
                  + f" {total:7.3f} {floor:7.3f} {total / floor:6.2f} {cpu:7.3f} {floor_cpu:7.3f}"
                  + f" {cpu / floor_cpu:6.2f} {cpu / same_cpu:6.2f}")
        if "before" in figures:
            ratios = [a / b if b else 0.0 for a, b in zip(figures["after"], figures["before"], strict=True)]
            print(f"{'':22s} {'a/b':6s} " + " ".join(f"{r:9.2f}" for r in ratios[:-2])
                  + f" {ratios[-2]:7.2f} {'':7s} {'':6s} {ratios[-1]:7.2f}")
    print("goal: total / floor <= 1.5. floor: decode + rfft in a fresh process that does nothing else, as "
          "bench_build's; wall-clock seconds, then CPU seconds (less sensitive to a busy machine); ratio*: "
          "CPU against the floor timed in the analysis worker itself after its runs")
    print(f"bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
