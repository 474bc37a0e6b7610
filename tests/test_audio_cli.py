"""``sonicguide analyze``: tables, JSON, and files that fail next to files that work."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from audio_signals import sine, write
from sonicguide.cli import main

REQUIRED_KEYS = {
    "file", "duration_s", "sample_rate_hz", "channels", "integrated_lufs", "loudness_range_lu",
    "true_peak_dbtp", "sample_peak_dbfs", "max_momentary_lufs", "max_short_term_lufs",
    "spectral_centroid_hz", "tempo_bpm", "key", "null_reasons", "error",
}  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    tone = write(tmp_path / "tone.wav", sine(48_000, 4.0, -23.0), 48_000, "PCM_24")
    silence = write(tmp_path / "silence.flac", np.zeros((48_000, 2)), 48_000, "PCM_16")
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3" + bytes(100))
    return {"tone": tone, "silence": silence, "broken": broken}


def test_json_lists_every_file_with_values_reasons_and_errors(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["analyze", "--json", str(files["tone"]), str(files["broken"]), str(files["silence"])])
    out, err = capsys.readouterr()
    assert status == 1
    rows = json.loads(out)
    assert [row["file"] for row in rows] == [str(files["tone"]), str(files["broken"]), str(files["silence"])]
    assert all(set(row) >= REQUIRED_KEYS for row in rows)
    tone, broken, silence = rows
    assert tone["error"] is None
    assert tone["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)
    assert tone["sample_rate_hz"] == 48_000 and tone["channels"] == 2 and tone["duration_s"] == 4.0
    assert tone["loudness_range_lu"] is not None
    assert broken["error"].startswith("not a decodable audio file")
    assert broken["integrated_lufs"] is None
    assert silence["error"] is None and silence["integrated_lufs"] is None
    assert silence["null_reasons"]["integrated_lufs"].startswith("silent")
    assert silence["null_reasons"]["loudness_range_lu"] == "shorter than one 3 s short-term window"
    assert err.strip() == f"error: {files['broken']}: {broken['error']}"


def test_table_output(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(files["tone"]), str(files["silence"])]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == str(files["tone"])
    assert "  format                    WAV (PCM_24), 48000 Hz, 24-bit, 2 ch, 4.00 s" in lines
    integrated = next(line for line in lines if line.startswith("  integrated loudness"))
    value, unit = integrated.split()[-2:]
    assert value.startswith("\u2212")  # a real minus sign, like the site
    assert float(value.replace("\u2212", "-")) == pytest.approx(-23.0, abs=0.1) and unit == "LUFS"
    assert (
        "  integrated loudness       \u2212\u221e LUFS (silent: no block above the -70 LUFS absolute gate)" in lines
    )
    assert any(line.startswith("  key (estimate)") for line in lines)


def test_duration_limit_option(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--json", "--max-duration", "2", str(files["tone"])]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["error"] == ("longer than the limit: 4.0 s > 2 s; shorten the file or raise the plugin "
                                "option max_duration_s (0: no limit)")


def test_mislabelled_file_is_measured_and_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "sting.mp3", sine(44_100, 2.0, -20.0), 44_100, "PCM_16", "WAV")
    assert main(["analyze", str(path)]) == 0
    assert "  warning                   file name says mp3 but the content is WAV" in capsys.readouterr().out
