"""A fresh ``sonicguide new`` scaffold builds a strict site at once, with no warning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf

from sitehelpers import build_site, make_project, soup
from sonicguide.commands.new import create_brand


def test_placeholder_is_at_minus_23_lufs_and_in_d(tmp_path: Path) -> None:
    folder = create_brand(tmp_path, "loud")
    signal, rate = sf.read(folder / "audio" / "placeholder.wav")
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(signal) - (-23.0)) < 0.1
    spectrum = np.abs(np.fft.rfft(signal))
    frequencies = np.fft.rfftfreq(signal.size, 1 / rate)
    strongest = sorted(frequencies[np.argsort(spectrum)[-3:]])
    assert np.allclose(strongest, [294, 370, 440], atol=2)  # D4, F#4, A4


def test_scaffold_builds_strict_with_no_warning(tmp_path: Path) -> None:
    config = make_project(tmp_path, {})
    create_brand(tmp_path / "brands", "fresh", name="Fresh <Brand>")
    site = build_site(config, strict=True)
    page = soup(site / "fresh" / "index.html")
    assert page.find("audio") is not None
    assert "Fresh <Brand>" in page.get_text()
    assert (site / "fresh" / "brand.json").stat().st_size > 0
