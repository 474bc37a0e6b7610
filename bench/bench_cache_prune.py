"""What recording a build's cache use, and inspecting and pruning the cache, cost at scale.

Makes a synthetic cache of ``--entries`` entries (each a small file and its ``.sha256`` sidecar, in
the real layout; about 22 entries a brand with one asset, so 25,000 is a 1,000-brand catalogue),
then times, ``--rounds`` times interleaved, medians printed with the ratio to the baseline:

- baseline: saving the manifest with one record per entry (what every build already writes);
- recording a build's use (``cacheuse.record_build``: read, merge and rewrite ``usage.json``);
- scanning the folder (one ``lstat`` per file: what ``cache info`` and every prune do first);
- a prune that removes nothing (``--dry-run``), and ``cache_max_size``'s trim when under the size.

Usage: ``PYTHONPATH=plugins python bench/bench_cache_prune.py --entries 25000 --rounds 5``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sonicguide.core import cacheprune, cacheuse
from sonicguide.core.cache import Cache, write_entry

KINDS = ("analysis", "charts", "peaks", "media", "crc32", "credentials", "render", "page", "search", "social", "yaml")


def make_cache(root: Path, entries: int) -> list[str]:
    """``entries`` entries of 200 bytes spread over the kinds; returns their names."""
    names = []
    for number in range(entries):
        key = hashlib.sha256(str(number).encode()).hexdigest()
        kind = KINDS[number % len(KINDS)]
        path = root / kind / key[:2] / f"{key}.json"
        write_entry(path, b"x" * 200)
        names.append(f"{kind}/{key[:2]}/{key}.json")
    return names


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=25_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cache-prune-") as folder:
        root = Path(folder) / "cache"
        names = make_cache(root, args.entries)
        cache = Cache(root)
        for name in names:  # what content_hash records for every entry a build verifies
            cache.content_hash(root / name)
        cacheuse.record_build(root, names)

        def manifest() -> None:
            cache._dirty = True
            cache.save()

        actions: dict[str, Callable[[], object]] = {
            "baseline: manifest save": manifest,
            "record the build's use": lambda: cacheuse.record_build(root, names),
            "scan the folder": lambda: cacheprune.scan(root),
            "prune --dry-run": lambda: cacheprune.prune(root, keep_builds=3, dry_run=True),
            "cache_max_size trim (under the size)": lambda: cacheprune.prune(root, keep_builds=None,
                                                                             max_bytes=1 << 40),
        }
        times: dict[str, list[float]] = {name: [] for name in actions}
        for _ in range(args.rounds):
            for name, action in actions.items():
                times[name].append(timed(action))
        usage_bytes = (root / cacheuse.USAGE_NAME).stat().st_size
        manifest_bytes = (root / "manifest.json").stat().st_size
    baseline = statistics.median(times["baseline: manifest save"])
    print(f"{args.entries} entries ({2 * args.entries} files); usage.json {usage_bytes / 1e6:.2f} MB, "
          f"manifest.json {manifest_bytes / 1e6:.2f} MB; load average {os.getloadavg()[0]:.2f}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<40} median {median * 1000:8.1f} ms   {median / baseline:5.2f} x the manifest save")


if __name__ == "__main__":
    main()
