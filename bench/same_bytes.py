"""Whether this checkout builds the same site as another revision, byte for byte.

Builds, cold (no cache), the example site of this repository (``brands/``, ``mkdocs.yml``) and a
benchmark catalogue (``bench/catalogue.py``) with the plugins of ``--before REV`` (``git archive``)
and with this checkout's, and compares every file of the two sites (charts, sound maps, cards,
packs, pages, search index). Prints the number of files compared and every one that differs; exits
with status 1 if any does. A change that alters published bytes must bump ``CHART_VERSION`` or
``ANALYSIS_VERSION`` (see the README) and is expected to show here.

    PYTHONPATH=plugins python bench/same_bytes.py --before main [--brands 10 --assets 2 --seconds 5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench_build import run_build
from catalogue import REPO, add_catalogue_options, catalogue_name, extract_plugins, make_catalogue

ENV = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}


def build_copy(source: Path, files: list[str], target: Path, plugins: Path | None) -> dict[str, bytes]:
    """Copy ``files`` of ``source`` into ``target``, build its ``mkdocs.yml`` cold; every file of the site."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in files:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).exists():
            shutil.copy2(source / name, target / name)
    run_build(target / "mkdocs.yml", env=ENV, plugins=plugins)
    site = target / "site"
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.set_defaults(brands=10, assets=2, seconds=5.0)
    parser.add_argument("--before", metavar="REV", required=True)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="same-bytes-"))
    before = extract_plugins(args.before, work / "before")
    catalogue = args.out / catalogue_name(args)
    make_catalogue(catalogue, brands=args.brands, assets=args.assets, seconds=args.seconds)
    projects = {"example site": (REPO, ["mkdocs.yml", "brands", "docs", "theme"]),
                "catalogue": (catalogue, ["mkdocs.yml", "brands", "docs"])}
    differing = 0
    for name, (source, files) in projects.items():
        theirs = build_copy(source, files, work / f"{name}-before", before)
        ours = build_copy(source, files, work / f"{name}-after", None)
        names = sorted(set(theirs) | set(ours))
        different = [path for path in names if theirs.get(path) != ours.get(path)]
        charts = sum(1 for path in names if path.endswith(".svg"))
        print(f"{name}: {len(names)} files ({charts} SVG) compared with {args.before}: {len(different)} differ")
        for path in different:
            print(f"  differs: {path}")
        differing += len(different)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
