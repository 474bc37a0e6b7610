"""``sonicguide cache info|prune``: how big the build cache is, what builds use of it, and trimming it.

The cache folder is found as the plugin finds it: the ``cache_dir`` option of ``sonicguide`` in
``mkdocs.yml`` (``-f FILE``, or ``properdocs.yml``/``mkdocs.yml`` in the current folder), relative to
that file's folder, default ``.cache/sonicguide``; ``--cache-dir DIR`` names it directly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from sonicguide.commands.doctor import find_config, read_config
from sonicguide.core import cacheprune, cacheuse
from sonicguide.core.views import format as fmt

DEFAULT_CACHE_DIR = ".cache/sonicguide"
DEFAULT_KEEP_BUILDS = 3


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("cache", help="inspect (info) or trim (prune) the build cache",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="size and entries by kind, what the last builds used, what is unused")
    prune = actions.add_parser(
        "prune", help="remove entries the last builds did not use, then the least recently used to fit a size",
        description="Removes the entries (with their .sha256 sidecars) that none of the last N successful builds "
                    "used, then, with --max-size, the least recently used until the folder fits. An entry the "
                    "last build used is never removed. Waits for builds that are using the cache.")
    for sub in (info, prune):
        where = sub.add_mutually_exclusive_group()
        where.add_argument("--cache-dir", type=Path, default=None, help="the cache folder itself")
        where.add_argument("-f", "--config-file", type=Path, default=None,
                           help="the site's mkdocs.yml, whose sonicguide cache_dir is used (default: the one here)")
        sub.add_argument("--keep-builds", type=int, default=DEFAULT_KEEP_BUILDS, metavar="N",
                         help=f"entries used by one of the last N successful builds are kept "
                              f"(default {DEFAULT_KEEP_BUILDS}; 1 keeps what the last build used)")
    info.add_argument("--json", action="store_true", help="print the figures as JSON")
    prune.add_argument("--max-size", type=_size, default=None, metavar="SIZE",
                       help="then remove the least recently used entries until the folder holds at most SIZE "
                            "(500M, 2G, 2GiB: powers of 1024; 2GB: powers of 1000)")
    prune.add_argument("--dry-run", action="store_true", help="say what would be removed; remove nothing")
    prune.add_argument("--wait", type=float, default=300.0, metavar="SECONDS",
                       help="how long to wait for builds that are using the cache (default 300)")
    info.set_defaults(func=run_info)
    prune.set_defaults(func=run_prune)


def _size(text: str) -> int:
    try:
        return cacheprune.parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class _Refused(Exception):
    pass


def cache_dir_of(args: argparse.Namespace) -> Path:
    """The cache folder the arguments name (see the module docstring); raises :class:`_Refused`."""
    if args.cache_dir is not None:
        return Path(args.cache_dir)
    config_path = args.config_file or find_config(Path.cwd())
    if config_path is None:
        raise _Refused("no mkdocs.yml here: run this where the site's configuration is, or pass -f FILE or "
                       "--cache-dir DIR.")
    try:
        config = read_config(config_path)
    except (OSError, yaml.YAMLError) as error:
        raise _Refused(f"{config_path}: cannot be read: {error}") from None
    options = _plugin_options(config.get("plugins"))
    if options is None:
        raise _Refused(f"{config_path} does not use the sonicguide plugin; pass --cache-dir DIR.")
    if options.get("cache") is False:
        raise _Refused(f"{config_path} turns the cache off (cache: false): builds keep nothing between them.")
    cache_dir = options.get("cache_dir", DEFAULT_CACHE_DIR)
    if not isinstance(cache_dir, str):
        raise _Refused(f"{config_path}: cache_dir is set by a value this command cannot read (an !ENV tag?); pass "
                       "--cache-dir DIR.")
    return config_path.resolve().parent / cache_dir


def _plugin_options(plugins: Any) -> dict[str, Any] | None:
    """The ``sonicguide`` plugin's options in ``plugins`` (a list or a mapping); ``None``: not listed."""
    items = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(item)), item[next(iter(item))]) if isinstance(item, dict) and item else (item, {})
        for item in plugins or [])
    for name, options in items:
        if name == "sonicguide":
            return options if isinstance(options, dict) else {}
    return None


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def run_info(args: argparse.Namespace) -> int:
    try:
        root = cacheprune.open_cache(cache_dir_of(args))
        usage = cacheuse.read_usage(root)
    except (_Refused, cacheprune.NotACache, cacheuse.UsageDamaged) as error:
        print(f"sonicguide cache info: {error}", file=sys.stderr)
        return 1
    found = cacheprune.scan(root)
    report = info_report(found, usage, keep_builds=args.keep_builds)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"Cache {root}: {fmt.data_size(found.total_bytes)} on disk, {len(found.entries)} entries.")
    last, recent = report["last_build"], report["last_builds"]
    header = f"{'kind':<14}{'entries':>9}{'size':>12}{'last build':>14}{'unused':>10}{'unused size':>14}"
    print(header)
    for kind, row in report["kinds"].items():
        print(f"{kind:<14}{row['entries']:>9}{fmt.data_size(row['bytes']):>12}{row['last_build_entries']:>14}"
              f"{row['unused_entries']:>10}{fmt.data_size(row['unused_bytes']):>14}")
    print(f"('last build': entries the last build used; 'unused': entries none of the last {args.keep_builds} "
          "builds used)")
    other = ", ".join(f"{name} {fmt.data_size(size)}" for name, size in report["not_entries"].items())
    print(f"Not entries (never pruned): {other or 'nothing'}.")
    if usage is None or last is None:
        print("No build has recorded what it used yet (builds do since this version): build once before pruning.")
    else:
        print(f"Builds recorded: {len(usage.builds)}. The last, #{last['build']}, finished {_when(last['finished'])}"
              f"{' (' + last['config'] + ')' if last['config'] else ''} and used {last['entries']} entries, "
              f"{fmt.data_size(last['bytes'])}.")
        unused = report["unused"]
        print(f"The last {recent['builds']} build(s) used {recent['entries']} entries, "
              f"{fmt.data_size(recent['bytes'])}; {unused['entries']} entries, {fmt.data_size(unused['bytes'])}, "
              f"are used by none of them (`sonicguide cache prune --keep-builds {args.keep_builds}` removes them).")
    if report["leftovers"]["files"]:
        print(f"Leftovers: {report['leftovers']['files']} file(s), {fmt.data_size(report['leftovers']['bytes'])} "
              "(sidecars without their entry, temporary files of interrupted writes); a prune removes them.")
    if report["oldest_entry"] is not None:
        print(f"Oldest entry: written {_when(report['oldest_entry']['written'])} ({report['oldest_entry']['name']}).")
    if found.links:
        print(f"Symbolic links inside the cache (never followed nor removed): {len(found.links)}, e.g. "
              f"{found.links[0]}.")
    return 0


def info_report(found: cacheprune.Scan, usage: cacheuse.Usage | None, *, keep_builds: int) -> dict[str, Any]:
    """The figures of ``sonicguide cache info`` as plain data (what ``--json`` prints)."""
    last = usage.last if usage is not None else None
    keep_from = usage.keep_from(keep_builds) if usage is not None else None
    kinds: dict[str, dict[str, int]] = {}
    totals = Counter[str]()
    for entry in found.entries:
        row = kinds.setdefault(entry.kind, {"entries": 0, "bytes": 0, "last_build_entries": 0, "last_build_bytes": 0,
                                            "unused_entries": 0, "unused_bytes": 0})
        used = usage.last_used(entry.name) if usage is not None else None
        flags = {"": True, "last_build_": last is not None and used == last.number,
                 "recent_": keep_from is not None and used is not None and used >= keep_from,
                 "unused_": keep_from is not None and (used is None or used < keep_from)}
        for prefix, applies in flags.items():
            if applies:
                if prefix != "recent_":
                    row[f"{prefix}entries"] += 1
                    row[f"{prefix}bytes"] += entry.disk_bytes
                totals[f"{prefix}entries"] += 1
                totals[f"{prefix}bytes"] += entry.disk_bytes
    oldest = min(found.entries, key=lambda e: e.mtime_s, default=None)
    return {
        "cache_dir": str(found.root),
        "disk_bytes": found.total_bytes,
        "entries": totals["entries"],
        "entry_bytes": totals["bytes"],
        "kinds": dict(sorted(kinds.items())),
        "not_entries": dict(sorted(found.other_bytes.items())),
        "leftovers": {"files": len(found.leftovers), "bytes": sum(size for _, size in found.leftovers)},
        "builds_recorded": len(usage.builds) if usage is not None else 0,
        "last_build": None if last is None else {
            "build": last.number, "finished": last.finished_s, "config": last.config,
            "entries": totals["last_build_entries"], "bytes": totals["last_build_bytes"]},
        "last_builds": {"builds": keep_builds, "entries": totals["recent_entries"], "bytes": totals["recent_bytes"]},
        "unused": {"entries": totals["unused_entries"], "bytes": totals["unused_bytes"]},
        "oldest_entry": None if oldest is None else {"name": oldest.name, "written": oldest.mtime_s},
        "links": found.links,
    }


def _by_kind(entries: list[cacheprune.Entry]) -> str:
    counts = Counter(entry.kind for entry in entries)
    return ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))


def run_prune(args: argparse.Namespace) -> int:
    if args.keep_builds < 1:
        print("sonicguide cache prune: --keep-builds must be 1 or more (the last build's entries are always kept).",
              file=sys.stderr)
        return 2
    options = {"keep_builds": args.keep_builds, "max_bytes": args.max_size, "dry_run": args.dry_run}
    try:
        folder = cache_dir_of(args)
        try:
            result = cacheprune.prune(folder, wait_s=0, **options)
        except cacheuse.CacheBusy:
            print(f"sonicguide cache prune: a build is using the cache; waiting up to {args.wait:g} s for it to "
                  "finish...", file=sys.stderr)
            result = cacheprune.prune(folder, wait_s=args.wait, **options)
    except cacheuse.CacheBusy as error:
        print(f"sonicguide cache prune: {error} (waited {args.wait:g} s); nothing was removed. Try again when it "
              "has finished, or give --wait more seconds.", file=sys.stderr)
        return 1
    except (_Refused, cacheprune.NotACache, cacheprune.NoBuildRecorded) as error:
        print(f"sonicguide cache prune: {error}", file=sys.stderr)
        return 1
    except cacheuse.UsageDamaged as error:
        print(f"sonicguide cache prune: the record of what builds used is damaged ({error}); nothing was removed. "
              "Build once (it starts the record afresh), then prune.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"sonicguide cache prune: {error}; what was removed before it is gone, the rest is intact.",
              file=sys.stderr)
        return 1
    plan = result.plan
    verb = "Would remove" if args.dry_run else "Removed"
    builds = min(args.keep_builds, len(result.usage.builds))
    if plan.unused:
        print(f"{verb} {len(plan.unused)} entries ({fmt.data_size(sum(e.disk_bytes for e in plan.unused))}) that none "
              f"of the last {builds} build(s) used: {_by_kind(plan.unused)}.")
    if plan.least_recent:
        print(f"{verb} {len(plan.least_recent)} least recently used entries "
              f"({fmt.data_size(sum(e.disk_bytes for e in plan.least_recent))}) to fit --max-size "
              f"{fmt.data_size(args.max_size)}: {_by_kind(plan.least_recent)}.")
    if plan.leftovers:
        print(f"{verb} {len(plan.leftovers)} leftover file(s) ({fmt.data_size(sum(s for _, s in plan.leftovers))}): "
              "sidecars without their entry, temporary files of interrupted writes.")
    if not (plan.removed or plan.leftovers):
        print(f"Nothing to remove: every entry was used by one of the last {builds} build(s).")
    kept_bytes = sum(e.disk_bytes for e in plan.kept)
    print(f"{'Would free' if args.dry_run else 'Freed'} {fmt.data_size(plan.freed_bytes)}: the cache "
          f"{'would hold' if args.dry_run else 'holds'} {fmt.data_size(plan.after_bytes)} ({len(plan.kept)} entries, "
          f"{fmt.data_size(kept_bytes)}), with every entry the last build used.")
    if args.max_size is not None and plan.after_bytes > args.max_size:
        print(f"It stays above --max-size {fmt.data_size(args.max_size)}: the last build alone uses "
              f"{fmt.data_size(plan.last_build_bytes)}, which is never removed.")
    if result.links:
        print(f"Left alone: {len(result.links)} symbolic link(s) inside the cache, never followed, e.g. "
              f"{result.links[0]}.")
    if args.dry_run:
        print("Nothing was removed (--dry-run).")
    return 0
