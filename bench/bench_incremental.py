"""Issue 16's ratios and the cold build's stage breakdown, all measured in this run.

Builds a catalogue (``bench/catalogue.py``) cold with ``SONICGUIDE_TIMINGS`` on and prints where
the time went, stage by stage; then, interleaved ``--repeat`` times: a no-change rebuild, a rebuild
after editing one brand.yml, and a plain MkDocs build of the same pages **without the media**
(pages only, our plugin removed). Prints medians and the ratios of issue 16:
no-change rebuild / pages-only (goal <= 1.15), one-edit rebuild / pages-only (goal <= 1.5),
cold / floor, where floor = decode every file once + one FFT pass + the pages-only build (goal <= 2).

    PYTHONPATH=plugins python bench/bench_incremental.py [--brands 50] [--assets 8] [--seconds 30] [--repeat 3]
        [--before REV --cold-repeat 2]

With ``--before REV`` the cold builds of this checkout and of REV's plugins (``git archive``) run
interleaved, ``--cold-repeat`` each, and the ratio of their medians is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_build import floor_decode_fft, plain_project, run_build
from catalogue import add_catalogue_options, catalogue_name, extract_plugins, make_catalogue

AUDIO = {".wav", ".flac", ".ogg", ".mp3"}


def pages_only_project(root: Path, catalogue_config: Path) -> Path:
    """:func:`bench_build.plain_project` with every media file (audio, packs, charts, peaks, cards) left out."""
    config = plain_project(root, catalogue_config)
    for path in sorted((root / "docs").rglob("*")):
        if path.is_file() and path.suffix not in {".md", ".css", ".js"}:
            path.unlink()
    return config


def cold_build(root: Path, config: Path, env: dict[str, str], plugins: Path | None = None
               ) -> tuple[float, int, float, dict[str, Any], float]:
    """A cold build (no cache, no site): (seconds, peak memory, launch time since the epoch, stage
    times, CPU seconds of the build's process tree: user + system, what the load of a shared
    machine changes least)."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    stages_file = Path(env["SONICGUIDE_TIMINGS"])
    stages_file.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    launched = time.time()
    seconds, rss = run_build(config, env=env, plugins=plugins)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return seconds, rss, launched, json.loads(stages_file.read_text(encoding="utf-8")), cpu


def print_timeline(seconds: float, launched: float, times: dict[str, Any]) -> None:
    """Where one cold build's time went: the main process' wall clock, each second once (start-up
    before our first hook and exit after our last from the launch and end times, so the rows add up
    to the wall time; the remainder is printed), then the workers' seconds against their capacity."""
    if "stages" not in times:  # a revision before the timeline: one flat table
        print("  (this revision's stage table: analysis stages summed over workers, the rest wall clock,"
              " nested stages counted in their parent too)")
        for name, value in sorted(times.items(), key=lambda item: -item[1]):
            print(f"  {name:40s} {value:8.2f} s")
        return
    stages, work, facts = times["stages"], times["work"], times["facts"]
    rows = {"start-up before our plugin (Python, MkDocs, config)": facts["started at"] - launched,
            **stages, "exit after our plugin (MkDocs' end, interpreter)": launched + seconds - facts["ended at"]}
    print(f"  main process, wall clock ({seconds:.2f} s):")
    for name, value in sorted(rows.items(), key=lambda item: -item[1]):
        print(f"    {name:50s} {value:8.2f} s  {100 * value / seconds:5.1f} %")
    print(f"    {'unattributed (wall - the rows above)':50s} {seconds - sum(rows.values()):8.2f} s")
    workers, span = facts.get("analysis workers"), facts.get("analysis span")
    if work:
        busy = sum(work.values())
        head = "  workers' work (seconds summed over the workers"
        if workers and span:
            capacity = workers * span
            head += f": {workers:g} x {span:.2f} s from the pool's start to its last result = {capacity:.2f} s)"
        print(head + ":")
        for name, value in sorted(work.items(), key=lambda item: -item[1]):
            print(f"    {name:50s} {value:8.2f} s")
        if workers and span:
            print(f"    {'idle or passing results (capacity - work)':50s} {workers * span - busy:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", metavar="REV",
                        help="also build cold with the plugins of this git revision, interleaved with this "
                             "checkout's cold builds (--cold-repeat rounds each), and print the ratio")
    parser.add_argument("--cold-repeat", type=int, default=1, help="cold builds of each revision (default 1)")
    args = parser.parse_args()
    root = args.out / catalogue_name(args)
    config = make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
    stages_file = root / "stages.json"
    env = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1", "SONICGUIDE_TIMINGS": str(stages_file)}
    print(f"catalogue: {args.brands} brands x {args.assets} assets x {args.seconds:g} s in {root}", flush=True)
    before_plugins = None
    if args.before:
        before_plugins = extract_plugins(args.before, Path(tempfile.mkdtemp(prefix="bench-before-")))
    runs: dict[str, list[tuple[float, int, float, dict[str, Any], float]]] = {"this checkout": [], "before": []}
    for round_number in range(args.cold_repeat):
        order = [("this checkout", None), ("before", before_plugins)] if before_plugins else [("this checkout", None)]
        if round_number % 2:
            order.reverse()  # alternate who goes first: the machine is shared and noisy
        for label, plugins in order:
            runs[label].append(cold_build(root, config, env, plugins))
            print(f"  cold build ({label}) {runs[label][-1][0]:.2f} s, CPU {runs[label][-1][4]:.2f} s, "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for label in ("before", "this checkout"):
        if not runs[label]:
            continue
        cold, cold_rss, launched, times, _ = sorted(runs[label], key=lambda run: run[0])[len(runs[label]) // 2]
        name = f"before: {args.before}" if label == "before" else label
        print(f"cold build ({name}) {cold:.2f} s, the middle run (the upper one of an even count) of "
              f"{[round(run[0], 2) for run in runs[label]]} "
              f"(peak memory {cold_rss / 2**20:.0f} MiB); where its time went:")
        print_timeline(cold, launched, times)
    cold = statistics.median(run[0] for run in runs["this checkout"])
    plain = pages_only_project(args.out / f"pages-only-{args.brands}x{args.assets}x{args.seconds:g}s", config)
    run_build(plain, env=env)  # warm the OS page cache as the rebuilds below have it
    edited = root / "brands/brand-000/brand.yml"
    original = edited.read_text(encoding="utf-8")
    warm_runs: list[float] = []
    edit_runs: list[float] = []
    plain_runs: list[float] = []
    run_build(config, env=env)  # the cache as this checkout writes it
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
    if runs["before"]:
        before = statistics.median(run[0] for run in runs["before"])
        print(f"ratio cold build / floor, {args.before:10s} {before / floor:6.2f}")
        ours, theirs = runs["this checkout"], runs["before"]
        cpu_ratio = statistics.median(run[4] for run in ours) / statistics.median(run[4] for run in theirs)
        pairs = [round(a[0] / b[0], 2) for a, b in zip(ours, theirs, strict=True)]
        print(f"ratio cold build this checkout / {args.before}: {cold / before:6.2f} wall, {cpu_ratio:6.2f} CPU "
              f"(medians; wall ratio of each round: {pairs})")
    print(f"measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
