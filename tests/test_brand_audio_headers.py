"""check_audio_headers: every container we accept passes when named right; mislabelled, corrupt and
header-only files are caught at the ``file:`` value without decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from hardening_fixtures import MINIMAL_BRAND, make_brand
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import check_audio_headers, load_brand

FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS"),
           ".opus": ("OGG", "OPUS"), ".mp3": ("MP3", "MPEG_LAYER_III"), ".aiff": ("AIFF", "PCM_16")}


def write(path: Path, suffix: str) -> None:
    container, subtype = FORMATS[suffix]
    rate = 48000
    signal = 0.25 * np.sin(2 * np.pi * 440 * np.arange(rate // 4) / rate)
    sf.write(path, signal, rate, format=container, subtype=subtype)


def brand_with(tmp_path: Path, name: str, writer_suffix: str) -> Path:
    folder = make_brand(tmp_path, "hdr", MINIMAL_BRAND.replace("audio/logo.wav", f"audio/{name}"), audio=())
    (folder / "audio").mkdir()
    write(folder / "audio" / name, writer_suffix)
    return folder


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_each_format_named_right_passes(tmp_path: Path, suffix: str) -> None:
    folder = brand_with(tmp_path, f"logo{suffix}", suffix)
    assert check_audio_headers(load_brand(folder)) == []


@pytest.mark.parametrize(("name", "real", "words"), [
    ("logo.mp3", ".wav", "is a WAV file but its name ends in .mp3"),
    ("logo.wav", ".flac", "is a FLAC file but its name ends in .wav"),
    ("logo.flac", ".ogg", "is an Ogg file but its name ends in .flac"),
    ("logo.ogg", ".mp3", "is an MP3 file but its name ends in .ogg"),
])
def test_mislabelled_files(tmp_path: Path, name: str, real: str, words: str) -> None:
    folder = brand_with(tmp_path, name, real)
    with pytest.raises(BrandError) as caught:
        load_brand(folder, display_root=tmp_path, audio_headers=True)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (18, 11, "assets[0].file")
    assert words in problem.message


def test_header_only_wav_has_no_samples(tmp_path: Path) -> None:
    folder = brand_with(tmp_path, "logo.wav", ".wav")
    path = folder / "audio" / "logo.wav"
    path.write_bytes(path.read_bytes()[:44])
    (problem,) = check_audio_headers(load_brand(folder))
    assert problem.message == "'audio/logo.wav' holds no audio samples; export it again."


def test_garbage_with_an_audio_name(tmp_path: Path) -> None:
    folder = brand_with(tmp_path, "logo.flac", ".flac")
    (folder / "audio" / "logo.flac").write_bytes(b"fLaC" + bytes(range(256)) * 4)
    (problem,) = check_audio_headers(load_brand(folder))
    assert problem.message.startswith("'audio/logo.flac' cannot be read as audio (")
