"""Cost of each chart type of an asset, against one decode + one FFT pass of the same file.

Analyses a few catalogue files (``bench/catalogue.py``) once, then draws each chart type
``--repeat`` times per file in this process (the first drawing, which pays for imports and the
glyph cache, is left out) and prints the median milliseconds per chart type and for all three, with
the ratio to decoding the file and one FFT pass over it (the floor of issue 16), measured in this run.

    PYTHONPATH=plugins python bench/bench_charts.py [--brands 2] [--assets 2] [--seconds 30] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from catalogue import add_catalogue_options, catalogue_name, make_catalogue
from sonicguide.core.audio import analyze_file
from sonicguide.core.audio.pipeline import draw_asset_charts

KINDS = {"spectrum": ("spectrum",), "spectrogram": ("spectrogram",), "loudness": ("short_term", "momentary")}


def decode_fft_s(path: Path) -> float:
    started = time.perf_counter()
    samples, _ = sf.read(path, dtype="float32", always_2d=True)
    np.fft.rfft(samples.mean(axis=1))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.set_defaults(brands=2, assets=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = args.out / catalogue_name(args)
    make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
    files = sorted(p for p in (root / "brands").rglob("audio/*") if p.is_file())
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
