"""Large outputs (audio, delivery packs, social cards, peaks, charts) reach the site once per content.

Identity is content, not path: two assets, brands or packs that publish the same bytes get one inode
in the site, so the site's disk use grows with unique content, not with references.

**Where a hard link may come from.** A site file is hard-linked only from a file nobody edits in
place: an entry of the content-addressed cache (written to a new file and renamed into place, never
rewritten; a damaged one is unlinked, which leaves the site's link intact) or a file this build
already placed in its own site folder. It is never linked from a brand's own audio: a later edit of
``brands/<slug>/audio/logo.wav`` in place (an editor saving over it, ``sox ... -o logo.wav``) would
then change the published site and the cache behind the build's back. A brand's audio is instead
copied into the cache once (:func:`store_source`, under its SHA-256) and linked from there on every
build. Without a persistent cache it is copied into the site once, and every other reference to the
same bytes links to that copy.

**Every write is a new file.** :func:`place` links or copies to a temporary name beside the target
and renames it over the target, so a later build (``mkdocs build --dirty``, ``atomic: false``, a
serve rebuild) that writes the same site path never writes through a link into a cache entry or
into another site.

**Where linking is impossible** (the cache on another file system: ``EXDEV``; a file system without
hard links; a link count at its maximum), the file is copied, with the same bytes.

This module imports neither MkDocs nor the audio stack.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sonicguide.core.cache import Cache, sidecar, write_atomic
from sonicguide.core.errors import SonicguideError

#: Default cap on the site's files (besides its HTML pages), counted once per unique content: 10 GiB.
DEFAULT_MAX_SITE_BYTES = 10 * 1024**3
MEDIA_KIND = "media"
_CHUNK = 1 << 20
_AUDIO_SUFFIXES = {".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".aif", ".aiff"}
_temp_names = itertools.count()


class SiteSizeError(SonicguideError):
    """The site would be larger than the configured cap; the message names the largest brands and the fix."""


def file_mode() -> int:
    """Permission bits a newly created file gets under the process's umask (0644 under umask 022)."""
    try:  # Linux says it without changing it (os.umask would, for a moment, for every thread)
        with Path("/proc/self/status").open(encoding="ascii") as status:
            mask = next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def store_source(cache: Cache, source: Path, sha256: str) -> Path | None:
    """The cache's copy of a brand's audio file whose content hash is ``sha256``, made on first use.

    Returns ``None`` when the cache is disabled or the file changed while it was copied (it is then
    published by copying, as it is now). The copy is made once per content and never modified, so
    the site may hard-link it (see the module docstring for why the source itself is never linked).
    """
    suffix = source.suffix.lower() if source.suffix.lower() in _AUDIO_SUFFIXES else ".bin"
    entry = cache.verified(MEDIA_KIND, sha256, suffix)
    if entry is not None:
        return entry
    path = cache.entry_path(MEDIA_KIND, sha256, suffix)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(path)
    digest = hashlib.sha256()
    try:
        with source.open("rb") as reader, temp.open("xb") as writer:
            while chunk := reader.read(_CHUNK):
                digest.update(chunk)
                writer.write(chunk)
        if digest.hexdigest() != sha256:
            return None  # edited since it was hashed: the next build stores the new bytes
        temp.chmod(file_mode())  # the site's hard links share these permission bits
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)
    write_atomic(sidecar(path), sha256.encode("ascii"))
    cache.content_hash(path)  # recorded now, so the next build verifies it by one stat
    return path


def by_content(files: Mapping[str, bytes | Path], cache: Cache, *, store: bool) -> dict[str, bytes | Path]:
    """``files`` with every file path replaced by one path per content: the cache's copy of a brand's
    audio when ``store`` (see :func:`store_source`), else the first path that holds the same bytes.

    Bytes values are kept as they are. Order is kept.
    """
    first: dict[str, Path] = {}
    result: dict[str, bytes | Path] = {}
    for uri, content in files.items():
        if isinstance(content, Path):
            sha256 = cache.content_hash(content)
            if sha256 not in first:
                stored = store_source(cache, content, sha256) if store and not cache.holds(content) else None
                first[sha256] = stored or content
            content = first[sha256]
        result[uri] = content
    return result


@dataclass
class SiteBytes:
    """What a brand publishes besides its HTML pages, counted once per unique content, in bytes."""

    audio: int = 0
    packs: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.audio + self.packs + self.other


def site_bytes(files: Mapping[str, bytes | Path]) -> tuple[int, dict[str, SiteBytes]]:
    """Total bytes of ``files`` (each unique file once) and the same per top-level folder (brand slug).

    Files are told apart by path (:func:`by_content` has made equal contents one path); bytes values
    are counted each time they appear (they are small: ``brand.json``, schemas).
    """
    seen: set[Path] = set()
    total = 0
    per_folder: dict[str, SiteBytes] = {}
    per_folder_seen: dict[str, set[Path]] = {}
    for uri, content in files.items():
        folder = uri.split("/", 1)[0] if "/" in uri else ""
        if isinstance(content, Path):
            size = content.stat().st_size
            if content not in seen:
                seen.add(content)
                total += size
            if content in per_folder_seen.setdefault(folder, set()):
                continue
            per_folder_seen[folder].add(content)
        else:
            size = len(content)
            total += size
        counted = per_folder.setdefault(folder, SiteBytes())
        suffix = Path(uri).suffix.lower()
        if "/packs/" in uri or suffix == ".zip":  # a pack's plan, manifest and licence (its audio is audio)
            counted.packs += size
        elif suffix in _AUDIO_SUFFIXES:
            counted.audio += size
        else:
            counted.other += size
    return total, per_folder


def check_site_size(files: Mapping[str, bytes | Path], *, max_site_bytes: int, brands: list[str]) -> None:
    """Raise :class:`SiteSizeError` when ``files`` add up to more than ``max_site_bytes`` (0: no cap)."""
    if max_site_bytes <= 0:
        return
    total, per_folder = site_bytes(files)
    if total <= max_site_bytes:
        return
    ranked = sorted(((per_folder[slug], slug) for slug in brands if slug in per_folder),
                    key=lambda item: (-item[0].total, item[1]))
    largest = "; ".join(f"{slug} {_size(counted.total)} (audio {_size(counted.audio)}, delivery packs "
                        f"{_size(counted.packs)}, other {_size(counted.other)})" for counted, slug in ranked[:3])
    raise SiteSizeError(
        f"The site would hold {_size(total)} of files (each unique file counted once, HTML pages aside), more "
        f"than max_site_bytes ({_size(max_site_bytes)}). Largest brands: {largest}. Make them smaller (fewer "
        "or shorter assets; `downloadable: false` keeps an asset out of the delivery packs; each touchpoint "
        "adds a pack of its assets) or raise the plugin option max_site_bytes (0: no cap).")


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GiB"
    if count >= 1024**2:
        return f"{count / 1024**2:.1f} MiB"
    return f"{count / 1024:.1f} KiB"


@dataclass
class Placer:
    """Puts files into one site folder: hard links where safe and possible, copies otherwise.

    ``immutable_root``: a folder whose files are never modified in place (the cache); a file under
    it is linked. Any other source is copied the first time and linked from that copy afterwards.
    ``link``: ``False`` copies everything (the behaviour before links; used by ``bench/``).
    """

    immutable_root: Path | None = None
    link: bool = True
    linked: int = 0
    copied: int = 0
    copied_bytes: int = 0
    #: Files under ``immutable_root`` now linked into the site (see :meth:`Cache.relinked`).
    linked_from: set[Path] = field(default_factory=set)
    _first: dict[Path, Path] = field(default_factory=dict)
    _mode: int = field(default_factory=file_mode)

    def place(self, source: Path, target: Path) -> None:
        """Make ``target`` hold the bytes of ``source``, through a new file renamed into place.

        Raises ``OSError`` when neither linking nor copying works (a full disk, a read-only folder).
        """
        target.parent.mkdir(parents=True, exist_ok=True)
        origin = self._first.get(source)
        if origin is None and self._immutable(source):
            origin = source
        if not (self.link and origin is not None and self._link(origin, target)):
            self._copy(source, target)
        self._first.setdefault(source, target)

    def _immutable(self, source: Path) -> bool:
        root = self.immutable_root
        return root is not None and source.is_relative_to(root)

    def _link(self, origin: Path, target: Path) -> bool:
        try:
            info = origin.stat()
            if stat.S_IMODE(info.st_mode) != self._mode:
                # A cache entry is made by mkstemp (0600); the site's copy must be as readable as a copied file.
                origin.chmod(self._mode)
            with contextlib.suppress(FileNotFoundError):
                if origin.samefile(target):
                    self.linked += 1
                    if self._immutable(origin):
                        self.linked_from.add(origin)
                    return True  # already this inode; renaming a link over itself would do nothing
            temp = _temp_beside(target)
            try:
                os.link(origin, temp)
                temp.replace(target)
            finally:
                temp.unlink(missing_ok=True)
        except OSError:
            return False  # EXDEV (another file system), EPERM, EMLINK...: copy instead
        self.linked += 1
        if self._immutable(origin):
            self.linked_from.add(origin)
        return True

    def _copy(self, source: Path, target: Path) -> None:
        temp = _temp_beside(target)
        try:
            shutil.copyfile(source, temp)
            temp.replace(target)
        finally:
            temp.unlink(missing_ok=True)
        self.copied += 1
        self.copied_bytes += target.stat().st_size


def _temp_beside(target: Path) -> Path:
    """A name beside ``target`` for a file about to be renamed over it (unique in this process)."""
    return target.with_name(f".{target.name}.{os.getpid()}-{next(_temp_names)}.tmp")
