"""What a file really is, from its first bytes, when it is not audio we can decode.

libsndfile's own message for a ZIP archive named ``.mp3`` is "File does not exist or is not a
regular file (possibly a pipe?)", which sends people looking in the wrong place. The signatures
below are the common things that end up in an audio folder by mistake (archives, documents,
images, video containers, MIDI, a web page saved in place of a download); each is a published
magic number (see e.g. the file(1) magic database or the IANA media-type registrations).
No numpy, no soundfile: ``validate`` can call it cheaply.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

#: Bytes read from the start of a file.
SNIFF_BYTES = 64

#: (offset, signature, what it is, what to do instead).
_SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"PK\x03\x04", "a ZIP archive", "unzip it and point at the audio file inside"),
    (0, b"PK\x05\x06", "an empty ZIP archive", "point at an audio file"),
    (0, b"Rar!\x1a\x07", "a RAR archive", "extract it and point at the audio file inside"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it and point at the audio file inside"),
    (0, b"\x1f\x8b", "a gzip archive", "extract it and point at the audio file inside"),
    (0, b"BZh", "a bzip2 archive", "extract it and point at the audio file inside"),
    (0, b"\xfd7zXZ\x00", "an xz archive", "extract it and point at the audio file inside"),
    (257, b"ustar", "a tar archive", "extract it and point at the audio file inside"),
    (0, b"%PDF", "a PDF document", "point at the audio file, not its documentation"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image", "point at an audio file"),
    (0, b"\xff\xd8\xff", "a JPEG image", "point at an audio file"),
    (0, b"GIF8", "a GIF image", "point at an audio file"),
    (0, b"MThd", "a MIDI file (notes, not sound)", "render it to WAV or FLAC"),
    (0, b"\x1aE\xdf\xa3", "a Matroska/WebM file", "extract the audio as WAV, FLAC, MP3 or Ogg (e.g. with ffmpeg)"),
    (4, b"ftyp", "an MP4/M4A/MOV file (AAC or video)", "convert the audio to WAV, FLAC, MP3 or Ogg"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "a Windows Media (ASF/WMA) file", "convert it to WAV, FLAC, MP3 or Ogg"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document", "point at an audio file"),
    (0, b"\x7fELF", "a program (ELF executable)", "point at an audio file"),
    (0, b"MZ", "a Windows program", "point at an audio file"),
)

#: RIFF form types that are not audio.
_RIFF_FORMS = {b"AVI ": "an AVI video", b"WEBP": "a WebP image", b"RMID": "a RIFF MIDI file (notes, not sound)"}


class Sniffed(NamedTuple):
    """A non-audio file: what it is (``"a ZIP archive"``) and what to do instead."""

    what: str
    fix: str


def sniff_non_audio(head: bytes) -> Sniffed | None:
    """What ``head`` (a file's first :data:`SNIFF_BYTES` or more bytes) is, if it is a known
    non-audio format; ``None`` when it may be audio."""
    for offset, signature, what, fix in _SIGNATURES:
        if head[offset:offset + len(signature)] == signature:
            return Sniffed(what, fix)
    if head[:4] == b"RIFF" and head[8:12] in _RIFF_FORMS:
        return Sniffed(_RIFF_FORMS[head[8:12]], "point at an audio file")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<svg")):
        return Sniffed("a web page or XML document (often an error page saved in place of a download)",
                       "download the audio again")
    if head and _looks_like_text(head):
        return Sniffed("a text file", "point at an audio file")
    return None


def _looks_like_text(head: bytes) -> bool:
    """Every byte printable ASCII or common whitespace, or valid UTF-8 without control bytes."""
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        # The head may end inside a multi-byte character.
        try:
            decoded = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return bool(decoded) and all(ch.isprintable() or ch in "\t\r\n" for ch in decoded)


def sniff_file(path: Path) -> Sniffed | None:
    """:func:`sniff_non_audio` of the file's first bytes (``None`` when it cannot be read)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(max(SNIFF_BYTES, 262))
    except OSError:
        return None
    return sniff_non_audio(head)
