"""Cold cost of auditions as a ratio to the analysis alone, measured in the same run.

    PYTHONPATH=plugins python bench/bench_auditions.py [--files 6] [--seconds 30]

Makes ``--files`` stereo 48 kHz WAV files (chords with a little noise), then, in this process with
one BLAS thread, times the analysis of each (analysis and charts, as a cold build's worker does)
and the rendering of its auditions through two chains (phone-narrowband and smartphone-speaker),
each into an empty cache. Prints both totals and the ratio.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import soundfile as sf

from sonicguide.core.audio.audition_runner import render_audition
from sonicguide.core.audio.chains import playback_chains
from sonicguide.core.audio.pipeline import analyse_asset

CHAINS = ("phone-narrowband", "smartphone-speaker")


def make_files(folder: Path, count: int, seconds: float) -> list[Path]:
    rng = np.random.default_rng(1)
    rate = 48000
    t = np.arange(int(seconds * rate)) / rate
    paths = []
    for index in range(count):
        chord = sum(np.sin(2 * np.pi * f * t) for f in (110.0 * (index + 1), 275.0, 660.0))
        data = 0.2 * chord[:, None] + 0.02 * rng.standard_normal((t.size, 2))
        path = folder / f"asset-{index}.wav"
        sf.write(path, data / np.max(np.abs(data)) * 0.7, rate, subtype="PCM_24")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    chains = playback_chains()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        paths = make_files(root, args.files, args.seconds)
        # Imports and first-call costs are paid once, before either timing.
        analyse_asset(str(paths[0]), "warmup", str(root / "warm"), None)
        render_audition(str(paths[0]), "warmup", str(root / "warm"), chains[CHAINS[0]].model_dump(mode="json"), None)
        start = time.perf_counter()
        for i, path in enumerate(paths):
            analyse_asset(str(path), f"a{i}", str(root / "analysis"), None)
        analysis_s = time.perf_counter() - start
        start = time.perf_counter()
        for i, path in enumerate(paths):
            for chain in CHAINS:
                render_audition(str(path), f"{chain}{i}", str(root / "auditions"),
                                chains[chain].model_dump(mode="json"), None)
        audition_s = time.perf_counter() - start
    print(f"{args.files} files x {args.seconds:g} s stereo 48 kHz; chains: {', '.join(CHAINS)}")
    print(f"analysis + charts:       {analysis_s:7.2f} s")
    print(f"auditions ({len(CHAINS)} per file): {audition_s:7.2f} s")
    print(f"auditions / analysis:    {audition_s / analysis_s:7.2f}")


if __name__ == "__main__":
    main()
