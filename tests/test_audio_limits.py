"""What one audio file may cost: headers that lie are refused before anything is allocated,
blocks are sized in bytes, budgets turn into refusals with a reason and a fix, and every result is
finite (strict JSON) or null with a reason. Property tests run derandomised."""

from __future__ import annotations

import json
import math
import struct
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio_signals import sine, write
from sonicguide.core.audio import analyze_file, measure_loudness, report
from sonicguide.core.audio.limits import (
    DEFAULT_LIMITS,
    AudioLimits,
    HeaderFacts,
    estimated_memory_bytes,
    header_problem,
)
from sonicguide.core.audio.loudness import MIN_LOUDNESS_RATE_HZ
from sonicguide.core.audio.report import MAX_LEVEL_DB
from sonicguide.core.audio.sniff import sniff_non_audio
from sonicguide.core.errors import AudioError

PROPERTY = settings(derandomize=True, deadline=None, max_examples=40,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
#: Examples that each decode and measure a file: fewer of them.
MEASURED = settings(PROPERTY, max_examples=12)


def strict_json(data: Any) -> Any:
    """Round-trip through a parser that rejects NaN and infinity (RFC 8259)."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(json.dumps(data, allow_nan=False), parse_constant=refuse)


def refusal(path: Path, **kwargs: Any) -> AudioError:
    with pytest.raises(AudioError) as info:
        analyze_file(path, **kwargs)
    return info.value


def patch_wav(path: Path, *, rate: int | None = None, channels: int | None = None) -> Path:
    data = bytearray(path.read_bytes())
    fmt = data.index(b"fmt ")
    if channels is not None:
        struct.pack_into("<H", data, fmt + 10, channels)
    if rate is not None:
        struct.pack_into("<I", data, fmt + 12, rate)
    path.write_bytes(bytes(data))
    return path


# -- the limits themselves -----------------------------------------------------------------------

@PROPERTY
@given(rate=st.integers(1, 2**32 - 1), channels=st.integers(1, 65_535), seconds=st.floats(0.001, 20_000.0),
       file_bytes=st.integers(1, 2**29))
def test_header_problem_accepts_exactly_the_stated_ranges(rate: int, channels: int, seconds: float,
                                                          file_bytes: int) -> None:
    frames = max(1, int(seconds * rate))
    facts = HeaderFacts(sample_rate_hz=rate, channels=channels, frames=frames, file_bytes=file_bytes)
    refused = header_problem(facts)
    limits = DEFAULT_LIMITS
    samples = frames * channels
    within = (limits.min_sample_rate_hz <= rate <= limits.max_sample_rate_hz and channels <= limits.max_channels
              and frames / rate <= (limits.max_duration_s or math.inf) and samples <= limits.max_samples
              and samples <= limits.free_samples + limits.max_samples_per_byte * file_bytes
              and estimated_memory_bytes(facts) <= limits.max_memory_bytes)
    assert (refused is None) == within
    if refused is not None:
        assert refused.reason and refused.fix  # every refusal says why and what to do


@PROPERTY
@given(channels=st.integers(1, 65_535), block_bytes=st.integers(4, 2**26))
def test_blocks_are_sized_in_bytes_not_frames(channels: int, block_bytes: int) -> None:
    limits = AudioLimits(block_bytes=block_bytes)
    frames = limits.block_frames(channels)
    assert frames >= 1
    assert frames == 1 or frames * channels * 4 <= block_bytes


def test_option_semantics() -> None:
    assert AudioLimits.from_option(None).max_duration_s == 3 * 3600  # unset or null: the default
    assert AudioLimits.from_option(0).max_duration_s is None  # 0: no duration limit
    assert AudioLimits.from_option(90).max_duration_s == 90.0
    assert AudioLimits.from_option(0).max_samples == DEFAULT_LIMITS.max_samples  # budgets stay


# -- headers that lie --------------------------------------------------------------------------

@PROPERTY
@given(rate=st.one_of(st.integers(1, 999), st.integers(768_001, 2**32 - 1), st.sampled_from([0, 2**31 - 1])),
       channels=st.one_of(st.just(None), st.integers(65, 65_535)))
def test_absurd_rates_and_channels_are_refused_before_decoding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rate: int, channels: int | None) -> None:
    path = write(tmp_path / "liar.wav", sine(48_000, 0.05, -20.0, channels=1), 48_000, "PCM_16")
    patch_wav(path, rate=rate, channels=channels)

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded a file whose header the limits refuse")

    with monkeypatch.context() as patched:
        patched.setattr(report, "iter_blocks", no_decoding)
        error = refusal(path)
    assert any(word in error.message for word in ("sample rate", "channels", "not a decodable", "no audio"))
    assert str(error).count(";") >= 1 or "not a decodable" in error.message


@MEASURED
@given(rate=st.sampled_from([1_000, 2_000, 3_000, 4_000, 5_512, 7_999, 8_000, 11_025]),
       channels=st.integers(1, 3), seconds=st.sampled_from([0.3, 1.5, 4.5]))
def test_low_sample_rates_measure_honestly(tmp_path: Path, rate: int, channels: int, seconds: float) -> None:
    freq_hz = 1000.0 if rate >= MIN_LOUDNESS_RATE_HZ else rate / 8
    path = write(tmp_path / "low.wav", sine(rate, seconds, -12.0, freq_hz=freq_hz, channels=channels), rate,
                 "PCM_16")
    result = strict_json(analyze_file(path))
    loudness, reasons = result["loudness"], result["null_reasons"]
    assert loudness["sample_peak_dbfs"] == pytest.approx(-12.0, abs=0.1)
    if rate < MIN_LOUDNESS_RATE_HZ:
        for name in ("integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs"):
            assert loudness[name] is None
            assert "below 8 kHz" in reasons[name] and "resample" in reasons[name]
    elif seconds >= 0.4:
        # A 1 kHz sine at -12 dBFS peak reads -15.01 LUFS per channel (K-weighting adds 0.691 dB at
        # 1 kHz, which the -0.691 of BS.1770 takes away); channels add up.
        expected = -15.01 + 10 * math.log10(channels)
        assert loudness["integrated_lufs"] == pytest.approx(expected, abs=0.3)


# -- measurements are finite or absent ----------------------------------------------------------

@MEASURED
@given(exponent=st.floats(-3.0, 38.0), pattern=st.sampled_from(["alternating", "noise", "burst"]),
       channels=st.integers(1, 2))
def test_float_samples_of_any_size_give_strict_json(tmp_path: Path, exponent: float, pattern: str,
                                                    channels: int) -> None:
    rate = 16_000
    rng = np.random.default_rng(3)
    base = {"alternating": np.tile([1.0, -1.0], rate),
            "noise": rng.uniform(-1.0, 1.0, 2 * rate),
            "burst": np.concatenate((np.zeros(rate), np.ones(rate // 10), np.zeros(rate - rate // 10)))}[pattern]
    scale = min(10.0**exponent, 3.0e38)
    data = np.clip(base * scale, -3.0e38, 3.0e38).astype(np.float32)
    path = tmp_path / "float.wav"
    sf.write(path, np.repeat(data[:, None], channels, axis=1), rate, subtype="FLOAT")
    result = strict_json(analyze_file(path))
    loudness, reasons = result["loudness"], result["null_reasons"]
    for name, value in loudness.items():
        if name == "true_peak_oversampling":
            continue
        if value is None:
            assert reasons.get(name), name
        elif name != "loudness_range_lu":
            assert value <= MAX_LEVEL_DB, name
    peak_db = 20 * math.log10(float(np.abs(data).max()))
    if peak_db > MAX_LEVEL_DB + 0.1:
        assert loudness["sample_peak_dbfs"] is None
        assert "out of range" in reasons["sample_peak_dbfs"] and "normalise" in reasons["sample_peak_dbfs"]
    elif peak_db < MAX_LEVEL_DB - 0.1:
        assert loudness["sample_peak_dbfs"] == pytest.approx(peak_db, abs=0.01)
    assert 0.0 <= result["key"]["confidence"] <= 1.0 and 0.0 <= result["tempo"]["confidence"] <= 1.0


def test_huge_samples_in_measure_loudness_are_null_too(tmp_path: Path) -> None:
    path = tmp_path / "huge.wav"
    sf.write(path, np.full((48_000, 2), 1e30, dtype=np.float32), 48_000, subtype="FLOAT")
    assert set(strict_json(measure_loudness(path)).values()) == {None}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_samples_are_refused_with_their_time(tmp_path: Path, bad: float) -> None:
    data = sine(8_000, 2.0, -20.0).astype(np.float32)
    data[12_000, 1] = bad
    path = write(tmp_path / "bad.wav", data, 8_000, "FLOAT")
    assert "non-finite samples (NaN or infinity) at 1.500 s" in refusal(path).message


# -- budgets -------------------------------------------------------------------------------------

def test_long_192khz_silence_is_refused_from_the_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ten minutes here (an hour, as in the issue, is in bench/bench_hostile_audio.py).
    path = tmp_path / "silence.flac"
    with sf.SoundFile(str(path), "w", 192_000, 1, subtype="PCM_24", format="FLAC") as handle:
        block = np.zeros(192_000 * 60)
        for _ in range(10):
            handle.write(block)
    assert path.stat().st_size < 1_000_000  # under 1 MB that would decode to 115 million samples
    with monkeypatch.context() as patched:
        patched.setattr(report, "iter_blocks", None)  # nothing may be decoded
        error = refusal(path)
    assert "decode to 115,200,000 samples" in error.message and "compression bomb" in error.message
    assert error.fix == "trim the silence or export the file again" and error.cacheable
    # Silence of an ordinary length is still measured.
    short = write(tmp_path / "short.flac", np.zeros((48_000 * 20, 2)), 48_000, "PCM_16")
    assert analyze_file(short)["loudness"]["integrated_lufs"] is None


def test_work_budget_counts_channels_and_rate(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", sine(48_000, 2.0, -20.0), 48_000, "PCM_16")
    error = refusal(path, limits=AudioLimits(max_samples=100_000))
    assert error.message.startswith("decodes to 192,000 samples (2 s x 2 channels at 48,000 Hz)")
    assert analyze_file(path, limits=AudioLimits(max_samples=192_000))["format"]["frames"] == 96_000


def test_duration_limit_zero_means_none(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", sine(8_000, 3.0, -20.0), 8_000, "PCM_16")
    assert refusal(path, max_duration_s=2).message == "longer than the limit: 3.0 s > 2 s"
    assert analyze_file(path, max_duration_s=0)["format"]["duration_s"] == 3.0
    assert analyze_file(path, max_duration_s=None)["format"]["duration_s"] == 3.0


def test_memory_budget_is_checked_from_the_header(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", sine(48_000, 1.0, -20.0), 48_000, "PCM_16")
    error = refusal(path, limits=AudioLimits(max_memory_bytes=1_000_000))
    assert "MiB budget" in error.message and error.fix


def test_time_budget_is_a_refusal_that_is_not_cached(tmp_path: Path) -> None:
    path = write(tmp_path / "tone.wav", sine(48_000, 3.0, -20.0), 48_000, "PCM_16")
    error = refusal(path, limits=AudioLimits(max_seconds=0.0, block_bytes=48_000 * 8))
    assert error.message.startswith("measuring took longer than the 0 s budget (stopped at 1.0 s of 3.0 s)")
    assert not error.cacheable and error.fix


def test_running_out_of_memory_is_a_refusal_of_this_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sonicguide.core.audio import features

    def out_of_memory(self: object, block: object) -> None:
        raise MemoryError

    monkeypatch.setattr(features.SpectralAccumulator, "feed", out_of_memory)
    path = write(tmp_path / "tone.wav", sine(48_000, 1.0, -20.0), 48_000, "PCM_16")
    error = refusal(path)
    assert error.message == "ran out of memory while measuring" and not error.cacheable


def _traced_peak_mib(path: Path) -> float:
    tracemalloc.start()
    try:
        analyze_file(path)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("rate", "channels", "seconds"), [
    (48_000, 2, 8.0), (48_000, 64, 6.0), (8_000, 1, 8.0), (768_000, 1, 1.0), (192_000, 16, 1.5)])
def test_memory_stays_under_the_estimate_whatever_the_channel_count(
        tmp_path: Path, rate: int, channels: int, seconds: float) -> None:
    rng = np.random.default_rng(channels)
    path = tmp_path / "many.wav"
    sf.write(path, 0.1 * rng.standard_normal((int(rate * seconds), channels)), rate, subtype="PCM_16")
    facts = HeaderFacts(sample_rate_hz=rate, channels=channels, frames=int(rate * seconds),
                        file_bytes=path.stat().st_size)
    peak_mib = _traced_peak_mib(path)
    assert peak_mib * 2**20 < estimated_memory_bytes(facts)
    assert peak_mib < 80.0  # 64 channels cost no more than a few blocks of stereo


# -- not audio at all ----------------------------------------------------------------------------

def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("logo.wav", b"RIFF" + bytes(40))


NON_AUDIO = {
    "zip": (_zip, "a ZIP archive"),
    "pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(200)), "a PDF document"),
    "png": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)), "a PNG image"),
    "html": (lambda p: p.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>\n"), "a web page"),
    "text": (lambda p: p.write_text("just some notes about the logo\n" * 20), "a text file"),
    "midi": (lambda p: p.write_bytes(b"MThd\x00\x00\x00\x06" + bytes(200)), "a MIDI file"),
    "mp4": (lambda p: p.write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(200)), "an MP4/M4A/MOV file"),
    "gzip": (lambda p: p.write_bytes(b"\x1f\x8b\x08\x00" + bytes(200)), "a gzip archive"),
}


@pytest.mark.parametrize("suffix", [".mp3", ".wav", ".flac", ".ogg"])
@pytest.mark.parametrize("kind", sorted(NON_AUDIO))
def test_non_audio_named_as_audio_says_what_it_is(tmp_path: Path, kind: str, suffix: str) -> None:
    make, words = NON_AUDIO[kind]
    path = tmp_path / f"logo{suffix}"
    make(path)
    error = refusal(path)
    assert error.message.startswith(f"the file is {words}") and error.message.endswith("not audio")
    assert error.fix


@pytest.mark.parametrize(("fmt", "subtype", "suffix"), [
    ("WAV", "PCM_16", ".wav"), ("WAV", "FLOAT", ".wav"), ("FLAC", "PCM_24", ".flac"),
    ("OGG", "VORBIS", ".ogg"), ("OGG", "OPUS", ".opus"), ("MP3", "MPEG_LAYER_III", ".mp3"),
    ("AIFF", "PCM_16", ".aiff")])
def test_real_audio_is_never_sniffed_as_something_else(tmp_path: Path, fmt: str, subtype: str,
                                                       suffix: str) -> None:
    path = tmp_path / f"tone{suffix}"
    sf.write(path, sine(48_000, 0.5, -20.0), 48_000, format=fmt, subtype=subtype)
    assert sniff_non_audio(path.read_bytes()[:512]) is None


@PROPERTY
@given(head=st.binary(min_size=0, max_size=300))
def test_sniffing_never_fails(head: bytes) -> None:
    sniffed = sniff_non_audio(head)
    assert sniffed is None or (sniffed.what and sniffed.fix)
