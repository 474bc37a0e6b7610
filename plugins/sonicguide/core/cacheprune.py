"""Inspecting and pruning a cache folder (``sonicguide cache info`` and ``sonicguide cache prune``).

Every build leaves its entries behind (:mod:`sonicguide.core.cache`: ``<root>/<kind>/<hh>/<key><suffix>``
plus a ``.sha256`` sidecar); an edited ``brand.yml``, a new audio file or a new version of the code
or a library makes new ones and nothing else removes the old. A prune removes the entries that none
of the last N successful builds used (:mod:`sonicguide.core.cacheuse` records them), then, with a
size cap, the least recently used until the folder fits; it never removes an entry the last build
used.

**What is removed, and how.** Only files whose name has an entry's shape (a hex key, a suffix) inside
``<kind>/<hh>/`` folders, each entry before its sidecar (a reader then sees a miss, never an entry it
cannot check: a sidecar without its entry is a miss, an entry without a sidecar is discarded
unread), plus sidecars left without their entry and temporary files of interrupted writes older
than an hour. Symbolic links are never followed nor removed (a link inside the cache pointing
elsewhere is reported, and what it points to is left alone). The compiled templates
(``templates/``, ``theme-templates/``: one small file per template, rewritten in place), the
manifest and the usage record are not entries: they are counted, not pruned. A folder is only
treated as a cache when it holds a sonicguide ``manifest.json`` or ``usage.json``.

Imports neither MkDocs nor the audio stack.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sonicguide.core import cacheuse
from sonicguide.core.cache import MANIFEST_VERSION, SIDECAR_SUFFIX, write_atomic
from sonicguide.core.errors import SonicguideError

#: Entry names: a hex key of at least 16 digits, then a suffix (``-spectrum-dark.svg``, ``.json``).
_ENTRY_NAME = re.compile(r"[0-9a-f]{16,}[-A-Za-z0-9_.]*")
_KIND_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")
#: Folders of compiled templates (Jinja bytecode, one file per template): counted, not pruned.
TEMPLATE_DIRS = ("templates", "theme-templates")
#: Leftovers of interrupted writes (``.name.XXXX.tmp``, ``name.PID.part``) younger than this are left
#: alone: a ``sonicguide validate`` (which takes no lock) may be writing them.
STALE_TEMP_S = 3600.0


class NotACache(SonicguideError):
    """The folder is missing or is not a sonicguide cache; the message says which and what to do."""


@dataclass(frozen=True)
class Entry:
    """One cache entry: ``name`` is ``kind/hh/file``; ``disk_bytes`` counts the entry and its sidecar
    as ``du`` does (allocated blocks); ``mtime_s`` is when it was written (entries are never modified)."""

    name: str
    disk_bytes: int
    mtime_s: float
    sealed: bool

    @property
    def kind(self) -> str:
        return self.name.split("/", 1)[0]


@dataclass
class Scan:
    """Everything under a cache folder, without following a link."""

    root: Path
    entries: list[Entry] = field(default_factory=list)
    #: Sidecars without their entry and stale temporary files: ``(name, disk bytes)``, removed by a prune.
    leftovers: list[tuple[str, int]] = field(default_factory=list)
    #: Symbolic links found (relative names): never followed, never removed.
    links: list[str] = field(default_factory=list)
    #: Bytes of what is not an entry: manifest, usage record, compiled templates, unknown files.
    other_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return (sum(e.disk_bytes for e in self.entries) + sum(size for _, size in self.leftovers)
                + sum(self.other_bytes.values()))


def open_cache(root: Path) -> Path:
    """The cache folder ``root`` (through a link to it, if it is one), checked to be a sonicguide cache.

    Raises :class:`NotACache` naming the folder, what is wrong and what to do.
    """
    if not root.exists():
        raise NotACache(f"'{root}' does not exist: no build has used this cache yet, or the cache is elsewhere "
                        "(the plugin option cache_dir, default .cache/sonicguide beside mkdocs.yml; pass -f "
                        "mkdocs.yml or --cache-dir DIR).")
    real = root.resolve()
    if not real.is_dir():
        raise NotACache(f"'{root}' is not a folder, so it is not a sonicguide cache; nothing was changed.")
    if not (_our_manifest(real / "manifest.json") or (real / cacheuse.USAGE_NAME).is_file()):
        raise NotACache(f"'{root}' is not a sonicguide cache (it holds no sonicguide manifest.json or "
                        f"{cacheuse.USAGE_NAME}); nothing was changed. Point --cache-dir at the folder the plugin "
                        "option cache_dir names (default .cache/sonicguide beside mkdocs.yml).")
    return real


def _our_manifest(path: Path) -> bool:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1 << 30:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("version"), int) and isinstance(data.get("files"), dict)


def _disk_bytes(info: os.stat_result) -> int:
    blocks = getattr(info, "st_blocks", None)
    return int(blocks) * 512 if blocks is not None else info.st_size


def _tree_bytes(folder: str, relative: str, links: list[str]) -> int:
    """Bytes under ``folder`` without following links (links are listed)."""
    total = 0
    with os.scandir(folder) as items:
        for item in items:
            name = f"{relative}/{item.name}"
            if item.is_symlink():
                links.append(name)
            elif item.is_dir(follow_symlinks=False):
                total += _tree_bytes(item.path, name, links)
            else:
                total += _disk_bytes(item.stat(follow_symlinks=False))
    return total


def scan(root: Path, *, now_s: float | None = None) -> Scan:
    """List the cache folder ``root`` (see :func:`open_cache`): one ``lstat`` per file."""
    now_s = time.time() if now_s is None else now_s
    found = Scan(root=root)
    with os.scandir(root) as top:
        for item in sorted(top, key=lambda i: i.name):
            if item.is_symlink():
                found.links.append(item.name)
            elif not item.is_dir(follow_symlinks=False):
                found.other_bytes[item.name] = _disk_bytes(item.stat(follow_symlinks=False))
            elif item.name in TEMPLATE_DIRS or not _KIND_NAME.fullmatch(item.name):
                found.other_bytes[item.name + "/"] = _tree_bytes(item.path, item.name, found.links)
            else:
                _scan_kind(item.path, item.name, found, now_s)
    return found


def _scan_kind(folder: str, kind: str, found: Scan, now_s: float) -> None:
    unknown = 0
    with os.scandir(folder) as shards:
        for shard in sorted(shards, key=lambda i: i.name):
            name = f"{kind}/{shard.name}"
            if shard.is_symlink():
                found.links.append(name)
            elif not (shard.is_dir(follow_symlinks=False) and _SHARD_NAME.fullmatch(shard.name)):
                unknown += (_tree_bytes(shard.path, name, found.links) if shard.is_dir(follow_symlinks=False)
                            else _disk_bytes(shard.stat(follow_symlinks=False)))
            else:
                unknown += _scan_shard(shard.path, name, found, now_s)
    if unknown:
        found.other_bytes[kind + "/ (not entries)"] = unknown


def _scan_shard(folder: str, prefix: str, found: Scan, now_s: float) -> int:
    """Add the entries of one ``kind/hh`` folder to ``found``; returns the bytes of files that are not entries."""
    files: dict[str, os.stat_result] = {}
    unknown = 0
    shard = prefix.rsplit("/", 1)[1]
    with os.scandir(folder) as items:
        for item in items:
            if item.is_symlink():
                found.links.append(f"{prefix}/{item.name}")
                continue
            info = item.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode):
                files[item.name] = info
            else:
                unknown += _tree_bytes(item.path, f"{prefix}/{item.name}", found.links) \
                    if stat.S_ISDIR(info.st_mode) else 0
    for name, info in sorted(files.items()):
        if name.endswith(SIDECAR_SUFFIX) and name[: -len(SIDECAR_SUFFIX)] in files:
            continue  # counted with its entry
        if _temporary(name):
            if now_s - info.st_mtime > STALE_TEMP_S:
                found.leftovers.append((f"{prefix}/{name}", _disk_bytes(info)))
            else:
                unknown += _disk_bytes(info)
        elif name.endswith(SIDECAR_SUFFIX):
            found.leftovers.append((f"{prefix}/{name}", _disk_bytes(info)))  # its entry is gone
        elif _ENTRY_NAME.fullmatch(name) and name.startswith(shard):
            side = files.get(name + SIDECAR_SUFFIX)
            found.entries.append(Entry(name=f"{prefix}/{name}", mtime_s=info.st_mtime, sealed=side is not None,
                                       disk_bytes=_disk_bytes(info) + (_disk_bytes(side) if side else 0)))
        else:
            unknown += _disk_bytes(info)
    return unknown


def _temporary(name: str) -> bool:
    return (name.startswith(".") and name.endswith(".tmp")) or name.endswith(".part")


@dataclass
class Plan:
    """What a prune removes: ``unused`` (no kept build used them), ``least_recent`` (for the size cap),
    ``leftovers`` (orphaned sidecars, stale temporary files); ``kept`` stays."""

    unused: list[Entry] = field(default_factory=list)
    least_recent: list[Entry] = field(default_factory=list)
    leftovers: list[tuple[str, int]] = field(default_factory=list)
    kept: list[Entry] = field(default_factory=list)
    #: Bytes the folder holds after the prune.
    after_bytes: int = 0
    #: Bytes of the entries the last build used (never removed).
    last_build_bytes: int = 0

    @property
    def removed(self) -> list[Entry]:
        return self.unused + self.least_recent

    @property
    def freed_bytes(self) -> int:
        return sum(e.disk_bytes for e in self.removed) + sum(size for _, size in self.leftovers)


def plan(found: Scan, usage: cacheuse.Usage, *, keep_builds: int | None, max_bytes: int | None = None) -> Plan:
    """Decide what a prune removes (see the module docstring); ``usage`` must name at least one build.

    ``keep_builds=None`` removes nothing for being unused: only the least recently used, until the
    folder holds at most ``max_bytes`` (the automatic prune at the end of a build).
    """
    last = usage.last
    if last is None:
        raise ValueError("no build recorded")
    keep_from = usage.keep_from(keep_builds) if keep_builds is not None else -1
    assert keep_from is not None
    result = Plan(leftovers=list(found.leftovers))
    candidates: list[tuple[int, float, Entry]] = []
    for entry in found.entries:
        used = usage.last_used(entry.name)
        if used == last.number:
            result.kept.append(entry)
            result.last_build_bytes += entry.disk_bytes
        elif keep_builds is not None and (used is None or used < keep_from):
            result.unused.append(entry)
        else:
            candidates.append((-1 if used is None else used, entry.mtime_s, entry))
    size = found.total_bytes - result.freed_bytes
    candidates.sort(key=lambda item: (item[0], item[1], item[2].name))
    for _used, _mtime, entry in candidates:
        if max_bytes is not None and size > max_bytes:
            result.least_recent.append(entry)
            size -= entry.disk_bytes
        else:
            result.kept.append(entry)
    result.after_bytes = size
    return result


def remove(root: Path, names: Iterable[str]) -> int:
    """Unlink the entries ``names`` (each before its sidecar) and the files ``names`` that are
    leftovers; returns how many files were removed. Only regular files inside ``root`` are touched:
    a name that is (or goes through) a link is skipped."""
    removed = 0
    shards: set[str] = set()
    for name in names:
        for target in (name, name + SIDECAR_SUFFIX) if not name.endswith(SIDECAR_SUFFIX) else (name,):
            if _unlink_inside(root, target):
                removed += 1
        shards.add(name.rsplit("/", 1)[0])
    for shard in sorted(shards, reverse=True):
        with contextlib.suppress(OSError):
            (root / shard).rmdir()  # only when empty
    return removed


def _unlink_inside(root: Path, name: str) -> bool:
    """Unlink ``root/name`` when it is a regular file reached through real folders only."""
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or not folder.is_dir():
            return False
    target = folder / parts[-1]
    try:
        if not stat.S_ISREG(target.lstat().st_mode):
            return False
        target.unlink()
    except FileNotFoundError:
        return False
    return True


def forget(root: Path, usage: cacheuse.Usage, present: Iterable[Entry]) -> None:
    """After a prune: the usage record keeps only entries still present, and the manifest drops the
    records of files that no longer exist (removed entries, audio files moved away)."""
    kept: dict[str, set[str]] = {}
    for entry in present:
        kind, _, rest = entry.name.partition("/")
        kept.setdefault(kind, set()).add(rest.rpartition("/")[2])
    usage.used = {kind: {name: number for name, number in names.items() if name in kept.get(kind, set())}
                  for kind, names in usage.used.items()}
    cacheuse.write_usage(root, usage)
    manifest = root / "manifest.json"
    try:
        data = json.loads(manifest.read_bytes())
    except (OSError, ValueError):
        return  # a damaged manifest is rebuilt by the next build
    if not (isinstance(data, dict) and data.get("version") == MANIFEST_VERSION and isinstance(data.get("files"), dict)):
        return
    files = {path: record for path, record in data["files"].items() if Path(path).exists()}
    if len(files) != len(data["files"]):
        data["files"] = dict(sorted(files.items()))
        write_atomic(manifest, json.dumps(data, sort_keys=True, indent=1).encode("utf-8"))


@dataclass
class PruneResult:
    """What :func:`prune` did (or, with ``dry_run``, would do)."""

    plan: Plan
    usage: cacheuse.Usage
    keep_builds: int | None
    before_bytes: int
    links: list[str]


def prune(root: Path, *, keep_builds: int | None, max_bytes: int | None = None, dry_run: bool = False,
          wait_s: float = 0.0) -> PruneResult:
    """Prune the cache ``root`` (checked with :func:`open_cache`) under the exclusive lock.

    Raises :class:`NotACache`, :class:`~sonicguide.core.cacheuse.CacheBusy` (a build held the cache
    for ``wait_s`` seconds), :class:`~sonicguide.core.cacheuse.UsageDamaged`, or :class:`NoBuildRecorded`.
    """
    real = open_cache(root)
    with cacheuse.Lease.exclusive(real, wait_s=wait_s):
        usage = cacheuse.read_usage(real)
        if usage is None or usage.last is None:
            raise NoBuildRecorded(
                f"no successful build has recorded what it used in '{root}' yet (builds record it in "
                f"{cacheuse.USAGE_NAME} since this version of sonicguide); build once, then prune. Nothing was "
                "removed. To empty the cache instead, delete the folder: it is safe to delete.")
        found = scan(real)
        decided = plan(found, usage, keep_builds=keep_builds, max_bytes=max_bytes)
        if not dry_run and (decided.removed or decided.leftovers):
            remove(real, [entry.name for entry in decided.removed] + [name for name, _ in decided.leftovers])
            forget(real, usage, decided.kept)
    return PruneResult(plan=decided, usage=usage, keep_builds=keep_builds, before_bytes=found.total_bytes,
                       links=found.links)


class NoBuildRecorded(SonicguideError):
    """The cache has no usage record yet, so a prune cannot know what builds use."""


_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30,
          "t": 1 << 40, "tib": 1 << 40, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*")


def parse_size(text: str | int) -> int:
    """Bytes from ``500M``, ``2G``, ``2 GiB`` (powers of 1024), ``2GB`` (powers of 1000) or a number of bytes.

    Raises ``ValueError`` with the accepted forms.
    """
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        return text
    match = _SIZE.fullmatch(str(text))
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"expected a size such as 500M, 2G, 2GiB or 2GB (K, M, G, T and KiB... are powers of "
                         f"1024; KB, MB, GB, TB powers of 1000) or a number of bytes, got {text!r}")
    return int(float(match.group(1)) * _UNITS[unit])
