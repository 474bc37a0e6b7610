"""Opening and decoding audio files with libsndfile (through soundfile), block by block.

Every failure becomes an :class:`~sonicguide.core.errors.AudioError` with a reason a person can
act on; no libsndfile traceback reaches the user. The container is read from the content, not the
file name, and a mismatch between the two is reported.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

from sonicguide.core.audio.limits import DEFAULT_LIMITS, AudioLimits, HeaderFacts, header_problem
from sonicguide.core.audio.sniff import sniff_file
from sonicguide.core.errors import AudioError

#: libsndfile major format -> our container name.
_CONTAINERS = {
    "WAV": "wav",
    "WAVEX": "wav",
    "RF64": "rf64",
    "W64": "w64",
    "FLAC": "flac",
    "OGG": "ogg",
    "MP3": "mp3",
    "AIFF": "aiff",
    "CAF": "caf",
    "AU": "au",
}

#: File-name extension -> containers that extension may legitimately hold.
_EXTENSIONS = {
    ".wav": {"wav", "rf64", "w64"},
    ".wave": {"wav", "rf64", "w64"},
    ".rf64": {"rf64"},
    ".w64": {"w64"},
    ".flac": {"flac"},
    ".ogg": {"ogg"},
    ".oga": {"ogg"},
    ".opus": {"ogg"},
    ".mp3": {"mp3"},
    ".aif": {"aiff"},
    ".aiff": {"aiff"},
    ".aifc": {"aiff"},
    ".caf": {"caf"},
    ".au": {"au"},
}

#: libsndfile subtype -> bits per sample of the stored PCM (lossy codecs have none).
_BIT_DEPTHS = {
    "PCM_S8": 8,
    "PCM_U8": 8,
    "PCM_16": 16,
    "PCM_24": 24,
    "PCM_32": 32,
    "FLOAT": 32,
    "DOUBLE": 64,
    "ALAW": 8,
    "ULAW": 8,
}

_LOSSLESS_CONTAINERS = {"wav", "rf64", "w64", "flac", "aiff", "caf", "au"}


@dataclass(frozen=True)
class AudioFormat:
    """What the file's header says: container and codec from the content, declared length."""

    container: str
    codec: str
    sample_rate_hz: int
    bit_depth: int | None
    channels: int
    declared_frames: int
    mislabelled: str | None
    #: Size of the file, bytes.
    file_bytes: int = 0


def _fail(path: Path, message: str, *, fix: str | None = None, cacheable: bool = True) -> AudioError:
    return AudioError(str(path), message, fix=fix, cacheable=cacheable)


def _libsndfile_reason(exc: Exception) -> str:
    text = str(exc)
    # soundfile prefixes "Error opening 'path': "; the path is already in AudioError.
    text = re.sub(r"^Error opening .*?: ", "", text).strip()
    return text or type(exc).__name__


def probe(path: Path, *, limits: AudioLimits = DEFAULT_LIMITS) -> AudioFormat:
    """Read the header of ``path`` and check it against ``limits`` (nothing is decoded).

    Raises:
        AudioError: missing, empty, undecodable or truncated file, one without audio frames, a
        known non-audio format (a ZIP archive named ``.mp3``, say), or header values the limits
        refuse (sample rate, channels, duration, work or memory budget).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail(path, f"cannot read the file: {exc.strerror or exc}") from None
    if not path.is_file():
        raise _fail(path, "not a regular file")
    if size == 0:
        raise _fail(path, "empty file (0 bytes)")
    sniffed = sniff_file(path)
    if sniffed is not None:
        raise _fail(path, f"the file is {sniffed.what}, not audio", fix=sniffed.fix)
    try:
        info = sf.info(str(path))
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        raise _fail(path, f"not a decodable audio file ({_libsndfile_reason(exc)})") from None
    container = _CONTAINERS.get(info.format, info.format.lower())
    if info.samplerate <= 0 or info.channels <= 0:
        raise _fail(path, "the header declares no sample rate or no channels")
    if info.frames <= 0:
        raise _fail(path, "contains no audio frames")
    truncated = _header_truncation(info.extra_info)
    if truncated:
        raise _fail(path, truncated)
    refused = header_problem(
        HeaderFacts(sample_rate_hz=int(info.samplerate), channels=int(info.channels), frames=int(info.frames),
                    file_bytes=size),
        limits,
    )
    if refused:
        raise _fail(path, refused.reason, fix=refused.fix)
    suffix = path.suffix.lower()
    mislabelled = None
    expected = _EXTENSIONS.get(suffix)
    if expected is not None and container not in expected:
        mislabelled = f"file name says {suffix[1:]} but the content is {container.upper()}"
    return AudioFormat(
        container=container,
        codec=info.subtype,
        sample_rate_hz=int(info.samplerate),
        bit_depth=_BIT_DEPTHS.get(info.subtype),
        channels=int(info.channels),
        declared_frames=int(info.frames),
        mislabelled=mislabelled,
        file_bytes=size,
    )


def _header_truncation(extra_info: str) -> str | None:
    """A reason when libsndfile's header log shows a data chunk longer than the file."""
    match = re.search(r"^\s*(?:data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", extra_info, re.MULTILINE)
    if not match:
        return None
    declared, present = int(match.group(1)), int(match.group(2))
    # Streaming writers (e.g. a WAV piped out of ffmpeg) put 0 or 0xFFFFFFFF as "size unknown".
    if declared in (0, 0xFFFFFFFF) or declared <= present:
        return None
    return f"truncated: the header declares {declared} bytes of audio but only {present} are present"


def iter_blocks(
    path: Path,
    audio_format: AudioFormat,
    *,
    limits: AudioLimits = DEFAULT_LIMITS,
    block_frames: int | None = None,
) -> Iterator[npt.NDArray[np.float32]]:
    """Decode ``path`` block by block as float32 arrays of shape ``(frames, channels)``.

    Blocks hold at most ``limits.block_bytes`` of samples whatever the channel count (or
    ``block_frames`` frames, for tests). Every block is checked for non-finite samples; the decoded
    length against ``limits.max_duration_s`` and ``limits.max_samples`` (a header may understate
    it) and the elapsed time against ``limits.max_seconds``. After the last block the decoded
    length is compared with the declared one, so a truncated lossless file raises rather than
    being measured short.

    Raises:
        AudioError: decoding fails, NaN or infinite samples, longer than the limits allow,
        slower than the time budget, or fewer frames than the header declares.
    """
    rate, channels = audio_format.sample_rate_hz, audio_format.channels
    block_frames = block_frames or limits.block_frames(channels)
    limit_frames = limits.max_samples // channels
    if limits.max_duration_s is not None:
        limit_frames = min(limit_frames, int(limits.max_duration_s * rate))
    deadline = time.monotonic() + limits.max_seconds
    decoded = 0
    try:
        handle = sf.SoundFile(str(path))
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        raise _fail(path, f"not a decodable audio file ({_libsndfile_reason(exc)})") from None
    with handle:
        while True:
            try:
                block = handle.read(block_frames, dtype="float32", always_2d=True)
            except (RuntimeError, OSError, ValueError) as exc:
                raise _fail(
                    path,
                    f"decoding failed at {decoded / rate:.2f} s ({_libsndfile_reason(exc)}): "
                    "the file is truncated or corrupt",
                ) from None
            if block.shape[0] == 0:
                break
            if not np.isfinite(block).all():
                bad = int(np.argmin(np.isfinite(block).all(axis=1)))
                raise _fail(
                    path,
                    f"contains non-finite samples (NaN or infinity) at {(decoded + bad) / rate:.3f} s",
                )
            decoded += block.shape[0]
            if decoded > limit_frames:
                raise _fail(path, f"decodes to more than the header declares and the limits allow "
                                  f"({limit_frames / rate:.1f} s)", fix="export the file again")
            yield block
            if time.monotonic() > deadline:
                raise _fail(
                    path,
                    f"measuring took longer than the {limits.max_seconds:g} s budget "
                    f"(stopped at {decoded / rate:.1f} s of {audio_format.declared_frames / rate:.1f} s)",
                    fix="the machine is overloaded or the file is too long: shorten it, or build again",
                    cacheable=False,
                )
    if decoded == 0:
        raise _fail(path, "no audio frames could be decoded")
    declared = audio_format.declared_frames
    lossless = audio_format.container in _LOSSLESS_CONTAINERS
    # Lossy decoders only estimate the length from the header; allow their padding.
    if (lossless and decoded < declared) or (not lossless and decoded < 0.98 * declared - rate):
        raise _fail(
            path,
            f"truncated: the header declares {declared / rate:.2f} s but only {decoded / rate:.2f} s "
            "could be decoded",
        )
