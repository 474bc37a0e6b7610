"""A content-addressed cache for analysis results and charts.

Keys are hashes of the input bytes plus everything else the output depends on (options, code and
library versions). Outputs are files named by their key, so a stale entry can never be served
for new input. A manifest remembers each source file's size, modification time and content hash,
so a warm build answers "unchanged?" with one ``stat`` per file instead of re-hashing gigabytes.
The manifest is saved once at the end of a build, atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1
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
        if root is not None:
            manifest = root / "manifest.json"
            try:
                loaded = json.loads(manifest.read_text(encoding="utf-8"))
                if loaded.get("version") == MANIFEST_VERSION and isinstance(loaded.get("files"), dict):
                    self._files = loaded["files"]
            except (OSError, ValueError):
                self._files = {}

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def content_hash(self, path: Path) -> str:
        """SHA-256 of ``path``; re-hashed only when its size or modification time changed."""
        info = path.stat()
        key = str(path)
        with self._lock:
            known = self._files.get(key)
            if known and known.get("size") == info.st_size and known.get("mtime_ns") == info.st_mtime_ns:
                return str(known["sha256"])
        digest = sha256_file(path)
        with self._lock:
            self._files[key] = {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": digest}
            self._dirty = True
        return digest

    def entry_path(self, kind: str, key: str, suffix: str) -> Path | None:
        """Where the entry ``key`` of ``kind`` lives (``None`` when the cache is disabled)."""
        if self.root is None:
            return None
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def get_json(self, kind: str, key: str) -> Any | None:
        path = self.entry_path(kind, key, ".json")
        if path is None or not path.is_file():
            self.misses += 1
            return None
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put_json(self, kind: str, key: str, value: Any) -> None:
        """Store ``value``; :meth:`get_json` gives it back with its keys in the same order, so a warm
        build (reading the cache) and a cold one (computing afresh) produce the same bytes."""
        path = self.entry_path(kind, key, ".json")
        if path is not None:
            write_atomic(path, json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8"))

    def has(self, kind: str, key: str, suffix: str) -> bool:
        path = self.entry_path(kind, key, suffix)
        return path is not None and path.is_file()

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
