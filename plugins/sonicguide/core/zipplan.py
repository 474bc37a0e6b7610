"""The exact bytes of a deterministic STORE-only zip, laid out as parts instead of written out.

A delivery pack is not stored: its zip is *described* as a sequence of parts, small header bytes
(local file headers, central directory, end records) and references to member files published once
on the site. Anyone holding the parts (the browser, ``sonicguide pack``) concatenates them into the
same zip, byte for byte; the site stores each member's bytes once however many packs hold it.

The layout (APPNOTE.TXT 6.3.10 sections 4.3.7, 4.3.12, 4.3.14-16, 4.5.3): every member is stored
(method 0), with the DOS epoch 1980-01-01 00:00:00, regular-file permissions 0644, the Unix "made
by" system and the UTF-8 name flag (bit 11); no data descriptors, no extra fields, no comment.
ZIP64 records are used only where a value does not fit: a member of 4 GiB or more gets ZIP64 sizes
in its local and central headers, a local header past 4 GiB a ZIP64 offset, and more than 65,534
members or a directory beyond 4 GiB a ZIP64 end record and locator.

This module imports nothing but the standard library.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: DOS date of 1980-01-01 (year 0, month 1, day 1) and time 00:00:00.
DOS_DATE = (0 << 9) | (1 << 5) | 1
DOS_TIME = 0
_UNIX = 3
_REGULAR_FILE_0644 = 0o100644 << 16
_UTF8_NAMES = 0x0800
_VERSION_STORED = 20  # 2.0: stored members in folders
_VERSION_ZIP64 = 45  # 4.5: ZIP64 records
_MAX32 = 0xFFFFFFFF
_MAX16 = 0xFFFF
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Member:
    """One stored member: its ``name`` in the zip (``/``-separated), ``size_bytes``, ``crc32``
    (of its bytes) and ``source``, an opaque reference to its bytes (a site URI, a path)."""

    name: str
    size_bytes: int
    crc32: int
    source: str


@dataclass(frozen=True)
class Layout:
    """A zip as parts: each part is ``bytes`` (to write as they are) or a :class:`Member` (whose
    bytes are to be written there); ``size_bytes`` is the whole zip's size."""

    parts: tuple[bytes | Member, ...]
    size_bytes: int


def layout(members: Sequence[Member]) -> Layout:
    """The parts of the zip holding ``members`` in the order given (sort them first for a
    deterministic zip). Consecutive header bytes are joined into one part.

    Raises ``ValueError`` for an empty or duplicate name.
    """
    names = [member.name for member in members]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise ValueError("zip member names must be non-empty and unique")
    parts: list[bytes | Member] = []
    pending = bytearray()
    central = bytearray()
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        big = member.size_bytes >= _MAX32
        far = offset >= _MAX32
        version = _VERSION_ZIP64 if big or far else _VERSION_STORED
        size32 = _MAX32 if big else member.size_bytes
        local_extra = struct.pack("<HHQQ", 1, 16, member.size_bytes, member.size_bytes) if big else b""
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, version, _UTF8_NAMES, 0, DOS_TIME, DOS_DATE,
                            member.crc32, size32, size32, len(name), len(local_extra)) + name + local_extra
        # The central ZIP64 extra holds, in this order, only the values whose field says 0xFFFFFFFF.
        wide = ([member.size_bytes, member.size_bytes] if big else []) + ([offset] if far else [])
        central_extra = struct.pack(f"<HH{len(wide)}Q", 1, 8 * len(wide), *wide) if wide else b""
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (_UNIX << 8) | version, version, _UTF8_NAMES, 0,
                               DOS_TIME, DOS_DATE, member.crc32, size32, size32, len(name), len(central_extra),
                               0, 0, 0, _REGULAR_FILE_0644, _MAX32 if far else offset) + name + central_extra
        pending += local
        parts.append(bytes(pending))
        pending.clear()
        parts.append(member)
        offset += len(local) + member.size_bytes
    directory_offset, directory_size, count = offset, len(central), len(members)
    pending += central
    if count >= _MAX16 or directory_offset >= _MAX32 or directory_size >= _MAX32:
        end64_offset = directory_offset + directory_size
        pending += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, (_UNIX << 8) | _VERSION_ZIP64, _VERSION_ZIP64,
                               0, 0, count, count, directory_size, directory_offset)
        pending += struct.pack("<IIQI", 0x07064B50, 0, end64_offset, 1)
    pending += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, _MAX16), min(count, _MAX16),
                           min(directory_size, _MAX32), min(directory_offset, _MAX32), 0)
    parts.append(bytes(pending))
    joined: list[bytes | Member] = []
    for part in parts:
        if isinstance(part, bytes) and joined and isinstance(joined[-1], bytes):
            joined[-1] += part
        elif not (isinstance(part, bytes) and not part):
            joined.append(part)
    size = sum(len(part) if isinstance(part, bytes) else part.size_bytes for part in joined)
    return Layout(parts=tuple(joined), size_bytes=size)


def file_crc32(path: Path) -> int:
    """CRC-32 (ISO-HDLC, as zip uses) of a file's bytes."""
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def chunks(parts: Iterable[bytes | Member], open_member: Callable[[Member], BinaryIO]) -> Iterator[bytes]:
    """The zip's bytes, in chunks of at most 1 MiB, reading each member through ``open_member``.

    Raises ``ValueError`` when a member's source holds another number of bytes than the layout says
    (the zip would be corrupt).
    """
    for part in parts:
        if isinstance(part, bytes):
            yield part
            continue
        left = part.size_bytes
        with open_member(part) as handle:
            while left and (chunk := handle.read(min(_CHUNK, left))):
                left -= len(chunk)
                yield chunk
            if left or handle.read(1):
                raise ValueError(f"{part.source} does not hold the {part.size_bytes} bytes the pack expects")


def sha256_and_size(data: Iterable[bytes]) -> tuple[str, int]:
    """Hex SHA-256 and byte count of a stream of chunks."""
    digest = hashlib.sha256()
    size = 0
    for chunk in data:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def bytes_crc32(data: bytes) -> int:
    """CRC-32 (ISO-HDLC) of bytes."""
    return zlib.crc32(data)
