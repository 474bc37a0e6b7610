"""The streaming meters give the numbers of the whole signal, however it is cut into blocks, and
stay exact at sample values far beyond full scale (float WAVs)."""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np
import pytest

from audio_signals import musical, write
from sonicguide.core.audio import analyze_file
from sonicguide.core.audio.features import (
    KEY_CHUNK_FRAMES,
    STFT_CHUNK_FRAMES,
    SpectralAccumulator,
    _pearson,
)
from sonicguide.core.audio.loudness import LoudnessMeter
from sonicguide.core.audio.peaks import PeakAccumulator
from sonicguide.core.audio.report import keep_freed_memory

#: Block sizes that cut STFT frames, key frames, 100 ms hops and waveform columns anywhere.
ODD_BLOCKS = (1, 1_000, 7_777, 40_009)


def _blocks(data: np.ndarray, size: int) -> list[np.ndarray]:
    return [data[start : start + size] for start in range(0, data.shape[0], size)]


def _spectral(data: np.ndarray, rate: int, block: int) -> SpectralAccumulator:
    accumulator = SpectralAccumulator(rate, data.shape[0])
    for piece in _blocks(data, block):
        accumulator.feed(piece)
    accumulator.finish()
    return accumulator


@pytest.fixture(scope="module")
def stereo() -> np.ndarray:
    return musical(48_000, 6.0, seed=11, level=0.8).astype(np.float32)


@pytest.mark.parametrize("block", ODD_BLOCKS)
def test_spectra_do_not_depend_on_the_block_size(stereo: np.ndarray, block: int) -> None:
    whole = _spectral(stereo, 48_000, stereo.shape[0])
    assert whole.frames > 2 * STFT_CHUNK_FRAMES and whole._key_frames > 2 * KEY_CHUNK_FRAMES
    cut = _spectral(stereo, 48_000, block)
    assert cut.frames == whole.frames and cut._key_frames == whole._key_frames
    np.testing.assert_allclose(cut.average_power(), whole.average_power(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(cut.spectrogram()[2], whole.spectrogram()[2], rtol=1e-9)
    np.testing.assert_array_equal(cut.onset_envelope(), whole.onset_envelope())
    assert cut.spectral_centroid_hz() == pytest.approx(whole.spectral_centroid_hz(), rel=1e-12)
    np.testing.assert_allclose(cut._key_evidence.chroma_sum, whole._key_evidence.chroma_sum, rtol=1e-12)
    np.testing.assert_array_equal(cut._key_evidence.chord_counts, whole._key_evidence.chord_counts)
    key_cut, key_whole = cut.key(6.0), whole.key(6.0)
    assert key_cut.value == key_whole.value and key_cut.confidence == pytest.approx(key_whole.confidence, rel=1e-9)
    assert cut.tempo(6.0).value == pytest.approx(whole.tempo(6.0).value, rel=1e-9)


def test_spectra_of_huge_float_samples_stay_exact(stereo: np.ndarray) -> None:
    # A float WAV may hold 1e30 (+600 dBFS): squared in float32 its power would be infinite. Scaled
    # by a power of two every sample and every FFT value scales exactly, so the powers must too.
    scale = np.float32(2.0**100)
    plain = _spectral(stereo, 48_000, 40_009)
    huge = _spectral(stereo * scale, 48_000, 40_009)
    assert np.isfinite(huge.average_power()).all() and np.isfinite(huge._column_power).all()
    np.testing.assert_allclose(huge.average_power(), plain.average_power() * 2.0**200, rtol=1e-12, atol=1e-300)
    assert huge.spectral_centroid_hz() == pytest.approx(plain.spectral_centroid_hz(), rel=1e-12)
    spectrum_db = huge.spectrum()[1]
    assert np.isfinite(spectrum_db).all() and spectrum_db.max() > 500.0


def test_huge_float_wav_reports_its_spectrum_and_withholds_its_levels(tmp_path: Path, stereo: np.ndarray) -> None:
    plain = analyze_file(write(tmp_path / "plain.wav", stereo, 48_000, "FLOAT"))
    huge = analyze_file(write(tmp_path / "huge.wav", stereo * np.float32(2.0**100), 48_000, "FLOAT"))
    assert huge["loudness"]["integrated_lufs"] is None and "out of range" in huge["null_reasons"]["integrated_lufs"]
    db_plain = np.array(plain["series"]["spectrum"]["db"], dtype=float)
    db_huge = np.array(huge["series"]["spectrum"]["db"], dtype=float)
    audible = db_plain > -100.0
    assert audible.sum() > 100
    # 2**100 is +602.06 dB; each side is rounded to 0.1 dB.
    np.testing.assert_allclose(db_huge[audible], db_plain[audible] + 2000 * np.log10(2.0), atol=0.11)
    assert huge["spectral"]["centroid_hz"] == pytest.approx(plain["spectral"]["centroid_hz"], abs=0.11)


@pytest.mark.parametrize(("rate", "block"), [(48_000, 1_000), (11_025, 7_777), (44_100, 4_410)])
def test_loudness_hops_do_not_depend_on_the_block_size(stereo: np.ndarray, rate: int, block: int) -> None:
    # 11,025 Hz: a 100 ms hop is 1102.5 samples, so hop ends fall between samples.
    whole, cut = LoudnessMeter(rate, 2), LoudnessMeter(rate, 2)
    whole.feed(stereo)
    for piece in _blocks(stereo, block):
        cut.feed(piece)
    np.testing.assert_array_equal(np.concatenate(cut._hop_samples), np.concatenate(whole._hop_samples))
    np.testing.assert_allclose(np.concatenate(cut._hop_energy), np.concatenate(whole._hop_energy), rtol=1e-9)
    # Every sample counted once: the hops and the unfinished one add up to the total energy.
    total = float(np.concatenate(whole._hop_energy).sum()) + whole._partial_energy
    assert float(np.concatenate(cut._hop_energy).sum()) + cut._partial_energy == pytest.approx(total, rel=1e-12)
    a, b = whole.result(), cut.result()
    assert b.integrated_lufs == pytest.approx(a.integrated_lufs, abs=1e-9)
    assert b.loudness_range_lu == pytest.approx(a.loudness_range_lu, abs=1e-9)


@pytest.mark.parametrize("channels", [1, 2, 3])
@pytest.mark.parametrize("block", [1, 333, 10_007, 100_000])
def test_waveform_peaks_are_min_and_max_over_every_channel(channels: int, block: int) -> None:
    rng = np.random.default_rng(channels * block)
    data = (rng.standard_normal((50_001, channels)) * 0.3).astype(np.float32)
    spp = 97
    accumulator = PeakAccumulator(48_000, spp)
    for piece in _blocks(data, block):
        accumulator.feed(piece)
    result = accumulator.result()
    columns = -(-data.shape[0] // spp)
    low = [data[c * spp : (c + 1) * spp].min() for c in range(columns)]
    high = [data[c * spp : (c + 1) * spp].max() for c in range(columns)]
    expected = np.clip(np.floor(np.array([low, high], dtype=np.float64).T.reshape(-1) * 128.0), -128, 127)
    assert result["length"] == columns
    assert result["data"] == expected.astype(int).tolist()


def test_pearson_rows_match_numpy_corrcoef() -> None:
    rng = np.random.default_rng(3)
    rows, vector = rng.standard_normal((24, 12)), rng.standard_normal(12)
    expected = [np.corrcoef(row, vector)[0, 1] for row in rows]
    np.testing.assert_allclose(_pearson(rows, vector), expected, rtol=1e-12)


def test_freed_memory_is_kept_on_glibc() -> None:
    on_glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is on_glibc
