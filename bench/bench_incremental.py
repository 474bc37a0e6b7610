"""Issue 16's ratios and the cold build's stage breakdown, all measured in this run.

Builds a catalogue (``bench/catalogue.py``) cold with ``SONICGUIDE_TIMINGS`` on and prints where
the time went, stage by stage; then, interleaved ``--repeat`` times: a no-change rebuild, a rebuild
after editing one brand.yml, and a plain MkDocs build of the same pages **without the media**
(pages only, our plugin removed). Prints medians and the ratios of issue 16:
no-change rebuild / pages-only (goal <= 1.15), one-edit rebuild / pages-only (goal <= 1.5),
cold / floor, where floor = decode every file once + one FFT pass + the pages-only build (goal <= 2).

    PYTHONPATH=plugins python bench/bench_incremental.py [--brands 50] [--assets 8] [--seconds 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from pathlib import Path

from bench_build import floor_decode_fft, plain_project, run_build
from catalogue import add_catalogue_options, catalogue_name, make_catalogue

AUDIO = {".wav", ".flac", ".ogg", ".mp3"}


def pages_only_project(root: Path, catalogue_config: Path) -> Path:
    """:func:`bench_build.plain_project` with every media file (audio, packs, charts, peaks, cards) left out."""
    config = plain_project(root, catalogue_config)
    for path in sorted((root / "docs").rglob("*")):
        if path.is_file() and path.suffix not in {".md", ".css", ".js"}:
            path.unlink()
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = args.out / catalogue_name(args)
    config = make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
    stages_file = root / "stages.json"
    env = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1", "SONICGUIDE_TIMINGS": str(stages_file)}
    print(f"catalogue: {args.brands} brands x {args.assets} assets x {args.seconds:g} s in {root}", flush=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    cold, cold_rss = run_build(config, env=env)
    stages = json.loads(stages_file.read_text(encoding="utf-8"))
    print(f"cold build {cold:.2f} s (peak memory {cold_rss / 2**20:.0f} MiB); where the time went "
          "(analysis stages: seconds of work summed over worker processes; the rest: wall clock):")
    for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        print(f"  {name:32s} {seconds:8.2f} s")
    plain = pages_only_project(args.out / f"pages-only-{args.brands}x{args.assets}x{args.seconds:g}s", config)
    run_build(plain, env=env)  # warm the OS page cache as the rebuilds below have it
    edited = root / "brands/brand-000/brand.yml"
    original = edited.read_text(encoding="utf-8")
    warm_runs: list[float] = []
    edit_runs: list[float] = []
    plain_runs: list[float] = []
    for round_number in range(args.repeat):
        warm_runs.append(run_build(config, env=env)[0])
        edited.write_text(original.replace("A generated brand for benchmarks", f"Edited in round {round_number}"),
                          encoding="utf-8")
        edit_runs.append(run_build(config, env=env)[0])
        edited.write_text(original, encoding="utf-8")
        run_build(config, env=env)  # back to the unedited state (not timed)
        plain_runs.append(run_build(plain, env=env)[0])
    warm, one_edit, pages = (statistics.median(runs) for runs in (warm_runs, edit_runs, plain_runs))
    files = sorted(p for p in (root / "brands").rglob("*") if p.suffix in AUDIO)
    decode_fft = floor_decode_fft(files, workers=os.cpu_count() or 1)
    floor = decode_fft + pages
    print(f"rebuild, nothing changed           {warm:7.2f} s  (median of {[round(r, 2) for r in warm_runs]})")
    print(f"rebuild, one brand.yml edited      {one_edit:7.2f} s  (median of {[round(r, 2) for r in edit_runs]})")
    print(f"plain mkdocs build, pages only     {pages:7.2f} s  (median of {[round(r, 2) for r in plain_runs]})")
    print(f"floor: decode + FFT {decode_fft:5.2f} s + pages {pages:5.2f} s = {floor:5.2f} s")
    print(f"ratio no-change rebuild / pages-only {warm / pages:6.2f}   (goal <= 1.15)")
    print(f"ratio one-edit rebuild / pages-only  {one_edit / pages:6.2f}   (goal <= 1.5)")
    print(f"ratio cold build / floor             {cold / floor:6.2f}   (goal <= 2)")
    print(f"measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
