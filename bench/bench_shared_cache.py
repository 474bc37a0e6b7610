"""What a CI runner pays cold, warm, and with a cache restored from another runner (issue 16).

Builds a catalogue (``bench/catalogue.py``) with an empty cache (cold), again (warm), then copies the
project **and its cache** to a new folder, as a CI cache restore onto a fresh checkout does (new
path, new inodes and modification times: every audio file is hashed once again, nothing is
analysed or rendered again), and builds there. Prints the three times.

    PYTHONPATH=plugins python bench/bench_shared_cache.py [--brands 50] [--assets 8] [--seconds 30]

``--config PATH`` takes a project already built once (for example a catalogue left by
``bench/bench_scaling.py --keep-site``, config ``mkdocs.scaling.yml``) and keeps its cache: no cold
build, only the warm and the restored ones (a cold build of 1,000 brands takes an hour here).
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from bench_build import run_build
from catalogue import add_catalogue_options, catalogue_name, make_catalogue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.add_argument("--config", type=Path, help="a project built once: keep its cache, skip the cold build")
    args = parser.parse_args()
    env = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
    cold: float | None = None
    if args.config is not None:
        config = args.config.resolve()
        root = config.parent
        name = root.name
        args.brands = len([p for p in (root / "brands").iterdir() if (p / "brand.yml").is_file()])
    else:
        name = catalogue_name(args)
        root = args.out / name
        config = make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        cold, _ = run_build(config, env=env)
    warm, _ = run_build(config, env=env)
    other = args.out / f"{name}-other-runner"
    shutil.rmtree(other, ignore_errors=True)
    other.mkdir(parents=True)
    for part in ("brands", "docs", ".cache"):
        shutil.copytree(root / part, other / part)  # new files: new inodes and modification times
    shutil.copyfile(config, other / config.name)
    restored, _ = run_build(other / config.name, env=env)
    shutil.rmtree(other, ignore_errors=True)
    what = f"{args.brands} brands of {config}" if args.config else \
        f"{args.brands} brands x {args.assets} assets x {args.seconds:g} s"
    print(f"{what}, "
          f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if cold is not None:
        print(f"cold (empty cache)                 {cold:7.1f} s")
    print(f"warm (same checkout)               {warm:7.1f} s")
    print(f"cache restored on another checkout {restored:7.1f} s")


if __name__ == "__main__":
    main()
