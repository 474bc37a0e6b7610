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
    assert fmt.estimate(None, "BPM", 0.0, "no steady beat") == "not estimated (no steady beat)"


# --------------------------------------------------------------------------------------------
# One formatter: signs, sub-second times, distinct marker labels, joined sentences

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from profiles import examples  # noqa: E402

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_numbers_use_a_real_minus_and_drop_trailing_zeros() -> None:
    assert fmt.number(-14.0) == "\u221214"
    assert fmt.number(-18.25) == "\u221218.25"
    assert fmt.number(-0.001) == "0"
    assert fmt.number(0.5) == "0.5"
    assert fmt.seconds(0.45) == "0.45 s"
    assert fmt.seconds(30) == "30 s"
    assert fmt.plus_signed(3.04) == "+3.0"
    assert fmt.plus_signed(-3.04) == "\u22123.0"
    assert fmt.plus_signed(-0.01) == "0.0"
    assert fmt.level_number(-20.04) == "\u221220"
    assert fmt.frequency(2149.0) == "2.15 kHz"


@settings(max_examples=examples(200), deadline=None)
@given(finite, st.integers(min_value=0, max_value=3))
def test_no_formatted_number_has_an_ascii_minus_or_a_minus_zero(value: float, digits: int) -> None:
    for text in (fmt.signed(value, digits), fmt.number(value, digits), fmt.plus_signed(value, digits),
                 fmt.level(value, "LUFS"), fmt.level_number(value)):
        assert "-" not in text, text
        assert not re.match("[\u2212+]0(\\.0*)?( |$)", text), text
    # The number read back is the value rounded.
    back = float(fmt.number(value, digits).replace("\u2212", "-"))
    assert abs(back - value) <= 0.5 * 10 ** -digits + 1e-9 * abs(value)


def test_sub_second_durations_read_in_seconds() -> None:
    assert fmt.duration(0.45) == "0.45 s"
    assert fmt.duration(0.01) == "0.01 s"
    assert fmt.duration(0.97) == "0.97 s"
    assert fmt.duration(59.96) == "1:00.0"  # rounded before splitting: never "0:60.0"
    assert fmt.clock(0.0, 0.45) == "0.00 s"
    assert fmt.clock(0.45) == "0.45 s"
    assert fmt.clock(12.7, 75.9) == "0:12"
    assert fmt.clock(0.0, 75.9) == "0:00"
    assert fmt.time_label(72.5) == "1:12.5"
    assert fmt.time_label(12.0) == "0:12"


@settings(max_examples=examples(200), deadline=None)
@given(st.floats(min_value=0.0, max_value=36000.0))
def test_no_duration_reads_zero_unless_it_is_zero(value: float) -> None:
    text = fmt.duration(value)
    assert not re.search(r":6\d", text), text
    if value >= 0.005:
        assert text not in ("0:00", "0:00.0", "0.00 s"), (value, text)


def test_marker_labels_get_the_decimals_they_need() -> None:
    assert fmt.distinct_times([0.0, 12.0, 30.0], 60.0) == ["0:00", "0:12", "0:30"]
    assert fmt.distinct_times([0.2, 0.8, 5.0], 60.0) == ["0:00.2", "0:00.8", "0:05.0"]
    assert fmt.distinct_times([1.21, 1.24], 3.0) == ["0:01.21", "0:01.24"]
    assert fmt.distinct_times([0.1, 0.2], 0.45) == ["0.10 s", "0.20 s"]
    assert fmt.distinct_times([], 10.0) == []


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=600.0), max_size=8, unique=True),
       st.floats(min_value=0.05, max_value=600.0))
def test_distinct_marker_times_never_read_the_same(times: list[float], total: float) -> None:
    times = [round(t, 3) for t in times]
    labels = fmt.distinct_times(times, total)
    assert len(set(labels)) == len(set(times))


def test_player_labels_for_a_sub_second_sound() -> None:
    player = fmt.player_labels({"duration_s": 0.45, "integrated_lufs": -17.94,
                                "regions": [{"start_s": 0.0, "end_s": 0.2}],
                                "markers": [{"at_s": 0.1, "label": "a"}, {"at_s": 0.104, "label": "b"}]})
    assert (player["duration_label"], player["elapsed_label"]) == ("0.45 s", "0.00 s")
    assert player["lufs_label"] == "\u221217.9 LUFS"
    assert [m["when"] for m in player["markers"]] == ["0.100 s", "0.104 s"]
    assert player["regions"][0]["when"] == "0.00 s\u20130.20 s"


def test_sentences_never_double_or_clash_punctuation() -> None:
    assert fmt.sentence("Approved the pad for bars 5-7") == "Approved the pad for bars 5-7."
    assert fmt.sentence("Approved the pad for bars 5-7.") == "Approved the pad for bars 5-7."
    assert fmt.sentence("Really!") == "Really!"
    assert fmt.sentence("Why?") == "Why?"
    assert fmt.sentence("And then\u2026") == "And then\u2026"
    assert fmt.sentence("As follows:") == "As follows."
    assert fmt.join_clauses(["A soft F major chord blooms.", "0:03.0", "sync: on the F"], end="") == (
        "A soft F major chord blooms; 0:03.0; sync: on the F")
    assert fmt.join_clauses(["owned by Kestrel", "Worldwide", "Perpetual."]) == (
        "owned by Kestrel; Worldwide; Perpetual.")
    assert fmt.join_clauses(["Wow!", "then this"]) == "Wow! then this."
    assert fmt.join_clauses(["Note:", None, "  ", "done"]) == "Note; done."


ENDINGS = [".", "!", "?", ":", "\u2026", "...", ";", ",", ""]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abc xyz", min_size=1, max_size=8).filter(str.strip),
                          st.sampled_from(ENDINGS)), min_size=1, max_size=5),
       st.sampled_from([".", ""]))
def test_joined_texts_have_no_clashing_punctuation(parts: list[tuple[str, str]], end: str) -> None:
    text = fmt.join_clauses([word + ending for word, ending in parts], end=end)
    without_ellipses = text.replace("...", "\u2026")
    assert not re.search(r"[.;:,!?\u2026]\s*[.;:,]", without_ellipses), text
    assert not re.search(r"[!?]\s*[!?]", text), text
