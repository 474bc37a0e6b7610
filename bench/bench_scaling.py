"""How the build time grows with the number of brands (50, 100, 200 by default).

For each size, a catalogue of small brands (``bench/catalogue.py``: 2 assets of 5 s each, so audio
generation and analysis stay cheap) is built with ``mkdocs build`` in a subprocess, with the
features of the shipped ``mkdocs.yml`` (instant navigation, sections):

* cold: empty cache and site folder (analysis, charts, packs and social cards all made);
* warm: the same build again (everything from the cache);
* warm, no prune: the warm build without Material's ``navigation.prune`` feature (shipped since the
  1,000-brand runs), which renders only the visible part of the navigation into each page. Past 60
  brands the generated nav lists brands in groups (``core/views/navigation.py``), so with prune a
  page carries about 2√N links instead of N.

Each brand gives two pages (guide and composer brief), so N brands make 2N + 3 pages. The output
gives seconds, milliseconds per brand and each figure's ratio to the smallest size's, so growth
faster than linear shows as a per-brand cost that rises.

    PYTHONPATH=plugins python bench/bench_scaling.py [--sizes 50 100 200] [--assets 2] [--seconds 5]
        [--no-cold] [--keep-site] [--same-audio]

``--same-audio`` gives every brand the same audio bytes, analysed once (the cache is keyed by
content): what remains is what grows with the number of brands (judging, pages, cards, packs, sound
maps, MkDocs' templates, search index and sitemap), where a cost faster than linear would live.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from bench_build import run_build
from catalogue import REPO, make_catalogue

FEATURES = ["navigation.instant", "navigation.sections", "navigation.prune", "navigation.top", "toc.follow",
            "search.highlight"]


def write_configs(root: Path) -> tuple[Path, Path]:
    """``mkdocs.scaling.yml`` (the shipped features) and ``mkdocs.scaling-noprune.yml`` (without prune)."""
    base = json.loads((root / "mkdocs.yml").read_text(encoding="utf-8"))
    base["theme"]["features"] = FEATURES
    base["use_directory_urls"] = True
    plain = root / "mkdocs.scaling.yml"
    plain.write_text(json.dumps(base), encoding="utf-8")
    unpruned = root / "mkdocs.scaling-noprune.yml"
    features = [feature for feature in FEATURES if feature != "navigation.prune"]
    unpruned.write_text(json.dumps({**base, "theme": {**base["theme"], "features": features}}), encoding="utf-8")
    return plain, unpruned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--assets", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--no-cold", action="store_true", help="keep an existing cache (cold column then empty)")
    parser.add_argument("--out", type=Path, default=REPO / "bench/out")
    parser.add_argument("--keep-site", action="store_true", help="keep the last size's site (to browse it)")
    parser.add_argument("--same-audio", action="store_true",
                        help="every brand's audio the same bytes (analysed once): the cost of the brands alone")
    args = parser.parse_args()
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    rows = []
    for size in args.sizes:
        same = "-same-audio" if args.same_audio else ""
        root = args.out / f"scaling-{size}x{args.assets}x{args.seconds:g}s{same}"
        started = time.perf_counter()
        make_catalogue(root, brands=size, assets=args.assets, seconds=args.seconds, same_audio=args.same_audio)
        plain, unpruned = write_configs(root)
        print(f"{size} brands: catalogue ready in {time.perf_counter() - started:.1f} s", flush=True)
        cold = cold_peak = None
        if not args.no_cold:
            shutil.rmtree(root / ".cache", ignore_errors=True)
            shutil.rmtree(root / "site", ignore_errors=True)
            cold, cold_peak = run_build(plain, env=env)
        else:
            run_build(plain, env=env)  # fill the cache if it is not yet
        warm_unpruned, _ = run_build(unpruned, env=env)
        warm, warm_peak = run_build(plain, env=env)  # last: the site left behind is the shipped one
        pages = sum(1 for _ in (root / "site").rglob("index.html"))
        index = root / "site/search/search_index.json"
        entries = len(json.loads(index.read_text(encoding="utf-8"))["docs"]) if index.is_file() else 0
        brand_page = (root / "site/brand-000/index.html").read_bytes()
        nav_links = brand_page.split(b'class="md-sidebar md-sidebar--secondary"')[0].count(b'class="md-nav__link')
        print(f"  search index {index.stat().st_size / 2**20:.1f} MiB, {entries} entries; a brand page "
              f"{len(brand_page) / 2**10:.0f} KiB, {nav_links} links in its navigation (pruned); "
              f"sitemap {(root / 'site/sitemap.xml').stat().st_size / 2**10:.1f} KiB; peak memory of the "
              f"build's process tree: cold {(cold_peak or 0) / 2**20:.0f} MiB, warm {warm_peak / 2**20:.0f} MiB",
              flush=True)
        if not (args.keep_site and size == args.sizes[-1]):
            shutil.rmtree(root / "site", ignore_errors=True)  # keep disk use down
        rows.append({"brands": size, "pages": pages, "cold": cold, "warm": warm, "prune": warm_unpruned})
        print(f"  cold {cold or float('nan'):.1f} s, warm {warm:.1f} s, warm without prune {warm_unpruned:.1f} s",
              flush=True)

    base = rows[0]

    def per_brand_ms(seconds: float | None, brands: int) -> str:
        return "     -" if seconds is None else f"{1000 * seconds / brands:6.0f}"

    def ratio(value: float | None, reference: float | None, brands: int) -> str:
        """Time per brand at this size / time per brand at the smallest size (goal <= 1.2)."""
        if value is None or reference is None:
            return "    -"
        return f"{(value / brands) / (reference / base['brands']):5.2f}"

    print()
    print(f"{args.assets} assets x {args.seconds:g} s per brand; x: time per brand / time per brand at "
          f"{base['brands']} brands (issue 16: <= 1.2)")
    print("brands pages |  cold s  ms/brand  x | warm s  ms/brand  x | no-prune s  ms/brand  x | no-prune/warm")
    for row in rows:
        print(f"{row['brands']:6d} {row['pages']:5d} | "
              f"{row['cold'] or float('nan'):6.1f}  {per_brand_ms(row['cold'], row['brands'])}  "
              f"{ratio(row['cold'], base['cold'], row['brands'])} | "
              f"{row['warm']:6.1f}  {per_brand_ms(row['warm'], row['brands'])}  "
              f"{ratio(row['warm'], base['warm'], row['brands'])} | "
              f"{row['prune']:10.1f}  {per_brand_ms(row['prune'], row['brands'])}  "
              f"{ratio(row['prune'], base['prune'], row['brands'])} | {row['prune'] / row['warm']:5.2f}")


if __name__ == "__main__":
    main()
