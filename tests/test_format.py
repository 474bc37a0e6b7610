"""Display strings: units, real minus signs, and honest gaps."""

from sonicguide.core.views import format as fmt


def test_levels_use_a_real_minus_and_never_show_minus_zero() -> None:
    assert fmt.level(-14.04, "LUFS") == "\u221214.0 LUFS"
    assert fmt.level(-0.04, "dBTP") == "0.0 dBTP"
    assert fmt.level(1.26, "dBTP") == "1.3 dBTP"


def test_silence_is_minus_infinity_and_other_gaps_say_why() -> None:
    assert fmt.level(None, "LUFS", "silent: no block above the -70 LUFS absolute gate") == "\u2212\u221e LUFS (silent)"
    assert fmt.level(None, "LUFS", "shorter than one 400 ms block") == (
        "not measurable (shorter than one 400 ms block)")
    assert fmt.level(None, "LU", "silent") == "not measurable (silent)"  # a range of silence is no range
    assert fmt.level(float("-inf"), "dBFS") == "\u2212\u221e dBFS"


def test_durations_and_rates() -> None:
    assert fmt.duration(3.04) == "0:03.0"
    assert fmt.duration(93.5) == "1:33.5"
    assert fmt.duration(3725.0) == "1:02:05.0"
    assert fmt.sample_rate(44100) == "44.1 kHz"
    assert fmt.channels(6) == "6 channels"
    assert fmt.hertz(1234.0) == "1.2 kHz"


def test_estimates_are_labelled_and_weak_ones_flagged() -> None:
    assert fmt.estimate(120.4, "BPM", 0.82, None, uncertain_below=0.5) == "\u2248 120 BPM (estimate, confidence 0.82)"
    assert fmt.estimate("F minor", "", 0.04, None, uncertain_below=0.3) == (
        "\u2248 F minor (uncertain estimate, confidence 0.04)")
    assert fmt.estimate(None, "BPM", 0.0, "no steady beat") == "no estimate (no steady beat)"
