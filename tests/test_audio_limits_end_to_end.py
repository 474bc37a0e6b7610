"""Hostile audio through every door: ``sonicguide analyze --json``, ``sonicguide validate`` and a real
``mkdocs build --strict``. One bad file never stops the others; every output is strict JSON."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from mkdocs.exceptions import Abort, PluginError

from audio_signals import sine, write
from sitehelpers import brand_yaml, build_site, make_project
from sonicguide.cli import main


def strict_loads(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


def lying_wav(path: Path, *, rate: int | None = None, channels: int | None = None) -> Path:
    write(path, sine(48_000, 0.5, -20.0, channels=1), 48_000, "PCM_16")
    data = bytearray(path.read_bytes())
    fmt = data.index(b"fmt ")
    if channels is not None:
        struct.pack_into("<H", data, fmt + 10, channels)
    if rate is not None:
        struct.pack_into("<I", data, fmt + 12, rate)
    path.write_bytes(bytes(data))
    return path


def zip_named(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("logo.wav", b"RIFF" + bytes(64))
    return path


def huge_float(path: Path, *, seconds: float = 5.0, rate: int = 48_000) -> Path:
    rng = np.random.default_rng(5)
    data = (rng.uniform(-1.0, 1.0, (int(rate * seconds), 2)) * 1e30).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, data, rate, subtype="FLOAT")
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    truncated = write(folder / "cut.wav", sine(48_000, 2.0, -20.0), 48_000, "PCM_16")
    truncated.write_bytes(truncated.read_bytes()[:100_000])
    return {
        "tone": write(folder / "tone.wav", sine(48_000, 4.0, -23.0), 48_000, "PCM_24"),
        "zip": zip_named(folder / "pack.mp3"),
        "rate": lying_wav(folder / "rate.wav", rate=2_147_483_647),
        "channels": lying_wav(folder / "channels.wav", channels=1_024),
        "huge": huge_float(folder / "huge.wav"),
        "low": write(folder / "low.wav", sine(2_000, 5.0, -12.0, freq_hz=250.0, channels=1), 2_000, "PCM_16"),
        "truncated": truncated,
        "tone2": write(folder / "tone2.flac", sine(44_100, 3.5, -18.0), 44_100, "PCM_16"),
    }


def test_analyze_json_is_strict_and_reports_every_file(hostile: dict[str, Path],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["analyze", "--json", *map(str, hostile.values())])
    out, err = capsys.readouterr()
    assert status == 1
    rows = {Path(row["file"]).name: row for row in strict_loads(out)}
    assert len(rows) == len(hostile)
    by_kind = {kind: rows[path.name] for kind, path in hostile.items()}
    # The good files around the bad ones are measured.
    assert by_kind["tone"]["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)
    assert by_kind["tone2"]["integrated_lufs"] == pytest.approx(-18.0, abs=0.2)
    # Refusals say what the file is, why, and what to do; every one is on stderr too.
    assert by_kind["zip"]["error"] == ("the file is a ZIP archive, not audio; unzip it and point at the audio "
                                       "file inside")
    assert "2,147,483,647 Hz, outside the accepted 1 kHz to 768 kHz" in by_kind["rate"]["error"]
    assert "1,024 channels, more than the 64 accepted" in by_kind["channels"]["error"]
    assert by_kind["truncated"]["error"].startswith("truncated")
    for kind in ("zip", "rate", "channels", "truncated"):
        assert f"error: {hostile[kind]}: " in err
    # Measured, with the values that do not exist as null and the reason.
    huge = by_kind["huge"]
    assert huge["error"] is None and huge["integrated_lufs"] is None and huge["sample_peak_dbfs"] is None
    assert huge["null_reasons"]["integrated_lufs"].startswith("out of range: the samples reach +")
    low = by_kind["low"]
    assert low["error"] is None and low["integrated_lufs"] is None
    assert low["sample_peak_dbfs"] == pytest.approx(-12.0, abs=0.1)
    assert "below 8 kHz" in low["null_reasons"]["integrated_lufs"]


def test_analyze_table_survives_hostile_files(hostile: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(hostile["huge"]), str(hostile["low"]), str(hostile["zip"])]) == 1
    out, err = capsys.readouterr()
    assert "nan" not in out.lower().replace("none", "") and "inf LUFS (out of range" not in out
    assert "out of range" in out and "below 8 kHz" in out and "ZIP archive" in err


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_analyze_refuses_a_bad_duration_flag(hostile: dict[str, Path], value: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["analyze", "--max-duration", value, str(hostile["tone"])])
    assert "0 or more (0: no limit)" in capsys.readouterr().err


def _brand_with(tmp_path: Path, files: dict[str, Path]) -> Path:
    assets = [{"id": kind, "file": f"audio/{path.name}", "role": "ui"} for kind, path in files.items()]
    folder = tmp_path / "brands" / "hostile"
    (folder / "audio").mkdir(parents=True)
    (folder / "brand.yml").write_text(brand_yaml("Hostile", assets=assets), encoding="utf-8")
    for path in files.values():
        (folder / "audio" / path.name).write_bytes(path.read_bytes())
    return folder


def test_validate_applies_the_same_header_checks(tmp_path: Path, hostile: dict[str, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    chosen = {kind: hostile[kind] for kind in ("tone", "zip", "rate", "channels", "huge", "low")}
    folder = _brand_with(tmp_path, chosen)
    assert main(["validate", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    # One problem per refused file, each at the asset's file: value (line:column), in file order.
    assert len(lines) == 3, lines
    zip_line, rate_line, channels_line = lines
    assert ":31:11: assets[1].file: 'audio/pack.mp3' is a ZIP archive, not audio; unzip it" in zip_line
    assert ":42:11: assets[2].file: 'audio/rate.wav': the header claims a sample rate of 2,147,483,647 Hz" in rate_line
    assert ":53:11: assets[3].file: 'audio/channels.wav': the header claims 1,024 channels" in channels_line
    # The duration limit is the same option as the build's; 0 turns it off.
    assert main(["validate", "--max-duration", "3", str(_brand_with(tmp_path / "b", {"tone": hostile["tone"]}))]) == 1
    assert "longer than the limit: 4.0 s > 3 s" in capsys.readouterr().out
    assert main(["validate", "--max-duration", "0", str(tmp_path / "b" / "brands" / "hostile")]) == 0


def test_build_measures_odd_audio_and_writes_strict_json(tmp_path: Path) -> None:
    assets = [{"id": "tone", "file": "audio/tone.wav", "role": "logo"},
              {"id": "huge", "file": "audio/huge.wav", "role": "ui"},
              {"id": "low", "file": "audio/low.wav", "role": "ui"},
              {"id": "khz1", "file": "audio/khz1.wav", "role": "ui"}]
    config = make_project(tmp_path, {"odd": brand_yaml("Odd", assets=assets)})
    audio = tmp_path / "brands/odd/audio"
    audio.mkdir()
    write(audio / "tone.wav", sine(48_000, 4.0, -23.0), 48_000, "PCM_24")
    huge_float(audio / "huge.wav")
    write(audio / "low.wav", sine(4_000, 5.0, -12.0, freq_hz=500.0, channels=1), 4_000, "PCM_16")
    write(audio / "khz1.wav", sine(1_000, 5.0, -12.0, freq_hz=125.0, channels=1), 1_000, "PCM_16")
    site = build_site(config)
    data = strict_loads((site / "odd/brand.json").read_text(encoding="utf-8"))
    measured = data["measurements"]
    assert measured["tone"]["loudness"]["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)
    assert measured["huge"]["loudness"]["integrated_lufs"] is None
    assert "out of range" in measured["huge"]["null_reasons"]["integrated_lufs"]
    for asset_id in ("low", "khz1"):
        assert measured[asset_id]["loudness"]["integrated_lufs"] is None
        assert "below 8 kHz" in measured[asset_id]["null_reasons"]["integrated_lufs"]
        assert measured[asset_id]["loudness"]["sample_peak_dbfs"] == pytest.approx(-12.0, abs=0.1)


def test_build_names_every_refused_file_with_its_fix(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assets = [{"id": "tone", "file": "audio/tone.wav", "role": "logo"},
              {"id": "pack", "file": "audio/pack.mp3", "role": "ui"},
              {"id": "liar", "file": "audio/liar.wav", "role": "ui"}]
    config = make_project(tmp_path, {"bad": brand_yaml("Bad", assets=assets)})
    audio = tmp_path / "brands/bad/audio"
    audio.mkdir()
    write(audio / "tone.wav", sine(48_000, 2.0, -23.0), 48_000, "PCM_24")
    zip_named(audio / "pack.mp3")
    lying_wav(audio / "liar.wav", channels=512)
    with pytest.raises((PluginError, Abort)):
        build_site(config)
    assert ("assets[1].file: 'audio/pack.mp3' cannot be used: the file is a ZIP archive, not audio; "
            "unzip it and point at the audio file inside.") in caplog.text
    assert ("assets[2].file: 'audio/liar.wav' cannot be used: the header claims 512 channels, more than the 64 "
            "accepted; the file is damaged or a multichannel master: export a stereo or surround render."
            ) in caplog.text
    assert not (tmp_path / "site").exists()


def test_a_refusal_for_time_is_reported_but_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sonicguide.core.audio import pipeline, report
    from sonicguide.core.cache import Cache
    from sonicguide.core.errors import AudioError

    path = write(tmp_path / "tone.wav", sine(48_000, 1.0, -20.0), 48_000, "PCM_16")

    def too_slow(file: Path, *args: object) -> int:
        raise AudioError(str(file), "measuring took longer than the 600 s budget", fix="build again",
                         cacheable=False)

    cache = Cache(tmp_path / "cache")
    with monkeypatch.context() as patched:
        patched.setattr(report, "_feed_all", too_slow)
        runner = pipeline.AnalysisRunner(cache, workers=1)
        job = runner.make_job("brand", "tone", path)
        runner.start([job])
        result = runner.results()[("brand", "tone")]
    assert (result.error, result.fix) == ("measuring took longer than the 600 s budget", "build again")
    assert not cache.has("analysis", job.key, ".json")  # the next build measures again
    runner = pipeline.AnalysisRunner(cache, workers=1)
    runner.start([runner.make_job("brand", "tone", path)])
    assert runner.results()[("brand", "tone")].error is None
