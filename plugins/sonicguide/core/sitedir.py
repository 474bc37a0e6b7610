"""Building beside ``site_dir`` and swapping the finished site in, safely for concurrent builds.

Every build writes into its own temporary folder next to the site
(``<site>.sonicguide-new-<pid>-<random>``), so two builds at once never write into each other's
output. The swap takes an exclusive lock (``flock`` on the folder that holds the site, so no lock
file is left about) and exchanges the
two folders with one ``renameat2(RENAME_EXCHANGE)`` where Linux offers it, so ``site_dir`` is never
missing or mixed; elsewhere two renames under the same lock. The old site is then removed, and
anything that cannot be removed is reported, never left behind silently.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .faults import remove_tree

NEW_MARK = ".sonicguide-new-"
OLD_MARK = ".sonicguide-old-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def make_temp_site(final_dir: Path) -> Path:
    """A new empty folder beside ``final_dir``, unique to this build (raises ``OSError``)."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(final_dir)
    return Path(tempfile.mkdtemp(dir=final_dir.parent, prefix=f"{final_dir.name}{NEW_MARK}{os.getpid()}-"))


def remove_stale(final_dir: Path) -> list[str]:
    """Remove temporary folders of builds that are no longer running (a killed build leaves one).

    The builder's process id is part of each name; folders of live processes are left alone.
    Returns what could not be removed.
    """
    failures: list[str] = []
    if not final_dir.parent.is_dir():
        return failures
    for mark in (NEW_MARK, OLD_MARK):
        for folder in final_dir.parent.glob(f"{final_dir.name}{mark}*"):
            pid_text = folder.name[len(final_dir.name) + len(mark):].split("-", 1)[0]
            if pid_text.isdigit() and not _alive(int(pid_text)):
                failures += remove_tree(folder)
    return failures


def swap_into_place(new_dir: Path, final_dir: Path) -> list[str]:
    """Make ``new_dir`` the site at ``final_dir``; returns what of the old site could not be removed.

    Raises ``OSError`` when the swap itself fails; the previous site is then still in place.
    """
    with _locked(final_dir.parent):
        if final_dir.is_dir() and not final_dir.is_symlink() and _exchange(new_dir, final_dir):
            old_dir = new_dir  # the exchange left the previous site under the temporary name
        else:
            old_dir = final_dir.parent / f"{final_dir.name}{OLD_MARK}{os.getpid()}-{new_dir.name[-8:]}"
            if final_dir.is_dir() and not final_dir.is_symlink():
                final_dir.replace(old_dir)
            try:
                new_dir.replace(final_dir)
            except OSError:
                if old_dir.is_dir() and not final_dir.exists():
                    old_dir.replace(final_dir)  # put the previous site back
                raise
    return remove_tree(old_dir)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (waits for another build's swap to finish)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; the unique folders still keep builds apart
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); ``False`` where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # libc's, through the running program
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}:  # this file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), os.fspath(second))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
