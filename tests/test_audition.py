"""Playback chains and auditions (issue 14, part 1): the chain filters against independent
references, the measurements against what a chain must do to known signals, and determinism."""

from __future__ import annotations

import io
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import scipy.signal
import soundfile as sf

from sonicguide.core.audio.audition import (
    ChainRenderer,
    Resampler,
    channel_only,
    flac_bytes,
    measure_audition,
    render_chain,
)
from sonicguide.core.audio.chains import PlaybackChain, playback_chains

RATE = 48000


def tone(freq_hz: float, *, seconds: float = 2.0, rate: int = RATE, dbfs: float = -20.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (10 ** (dbfs / 20)) * np.sin(2 * np.pi * freq_hz * t)[:, None]


def gain_db(chain: PlaybackChain, freq_hz: float) -> float:
    """Level of a steady tone after the chain's band (no dynamics, no codec) relative to before, in dB,
    measured on the second half (after the filters' transients)."""
    plain = chain.model_copy(update={"codec": None})
    signal = tone(freq_hz)
    out, _rate = channel_only(signal, RATE, plain)
    half_in, half_out = signal[signal.shape[0] // 2:], out[out.shape[0] // 2:]
    return 10 * math.log10(np.mean(half_out ** 2) / np.mean(half_in ** 2))


def butterworth_bandpass_db(freq_hz: float, low_hz: float, high_hz: float, order: int, rate_hz: float) -> float:
    """The closed-form magnitude of a digital Butterworth band-pass made by the bilinear transform:
    |H|² = 1 / (1 + ((Ω² − Ω₀²) / (Ω·B))^(2n)) with pre-warped Ω = 2·fs·tan(π f / fs),
    Ω₀² = Ωl·Ωh and B = Ωh − Ωl (an independent reference for scipy's design)."""
    def warp(f: float) -> float:
        return 2 * rate_hz * math.tan(math.pi * f / rate_hz)
    omega, lo, hi = warp(freq_hz), warp(low_hz), warp(high_hz)
    x = (omega ** 2 - lo * hi) / (omega * (hi - lo))
    return -10 * math.log10(1 + x ** (2 * order))


def test_the_table_has_the_chains_the_issue_asks_for_each_with_a_source() -> None:
    chains = playback_chains()
    assert {"phone-narrowband", "phone-wideband", "smartphone-speaker", "laptop-speakers", "tv-speakers"} <= set(chains)
    assert {"car-cabin", "in-store-pa"} & set(chains)
    narrow, wide = chains["phone-narrowband"], chains["phone-wideband"]
    assert (narrow.sample_rate_hz, narrow.low_hz, narrow.high_hz) == (8000, 300, 3400)
    assert (wide.sample_rate_hz, wide.low_hz, wide.high_hz) == (16000, 50, 7000)
    assert "G.712" in narrow.source and "G.711" in narrow.source and "G.722" in wide.source
    for chain in chains.values():
        assert chain.basis in ("standard", "assumption") and len(chain.source) > 40


@pytest.mark.parametrize("freq_hz", [1000.0, 100.0, 200.0, 3000.0, 3400.0])
def test_the_phone_line_band_matches_the_closed_form_butterworth(freq_hz: float) -> None:
    chain = playback_chains()["phone-narrowband"]
    expected = butterworth_bandpass_db(freq_hz, 300, 3400, chain.filter_order, 8000)
    assert gain_db(chain, freq_hz) == pytest.approx(expected, abs=0.3)


def test_a_1khz_tone_passes_the_phone_line_and_100hz_and_6khz_do_not() -> None:
    chain = playback_chains()["phone-narrowband"]
    assert abs(gain_db(chain, 1000.0)) < 0.2
    assert gain_db(chain, 100.0) < -50  # 6th-order edge, more than 1.5 octaves below 300 Hz
    assert gain_db(chain, 6000.0) < -60  # above the 4 kHz Nyquist frequency: the resampler removes it


def test_the_smartphone_high_pass_is_minus_3db_at_its_corner_and_12db_per_octave_below() -> None:
    chain = playback_chains()["smartphone-speaker"]
    assert gain_db(chain, 500.0) == pytest.approx(-3.01, abs=0.2)
    # A 2nd-order high-pass: about 12 dB per octave well below the corner.
    assert gain_db(chain, 62.5) - gain_db(chain, 125.0) == pytest.approx(-12.0, abs=0.5)


def test_energy_kept_of_white_noise_is_the_band_share() -> None:
    rng = np.random.default_rng(7)
    noise = 0.05 * rng.standard_normal((RATE * 8, 1))
    chain = playback_chains()["phone-narrowband"].model_copy(update={"codec": None})
    channel, rate = channel_only(noise, RATE, chain)
    numbers = measure_audition(noise, RATE, channel, rate)
    # White noise spreads its energy evenly up to 24 kHz; the band keeps 3100 Hz of it (12.9 %),
    # a little more through the slopes of the edges (the equivalent noise bandwidth).
    freqs = np.linspace(1, 3999, 4000)
    enbw = np.trapezoid(10 ** (np.array([butterworth_bandpass_db(f, 300, 3400, 6, 8000) for f in freqs]) / 10),
                        freqs)
    assert numbers.energy_kept_percent == pytest.approx(100 * enbw / 24000, abs=0.5)
    assert 12.5 < numbers.energy_kept_percent < 14.0


def test_mono_summing_uncorrelated_stereo_keeps_half_and_correlated_keeps_all() -> None:
    rng = np.random.default_rng(3)
    stereo = 0.05 * rng.standard_normal((RATE * 4, 2))
    chain = PlaybackChain(id="mono", name="Mono", channels=1, basis="assumption", source="a test")
    out, rate = render_chain(stereo, RATE, chain)
    assert measure_audition(stereo, RATE, out, rate).energy_kept_percent == pytest.approx(50, abs=1)
    same = np.repeat(stereo[:, :1], 2, axis=1)
    out, rate = render_chain(same, RATE, chain)
    assert measure_audition(same, RATE, out, rate).energy_kept_percent == pytest.approx(100, abs=0.1)


def test_measurements_of_a_low_tone_on_the_phone_line() -> None:
    signal = np.concatenate([tone(100.0, dbfs=-20), tone(1000.0, dbfs=-20)], axis=0)
    chain = playback_chains()["phone-narrowband"]
    out, rate = render_chain(signal, RATE, chain)
    numbers = measure_audition(signal, RATE, out, rate)
    assert numbers.energy_kept_percent == pytest.approx(50, abs=2)  # the 1 kHz half is kept, the 100 Hz half not
    assert numbers.centroid_shift_hz is not None and numbers.centroid_shift_hz > 300  # brighter: the bass is gone
    # BS.1770's relative gate drops the silenced half from the audition's loudness: what is left
    # (the 1 kHz half) is about as loud as the original, whose 100 Hz half K-weighting lowers.
    assert numbers.loudness_change_lu is not None and abs(numbers.loudness_change_lu) < 1


@pytest.mark.parametrize(("dbfs_rms", "expected_lu"), [
    (-4.0, -(-4 + 20) * 0.75 + 7.5),  # a loud tone: 12 dB of compression, 7.5 dB made up
    (-10.0, 0.0),  # a loud master keeps its level: the make-up gain is the reduction at -10 dBFS RMS
    (-30.0, 7.5),  # below the threshold only the make-up gain acts: quiet passages come up
])
def test_the_smartphone_keeps_the_level_up_and_holds_the_ceiling(dbfs_rms: float, expected_lu: float) -> None:
    signal = tone(3000.0, dbfs=dbfs_rms + 3.01)  # a sine's peak is 3 dB above its RMS
    chain = playback_chains()["smartphone-speaker"]
    out, rate = render_chain(signal, RATE, chain)
    assert np.max(np.abs(out)) <= 10 ** (-1 / 20) + 1e-6
    numbers = measure_audition(signal, RATE, out, rate, channel_only(signal, RATE, chain)[0])
    assert numbers.energy_kept_percent == pytest.approx(100, abs=2)  # the band keeps a 3 kHz tone
    assert numbers.loudness_change_lu == pytest.approx(expected_lu, abs=0.3)


def test_make_up_gains_follow_the_stated_rule() -> None:
    """Chains with a limiter make up their compressor's gain reduction at -10 dBFS RMS; the others none."""
    for chain in playback_chains().values():
        compression = chain.compression
        if compression is None:
            continue
        if chain.limiter_dbfs is None:
            assert compression.makeup_db == 0, chain.id
        else:
            rule = (-10 - compression.threshold_dbfs) * (1 - 1 / compression.ratio)
            assert compression.makeup_db == pytest.approx(rule, abs=0.05), chain.id


@pytest.mark.parametrize(("from_hz", "to_hz"), [(48000, 8000), (44100, 16000), (22050, 48000)])
def test_the_streamed_resampler_gives_resample_poly_of_the_whole_signal(from_hz: int, to_hz: int) -> None:
    rng = np.random.default_rng(5)
    signal = (0.3 * rng.standard_normal((from_hz + 777, 2))).astype(np.float32)
    whole = scipy.signal.resample_poly(signal.astype(np.float64), *_ratio(from_hz, to_hz), axis=0)
    resampler = Resampler(from_hz, to_hz, 2)
    parts, start = [], 0
    for size in [1, 500, 3, 20000, 7, 9000, 1, 100000]:
        parts.append(resampler.feed(signal[start:start + size]))
        start += size
    parts.append(resampler.feed(signal[start:]))
    parts.append(resampler.flush())
    streamed = np.concatenate(parts)
    assert streamed.shape == whole.shape
    assert np.max(np.abs(streamed - whole)) < 1e-5


def _ratio(from_hz: int, to_hz: int) -> tuple[int, int]:
    ratio = Fraction(to_hz, from_hz)
    return ratio.numerator, ratio.denominator


@pytest.mark.parametrize("chain_id", ["phone-narrowband", "smartphone-speaker", "in-store-pa"])
def test_a_chain_fed_block_by_block_renders_what_it_renders_at_once(chain_id: str) -> None:
    rng = np.random.default_rng(9)
    signal = (0.4 * rng.standard_normal((RATE * 3 + 123, 2))).astype(np.float32)
    chain = playback_chains()[chain_id]
    whole_channel, _ = channel_only(signal, RATE, chain)
    whole, _ = render_chain(signal, RATE, chain)
    renderer = ChainRenderer(chain, RATE, 2)
    channels, auditions = [], []
    for start in range(0, signal.shape[0], 10007):
        channel, audition = renderer.feed(signal[start:start + 10007])
        channels.append(channel)
        auditions.append(audition)
    channel, audition = renderer.flush()
    streamed_channel = np.concatenate([*channels, channel])
    streamed = np.concatenate([*auditions, audition])
    assert streamed.shape == whole.shape == (whole_channel.shape[0], 1)
    assert np.max(np.abs(streamed_channel - whole_channel)) < 1e-5
    assert np.max(np.abs(streamed - whole)) < 1e-5


def test_loudness_at_the_chains_rate_matches_the_audition_played_at_48khz() -> None:
    """The audition's loudness is measured at the chain's rate (8 kHz on the phone line); played
    back at 48 kHz (resampled as a browser does) an independent meter, pyloudnorm, reads the same."""
    import pyloudnorm

    rng = np.random.default_rng(2)
    signal = 0.1 * rng.standard_normal((RATE * 6, 1))
    chain = playback_chains()["phone-narrowband"]
    out, rate = render_chain(signal, RATE, chain)
    numbers = measure_audition(signal, RATE, out, rate)
    played = scipy.signal.resample_poly(out.astype(np.float64), 6, 1, axis=0)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(played[:, 0])
    assert numbers.integrated_lufs == pytest.approx(reference, abs=0.2)


def test_auditions_are_deterministic_16_bit_flac_at_the_chains_rate() -> None:
    rng = np.random.default_rng(11)
    signal = 0.1 * rng.standard_normal((RATE * 2, 2))
    chain = playback_chains()["phone-narrowband"]
    first = flac_bytes(*render_chain(signal, RATE, chain))
    second = flac_bytes(*render_chain(signal.copy(), RATE, chain))
    assert first == second
    data, rate = sf.read(io.BytesIO(first))
    info = sf.info(io.BytesIO(first))
    assert (rate, info.channels, info.subtype, info.format) == (8000, 1, "PCM_16", "FLAC")
    assert len(data) == 2 * 8000


def test_the_runner_decodes_once_for_every_chain_and_streams_the_whole_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoded in small blocks, one file through two chains: one decode, auditions as long as the
    file, the same samples and numbers as the whole-array functions."""
    from sonicguide.core.audio import decode
    from sonicguide.core.audio.audition_runner import render_auditions

    folder = tmp_path
    rng = np.random.default_rng(4)
    signal = (0.2 * rng.standard_normal((RATE * 5 + 321, 2))).astype(np.float32)
    path = folder / "asset.wav"
    sf.write(path, signal, RATE, subtype="FLOAT")
    calls = []
    original = decode.iter_blocks

    def small_blocks(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[0])
        return original(*args, **{**kwargs, "block_frames": 4096})

    monkeypatch.setattr(decode, "iter_blocks", small_blocks)
    chains = playback_chains()
    wanted = [("k-narrow", chains["phone-narrowband"]), ("k-phone", chains["smartphone-speaker"])]
    records = render_auditions(str(path), [(key, chain.model_dump(mode="json")) for key, chain in wanted],
                               str(folder / "cache"), None)
    assert len(calls) == 1
    for key, chain in wanted:
        flac = next((folder / "cache" / "auditions").rglob(f"{key}.flac"))
        streamed, rate = sf.read(flac, dtype="float32", always_2d=True)
        whole, whole_rate = render_chain(signal, RATE, chain)
        assert rate == whole_rate and streamed.shape == whole.shape
        assert streamed.shape[0] / rate == pytest.approx(signal.shape[0] / RATE, abs=1 / rate)
        assert np.max(np.abs(streamed - np.clip(whole, -1, 32767 / 32768))) <= 1.01 / 32768
        numbers = measure_audition(signal, RATE, whole, rate, channel_only(signal, RATE, chain)[0])
        facts = records[key]["facts"]
        for name in ("energy_kept_percent", "centroid_shift_hz", "loudness_change_lu", "speech_band_kept_percent"):
            assert facts[name] == pytest.approx(getattr(numbers, name), abs=0.02), name


def test_a_truncated_file_is_an_error_for_every_chain_and_leaves_no_partial_audition(tmp_path: Path) -> None:
    from sonicguide.core.audio.audition_runner import render_auditions

    path = tmp_path / "cut.wav"
    sf.write(path, (0.1 * np.random.default_rng(1).standard_normal((RATE * 2, 2))).astype(np.float32), RATE,
             subtype="PCM_16")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    chains = playback_chains()
    records = render_auditions(str(path), [("k1", chains["phone-narrowband"].model_dump(mode="json")),
                                           ("k2", chains["smartphone-speaker"].model_dump(mode="json"))],
                               str(tmp_path / "cache"), None)
    assert set(records) == {"k1", "k2"}
    assert all("truncated" in records[key]["error"] for key in records)
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []
