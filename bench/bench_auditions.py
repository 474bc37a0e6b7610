"""Cold cost of auditions as a ratio to the analysis alone, measured in the same run.

    PYTHONPATH=plugins python bench/bench_auditions.py [--files 4] [--seconds 30] [--before c0d7005] [--rounds 3]

Makes ``--files`` stereo 48 kHz WAV files (chords with a little noise), then times, each in a fresh
process with one BLAS thread (imports and first-call costs paid before the clock starts):

- the analysis of every file (analysis and charts, as a cold build's worker does);
- the rendering of their auditions through two chains (phone-narrowband and smartphone-speaker)
  with this checkout's code, one task per file for both chains, as the build's runner does;
- with ``--before REV``, the same auditions with the code of git revision REV (extracted with
  ``git archive`` into a temporary folder), one call per file and chain as that code's runner did.

The three are interleaved ``--rounds`` times and the medians printed with the ratios to the
analysis. The goal is auditions <= 0.5x the analysis for two chains per file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from catalogue import extract_plugins

REPO = Path(__file__).resolve().parent.parent
CHAINS = ("phone-narrowband", "smartphone-speaker")

CHILD = """
import json, os, sys, time
os.environ["OPENBLAS_NUM_THREADS"] = "1"
plugins, what, root, *paths = sys.argv[1:]
sys.path.insert(0, plugins)
from sonicguide.core.audio.chains import playback_chains
from sonicguide.core.audio.pipeline import analyse_asset
from sonicguide.core.audio import audition_runner
chains = playback_chains()
CHAINS = ("phone-narrowband", "smartphone-speaker")
data = [chains[c].model_dump(mode="json") for c in CHAINS]

def run(tag, cache):
    for i, path in enumerate(paths):
        if what == "analysis":
            analyse_asset(path, f"{tag}{i}", cache, None)
        elif what == "after":
            audition_runner.render_auditions(path, [(f"{tag}{c}{i}", d) for c, d in zip(CHAINS, data)], cache, None)
        else:
            for c, d in zip(CHAINS, data):
                audition_runner.render_audition(path, f"{tag}{c}{i}", cache, d, None)

paths_all = paths
paths = paths_all[:1]
run("warm", os.path.join(root, "warm"))
paths = paths_all
start = time.perf_counter()
run("cold", os.path.join(root, "cold"))
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


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



def timed(plugins: Path, what: str, root: Path, paths: list[Path]) -> float:
    folder = tempfile.mkdtemp(dir=root)
    done = subprocess.run([sys.executable, "-c", CHILD, str(plugins), what, folder, *map(str, paths)],
                          check=True, capture_output=True, text=True,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before", metavar="REV", help="also time the auditions of this git revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        paths = make_files(root, args.files, args.seconds)
        versions = [("analysis", REPO / "plugins", "analysis"),
                    ("auditions (this checkout)", REPO / "plugins", "after")]
        if args.before:
            versions.append((f"auditions ({args.before})", extract_plugins(args.before, root / "before"), "before"))
        times: dict[str, list[float]] = {name: [] for name, _plugins, _what in versions}
        for _round in range(args.rounds):
            for name, plugins, what in versions:
                times[name].append(timed(plugins, what, root, paths))
    medians = {name: statistics.median(values) for name, values in times.items()}
    analysis = medians["analysis"]
    print(f"{args.files} files x {args.seconds:g} s stereo 48 kHz; chains: {', '.join(CHAINS)}; "
          f"median of {args.rounds} interleaved round(s)")
    for name, seconds in medians.items():
        print(f"{name:32s} {seconds:7.2f} s   {seconds / analysis:5.2f}x the analysis")


if __name__ == "__main__":
    main()
