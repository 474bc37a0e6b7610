"""What the sonic-logo search and the sound maps add to a cold build, as a ratio to the analysis.

On the example brands (``brands/``), in one process with one BLAS thread (as a build worker runs),
each round measures, with an empty cache each time:

- the analysis alone: :func:`sonicguide.core.audio.analyze_file` of every asset;
- the analysis as a build's worker runs it (measurements and the three charts per asset);
- the logo searches of a cold build: every asset that should carry its brand's logo;
- the sound maps: one per brand and the cross-brand one, drawn (the judged reports are made once,
  beforehand, and not timed).

Rounds are interleaved and medians printed, with the added cost (searches + maps) as a ratio to
each of the two analysis figures. A warm build adds nothing: it reads both from the cache (see
``tests/test_logo_build.py``, which fails if a warm build searches or draws).

Usage: ``PYTHONPATH=plugins python bench/bench_logo_cost.py [--rounds 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from sonicguide.core.audio import analyze_file  # noqa: E402
from sonicguide.core.audio.logo_search import carries_logo, search_asset  # noqa: E402
from sonicguide.core.audio.pipeline import analyse_asset  # noqa: E402
from sonicguide.core.cache import Cache  # noqa: E402
from sonicguide.core.site import BuildOptions, SiteBuild  # noqa: E402
from sonicguide.core.views import soundmap  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--brands-dir", type=Path, default=REPO / "brands")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-logo-") as temp:
        build = SiteBuild(BuildOptions(brands_dir=args.brands_dir, cache_dir=Path(temp) / "reports", workers=1))
        build.start()
        reports = build.judge()
        build.close()
    files = [path for report in reports for path in report.loaded.asset_paths.values()]
    searches = []
    for report in reports:
        logo = report.brand.sonic_logo
        if logo is None or logo.asset not in report.loaded.asset_paths:
            continue
        searches += [(report.loaded.asset_paths[logo.asset], logo.asset, report.loaded.asset_paths[asset.id])
                     for asset in report.brand.assets
                     if asset.id != logo.asset and carries_logo(asset.role, asset.carries_logo)]
    print(f"{len(reports)} brands, {len(files)} audio files, {len(searches)} logo searches, "
          f"{len(reports) + 1} sound maps; {args.rounds} interleaved rounds")
    timings: dict[str, list[float]] = {"analysis": [], "worker": [], "search": [], "maps": []}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="bench-logo-") as temp:
            root = Path(temp)
            start = time.perf_counter()
            for path in files:
                analyze_file(path)
            timings["analysis"].append(time.perf_counter() - start)
            start = time.perf_counter()
            for index, path in enumerate(files):
                analyse_asset(str(path), f"k{index}", str(root / "worker"), None)
            timings["worker"].append(time.perf_counter() - start)
            start = time.perf_counter()
            for index, (logo_path, logo_id, path) in enumerate(searches):
                search_asset(str(logo_path), logo_id, str(path), f"s{index}", str(root / "search"), None)
            timings["search"].append(time.perf_counter() - start)
            cache = Cache(root / "maps")
            start = time.perf_counter()
            for report in reports:
                soundmap.brand_map(report, cache)
            soundmap.cross_brand_map([soundmap.map_rows(report) for report in reports], cache, lambda uri: uri)
            timings["maps"].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, label in (("analysis", "analysis alone (analyze_file)"),
                        ("worker", "analysis + charts (a build's worker)"),
                        ("search", "logo searches"), ("maps", "sound maps")):
        print(f"{label:40s} median {medians[name]:7.2f} s  ({', '.join(f'{v:.2f}' for v in timings[name])})")
    added = medians["search"] + medians["maps"]
    print(f"added cost / analysis alone:        {added / medians['analysis']:.2f}  "
          f"(searches {medians['search'] / medians['analysis']:.2f}, maps {medians['maps'] / medians['analysis']:.2f})")
    print(f"added cost / analysis + charts:     {added / medians['worker']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
