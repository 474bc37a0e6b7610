"""What each successful build used of the cache, and the lock that keeps a prune out of a running build.

**Usage record.** Every successful build adds itself to ``<cache>/usage.json``: a build number, when
it finished and from which configuration, and, for every cache entry it read or wrote, the number of
the newest build that used it (``{"analysis": {"<key>.json": 12, ...}, ...}``). One file, rewritten
atomically once per build (no per-entry write or ``fsync``; about 75 bytes per entry, so a few MB at
1,000 brands). "None of the last N builds used it" is then "its number is below the N-th newest
build's", and the numbers order entries from least to most recently used. Names are relative to the
cache (``kind/`` and the file name; the two-character folder is the name's first two characters), so
a cache restored at another path keeps its record.

**Lock.** A build holds a shared ``flock`` on ``<cache>/.builds.lock`` from before it reads the cache
until its usage is recorded; ``sonicguide cache prune`` takes it exclusively, so it waits for running
builds (``mkdocs serve`` holds it only while it rebuilds) and a build that starts during a prune waits
for the prune (which only unlinks files: well under a second for thousands of entries). Where
``flock`` does not exist (Windows) there is no lock; a build then relies on the cache healing an
entry that vanished (an analysis is measured again, a brand rendered again, a file published from
what the build made).

Imports neither MkDocs nor the audio stack.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sonicguide.core.cache import write_atomic

USAGE_NAME = "usage.json"
USAGE_FORMAT = "sonicguide-cache-usage"
USAGE_VERSION = 1
LOCK_NAME = ".builds.lock"
#: Serialises the read-modify-write of ``usage.json`` by builds that finish at the same time.
USAGE_LOCK_NAME = ".usage.lock"
#: Build summaries kept in ``usage.json`` (the entries' numbers are kept whatever their age).
KEPT_BUILD_RECORDS = 100


@dataclass(frozen=True)
class BuildRecord:
    """One successful build: its number (1, 2, ... in the order builds finished), when it finished
    (seconds since the epoch), its configuration file and how many entries it used."""

    number: int
    finished_s: float
    config: str | None
    entries: int


@dataclass
class Usage:
    """The contents of ``usage.json``: the builds, oldest first, and the newest build that used each
    entry (``kind -> file name -> build number``)."""

    builds: list[BuildRecord] = field(default_factory=list)
    used: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def last(self) -> BuildRecord | None:
        return self.builds[-1] if self.builds else None

    def last_used(self, name: str) -> int | None:
        """The newest build that used the entry ``kind/hh/file`` (``None``: no recorded build did)."""
        kind, _, rest = name.partition("/")
        return self.used.get(kind, {}).get(rest.rpartition("/")[2])

    def keep_from(self, keep_builds: int) -> int | None:
        """The number of the oldest of the last ``keep_builds`` builds (``None`` without a build)."""
        if not self.builds:
            return None
        return self.builds[-min(max(1, keep_builds), len(self.builds))].number

    def to_json(self) -> dict[str, Any]:
        return {"format": USAGE_FORMAT, "version": USAGE_VERSION,
                "builds": [{"build": b.number, "finished": round(b.finished_s, 3), "config": b.config,
                            "entries": b.entries} for b in self.builds],
                "used": {kind: dict(sorted(names.items())) for kind, names in sorted(self.used.items()) if names}}


class UsageDamaged(ValueError):
    """``usage.json`` exists but cannot be read as a usage record."""


def read_usage(root: Path) -> Usage | None:
    """The cache's usage record; ``None`` when no build has written one. Raises :class:`UsageDamaged`."""
    try:
        raw = (root / USAGE_NAME).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UsageDamaged(f"unreadable: {error.strerror or error}") from None
    try:
        data = json.loads(raw)
        if not (isinstance(data, dict) and data.get("format") == USAGE_FORMAT
                and data.get("version") == USAGE_VERSION):
            raise ValueError("not a sonicguide usage record of this version")
        builds = [BuildRecord(number=int(b["build"]), finished_s=float(b["finished"]),
                              config=None if b.get("config") is None else str(b["config"]),
                              entries=int(b["entries"])) for b in data["builds"]]
        used = {str(kind): {str(name): int(number) for name, number in names.items()}
                for kind, names in data["used"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise UsageDamaged(str(error) or type(error).__name__) from None
    return Usage(builds=builds, used=used)


def write_usage(root: Path, usage: Usage) -> None:
    """Replace ``usage.json`` atomically (compact JSON: it is read by programs)."""
    write_atomic(root / USAGE_NAME, json.dumps(usage.to_json(), separators=(",", ":")).encode("utf-8"))


def record_build(root: Path, used: Iterable[str], *, config: str | None = None) -> tuple[int, str | None]:
    """Add one successful build that used the entries ``used`` (``kind/hh/file`` names) to the record.

    Returns the build's number and a note when the previous record was damaged (it is started afresh:
    the cache then knows only this build's use).
    """
    note = None
    with _locked(root / USAGE_LOCK_NAME, shared=False):
        try:
            usage = read_usage(root) or Usage()
        except UsageDamaged as error:
            usage = Usage()
            note = f"the cache's record of what builds used ({root / USAGE_NAME}) was damaged ({error}); started afresh"
        last = usage.last
        number = (last.number if last is not None else 0) + 1
        count = 0
        for name in used:
            kind, _, rest = name.partition("/")
            usage.used.setdefault(kind, {})[rest.rpartition("/")[2]] = number
            count += 1
        usage.builds.append(BuildRecord(number=number, finished_s=time.time(), config=config, entries=count))
        del usage.builds[:-KEPT_BUILD_RECORDS]
        write_usage(root, usage)
    return number, note


class CacheBusy(RuntimeError):
    """A build holds the cache (raised when a prune may not wait any longer)."""


class Lease:
    """A hold on a cache folder: shared by builds, exclusive for a prune; :meth:`release` ends it."""

    def __init__(self, descriptor: int | None) -> None:
        self._descriptor = descriptor

    @classmethod
    def shared(cls, root: Path) -> Lease:
        """A build's hold: waits while a prune runs (creates the cache folder)."""
        return cls(_lock(root / LOCK_NAME, shared=True, wait_s=None))

    @classmethod
    def exclusive(cls, root: Path, *, wait_s: float) -> Lease:
        """A prune's hold: waits up to ``wait_s`` seconds for running builds, then raises :class:`CacheBusy`."""
        return cls(_lock(root / LOCK_NAME, shared=False, wait_s=wait_s))

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing releases the flock
            self._descriptor = None

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock(path: Path, *, shared: bool, wait_s: float | None) -> int | None:
    """An open descriptor of ``path`` holding a ``flock`` (``None`` where there is no flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock (see the module docstring)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        if wait_s is None:
            fcntl.flock(descriptor, mode)
            return descriptor
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
                return descriptor
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CacheBusy(f"a build is using the cache {path.parent}") from None
                time.sleep(0.2)
    except BaseException:
        os.close(descriptor)
        raise


@contextlib.contextmanager
def _locked(path: Path, *, shared: bool) -> Iterator[None]:
    descriptor = _lock(path, shared=shared, wait_s=None)
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)
