"""System faults and clocks, turned into one sentence a user can act on.

A read-only folder, a full disk or a file that cannot be removed is not a bug of ours: the user
gets the path, what went wrong and the fix, never a traceback. Build dates are clamped into the
range every format that carries them can hold.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

#: 1980-01-01T00:00:00Z: the earliest time a zip entry (DOS date) can carry.
EARLIEST_EPOCH_S = 315_532_800
#: 2106-02-07T06:28:15Z: the latest time gzip's 32-bit header field (the sitemap) can carry.
LATEST_EPOCH_S = 2**32 - 1

_NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def clamp_epoch(seconds: float) -> int:
    """``seconds`` since 1970 as a whole number inside [1980-01-01, 2106-02-07]."""
    if seconds != seconds:  # NaN
        return EARLIEST_EPOCH_S
    return int(min(max(seconds, EARLIEST_EPOCH_S), LATEST_EPOCH_S))


def check_source_date_epoch(value: str) -> str | None:
    """Why a user's ``SOURCE_DATE_EPOCH`` cannot be used (``None`` when it can)."""
    try:
        seconds = int(value.strip())
    except ValueError:
        return (f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970; set it to one "
                "(e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)) or unset it.")
    if not EARLIEST_EPOCH_S <= seconds <= LATEST_EPOCH_S:
        return (f"SOURCE_DATE_EPOCH={seconds} is outside 1980-01-01 .. 2106-02-07, the dates zip and gzip "
                f"can carry; set it to a time between {EARLIEST_EPOCH_S} and {LATEST_EPOCH_S} or unset it.")
    return None


def describe_os_error(error: OSError, *, doing: str, setting: str | None = None) -> str:
    """One sentence: what failed (``doing``, e.g. "writing the site"), on which path, and the fix.

    ``setting`` names the option that chooses the folder (``site_dir``, ``cache_dir``), offered as
    the alternative fix.
    """
    path = error.filename if error.filename is not None else "(unknown path)"
    reason = error.strerror or str(error)
    elsewhere = f", or set {setting} to a folder you can write" if setting else ""
    if error.errno in _NOT_ALLOWED:
        folder = os.fspath(path)
        fix = (f"make it writable (chmod -R u+w '{folder}') or check the disk is not mounted read-only{elsewhere}"
               if error.errno == errno.EROFS else f"make it writable (chmod -R u+w '{folder}'){elsewhere}")
        return f"Permission denied while {doing}: '{path}' ({reason}); {fix}."
    if error.errno in _FULL:
        return (f"The disk is full while {doing}: '{path}' ({reason}); free some space on that disk"
                f"{elsewhere or ' and build again'}.")
    return (f"Cannot finish {doing}: '{path}' ({reason}); check that the path exists and is a folder you can "
            f"write{elsewhere}.")


def remove_tree(path: Path) -> list[str]:
    """Remove ``path`` and everything under it; returns what could not be removed (empty when all went).

    Unlike ``shutil.rmtree(..., ignore_errors=True)`` the failures are reported, so that a folder left
    behind is never left silently.
    """
    failures: list[str] = []

    def record(function: object, failed: str, exc: object) -> None:
        error = exc[1] if isinstance(exc, tuple) else exc
        reason = getattr(error, "strerror", None) or str(error)
        failures.append(f"{failed} ({reason})")

    if not os.path.lexists(path):
        return []
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=record)
    else:
        shutil.rmtree(path, onerror=record)
    return failures
