"""Benchmark: what hostile audio files cost ``analyze_file``, against a normal 30 s file.

Writes a set of hostile files (headers that lie about the sample rate or the channel count, an hour
of 192 kHz digital silence in a few MB of FLAC, float samples near 1e30, NaN, sample rates of
1-4 kHz, a ZIP archive named .mp3, a truncated WAV, 64 channels) and a normal 30 s stereo 48 kHz
WAV into a temporary folder. Each file is measured in a fresh process (one BLAS thread, an address
space limit of ``--memory-gib``, a wall-clock limit of ``--timeout`` seconds); the process reports
the time ``analyze_file`` took and how much its peak resident memory grew during the call. Every
figure is also printed as a ratio to the normal file measured in the same run.

``--before REV`` also measures the code of git revision REV (extracted with ``git archive`` into a
temporary folder), so the same run shows before and after.

Usage: ``python bench/bench_hostile_audio.py [--before 59fc5a3] [--timeout 300] [--memory-gib 8]``
"""

from __future__ import annotations

import argparse
import json
import resource
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import soundfile as sf

from catalogue import extract_plugins

REPO = Path(__file__).resolve().parent.parent

#: Run in the child: measure one file, print one JSON line.
CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from threadpoolctl import threadpool_limits
threadpool_limits(1)
from pathlib import Path
from sonicguide.core.audio import analyze_file
from sonicguide.core.errors import AudioError
analyze_file(Path(sys.argv[3]))  # warm up: imports, FFT plans
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    report = analyze_file(Path(sys.argv[2]))
    outcome = "measured"
    try:
        json.dumps(report, allow_nan=False)
    except ValueError:
        outcome = "measured, NOT strict JSON"
except AudioError as error:
    outcome = "refused: " + error.message
except Exception as error:  # the old code crashes on some of these
    outcome = "CRASH: " + type(error).__name__ + ": " + str(error)[:80]
elapsed = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_growth_mib": (after - before) / 1024, "outcome": outcome}))
"""


def _patch_wav(source: Path, target: Path, *, rate: int | None = None, channels: int | None = None) -> Path:
    data = bytearray(source.read_bytes())
    fmt = data.index(b"fmt ")
    if channels is not None:
        struct.pack_into("<H", data, fmt + 10, channels)
    if rate is not None:
        struct.pack_into("<I", data, fmt + 12, rate)
    target.write_bytes(bytes(data))
    return target


def make_files(folder: Path) -> dict[str, Path]:
    """The normal file first, then the hostile ones (name -> path)."""
    rng = np.random.default_rng(1)
    files: dict[str, Path] = {}

    def tone(rate: int, seconds: float, channels: int = 2, level: float = 0.2) -> np.ndarray:
        t = np.arange(int(rate * seconds)) / rate
        mono = level * np.sin(2 * np.pi * min(440.0, rate / 8) * t)
        return np.repeat(mono[:, None], channels, axis=1)

    files["normal 30 s 48 kHz stereo WAV"] = folder / "normal.wav"
    sf.write(folder / "normal.wav", 0.2 * rng.standard_normal((48_000 * 30, 2)), 48_000, subtype="PCM_16")
    sf.write(folder / "tiny.wav", tone(48_000, 0.5), 48_000, subtype="PCM_16")
    files["2 KB WAV claiming 2,147,483,647 Hz"] = _patch_wav(folder / "tiny.wav", folder / "rate.wav",
                                                             rate=2_147_483_647)
    sf.write(folder / "mono.wav", tone(48_000, 1.0, channels=1), 48_000, subtype="PCM_16")
    files["96 KB WAV claiming 1,024 channels"] = _patch_wav(folder / "mono.wav", folder / "ch1024.wav",
                                                            channels=1024)
    files["64-channel WAV, 10 s at 48 kHz"] = folder / "ch64.wav"
    sf.write(folder / "ch64.wav", 0.05 * rng.standard_normal((48_000 * 10, 64)), 48_000, subtype="PCM_16")
    for channels in (2, 1):
        name = f"1 h of 192 kHz silence, FLAC, {'stereo' if channels == 2 else 'mono'}"
        path = folder / f"silence192-{channels}.flac"
        with sf.SoundFile(str(path), "w", 192_000, channels, subtype="PCM_24", format="FLAC") as handle:
            block = np.zeros((192_000 * 60, channels))
            for _ in range(60):
                handle.write(block)
        files[name] = path
    huge = 0.5 * rng.standard_normal((48_000 * 30, 2)).astype(np.float32) * np.float32(1e30)
    files["float WAV, samples near 1e30, 30 s"] = folder / "huge.wav"
    sf.write(folder / "huge.wav", huge, 48_000, subtype="FLOAT")
    nan = tone(48_000, 30.0).astype(np.float32)
    nan[48_000 * 15] = np.nan
    files["float WAV with a NaN at 15 s"] = folder / "nan.wav"
    sf.write(folder / "nan.wav", nan, 48_000, subtype="FLOAT")
    for rate in (1_000, 2_000, 4_000):
        files[f"{rate // 1000} kHz WAV, 30 s"] = folder / f"low{rate}.wav"
        sf.write(folder / f"low{rate}.wav", tone(rate, 30.0, channels=1), rate, subtype="PCM_16")
    files["ZIP archive named .mp3"] = folder / "pack.mp3"
    with zipfile.ZipFile(folder / "pack.mp3", "w") as archive:
        archive.writestr("logo.wav", (folder / "tiny.wav").read_bytes())
    files["WAV truncated to half"] = folder / "cut.wav"
    whole = (folder / "normal.wav").read_bytes()
    (folder / "cut.wav").write_bytes(whole[: len(whole) // 2])
    return files



def measure(plugins: Path, path: Path, warm: Path, *, timeout: float, memory_gib: float) -> dict[str, object]:
    limit = int(memory_gib * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(plugins), str(path), str(warm)],
                              capture_output=True, text=True, timeout=timeout, preexec_fn=cap,
                              env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        return {"seconds": float("inf"), "peak_growth_mib": float("nan"), "outcome": f"TIMED OUT after {timeout:g} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"seconds": float("nan"), "peak_growth_mib": float("nan"), "outcome": f"PROCESS DIED: {last[:80]}"}
    return dict(json.loads(lines[-1]))


def report(label: str, results: dict[str, dict[str, object]]) -> None:
    normal = results["normal 30 s 48 kHz stereo WAV"]
    base_s, base_mib = float(normal["seconds"]), max(float(normal["peak_growth_mib"]), 1.0)  # type: ignore[arg-type]
    print(f"\n== {label} (ratios against the normal file: {base_s:.3f} s, +{base_mib:.0f} MiB)")
    print(f"{'file':44} {'time s':>8} {'x normal':>9} {'+MiB':>7} {'x normal':>9}  outcome")
    for name, row in results.items():
        seconds, mib = float(row["seconds"]), float(row["peak_growth_mib"])  # type: ignore[arg-type]
        print(f"{name:44} {seconds:8.3f} {seconds / base_s:9.2f} {mib:7.0f} {mib / base_mib:9.2f}  "
              f"{str(row['outcome'])[:110]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also measure the code of this git revision")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per file (default: 300)")
    parser.add_argument("--memory-gib", type=float, default=8.0, help="address-space limit per file")
    parser.add_argument("--only", nargs="*", default=None, help="substrings of the file names to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sonicguide-hostile-") as temp:
        folder = Path(temp)
        files = make_files(folder)
        selected = {name: path for index, (name, path) in enumerate(files.items())
                    if index == 0 or not args.only or any(word in name for word in args.only)}
        versions = [("after (this tree)", REPO / "plugins")]
        if args.before:
            versions.insert(0, (f"before ({args.before})", extract_plugins(args.before, folder / "before")))
        for label, plugins in versions:
            results = {}
            for name, path in selected.items():
                results[name] = measure(plugins, path, folder / "tiny.wav", timeout=args.timeout,
                                        memory_gib=args.memory_gib)
                print(f"  {label}: {name}: {results[name]['outcome']}", file=sys.stderr, flush=True)
            report(label, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
