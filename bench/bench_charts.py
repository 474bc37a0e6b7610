"""Cost of each chart type of an asset, against one decode + one FFT pass of the same file.

Analyses a few catalogue files (``bench/catalogue.py``) once, then draws each chart type
``--repeat`` times per file in this process (the first drawing, which pays for imports and the
glyph cache, is left out) and prints the median milliseconds per chart type and for all three, with
the ratio to decoding the file and one FFT pass over it (the floor of issue 16), measured in this run.

    PYTHONPATH=plugins python bench/bench_charts.py [--brands 2] [--assets 2] [--seconds 30] [--repeat 5]

Drawing one file again and again flatters the axes svgplot records per process (the same axes
every time); as a cold build draws them, ``--before REV`` draws every file of the catalogue once, in
a fresh process, with REV's plugins and this checkout's alternately (``--repeat`` rounds), and
prints the CPU milliseconds of the first file (fonts, glyphs) and per file after it, and the ratios:

    PYTHONPATH=plugins python bench/bench_charts.py --brands 10 --assets 2 --seconds 5 --before main
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from catalogue import REPO, add_catalogue_options, catalogue_name, extract_plugins, make_catalogue
from sonicguide.core.audio import analyze_file
from sonicguide.core.audio.pipeline import draw_asset_charts

KINDS = {"spectrum": ("spectrum",), "spectrogram": ("spectrogram",), "loudness": ("short_term", "momentary")}


def decode_fft_s(path: Path) -> float:
    started = time.perf_counter()
    samples, _ = sf.read(path, dtype="float32", always_2d=True)
    np.fft.rfft(samples.mean(axis=1))
    return time.perf_counter() - started


def draw_each_once(series_file: str) -> None:
    """In a fresh process: every pickled (series, rate) drawn once, in order; prints JSON CPU seconds."""
    data = pickle.loads(Path(series_file).read_bytes())
    times = []
    for series, rate in data:
        started = time.process_time()
        draw_asset_charts(series, sample_rate_hz=rate)
        times.append(time.process_time() - started)
    print(json.dumps({"first": times[0], "rest": statistics.mean(times[1:])}))


def compare_revisions(files: list[Path], before: str, rounds: int) -> None:
    """Every file drawn once per fresh process, REV's plugins and this checkout's alternately."""
    work = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    series_file = work / "series.pkl"
    reports = [analyze_file(path) for path in files]
    series_file.write_bytes(pickle.dumps([(r["series"], r["format"]["sample_rate_hz"]) for r in reports]))
    plugins = {"before": extract_plugins(before, work / "before"), "this checkout": REPO / "plugins"}
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in plugins}
    for _ in range(rounds):
        for label, path in plugins.items():
            out = subprocess.run([sys.executable, __file__, "--draw-each-once", str(series_file)], check=True,
                                 capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": f"{path}{os.pathsep}{Path(__file__).parent}"})
            runs[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{len(files)} files, each drawn once per process, {rounds} processes per revision (CPU ms per file)")
    for part in ("first", "rest"):
        theirs = statistics.median(run[part] for run in runs["before"])
        ours = statistics.median(run[part] for run in runs["this checkout"])
        print(f"{part:6s} file(s): {before} {1000 * theirs:7.1f} ms, this checkout {1000 * ours:7.1f} ms, "
              f"ratio {ours / theirs:5.2f}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--draw-each-once":
        draw_each_once(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.set_defaults(brands=2, assets=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", metavar="REV", help="compare with REV, every file drawn once per process")
    args = parser.parse_args()
    root = args.out / catalogue_name(args)
    make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
    files = sorted(p for p in (root / "brands").rglob("audio/*") if p.is_file())
    if args.before:
        compare_revisions(files, args.before, args.repeat)
        return
    times: dict[str, list[float]] = {kind: [] for kind in [*KINDS, "all three"]}
    floors: list[float] = []
    for path in files:
        report = analyze_file(path)
        rate = report["format"]["sample_rate_hz"]
        series = report["series"]
        draw_asset_charts(series, sample_rate_hz=rate)  # imports, glyph cache
        for _ in range(args.repeat):
            floors.append(decode_fft_s(path))
            for kind, keys in KINDS.items():
                only = {key: series[key] for key in keys if key in series}
                started = time.perf_counter()
                draw_asset_charts(only, sample_rate_hz=rate)
                times[kind].append(time.perf_counter() - started)
            started = time.perf_counter()
            draw_asset_charts(series, sample_rate_hz=rate)
            times["all three"].append(time.perf_counter() - started)
    floor = statistics.median(floors)
    print(f"{len(files)} files x {args.seconds:g} s, {args.repeat} drawings each (both themes per drawing)")
    print(f"decode + one FFT pass     {1000 * floor:8.1f} ms per file")
    for kind, values in times.items():
        median = statistics.median(values)
        print(f"{kind:24s}  {1000 * median:8.1f} ms   {median / floor:6.2f} x decode+FFT")


if __name__ == "__main__":
    main()
