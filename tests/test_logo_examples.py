"""The example brands' themes are built around their logos: the search finds them where the
generator (scripts/make_example_audio.py) composed them, and says how close Glitchwave comes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.ndimage

from sonicguide.core.audio import motif

BRANDS = Path(__file__).resolve().parent.parent / "brands"


def bars(bpm: float, *indices: int) -> list[float]:
    """Start times of 4/4 bars ``indices`` at ``bpm``, seconds."""
    return [index * 4 * 60.0 / bpm for index in indices]


# (brand folder, logo file, theme file, composed logo entries: the generator's bars and tempo)
COMPOSED = [
    ("calder-valley-railway", "calder-sonic-logo.wav", "calder-main-theme.ogg", bars(92.0, 0, 4, 8)),
    ("kestrel-health", "kestrel-sonic-logo.wav", "kestrel-main-theme.mp3", bars(84.0, 0, 4, 8)),
]


@pytest.mark.parametrize(("brand", "logo", "theme", "composed"), COMPOSED)
def test_example_themes_carry_their_logo_where_it_was_composed(brand: str, logo: str, theme: str,
                                                               composed: list[float]) -> None:
    audio = BRANDS / brand / "audio"
    search = motif.find_logo_in_file(audio / logo, audio / theme)
    found = [o for o in search.occurrences if o.transposition_semitones == 0]
    assert [o.time_s for o in found[: len(composed)]] == pytest.approx(composed, abs=0.05)
    assert all(o.similarity >= 0.7 for o in found[: len(composed)])


def test_glitchwave_theme_peaks_where_the_logo_was_composed_but_below_the_threshold() -> None:
    # The theme plays the motif as one synth voice inside an arpeggio and a pad on the same chord
    # tones (A, C, E: two of the motif's four notes) and a kick whose pitch sweep crosses G# and A#:
    # its three strongest matches are the composed entries (bars 4, 8 and 12 at 128 BPM), clearly
    # above anything else in the theme, but below the threshold that keeps unrelated music out.
    audio = BRANDS / "glitchwave" / "audio"
    template = motif.motif_template(*motif.read_mono(audio / "glitchwave-sonic-logo.wav"))
    mono, rate = motif.read_mono(audio / "glitchwave-main-theme.ogg")
    similarity, _, _ = motif.similarity_curves(template, motif.chroma_frames(mono, rate))
    peaks = np.flatnonzero((similarity == scipy.ndimage.maximum_filter1d(similarity, 201)) & (similarity > 0))
    strongest = sorted(peaks, key=lambda frame: -similarity[frame])[:4]
    composed = bars(128.0, 4, 8, 12)
    assert sorted(float(f) * motif.HOP_S for f in strongest[:3]) == pytest.approx(composed, abs=0.1)
    assert max(similarity[f] for f in strongest[:3]) < motif.THRESHOLD
    assert min(similarity[f] for f in strongest[:3]) > similarity[strongest[3]]
