"""What one audio file may cost: the limits, in one place, and the header checks that apply them.

Everything here is decided from the header (:class:`HeaderFacts`: rate, channels, declared frames,
file size) before a sample is decoded or a buffer is allocated, so a 2 KB file that claims a
2 GHz sample rate or 1,024 channels is refused in microseconds. The build, ``sonicguide analyze``
and ``sonicguide validate`` all go through :func:`header_problem`, so they agree.

This module imports neither numpy nor soundfile (``validate`` and warm builds stay light).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

#: Default longest audio, seconds (3 h: longer than any sonic-identity asset we know of, short
#: enough that one file cannot keep a build busy for long).
DEFAULT_MAX_DURATION_S = 3 * 3600.0


@dataclass(frozen=True)
class AudioLimits:
    """Limits on one audio file; every one is checked before decoding, the budgets while decoding.

    - ``min_sample_rate_hz`` / ``max_sample_rate_hz``: 1 kHz to 768 kHz. 768 kHz is the highest rate
      any converter or format ships (PCM in DXD/"768k" players); below 1 kHz nothing audible is left
      (Nyquist 500 Hz) and libsndfile writes such headers only by mistake.
    - ``max_channels``: 64, enough for 7th-order ambisonics (64), NHK 22.2 (24) and every bed of
      Dolby Atmos (up to 7.1.4); FLAC stops at 8, MP3 at 2. Larger object-based masters (ADM BWF with
      up to 128 channels) are delivered to a guide as renders.
    - ``max_duration_s``: default 3 h; ``None`` means no duration limit (the other budgets stay).
    - ``block_bytes``: decoded float32 samples per block, across channels (2 MiB: 262,144 stereo
      frames). Blocks are sized by bytes, not frames, so memory does not grow with channel count.
    - ``max_samples``: work budget, frames x channels decoded per file (3 h of 48 kHz stereo).
    - ``free_samples`` / ``max_samples_per_byte``: beyond the first ``free_samples`` (10 min of
      48 kHz stereo), a file may decode to at most ``max_samples_per_byte`` samples per byte of file.
      Real audio stays far below 64 (16-bit PCM: 0.5; FLAC: about 1; MP3 at 128 kbit/s: 5.5; Opus at
      6 kbit/s mono: 64); an hour of 192 kHz digital silence in a 3 MB FLAC is 440, a compression
      bomb. Analysis time grows with decoded samples, so this keeps the cost in proportion to size.
    - ``max_memory_bytes``: the memory the analysis will need, estimated from the header
      (:func:`estimated_memory_bytes`), must fit in this.
    - ``max_seconds``: wall-clock budget for decoding and measuring one file, checked after each
      block; a safety net for slow machines (a refusal for time is never cached).
    """

    min_sample_rate_hz: int = 1_000
    max_sample_rate_hz: int = 768_000
    max_channels: int = 64
    max_duration_s: float | None = DEFAULT_MAX_DURATION_S
    block_bytes: int = 2 * 1024 * 1024
    max_samples: int = 3 * 3600 * 48_000 * 2
    free_samples: int = 10 * 60 * 48_000 * 2
    max_samples_per_byte: float = 64.0
    max_memory_bytes: int = 512 * 1024 * 1024
    max_seconds: float = 600.0

    def block_frames(self, channels: int) -> int:
        """Frames per decoded block: at most ``block_bytes`` of float32, never more than 262,144."""
        return max(1, min(262_144, self.block_bytes // (4 * max(1, channels))))

    @staticmethod
    def from_option(max_duration_s: float | None) -> AudioLimits:
        """Limits from the plugin option / CLI flag: ``None`` the default 3 h, ``0`` no duration limit."""
        if max_duration_s is None:
            return AudioLimits()
        return AudioLimits(max_duration_s=float(max_duration_s) if max_duration_s > 0 else None)


#: The limits used when none are given.
DEFAULT_LIMITS = AudioLimits()


@dataclass(frozen=True)
class HeaderFacts:
    """The header values the limits judge (all from the header; nothing decoded)."""

    sample_rate_hz: int
    channels: int
    frames: int
    file_bytes: int


def fft_size(sample_rate_hz: int) -> int:
    """Window length of the spectral analysis in samples: the power of two nearest to 85 ms."""
    # Kept here (and used by features.py) so that the memory estimate needs no numpy.
    import math

    return int(2 ** round(math.log2(sample_rate_hz * 0.085)))


def estimated_memory_bytes(facts: HeaderFacts, limits: AudioLimits = DEFAULT_LIMITS) -> int:
    """Upper estimate of the analysis' peak memory for these header values, bytes.

    Per block: the float32 block, the float64 copies the loudness filter and the true-peak meter
    make (up to 9 times the block's float32 size) and the STFT frames of the mono mix (4 x overlap, float32 frames and
    complex64 spectra, float64 power: about 100 bytes per frame). Per file: the spectrogram
    accumulator (200 columns of ``n_fft / 2 + 1`` float64 bins) and one loudness value per 100 ms.
    Measured peaks (``bench/bench_hostile_audio.py``) stay below this estimate.
    """
    frames = limits.block_frames(facts.channels)
    block = frames * facts.channels * 4
    per_block = block * 10 + frames * 100
    bins = fft_size(facts.sample_rate_hz) // 2 + 1
    per_file = bins * 8 * 210 + (facts.frames // max(1, facts.sample_rate_hz) + 1) * 10 * 32
    return per_block + per_file


class Refusal(NamedTuple):
    """Why a file is refused, and what to do about it."""

    reason: str
    fix: str


def header_problem(facts: HeaderFacts, limits: AudioLimits = DEFAULT_LIMITS) -> Refusal | None:
    """Why the limits refuse a file with this header, or ``None`` when they accept it."""
    rate, channels = facts.sample_rate_hz, facts.channels
    if not limits.min_sample_rate_hz <= rate <= limits.max_sample_rate_hz:
        return Refusal(f"the header claims a sample rate of {rate:,} Hz, outside the accepted "
                       f"{limits.min_sample_rate_hz / 1000:g} kHz to {limits.max_sample_rate_hz / 1000:g} kHz",
                       "the file is damaged or mislabelled: export it again (e.g. at 48 kHz)")
    if channels > limits.max_channels:
        return Refusal(f"the header claims {channels:,} channels, more than the {limits.max_channels} accepted",
                       "the file is damaged or a multichannel master: export a stereo or surround render")
    duration_s = facts.frames / rate
    if limits.max_duration_s is not None and duration_s > limits.max_duration_s:
        return Refusal(f"longer than the limit: {duration_s:.1f} s > {limits.max_duration_s:g} s",
                       "shorten the file or raise the plugin option max_duration_s (0: no limit)")
    samples = facts.frames * channels
    if samples > limits.max_samples:
        return Refusal(f"decodes to {samples:,} samples ({duration_s:,.0f} s x {channels} channels at "
                       f"{rate:,} Hz), more than the {limits.max_samples:,} one file may cost",
                       "shorten it, or export fewer channels or a lower sample rate")
    allowed = limits.free_samples + limits.max_samples_per_byte * facts.file_bytes
    if samples > allowed:
        ratio = samples / max(1, facts.file_bytes)
        return Refusal(f"{facts.file_bytes:,} bytes decode to {samples:,} samples ({ratio:,.0f} a byte, where "
                       f"audio stays below {limits.max_samples_per_byte:g}): long digital silence or a "
                       "compression bomb", "trim the silence or export the file again")
    memory = estimated_memory_bytes(facts, limits)
    if memory > limits.max_memory_bytes:
        return Refusal(f"measuring it would need about {memory / 2**20:,.0f} MiB, more than the "
                       f"{limits.max_memory_bytes / 2**20:,.0f} MiB budget",
                       "export fewer channels or a lower sample rate")
    return None
