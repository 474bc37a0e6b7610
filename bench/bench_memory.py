"""Peak memory of analysing one long high-resolution file (issue 16 goal 4: <= 1 GiB).

Writes 192 kHz 24-bit stereo WAV files of each ``--minutes`` (a tone with noise, written in blocks),
then analyses each in a fresh child process as a build's worker does (``analyze_file``, the build's
own measuring pass, then the asset's charts) and prints the child's peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss`` in the child) after the analysis and after the charts,
and the time.
The build's default limits refuse files above 3 h of 48 kHz stereo worth of samples (an hour at
192 kHz stereo is 2.7x that) from the header; here the limits are lifted so the memory of the
streaming decoder and meters is what is measured. A peak that stays flat as the duration grows is
the streaming at work. The 50-brand catalogue's peak is printed by ``bench/bench_incremental.py``.

    PYTHONPATH=plugins python bench/bench_memory.py [--minutes 1 5 60] [--out bench/out]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from catalogue import REPO

RATE = 192_000
CHILD = """
import sys, dataclasses, resource
from pathlib import Path
from sonicguide.core.audio.limits import DEFAULT_LIMITS
from sonicguide.core.audio.pipeline import _init_worker, draw_asset_charts
from sonicguide.core.audio.report import analyze_file
_init_worker()  # one BLAS thread, as in the build's workers
limits = dataclasses.replace(DEFAULT_LIMITS, max_duration_s=None, max_samples=10**12, max_seconds=10**6,
                             max_memory_bytes=2**40)
report = analyze_file(Path(sys.argv[1]), limits=limits)
analysed = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# The rest of a build worker's job on this file: its charts (the series are bounded in size).
draw_asset_charts(report.get("series", {}), sample_rate_hz=report["format"]["sample_rate_hz"])
print(analysed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, report["format"]["duration_s"])
"""


def write_long_file(path: Path, minutes: float) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    block = RATE * 10
    total = int(minutes * 60 * RATE)
    with sf.SoundFile(path, "w", samplerate=RATE, channels=2, subtype="PCM_24", format="WAV") as out:
        written = 0
        while written < total:
            n = min(block, total - written)
            t = (written + np.arange(n)) / RATE
            tone = 0.2 * np.sin(2 * np.pi * 440.0 * t) + 0.02 * rng.standard_normal(n)
            out.write(np.stack([tone, tone], axis=1))
            written += n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.0, 5.0, 60.0])
    parser.add_argument("--out", type=Path, default=REPO / "bench/out")
    args = parser.parse_args()
    print("192 kHz 24-bit stereo WAV | file MiB | analysis + charts s | peak MiB after analysis | "
          "after charts (goal <= 1024)")
    for minutes in args.minutes:
        path = args.out / f"long-{minutes:g}min-192k24.wav"
        write_long_file(path, minutes)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                              env={"PYTHONPATH": str(REPO / "plugins"), "OPENBLAS_NUM_THREADS": "1"}, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"analysis of {path} failed:\n{done.stderr}")
        analysed_kib, charted_kib = (int(value) for value in done.stdout.split()[:2])  # ru_maxrss, KiB on Linux
        print(f"{minutes:8g} min             | {path.stat().st_size / 2**20:8.0f} | {seconds:19.1f} | "
              f"{analysed_kib / 1024:23.0f} | {charted_kib / 1024:12.0f}", flush=True)


if __name__ == "__main__":
    main()
