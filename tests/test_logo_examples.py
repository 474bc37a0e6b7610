"""The example brands' themes are built around their logos: the search finds them where the
generator (scripts/make_example_audio.py) composed them, and nowhere in the beds."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_glitchwave_theme_carries_its_logo_where_it_was_composed() -> None:
    # The theme plays the motif (A4 E5 G5 A5) as one synth voice inside an arpeggio and a pad on the
    # same chord tones (A, C, E) under a kick and a snare: the chroma correlation alone reads 0.35-0.44
    # there; the note sequence finds all three entries (bars 4, 8 and 12 at 128 BPM), in the logo's key.
    audio = BRANDS / "glitchwave" / "audio"
    search = motif.find_logo_in_file(audio / "glitchwave-sonic-logo.wav", audio / "glitchwave-main-theme.ogg")
    assert [o.time_s for o in search.occurrences] == pytest.approx(bars(128.0, 4, 8, 12), abs=0.05)
    assert all(o.transposition_semitones == 0 for o in search.occurrences)
    # played at the logo's tempo: the stretch is read from the notes' onsets, not from what rings with them
    assert [o.stretch for o in search.occurrences] == pytest.approx([1.0, 1.0, 1.0], abs=0.02)


def test_glitchwave_chiptune_carries_its_logo_at_its_own_tempo() -> None:
    # The chiptune plays the motif on a square wave at 140 BPM (the logo: 128) over a pulse arpeggio of
    # A C E in the motif's register and a triangle bass 10 dB louder jumping between A2 and A3 on every
    # eighth: the bass's A under the motif's E and G made the note sequence read 0.62-0.66 over the whole
    # range (similarity 0.56-0.59, "not found"); read from the logo's register up, its notes are the lead's.
    audio = BRANDS / "glitchwave" / "audio"
    search = motif.find_logo_in_file(audio / "glitchwave-sonic-logo.wav", audio / "glitchwave-theme-chiptune.mp3")
    assert [o.time_s for o in search.occurrences] == pytest.approx(bars(140.0, 0, 4, 8), abs=0.05)
    assert all(o.transposition_semitones == 0 for o in search.occurrences)
    assert [o.stretch for o in search.occurrences] == pytest.approx([128.0 / 140.0] * 3, abs=0.02)


@pytest.mark.parametrize(("brand", "logo", "bed"), [
    ("calder-valley-railway", "calder-sonic-logo.wav", "calder-platform-bed.ogg"),
    ("glitchwave", "glitchwave-sonic-logo.wav", "glitchwave-menu-bed.ogg"),
])
def test_beds_without_the_logo_show_no_occurrence(brand: str, logo: str, bed: str) -> None:
    audio = BRANDS / brand / "audio"
    search = motif.find_logo_in_file(audio / logo, audio / bed, threshold=0.0)
    assert search.occurrences, "the search lists its best matches at threshold 0"
    assert max(o.similarity for o in search.occurrences) < motif.THRESHOLD
