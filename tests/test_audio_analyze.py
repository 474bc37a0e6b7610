"""``analyze_file``: the result contract, hostile and unusual files, streaming correctness."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audio_signals import musical, sine, write
from sonicguide.core.audio import ANALYSIS_VERSION, analyze_file
from sonicguide.core.audio.limits import AudioLimits
from sonicguide.core.errors import AudioError


@pytest.fixture(scope="module")
def song_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = tmp_path_factory.mktemp("song") / "song.flac"
    write(path, musical(44_100, 12.0, seed=3), 44_100, "PCM_24")
    return analyze_file(path)


def test_result_is_plain_json_with_every_contract_key(song_result: dict) -> None:
    text = json.dumps(song_result, allow_nan=False)  # no NaN / inf anywhere
    assert json.loads(text) == song_result
    assert set(song_result) >= {
        "file_bytes",
        "format",
        "loudness",
        "null_reasons",
        "spectral",
        "tempo",
        "key",
    }
    assert set(song_result["format"]) >= {
        "container", "codec", "sample_rate_hz", "bit_depth", "channels", "frames", "duration_s",
        "mislabelled",
    }  # fmt: skip
    assert set(song_result["loudness"]) >= {
        "integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs",
        "true_peak_dbtp", "sample_peak_dbfs",
    }  # fmt: skip
    assert song_result["format"] == {
        "container": "flac", "codec": "PCM_24", "sample_rate_hz": 44_100, "bit_depth": 24, "channels": 2,
        "frames": 12 * 44_100, "duration_s": 12.0, "mislabelled": None,
    }  # fmt: skip
    assert song_result["null_reasons"] == {}
    assert isinstance(ANALYSIS_VERSION, str) and ANALYSIS_VERSION


def test_series_shapes(song_result: dict) -> None:
    series = song_result["series"]
    spectrum = series["spectrum"]
    assert len(spectrum["freqs_hz"]) == len(spectrum["db"]) == 200
    assert spectrum["freqs_hz"] == sorted(spectrum["freqs_hz"]) and 20 <= spectrum["freqs_hz"][0] < 25
    gram = series["spectrogram"]
    assert 1 <= len(gram["times_s"]) <= 200 and len(gram["freqs_hz"]) == 128
    assert len(gram["db"]) == len(gram["times_s"]) and all(len(row) == 128 for row in gram["db"])
    momentary, short_term = series["momentary"], series["short_term"]
    # 10 Hz: a 12 s file has 117 complete 400 ms blocks and 91 complete 3 s windows.
    assert len(momentary["times_s"]) == len(momentary["lufs"]) == 117
    assert len(short_term["times_s"]) == len(short_term["lufs"]) == 91
    assert momentary["times_s"][0] == 0.4 and short_term["times_s"][0] == 3.0
    assert max(v for v in momentary["lufs"] if v is not None) == song_result["loudness"]["max_momentary_lufs"]


def test_peaks_follow_audiowaveform_layout(song_result: dict) -> None:
    peaks = song_result["peaks"]
    assert {k: peaks[k] for k in ("version", "channels", "bits", "sample_rate")} == {
        "version": 2, "channels": 1, "bits": 8, "sample_rate": 44_100,
    }  # fmt: skip
    assert peaks["samples_per_pixel"] == math.ceil(12 * 44_100 / 1000)
    assert peaks["length"] == math.ceil(12 * 44_100 / peaks["samples_per_pixel"]) <= 1000
    assert len(peaks["data"]) == 2 * peaks["length"]
    lows, highs = peaks["data"][0::2], peaks["data"][1::2]
    assert all(-128 <= lo <= hi <= 127 for lo, hi in zip(lows, highs, strict=True))


def test_peaks_values_match_the_signal(tmp_path: Path) -> None:
    rate = 8_000
    data = np.zeros((4000, 2))
    data[100, 0] = 0.5  # left channel only: max over channels keeps it
    data[2500, 1] = -1.0
    result = analyze_file(write(tmp_path / "p.wav", data, rate, "FLOAT"))
    peaks = result["peaks"]
    assert peaks["samples_per_pixel"] == 4 and peaks["length"] == 1000
    assert peaks["data"][2 * 25 : 2 * 25 + 2] == [0, 64]
    assert peaks["data"][2 * 625 : 2 * 625 + 2] == [-128, 0]
    assert sum(abs(v) for v in peaks["data"]) == 64 + 128


def test_block_size_does_not_change_results(tmp_path: Path) -> None:
    path = write(tmp_path / "song.wav", musical(48_000, 8.0, seed=5, level=0.9), 48_000, "PCM_24")
    whole = analyze_file(path)
    # 1,000 stereo float32 frames: not a multiple of hop, FFT or filter rows.
    streamed = analyze_file(path, limits=AudioLimits(block_bytes=1_000 * 2 * 4))
    for key, value in whole["loudness"].items():
        assert streamed["loudness"][key] == pytest.approx(value, abs=0.011), key
    assert streamed["peaks"] == whole["peaks"]
    assert streamed["series"]["short_term"] == whole["series"]["short_term"]
    np.testing.assert_allclose(
        streamed["series"]["spectrum"]["db"], whole["series"]["spectrum"]["db"], atol=0.11
    )
    assert streamed["tempo"]["bpm"] == whole["tempo"]["bpm"] and streamed["key"] == whole["key"]


def test_same_input_gives_identical_output(tmp_path: Path) -> None:
    path = write(tmp_path / "song.ogg", musical(48_000, 5.0, seed=2), 48_000, "VORBIS")
    assert json.dumps(analyze_file(path)) == json.dumps(analyze_file(path))


# -- unusual but valid audio ---------------------------------------------------------------------


def test_silence_has_no_loudness_and_says_why(tmp_path: Path) -> None:
    result = analyze_file(write(tmp_path / "silence.wav", np.zeros((48_000 * 5, 2)), 48_000, "PCM_16"))
    loudness = result["loudness"]
    for key in ("integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs",
                "true_peak_dbtp", "sample_peak_dbfs"):  # fmt: skip
        assert loudness[key] is None
        assert result["null_reasons"][key]
    assert "-70 LUFS absolute gate" in result["null_reasons"]["integrated_lufs"]
    assert result["spectral"]["centroid_hz"] is None
    assert result["tempo"]["bpm"] is None and result["tempo"]["reason"]
    assert result["key"]["name"] is None and result["key"]["reason"]
    assert all(v is None for v in result["series"]["momentary"]["lufs"])
    assert set(result["peaks"]["data"]) == {0}


def test_ten_millisecond_click_has_peaks_but_no_loudness(tmp_path: Path) -> None:
    rate = 48_000
    click = 0.8 * np.sin(2 * np.pi * 1000 * np.arange(480) / rate)
    result = analyze_file(write(tmp_path / "click.wav", click, rate, "PCM_16"))
    assert result["format"]["duration_s"] == 0.01
    assert result["loudness"]["integrated_lufs"] is None
    assert result["null_reasons"]["integrated_lufs"] == "shorter than one 400 ms block"
    assert result["null_reasons"]["loudness_range_lu"] == "shorter than one 3 s short-term window"
    assert result["loudness"]["sample_peak_dbfs"] == pytest.approx(20 * math.log10(0.8), abs=0.01)
    assert result["loudness"]["true_peak_dbtp"] >= result["loudness"]["sample_peak_dbfs"]
    assert result["tempo"]["bpm"] is None and "shorter" in result["tempo"]["reason"]
    assert result["peaks"]["length"] >= 1


def test_short_file_has_integrated_but_no_range(tmp_path: Path) -> None:
    result = analyze_file(write(tmp_path / "sting.wav", sine(48_000, 1.5, -20.0), 48_000, "PCM_24"))
    assert result["loudness"]["integrated_lufs"] == pytest.approx(-20.0, abs=0.1)
    assert result["loudness"]["loudness_range_lu"] is None
    assert set(result["null_reasons"]) >= {"loudness_range_lu", "max_short_term_lufs"}


def _k_gain_db(freq_hz: float) -> float:
    """K-weighting gain from the BS.1770-4 48 kHz coefficient tables (Tables 1 and 2)."""
    stage1 = (
        [1.53512485958697, -2.69169618940638, 1.19839281085285],
        [1.0, -1.69065929318241, 0.73248077421585],
    )
    stage2 = ([1.0, -2.0, 1.0], [1.0, -1.99004745483398, 0.99007225036621])
    z = np.exp(-2j * np.pi * freq_hz / 48_000)
    gain = 1.0
    for b, a in (stage1, stage2):
        gain *= abs(np.polyval(b[::-1], z) / np.polyval(a[::-1], z))
    return 20 * math.log10(gain)


@pytest.mark.parametrize(("rate", "channels"), [(8_000, 1), (192_000, 2), (48_000, 6), (22_050, 1)])
def test_rates_and_channel_counts(tmp_path: Path, rate: int, channels: int) -> None:
    data = sine(rate, 4.0, -20.0, freq_hz=440.0, channels=channels)
    if channels == 6:
        data[:, 3] = 0.5  # a loud LFE, which BS.1770 excludes
    result = analyze_file(write(tmp_path / "x.wav", data, rate, "PCM_24"))
    assert result["format"]["sample_rate_hz"] == rate and result["format"]["channels"] == channels
    weight_sum = {1: 1.0, 2: 2.0, 6: 3 + 2 * 1.41}[channels]
    # Mean square of a sine of amplitude a is a^2 / 2 per channel.
    expected = -0.691 + 10 * math.log10(weight_sum / 2) - 20.0 + _k_gain_db(440.0)
    # At 8 kHz the bilinear design of the shelf warps: a known +0.2 dB at low frequencies.
    assert result["loudness"]["integrated_lufs"] == pytest.approx(
        expected, abs=0.25 if rate < 16_000 else 0.1
    )
    if channels != 6:
        assert result["spectral"]["centroid_hz"] == pytest.approx(440.0, rel=0.05)
    assert result["series"]["spectrum"]["freqs_hz"][-1] <= rate / 2


@pytest.mark.parametrize(
    ("suffix", "fmt", "subtype", "container", "bit_depth"),
    [
        (".wav", "WAV", "PCM_U8", "wav", 8),
        (".wav", "WAV", "FLOAT", "wav", 32),
        (".aiff", "AIFF", "PCM_16", "aiff", 16),
        (".flac", "FLAC", "PCM_16", "flac", 16),
        (".ogg", "OGG", "VORBIS", "ogg", None),
        (".mp3", "MP3", "MPEG_LAYER_III", "mp3", None),
    ],
)
def test_containers_and_codecs(
    tmp_path: Path, suffix: str, fmt: str, subtype: str, container: str, bit_depth: int | None
) -> None:
    path = write(tmp_path / f"tone{suffix}", sine(44_100, 4.0, -18.0), 44_100, subtype, fmt)
    result = analyze_file(path)
    assert result["format"]["container"] == container
    assert result["format"]["codec"] == subtype
    assert result["format"]["bit_depth"] == bit_depth
    assert result["format"]["mislabelled"] is None
    assert result["file_bytes"] == path.stat().st_size
    assert result["loudness"]["integrated_lufs"] == pytest.approx(-18.0, abs=0.2)


def test_wav_named_mp3_is_measured_and_flagged(tmp_path: Path) -> None:
    path = write(tmp_path / "jingle.mp3", sine(48_000, 3.0, -23.0), 48_000, "PCM_16", "WAV")
    result = analyze_file(path)
    assert result["format"]["container"] == "wav"
    assert result["format"]["mislabelled"] == "file name says mp3 but the content is WAV"
    assert result["loudness"]["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)


# -- files that must be refused with a reason -----------------------------------------------------


def _error(path: Path, **kwargs: float) -> str:
    with pytest.raises(AudioError) as info:
        analyze_file(path, **kwargs)
    assert info.value.file == str(path)
    return info.value.message


def test_nan_samples_are_refused(tmp_path: Path) -> None:
    data = sine(48_000, 2.0, -20.0)
    data[48_000 + 12, 1] = np.nan
    message = _error(write(tmp_path / "nan.wav", data, 48_000, "FLOAT"))
    assert message == "contains non-finite samples (NaN or infinity) at 1.000 s"


def test_infinite_samples_are_refused(tmp_path: Path) -> None:
    data = sine(48_000, 1.0, -20.0)
    data[10, 0] = np.inf
    assert "non-finite" in _error(write(tmp_path / "inf.wav", data, 48_000, "DOUBLE"))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert _error(path) == "empty file (0 bytes)"


def test_header_without_frames(tmp_path: Path) -> None:
    path = tmp_path / "noframes.wav"
    sf.write(str(path), np.zeros((0, 2)), 48_000, "PCM_16")
    assert _error(path) == "contains no audio frames"


def test_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.wav").startswith("cannot read the file")


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "noise.flac"
    path.write_bytes(np.random.default_rng(0).bytes(20_000))
    assert _error(path).startswith("not a decodable audio file (")


def test_text_file_named_wav(tmp_path: Path) -> None:
    path = tmp_path / "readme.wav"
    path.write_text("this is not audio\n" * 100)
    assert _error(path) == "the file is a text file, not audio"


@pytest.mark.parametrize(
    ("suffix", "subtype"), [(".wav", "PCM_16"), (".flac", "PCM_16"), (".mp3", "MPEG_LAYER_III")]
)
def test_truncated_files(tmp_path: Path, suffix: str, subtype: str) -> None:
    whole = write(tmp_path / f"whole{suffix}", musical(44_100, 10.0, seed=1), 44_100, subtype)
    cut = tmp_path / f"cut{suffix}"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    message = _error(cut)
    assert "truncated" in message


def test_duration_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "long.wav", sine(8_000, 12.0, -20.0), 8_000, "PCM_16")
    assert _error(path, max_duration_s=10.0) == "longer than the limit: 12.0 s > 10 s"
    assert analyze_file(path, max_duration_s=12.0)["format"]["duration_s"] == 12.0


def test_streaming_wav_with_unknown_size_is_accepted(tmp_path: Path) -> None:
    # A WAV written to a pipe carries 0xFFFFFFFF as its data size; that is not truncation.
    path = write(tmp_path / "piped.wav", sine(8_000, 2.0, -20.0), 8_000, "PCM_16")
    data = bytearray(path.read_bytes())
    index = data.index(b"data")
    data[index + 4 : index + 8] = (0xFFFFFFFF).to_bytes(4, "little")
    data[4:8] = (0xFFFFFFFF).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert analyze_file(path)["format"]["duration_s"] == 2.0


def _peak_traced_mib(path: Path) -> tuple[dict, float]:
    import tracemalloc

    tracemalloc.start()
    try:
        result = analyze_file(path)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak_bytes / 2**20


def test_long_file_memory_stays_bounded(tmp_path: Path) -> None:
    rate = 48_000
    short, long = tmp_path / "short.wav", tmp_path / "long.wav"
    with sf.SoundFile(str(long), "w", rate, 2, "PCM_16") as handle:
        for minute in range(4):  # written in pieces: never the whole signal in memory
            handle.write(musical(rate, 60.0, seed=minute, level=0.5))
    write(short, musical(rate, 60.0, seed=0, level=0.5), rate, "PCM_16")
    _, short_mib = _peak_traced_mib(short)
    result, long_mib = _peak_traced_mib(long)
    assert result["format"]["duration_s"] == 240.0
    # Four times the audio, not more memory: decoding 240 s whole would take 88 MiB of float32.
    assert long_mib < short_mib * 1.2 + 1.0
    assert long_mib < 30.0
    # Series of long files are decimated to at most 600 points.
    assert len(result["series"]["short_term"]["times_s"]) <= 600
    assert len(result["series"]["momentary"]["lufs"]) <= 600
    assert result["peaks"]["length"] <= 1000
