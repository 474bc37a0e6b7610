"""Benchmark: our loudness + true peak against ffmpeg's ``ebur128=peak=true`` on the same files.

Generates N stereo 48 kHz files of mixed formats (WAV, FLAC, Ogg Vorbis, MP3) into a temporary
folder, then times, in the same run and on the same files:

- ``measure_loudness`` (decode + BS.1770 loudness, LRA, sample and true peak),
- ``analyze_file`` (everything: also spectra, spectrogram, tempo, key, waveform peaks),
- ``ffmpeg -i FILE -filter_complex ebur128=peak=true -f null -`` (one process per file).

Prints per-format times, the ratios (goal: loudness + true peak <= ffmpeg) and the largest
deviations from ffmpeg's integrated loudness, true peak and loudness range.

Usage: ``PYTHONPATH=plugins python bench/bench_loudness.py [--files 20] [--seconds 30]``
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from audio_signals import ffmpeg_ebur128, musical
from sonicguide.core.audio import analyze_file, measure_loudness

FORMATS = [("wav", "PCM_24"), ("flac", "PCM_16"), ("ogg", "VORBIS"), ("mp3", "MPEG_LAYER_III")]


def generate(folder: Path, count: int, seconds: float, rate: int) -> list[Path]:
    paths = []
    for index in range(count):
        ext, subtype = FORMATS[index % len(FORMATS)]
        data = musical(rate, seconds, seed=index, bpm=90 + 5 * index, level=0.3 + 0.7 * (index % 5) / 4)
        path = folder / f"asset{index:02d}.{ext}"
        sf.write(str(path), data, rate, subtype=subtype)
        paths.append(path)
    return paths


def ffmpeg_time(path: Path) -> float:
    """Seconds for ffmpeg's ``ebur128=peak=true`` on ``path`` (the run the tests also parse)."""
    start = time.perf_counter()
    ffmpeg_ebur128(path)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=int, default=48_000)
    args = parser.parse_args()
    if not shutil.which("ffmpeg"):
        print("ffmpeg is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):
        paths = generate(Path(tmp), args.files, args.seconds, args.rate)
        measure_loudness(paths[0])  # warm caches and imports, as a build would be warm
        analyze_file(paths[0])
        ffmpeg_time(paths[0])
        # ffmpeg's process start-up, measured on a 0.5 s file, to show the ratio without it too.
        tiny = Path(tmp) / "tiny.wav"
        sf.write(str(tiny), musical(args.rate, 0.5), args.rate, subtype="PCM_16")
        startup_s = float(np.median([ffmpeg_time(tiny) for _ in range(5)]))
        rows = []
        for path in paths:
            start = time.perf_counter()
            ours = measure_loudness(path)
            ours_s = time.perf_counter() - start
            start = time.perf_counter()
            analyze_file(path)
            full_s = time.perf_counter() - start
            ff_s = ffmpeg_time(path)
            reference = ffmpeg_ebur128(path)
            rows.append((path.suffix[1:], ours_s, full_s, ff_s, ours, reference))

    print(f"{args.files} files x {args.seconds:g} s stereo {args.rate} Hz, one BLAS thread\n")
    print(f"{'format':<7}{'loudness+TP s':>15}{'analyze_file s':>16}{'ffmpeg s':>10}")
    for ext, _ in FORMATS:
        subset = [r for r in rows if r[0] == ext]
        if subset:
            print(
                f"{ext:<7}{np.mean([r[1] for r in subset]):>15.3f}{np.mean([r[2] for r in subset]):>16.3f}"
                f"{np.mean([r[3] for r in subset]):>10.3f}"
            )
    ours_total = sum(r[1] for r in rows)
    full_total = sum(r[2] for r in rows)
    ff_total = sum(r[3] for r in rows)
    print(f"{'total':<7}{ours_total:>15.3f}{full_total:>16.3f}{ff_total:>10.3f}")
    print(f"\nratio loudness+true peak / ffmpeg ebur128: {ours_total / ff_total:.2f}  (goal <= 1)")
    print(f"ratio full analyze_file / ffmpeg ebur128:  {full_total / ff_total:.2f}")
    ff_work = ff_total - startup_s * len(rows)
    print(
        f"ffmpeg start-up ~{startup_s * 1000:.0f} ms a file; without it: loudness+TP / ffmpeg "
        f"{ours_total / ff_work:.2f}, analyze_file / ffmpeg {full_total / ff_work:.2f}"
    )

    def deviation(key: str) -> float:
        return max(abs(r[4][key] - r[5][key]) for r in rows)

    print(
        "max |ours - ffmpeg|: "
        f"I {deviation('integrated_lufs'):.3f} LU (goal 0.1), "
        f"TP {deviation('true_peak_dbtp'):.3f} dB (goal 0.3), "
        f"LRA {deviation('loudness_range_lu'):.3f} LU (goal 0.5); ffmpeg prints one decimal"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
