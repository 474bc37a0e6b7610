"""A content-addressed cache for analysis results and charts.

Keys are hashes of the input bytes plus everything else the output depends on (options, code and
library versions). Outputs are files named by their key, so a stale entry can never be served
for new input. A manifest remembers each source file's size, modification time, inode, change
time and content hash, so a warm build answers "unchanged?" with one ``stat`` per file instead of
re-hashing gigabytes; a file rewritten with the same size and modification time still gets a new
change time (which no user tool can set back) and is hashed again. The manifest is saved once at
the end of a build, atomically.

The cache heals itself: every entry is written with a ``.sha256`` sidecar, and every read checks
the entry against it (and JSON entries against the shape their reader expects). A truncated,
corrupt or wrong-shaped entry is deleted, recorded in :attr:`Cache.warnings` and made again, so a
damaged chart, zip or PNG is never published and a bad entry never fails every later build.

Nothing here removes an entry that is merely old: :attr:`Cache.used` collects every entry a build
asks for, a successful build records them (:mod:`sonicguide.core.cacheuse`), and ``sonicguide cache
prune`` (:mod:`sonicguide.core.cacheprune`) removes what recent builds did not use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

#: 2: entries also record inode and change time.
MANIFEST_VERSION = 2
SIDECAR_SUFFIX = ".sha256"
_STAT_FIELDS = ("size", "mtime_ns", "ino", "ctime_ns")
#: What a rewrite in place changes, unless a tool sets the modification time back (change time catches that).
_CONTENT_FIELDS = ("size", "mtime_ns", "ino")
T = TypeVar("T")
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def make_key(*parts: Any) -> str:
    """A stable hex key from JSON-serialisable parts (order matters)."""
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temp_name).replace(path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def sidecar(path: Path) -> Path:
    """The file holding the SHA-256 of the cache entry ``path``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_entry(path: Path, data: bytes) -> None:
    """Write a cache entry atomically, then its checksum sidecar (an entry without one is never trusted)."""
    write_atomic(path, data)
    write_atomic(sidecar(path), hashlib.sha256(data).hexdigest().encode("ascii"))


def seal_entry(path: Path) -> None:
    """Write the checksum sidecar of an entry that was written by other means (a zip, say)."""
    write_atomic(sidecar(path), sha256_file(path).encode("ascii"))


def _stat_record(info: os.stat_result) -> dict[str, int]:
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "ino": info.st_ino, "ctime_ns": info.st_ctime_ns}


def _relinked(known: Mapping[str, Any], record: Mapping[str, int], info: os.stat_result) -> bool:
    """A cache entry whose change time moved only because a site linked or unlinked it: same size,
    modification time and inode, and another link count than recorded (a rewrite keeps the count)."""
    return (all(known.get(name) == record[name] for name in _CONTENT_FIELDS)
            and isinstance(known.get("nlink"), int) and known["nlink"] != info.st_nlink)


def _valid_manifest_entry(value: Any) -> bool:
    return (isinstance(value, dict) and all(isinstance(value.get(name), int) for name in _STAT_FIELDS)
            and isinstance(value.get("sha256"), str) and len(value["sha256"]) == 64)


class Cache:
    """Content-addressed store under ``root`` (``None`` disables persistence).

    Layout: ``<root>/manifest.json`` and ``<root>/<kind>/<key[:2]>/<key><suffix>``.
    Thread-safe for the main process; worker processes write entries with :func:`write_atomic`
    through :meth:`entry_path`, which needs no shared state.
    """

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._files: dict[str, dict[str, Any]] = {}
        self._dirty = False
        self.hits = 0
        self.misses = 0
        #: One line per damaged entry found and discarded during this build (for the build's warnings).
        self.warnings: list[str] = []
        #: Every entry this process asked for, read, wrote or hashed, as ``kind/hh/file`` names relative to
        #: the root (whether or not it exists): what a successful build records in ``usage.json``
        #: (:mod:`sonicguide.core.cacheuse`), so that ``sonicguide cache prune`` keeps it.
        self.used: set[str] = set()
        self._recorders: list[set[str]] = []
        if root is not None:
            manifest = root / "manifest.json"
            try:
                loaded = json.loads(manifest.read_text(encoding="utf-8"))
            except FileNotFoundError:
                loaded = None
            except (OSError, ValueError) as error:
                self._damaged(manifest, f"unreadable: {error}")
                loaded = None
            if isinstance(loaded, dict) and loaded.get("version") == MANIFEST_VERSION \
                    and isinstance(loaded.get("files"), dict):
                self._files = {name: entry for name, entry in loaded["files"].items()
                               if _valid_manifest_entry(entry)}
                if len(self._files) != len(loaded["files"]):
                    self._damaged(manifest, f"{len(loaded['files']) - len(self._files)} malformed record(s)")

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def content_hash(self, path: Path) -> str:
        """SHA-256 of ``path``; re-hashed when its size, modification time, inode or change time changed."""
        info = path.stat()
        key = str(path)
        record = _stat_record(info)
        entry = self.holds(path)
        if entry:
            self.use(path)
        with self._lock:
            known = self._files.get(key)
            if known and (all(known.get(name) == value for name, value in record.items())
                          or (entry and _relinked(known, record, info))):
                return str(known["sha256"])
        digest = sha256_file(path)
        with self._lock:
            self._files[key] = {**record, "sha256": digest, **({"nlink": info.st_nlink} if entry else {})}
            self._dirty = True
        return digest

    def holds(self, path: Path) -> bool:
        """Whether ``path`` is inside this cache's folder (one of its entries)."""
        return self.root is not None and path.is_relative_to(self.root)

    def use(self, path: Path) -> None:
        """Count the entry ``path`` (inside the cache) as used by this build."""
        if self.root is not None and path.is_relative_to(self.root):
            self.use_names([path.relative_to(self.root).as_posix()])

    def use_names(self, names: Iterable[str]) -> None:
        """Count the entries ``names`` (``kind/hh/file``) as used by this build."""
        names = list(names)
        self.used.update(names)
        for recorder in self._recorders:
            recorder.update(names)

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[str]]:
        """The names of the entries used inside the ``with`` block (also counted in :attr:`used`):
        what a cached result was made from, so that a build taking the result keeps them too."""
        names: set[str] = set()
        self._recorders.append(names)
        try:
            yield names
        finally:
            self._recorders.remove(names)

    def relinked(self, paths: Iterable[Path]) -> None:
        """Record the change time and link count of entries this build has hard-linked into a site.

        Linking an entry (and removing a site that linked it) changes its change time, which
        :meth:`content_hash` otherwise reads as "rewritten": call this once the site is in place, so
        the next build still answers "unchanged?" with one ``stat``. Entries whose size, modification
        time or inode changed since they were verified are left for :meth:`content_hash` to hash.
        """
        for path in paths:
            if not self.holds(path):
                continue
            try:
                info = path.stat()
            except OSError:
                continue
            record = _stat_record(info)
            with self._lock:
                known = self._files.get(str(path))
                if known and all(known.get(name) == record[name] for name in _CONTENT_FIELDS):
                    known.update(ctime_ns=record["ctime_ns"], nlink=info.st_nlink)
                    self._dirty = True

    def entry_path(self, kind: str, key: str, suffix: str) -> Path | None:
        """Where the entry ``key`` of ``kind`` lives (``None`` when the cache is disabled)."""
        if self.root is None:
            return None
        self.use_names([f"{kind}/{key[:2]}/{key}{suffix}"])
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def verified(self, kind: str, key: str, suffix: str) -> Path | None:
        """The entry's path if it exists and matches its checksum; a damaged entry is discarded.

        An entry without a sidecar (written by an older version, or interrupted) is discarded silently.
        """
        path = self.entry_path(kind, key, suffix)
        if path is None or not path.is_file():
            return None
        try:
            expected = sidecar(path).read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            self.discard(path)
            return None
        try:
            actual = self.content_hash(path)
        except OSError as error:
            self._damaged(path, f"unreadable: {error.strerror or error}")
            self.discard(path)
            return None
        if actual != expected:
            self._damaged(path, "its bytes do not match the checksum written with it")
            self.discard(path)
            return None
        return path

    def get_json(self, kind: str, key: str, *, load: Callable[[Any], T] | None = None) -> Any | None:
        """The JSON entry, checked against its sidecar and (when given) ``load``, which converts the
        value and raises ``KeyError``, ``TypeError`` or ``ValueError`` on a wrong shape."""
        path = self.entry_path(kind, key, ".json")
        if path is None or not path.is_file():
            self.misses += 1
            return None
        try:
            raw = path.read_bytes()
            expected = sidecar(path).read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            self.misses += 1
            self.discard(path)
            return None
        try:
            if hashlib.sha256(raw).hexdigest() != expected:
                raise ValueError("its bytes do not match the checksum written with it")
            value = json.loads(raw)
            if load is not None:
                value = load(value)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            self._damaged(path, str(error) or type(error).__name__)
            self.discard(path)
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put_json(self, kind: str, key: str, value: Any) -> None:
        """Store ``value``; :meth:`get_json` gives it back with its keys in the same order, so a warm
        build (reading the cache) and a cold one (computing afresh) produce the same bytes."""
        path = self.entry_path(kind, key, ".json")
        if path is not None:
            write_entry(path, json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8"))

    def has(self, kind: str, key: str, suffix: str) -> bool:
        """Whether a sound entry exists (checked against its checksum, see :meth:`verified`)."""
        return self.verified(kind, key, suffix) is not None

    def discard(self, path: Path) -> None:
        """Delete an entry and its sidecar (missing files are fine)."""
        for target in (path, sidecar(path)):
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)
        with self._lock:
            if self._files.pop(str(path), None) is not None:
                self._dirty = True

    def _damaged(self, path: Path, reason: str) -> None:
        self.warnings.append(f"cache entry '{path}' was damaged ({reason}); it was discarded and made again. "
                             "Nothing to do unless this repeats: then check the disk holding the cache.")

    def save(self, *, keep: Mapping[str, Any] | None = None) -> None:
        """Write the manifest (only when something changed)."""
        if self.root is None or not self._dirty:
            return
        with self._lock:
            files = dict(sorted(self._files.items()))
            self._dirty = False
        payload = {"version": MANIFEST_VERSION, "files": files, **(dict(keep) if keep else {})}
        write_atomic(self.root / "manifest.json",
                     json.dumps(payload, sort_keys=True, indent=1).encode("utf-8"))
