"""``sonicguide validate [PATH...]``: check brands without building, with the build's own judgement.

PATH is a brands folder, a brand folder or a ``brand.yml`` (default: ``brands``). Every problem of
every brand is printed, one per line, as ``file:line:column: field.path: message`` on standard
output: schema and reference problems first, and audio headers against the build's limits (sample
rate, channels, duration, work and memory budgets); then, unless ``--no-measure``, every finding
the build would report (audio, conformance, policy, Content Credentials, accessibility), judged
exactly as the build judges them, from the analysis cache the build shares (files missing from it
are measured and added). The exit status is 1 if there is any problem or finding, so it is 0
exactly when ``mkdocs build --strict`` with the same options succeeds.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from sonicguide.commands.analyze import seconds_option
from sonicguide.core.audio.limits import AudioLimits
from sonicguide.core.collisions import check_collisions
from sonicguide.core.errors import BrandError, Problem
from sonicguide.core.judge.findings import Finding, sort_key, stopping
from sonicguide.core.load.brand import BRAND_FILE, Limits, LoadedBrand, load_brand, load_brands
from sonicguide.core.site import BuildOptions, SiteBuild


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help="check brands without building; every problem at once",
                                   description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="a brands folder, a brand folder or a brand.yml (default: brands)")
    parser.add_argument("--max-yaml-bytes", type=int, default=Limits.max_yaml_bytes,
                        help="largest brand.yml accepted, in bytes (default: %(default)s)")
    parser.add_argument("--max-audio-bytes", type=int, default=Limits.max_audio_bytes,
                        help="largest audio file accepted, in bytes (default: %(default)s)")
    parser.add_argument("--max-assets-per-brand", type=int, default=Limits.max_assets_per_brand,
                        help="most assets one brand may list (default: %(default)s; 0: no cap)")
    parser.add_argument("--no-measure", action="store_true",
                        help="check the YAML and the audio headers only; no measurement, no judgement")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/sonicguide"),
                        help="the analysis cache the build uses (default: %(default)s)")
    parser.add_argument("--fail-on-conformance", action="store_true",
                        help="as the plugin option: conformance findings count as errors")
    parser.add_argument("--max-duration", type=seconds_option, default=None, metavar="SECONDS",
                        help="longest audio accepted, in seconds (default: 10800, i.e. 3 h; 0: no limit)")
    parser.add_argument("--trust-anchors", type=Path, default=None,
                        help="as the plugin option trust_anchors: PEM roots for Content Credentials")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes measuring audio (default: one per CPU core)")
    parser.add_argument("--docs-dir", type=Path, default=Path("docs"),
                        help="the site's docs_dir, checked for pages a brand would replace (default: %(default)s)")
    parser.set_defaults(func=run)


def validate_paths(paths: list[Path], *, limits: Limits | None = None, display_root: Path | None = None,
                   docs_pages: tuple[str, ...] = ()) -> tuple[list[LoadedBrand], list[Problem]]:
    """Validate every brand named by ``paths``: ``(valid brands, every problem)``, never raising.

    Includes the clashes of :func:`check_collisions` (slugs, pack names, HTML ids, ``docs_pages``).
    """
    limits = limits or Limits()
    loaded: list[LoadedBrand] = []
    problems: list[Problem] = []
    # Every brand that loaded, even from a folder where another brand failed: clashes are checked
    # once, across every path given.
    collected: list[LoadedBrand] = []

    def collect(found: list[LoadedBrand]) -> list[Problem]:
        collected.extend(found)
        return []

    for path in paths:
        try:
            if not path.exists() and not path.is_symlink():
                problems.append(Problem(path.as_posix(), None, None, "", "does not exist; give a brands "
                                        "folder, a brand folder or a brand.yml."))
            elif path.name == BRAND_FILE and not path.is_dir():
                loaded.append(load_brand(path.parent, limits=limits, display_root=display_root,
                                         brands_root=path.parent.parent, audio_headers=True))
                collect(loaded[-1:])
            elif os.path.lexists(path / BRAND_FILE):
                loaded.append(load_brand(path, limits=limits, display_root=display_root,
                                         brands_root=path.parent, audio_headers=True))
                collect(loaded[-1:])
            elif path.is_dir():
                loaded.extend(load_brands(path, limits=limits, display_root=display_root, audio_headers=True,
                                          across=collect))
            else:
                problems.append(Problem(path.as_posix(), None, None, "", f"is not a {BRAND_FILE} or a "
                                        "folder; give a brands folder, a brand folder or a brand.yml."))
        except BrandError as error:
            problems.extend(error.problems)
    problems.extend(check_collisions(collected, docs_pages=docs_pages))
    return loaded, sorted(set(problems), key=lambda problem: (problem.file, problem.line or 0,
                                                              problem.column or 0, problem.field))


def judge_findings(loaded: list[LoadedBrand], *, cache_dir: Path, workers: int, max_duration_s: float | None,
                   trust_anchors_pem: str | None) -> list[Finding]:
    """Measure (through the cache) and judge ``loaded`` exactly as a build does; every finding."""
    build = SiteBuild(BuildOptions(brands_dir=Path(), cache_dir=cache_dir, workers=workers,
                                   max_duration_s=max_duration_s, trust_anchors_pem=trust_anchors_pem))
    try:
        build.start(loaded)
        reports = build.judge()
        build.cache.save()
    finally:
        build.close()
    return [finding for report in reports for finding in report.findings]


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [Path("brands")]
    limits = Limits(max_yaml_bytes=args.max_yaml_bytes, max_audio_bytes=args.max_audio_bytes,
                    max_assets_per_brand=args.max_assets_per_brand, audio=AudioLimits.from_option(args.max_duration))
    docs_dir: Path = args.docs_dir
    docs_pages = tuple(path.relative_to(docs_dir).as_posix() for path in sorted(docs_dir.rglob("*"))
                       if path.is_file() and not any(part.startswith(".") for part in path.parts)
                       ) if docs_dir.is_dir() else ()
    loaded, problems = validate_paths(paths, limits=limits, display_root=Path.cwd(), docs_pages=docs_pages)
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was changed.", file=sys.stderr)
        return 1
    measured = ""
    if not args.no_measure and loaded:
        anchors = args.trust_anchors.read_text(encoding="utf-8") if args.trust_anchors else None
        findings = judge_findings(loaded, cache_dir=args.cache_dir, workers=args.workers,
                                  max_duration_s=args.max_duration, trust_anchors_pem=anchors)
        errors, warnings = stopping(findings, fail_on_conformance=args.fail_on_conformance)
        for finding in sorted(errors + warnings, key=sort_key):
            print(finding)
        if errors or warnings:
            print(f"{len(errors)} error(s) and {len(warnings)} warning(s) found; `mkdocs build --strict` "
                  "would fail.", file=sys.stderr)
            return 1
        measured = "; measured and judged as the build does"
    assets = sum(len(brand.brand.assets) for brand in loaded)
    brands = f"{len(loaded)} brand{'s' if len(loaded) != 1 else ''}"
    print(f"OK: {brands}, {assets} asset{'s' if assets != 1 else ''} valid{measured} "
          f"({', '.join(brand.slug for brand in loaded)}).")
    return 0
