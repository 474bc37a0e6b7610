"""Loudness and true peak against signals known by construction (EBU Tech 3341 and 3342).

The expected values come from the EBU documents, not from our code: a stereo 1 kHz sine at
X dBFS per channel reads X LUFS (K-weighting is +0.691 dB at 1 kHz, which the -0.691 offset of
BS.1770 cancels, and two channels add 3 dB over the 0.5 mean square of a sine).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.signal

from audio_signals import sine, sine_sequence, write
from sonicguide.core.audio import measure_loudness
from sonicguide.core.audio.loudness import k_weighting_sos, oversampling_factor

RATES = [44_100, 48_000, 96_000]


def _measure(tmp_path: Path, data: np.ndarray, rate: int, subtype: str = "FLOAT") -> dict:
    return measure_loudness(write(tmp_path / "signal.wav", data, rate, subtype))


def _fade(data: np.ndarray, rate: int, seconds: float = 0.05) -> np.ndarray:
    """Hann fade in and out, so the signal's abrupt edges do not ring in the oversampler."""
    n = round(seconds * rate)
    window = np.hanning(2 * n)
    data = data.copy()
    data[:n] *= window[:n, None]
    data[-n:] *= window[n:, None]
    return data


def test_k_weighting_matches_bs1770_table_at_48k() -> None:
    # BS.1770-4 Table 1 (pre-filter) and Table 2 (RLB high-pass) coefficients.
    sos = k_weighting_sos(48_000)
    np.testing.assert_allclose(sos[0, :3], [1.53512485958697, -2.69169618940638, 1.19839281085285], atol=1e-9)
    np.testing.assert_allclose(sos[0, 3:], [1.0, -1.69065929318241, 0.73248077421585], atol=1e-9)
    np.testing.assert_allclose(sos[1, :3], [1.0, -2.0, 1.0])
    np.testing.assert_allclose(sos[1, 3:], [1.0, -1.99004745483398, 0.99007225036621], atol=1e-9)


@pytest.mark.parametrize("rate", [8_000, 22_050, 44_100, 96_000, 192_000])
def test_k_weighting_response_is_the_same_curve_at_any_rate(rate: int) -> None:
    # The filter is designed per rate, not resampled: its response below 4 kHz matches 48 kHz.
    freqs = np.array([20.0, 50.0, 100.0, 500.0, 1000.0, 2000.0, 3500.0])
    tolerance_db = 0.1
    if rate == 8_000:  # the shelf's corner (1.7 kHz) nears Nyquist: bilinear warping, a known limit
        freqs, tolerance_db = freqs[freqs <= 1000.0], 0.25
    _, reference = scipy.signal.sosfreqz(k_weighting_sos(48_000), worN=freqs, fs=48_000)
    _, response = scipy.signal.sosfreqz(k_weighting_sos(rate), worN=freqs, fs=rate)
    np.testing.assert_allclose(20 * np.log10(abs(response)), 20 * np.log10(abs(reference)), atol=tolerance_db)


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("level", [-23.0, -33.0])
def test_tech3341_cases_1_and_2_steady_sine(tmp_path: Path, rate: int, level: float) -> None:
    result = _measure(tmp_path, sine(rate, 20.0, level), rate)
    assert result["integrated_lufs"] == pytest.approx(level, abs=0.1)
    assert result["max_momentary_lufs"] == pytest.approx(level, abs=0.1)
    assert result["max_short_term_lufs"] == pytest.approx(level, abs=0.1)


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize(
    "segments",
    [
        [(10, -36.0), (60, -23.0), (10, -36.0)],  # case 3: relative gate removes the quiet parts
        [(10, -72.0), (10, -36.0), (60, -23.0), (10, -36.0), (10, -72.0)],  # case 4: absolute gate too
        [(20, -26.0), (20.1, -20.0), (20, -26.0)],  # case 5: gating keeps everything
    ],
    ids=["case3", "case4", "case5"],
)
def test_tech3341_gated_sequences(tmp_path: Path, rate: int, segments: list) -> None:
    result = _measure(tmp_path, sine_sequence(rate, segments), rate)
    assert result["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)


def test_tech3341_case6_five_channels_weight_the_surrounds(tmp_path: Path) -> None:
    rate = 48_000
    # L R at -28 dBFS, C at -24 dBFS, Ls Rs at -30 dBFS (weighted 1.41): -23.0 LUFS.
    data = np.hstack([sine(rate, 20.0, -28.0), sine(rate, 20.0, -24.0, channels=1), sine(rate, 20.0, -30.0)])
    result = _measure(tmp_path, data, rate)
    assert result["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)


def test_six_channels_exclude_the_lfe(tmp_path: Path) -> None:
    rate = 48_000
    data = np.hstack(
        [
            sine(rate, 10.0, -28.0),
            sine(rate, 10.0, -24.0, channels=1),
            sine(rate, 10.0, -3.0, channels=1),
            sine(rate, 10.0, -30.0),
        ]
    )
    result = _measure(tmp_path, data, rate)
    # A loud LFE (channel 4) must not count: same as case 6.
    assert result["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)


def test_tech3341_case9_short_term_of_alternating_bursts(tmp_path: Path) -> None:
    rate = 48_000
    segments = [(1.34, -20.0), (1.66, -30.0)] * 6  # 3 s period: every 3 s window reads -23
    result = _measure(tmp_path, sine_sequence(rate, segments), rate)
    assert result["max_short_term_lufs"] == pytest.approx(-23.0, abs=0.1)


def test_tech3341_case12_momentary_of_alternating_bursts(tmp_path: Path) -> None:
    rate = 48_000
    segments = [(0.18, -20.0), (0.22, -30.0)] * 25  # 400 ms period: every 400 ms block reads -23
    result = _measure(tmp_path, sine_sequence(rate, segments), rate)
    assert result["max_momentary_lufs"] == pytest.approx(-23.0, abs=0.1)


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize(
    ("segments", "expected_lu"),
    [
        ([(20, -20.0), (20, -30.0)], 10.0),
        ([(20, -20.0), (20, -15.0)], 5.0),
        ([(20, -40.0), (20, -20.0)], 20.0),
        ([(20, -50.0), (20, -35.0), (20, -20.0), (20, -35.0), (20, -50.0)], 15.0),
    ],
    ids=["case1", "case2", "case3", "case4"],
)
def test_tech3342_loudness_range(tmp_path: Path, rate: int, segments: list, expected_lu: float) -> None:
    result = _measure(tmp_path, sine_sequence(rate, segments), rate)
    assert result["loudness_range_lu"] == pytest.approx(expected_lu, abs=1.0)


@pytest.mark.parametrize("rate", [8_000, 192_000])
def test_extreme_rates_measure_a_sine_correctly(tmp_path: Path, rate: int) -> None:
    result = _measure(tmp_path, sine_sequence(rate, [(20, -20.0), (20, -30.0)]), rate)
    assert result["loudness_range_lu"] == pytest.approx(10.0, abs=1.0)
    # Energy of -20 and -30 dBFS halves; both are inside the relative gate.
    expected = 10 * np.log10((10 ** (-20 / 10) + 10 ** (-30 / 10)) / 2)
    assert result["integrated_lufs"] == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("rate", [44_100, 48_000])
@pytest.mark.parametrize("phase_deg", [0.0, 45.0, 60.0, 67.5])
def test_tech3341_true_peak_sine_at_quarter_rate(tmp_path: Path, rate: int, phase_deg: float) -> None:
    # Cases 15-18: a -6 dBTP sine at fs/4 whose samples miss the peak by the given phase.
    data = _fade(sine(rate, 2.0, -6.0206, freq_hz=rate / 4, phase_rad=np.deg2rad(phase_deg)), rate)
    result = _measure(tmp_path, data, rate)
    assert -6.4 <= result["true_peak_dbtp"] <= -5.8  # Tech 3341 tolerance +0.2 / -0.4 dB
    sample_peak = 20 * np.log10(0.5 * np.sin(np.deg2rad(max(phase_deg, 90 - phase_deg) % 90 or 90)))
    assert result["sample_peak_dbfs"] == pytest.approx(max(sample_peak, -9.03), abs=0.05)


def test_true_peak_above_full_scale(tmp_path: Path) -> None:
    # Case 19-like: samples at 0 dBFS, the waveform between them at +3 dBTP (float WAV keeps it).
    rate = 48_000
    data = _fade(sine(rate, 2.0, 3.0103, freq_hz=rate / 4, phase_rad=np.pi / 4), rate)
    result = _measure(tmp_path, data, rate)
    assert result["sample_peak_dbfs"] == pytest.approx(0.0, abs=0.05)
    assert 2.6 <= result["true_peak_dbtp"] <= 3.2


@pytest.mark.parametrize("rate", [96_000, 192_000])
def test_true_peak_at_high_rates(tmp_path: Path, rate: int) -> None:
    # 12 kHz between samples: 2x (96 kHz) and 1x (192 kHz) are enough per BS.1770-4 Annex 2.
    data = _fade(sine(rate, 2.0, -6.0206, freq_hz=12_000, phase_rad=np.deg2rad(60)), rate)
    result = _measure(tmp_path, data, rate)
    assert -6.4 <= result["true_peak_dbtp"] <= -5.8


def test_oversampling_factor_per_annex2() -> None:
    assert [oversampling_factor(r) for r in (8_000, 48_000, 88_200, 96_000, 176_400, 192_000)] == [
        4,
        4,
        4,
        2,
        2,
        1,
    ]


def test_clipped_signal_reads_full_scale(tmp_path: Path) -> None:
    rate = 48_000
    data = np.clip(sine(rate, 5.0, 6.0, freq_hz=100.0), -1.0, 1.0)
    result = _measure(tmp_path, data, rate, "PCM_16")
    assert result["sample_peak_dbfs"] == pytest.approx(0.0, abs=0.01)
    assert result["true_peak_dbtp"] >= result["sample_peak_dbfs"]


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
def test_every_wav_sample_format(tmp_path: Path, subtype: str) -> None:
    rate = 48_000
    result = _measure(tmp_path, sine(rate, 5.0, -23.0), rate, subtype)
    assert result["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)
    # A -23 dBFS sine peaks at -23 dBFS; 8-bit steps (1/128) allow about 1 dB at this level.
    assert result["sample_peak_dbfs"] == pytest.approx(-23.0, abs=1.0 if subtype == "PCM_U8" else 0.05)


@pytest.mark.parametrize(("rate", "channels"), [(48_000, 2), (44_100, 1), (96_000, 3)])
def test_true_peak_skipping_is_exact(rate: int, channels: int) -> None:
    # The meter skips rows whose bound cannot beat the running maximum; compare it with the same
    # interpolation filter applied to every sample by scipy's upfirdn (no skipping).
    from sonicguide.core.audio.loudness import TruePeakMeter

    rng = np.random.default_rng(rate + channels)
    data = (rng.standard_normal((rate * 3, channels)) * np.linspace(0.01, 0.3, rate * 3)[:, None]).astype(
        np.float32
    )
    data[rate, 0] = 0.9  # one isolated spike late in the first block
    meter = TruePeakMeter(rate, channels)
    for start in range(0, data.shape[0], 10_007):  # odd block size: rows straddle blocks
        meter.feed(data[start : start + 10_007])
    meter.finish()
    up = meter.factor
    taps = meter._taps
    # Rebuild the filter from the meter's matrices: column p of row-position 0 holds phase p.
    h = np.zeros(up * taps)
    for j in range(taps):
        for p in range(up):
            h[p + up * (taps - 1 - j)] = meter._a[j, p]
    reference = max(
        float(np.abs(scipy.signal.upfirdn(h, data[:, c].astype(np.float64), up=up)).max())
        for c in range(channels)
    )
    assert meter.true_peak == pytest.approx(max(reference, float(np.abs(data).max())), rel=1e-5)
