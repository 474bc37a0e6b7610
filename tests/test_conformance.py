"""Conformance checks: constructed brands, fake analysis reports, expected verdicts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sonicguide.core.judge.conformance import DEFAULT_TOLERANCE_LU, check_brand, parse_key, resolve_loudness
from sonicguide.core.load.model import Brand, LoudnessSpec

HUMAN = {"stages": {"composition": {"mode": "human", "contributors": [{"name": "Ana", "role": "composer"}]}}}


def make_brand(**overrides: Any) -> Brand:
    data: dict[str, Any] = {
        "identity": {"name": "Aurora", "industry": "Travel"},
        "strategy": {
            "essence": "Light after dark",
            "attributes": [{"name": "warm", "meaning": "round, close"}],
            "musical_dna": {"tempo_bpm": {"min": 90, "max": 110}, "keys": ["F# minor", "A major"]},
        },
        "disclosure_policy": {"statement": "Human-made core.", "target_tier": "human-made"},
        "touchpoints": [
            {"id": "app-launch", "name": "App launch", "loudness": {"standard": "spotify"},
             "max_duration_s": 3, "formats": ["wav", "ogg"]},
            {"id": "broadcast", "name": "TV ident", "assets": ["logo"],
             "loudness": {"standard": "ebu-r128", "tolerance_lu": 1.0}},
        ],
        "delivery": {"formats": ["wav", "flac"], "sample_rate_hz": 48000, "bit_depth": 24},
        "assets": [
            {"id": "logo", "title": "Logo", "file": "logo.wav", "role": "logo",
             "touchpoints": ["app-launch"], "disclosure": HUMAN},
            {"id": "click", "title": "Click", "file": "click.wav", "role": "ui",
             "touchpoints": ["app-launch"], "disclosure": HUMAN},
        ],
    }
    data.update(overrides)
    return Brand.model_validate(data)


def make_report(**changes: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "loudness": {"integrated_lufs": -14.4, "true_peak_dbtp": -1.3},
        "format": {"container": "wav", "duration_s": 2.5, "sample_rate_hz": 48000, "bit_depth": 24,
                   "channels": 2},
        "tempo": {"bpm": 100.0, "confidence": 0.8},
        "key": {"name": "F# minor", "confidence": 0.7},
    }
    for path, value in changes.items():
        section, key = path.split("__")
        report[section][key] = value
    return report


def checks_of(result: dict[str, Any], asset: str, touchpoint: str | None = None) -> dict[str, dict[str, Any]]:
    """The checks of one matrix row (``touchpoint``) or of the asset row (None), by check id."""
    if touchpoint is None:
        rows = [row for row in result["assets"] if row["asset"] == asset]
    else:
        rows = [row for row in result["rows"] if row["asset"] == asset and row["touchpoint"] == touchpoint]
    assert len(rows) == 1
    return {check["check"]: check for check in rows[0]["checks"]}


# --------------------------------------------------------------------------------------------
# resolve_loudness


def test_standard_alone_gives_its_numbers_and_source() -> None:
    target = resolve_loudness(LoudnessSpec(standard="ebu-r128"))
    assert target["integrated_lufs"] == -23.0
    assert target["tolerance_lu"] == 0.5
    assert target["true_peak_dbtp"] == -1.0
    assert target["standard"] == "ebu-r128"
    assert target["source"].startswith("EBU R 128")
    assert target["checked"] == "2026-11-25"
    assert target["overridden"] == []


def test_explicit_fields_override_the_standard() -> None:
    target = resolve_loudness(LoudnessSpec(standard="ebu-r128", tolerance_lu=1.0, true_peak_dbtp=-2.0))
    assert (target["integrated_lufs"], target["tolerance_lu"], target["true_peak_dbtp"]) == (-23.0, 1.0, -2.0)
    assert target["overridden"] == ["tolerance_lu", "true_peak_dbtp"]


def test_own_numbers_without_standard_get_the_default_tolerance() -> None:
    target = resolve_loudness(LoudnessSpec(integrated_lufs=-18))
    assert target["tolerance_lu"] == DEFAULT_TOLERANCE_LU == 1.0
    assert target["true_peak_dbtp"] is None
    assert target["standard"] is None and target["source"] is None
    assert target["overridden"] == []


# --------------------------------------------------------------------------------------------
# check_brand: rows and verdicts


def test_rows_cover_both_directions_of_use() -> None:
    result = check_brand(make_brand(), {"logo": make_report(), "click": make_report()})
    pairs = [(row["asset"], row["touchpoint"]) for row in result["rows"]]
    # logo lists app-launch itself; broadcast lists logo; click is only at app-launch.
    assert pairs == [("logo", "app-launch"), ("logo", "broadcast"), ("click", "app-launch")]


def test_conforming_asset_passes_everything() -> None:
    result = check_brand(make_brand(), {"logo": make_report(), "click": make_report()})
    logo = checks_of(result, "logo", "app-launch")
    assert {key: check["status"] for key, check in logo.items()} == {
        "loudness.integrated": "pass", "loudness.true_peak": "pass", "duration.max": "pass",
        "format.touchpoint": "pass"}
    assert logo["loudness.integrated"]["expected"] == "−14 ±1 LUFS (spotify)"
    assert logo["loudness.integrated"]["measured"] == "−14.4 LUFS"
    assert logo["loudness.true_peak"]["expected"] == "≤ −1 dBTP (spotify)"
    assert logo["duration.max"]["expected"] == "≤ 3 s"
    # The same file is too loud for the broadcast touchpoint (EBU R128, -23 LUFS): only that fails.
    assert result["failures"] == [
        "Aurora/logo at broadcast: integrated −14.4 LUFS, expected −23 ±1 LUFS (ebu-r128, adjusted)"]
    assert result["summary"]["failed"] == 1


def test_each_kind_of_failure_is_reported_with_a_human_message() -> None:
    report = make_report(loudness__integrated_lufs=-18.2, loudness__true_peak_dbtp=-0.4,
                         format__duration_s=4.25, format__container="mp3")
    result = check_brand(make_brand(), {"logo": report, "click": make_report()}, slug="aurora")
    logo = checks_of(result, "logo", "app-launch")
    assert all(check["status"] == "fail" for check in logo.values())
    failures = result["failures"]
    assert "aurora/logo at app-launch: integrated −18.2 LUFS, expected −14 ±1 LUFS (spotify)" in failures
    assert "aurora/logo at app-launch: true peak −0.4 dBTP, expected ≤ −1 dBTP (spotify)" in failures
    assert "aurora/logo at app-launch: duration 4.25 s, expected ≤ 3 s" in failures
    assert "aurora/logo at app-launch: format mp3, expected wav or ogg (touchpoint)" in failures
    # mp3 also differs from the brand's delivery formats; the row of the asset says so, as advice.
    assert checks_of(result, "logo")["delivery.format"]["status"] == "advisory"
    row = next(row for row in result["rows"] if row["asset"] == "logo" and row["touchpoint"] == "app-launch")
    assert row["status"] == "fail"


def test_tolerance_edges_are_inclusive_and_judged_on_the_shown_value() -> None:
    brand = make_brand()
    # -15.04 shows as -15.0: exactly at the edge of -14 ±1, passes.
    at_edge = check_brand(brand, {"logo": make_report(loudness__integrated_lufs=-15.04)})
    edge_check = checks_of(at_edge, "logo", "app-launch")["loudness.integrated"]
    assert (edge_check["status"], edge_check["measured"]) == ("pass", "−15.0 LUFS")
    # -15.06 shows as -15.1: outside.
    outside = check_brand(brand, {"logo": make_report(loudness__integrated_lufs=-15.06)})
    assert checks_of(outside, "logo", "app-launch")["loudness.integrated"]["status"] == "fail"
    loud = check_brand(brand, {"logo": make_report(loudness__integrated_lufs=-12.9)})
    assert checks_of(loud, "logo", "app-launch")["loudness.integrated"]["status"] == "fail"
    ceiling = check_brand(brand, {"logo": make_report(loudness__true_peak_dbtp=-1.0)})
    assert checks_of(ceiling, "logo", "app-launch")["loudness.true_peak"]["status"] == "pass"


def test_standard_with_override_uses_the_overridden_tolerance() -> None:
    # broadcast: ebu-r128 (-23 ±0.5) with tolerance overridden to 1.0.
    result = check_brand(make_brand(), {"logo": make_report(loudness__integrated_lufs=-23.8)})
    check = checks_of(result, "logo", "broadcast")["loudness.integrated"]
    assert check["status"] == "pass"
    assert check["expected"] == "−23 ±1 LUFS (ebu-r128, adjusted)"
    row = next(row for row in result["rows"] if row["touchpoint"] == "broadcast")
    assert row["target"]["tolerance_lu"] == 1.0 and row["target"]["standard"] == "ebu-r128"


def test_missing_measurements_are_unknown_with_the_reason() -> None:
    silent = make_report(loudness__integrated_lufs=None, loudness__true_peak_dbtp=float("-inf"))
    silent["null_reasons"] = {"integrated_lufs": "silent: every block is below the -70 LUFS gate"}
    result = check_brand(make_brand(), {"logo": silent, "click": None})
    logo = checks_of(result, "logo", "app-launch")
    assert logo["loudness.integrated"]["status"] == "unknown"
    assert logo["loudness.integrated"]["measured"] == "unknown"
    assert "below the -70 LUFS gate" in logo["loudness.integrated"]["message"]
    assert logo["loudness.true_peak"]["status"] == "unknown"
    click = checks_of(result, "click", "app-launch")
    assert {check["status"] for check in click.values()} == {"unknown"}
    assert all("analysis failed" in check["message"] for check in click.values())
    assert result["failures"] == []
    assert result["summary"]["unknown"] >= 6


def test_asset_absent_from_reports_is_not_analysed() -> None:
    result = check_brand(make_brand(), {})
    check = checks_of(result, "logo", "app-launch")["loudness.integrated"]
    assert check["status"] == "unknown" and "not analysed" in check["message"]


def test_summary_counts_every_check_once() -> None:
    result = check_brand(make_brand(), {"logo": make_report(loudness__integrated_lufs=-20), "click": None})
    statuses = [check["status"] for row in [*result["rows"], *result["assets"]] for check in row["checks"]]
    assert result["summary"] == {"passed": statuses.count("pass"), "failed": statuses.count("fail"),
                                 "unknown": statuses.count("unknown"), "advisory": statuses.count("advisory")}
    assert result["summary"]["failed"] == len(result["failures"]) > 0


def test_result_is_plain_json_data() -> None:
    result = check_brand(make_brand(), {"logo": make_report(), "click": None})
    assert json.loads(json.dumps(result)) == result


def test_touchpoint_without_specs_has_no_checks() -> None:
    brand = make_brand(touchpoints=[{"id": "lobby", "name": "Lobby", "assets": ["logo"]}])
    result = check_brand(brand, {"logo": make_report()})
    assert result["rows"][0]["checks"] == [] and result["rows"][0]["status"] == "none"


# --------------------------------------------------------------------------------------------
# Musical DNA


@pytest.mark.parametrize(("bpm", "status", "words"), [
    (100.0, "pass", "within the range"),
    (200.0, "pass", "half time (100 BPM)"),
    (50.0, "pass", "double time (100 BPM)"),
    (90.0, "pass", "within the range"),
    (130.0, "fail", "outside the range"),
    (240.0, "fail", "outside the range"),
])
def test_tempo_range_with_half_and_double_time(bpm: float, status: str, words: str) -> None:
    result = check_brand(make_brand(), {"logo": make_report(tempo__bpm=bpm)})
    check = checks_of(result, "logo")["dna.tempo"]
    assert check["status"] == status
    assert words in check["message"]
    assert check["expected"] == "90–110 BPM (half/double time accepted)"
    assert "confidence 0.80" in check["measured"]


@pytest.mark.parametrize("name", ["F# minor", "F♯ minor", "Gb minor", "G♭ min", "F#m", "f# Minor",
                                  "F# aeolian", "A major", "A", "A maj", "a Major"])
def test_key_spellings_are_equivalent(name: str) -> None:
    result = check_brand(make_brand(), {"logo": make_report(key__name=name)})
    assert checks_of(result, "logo")["dna.key"]["status"] == "pass", name


@pytest.mark.parametrize("name", ["F# major", "A minor", "G minor", "C major"])
def test_other_keys_fail(name: str) -> None:
    result = check_brand(make_brand(), {"logo": make_report(key__name=name)})
    check = checks_of(result, "logo")["dna.key"]
    assert check["status"] == "fail"
    assert check["message"] == (f"estimated key {name} is not one of F# minor, A major, "
                                "nor their relative major or minor")


@pytest.mark.parametrize(("declared", "estimated", "words"), [
    (["A minor"], "C major", "relative major of A minor"), (["F major"], "D minor", "relative minor of F major")])
def test_a_relative_key_passes_and_says_so(declared: list[str], estimated: str, words: str) -> None:
    # Like half and double time for tempo: the same notes, the pair estimators confuse most.
    dna = {"keys": declared}
    brand = make_brand(strategy={"essence": "x", "attributes": [{"name": "a", "meaning": "b"}],
                                 "musical_dna": dna})
    check = checks_of(check_brand(brand, {"logo": make_report(key__name=estimated)}), "logo")["dna.key"]
    assert check["status"] == "pass" and words in check["message"], check
    assert check["expected"] == f"{declared[0]} (relative major/minor accepted)"


def test_brand_keys_in_other_spellings_and_modes() -> None:
    dna = {"keys": ["Gb minor", "D dorian", "E"]}
    brand = make_brand(strategy={"essence": "x", "attributes": [{"name": "a", "meaning": "b"}],
                                 "musical_dna": dna})
    # Gb minor = F# minor; D dorian has the notes of C major / A minor; "E" takes either mode, and
    # G major is the relative major of E minor.
    expected = {"F# minor": "pass", "C major": "pass", "A minor": "pass", "E minor": "pass",
                "E major": "pass", "G major": "pass", "D minor": "fail", "Bb major": "fail"}
    for name, status in expected.items():
        result = check_brand(brand, {"logo": make_report(key__name=name)})
        assert checks_of(result, "logo")["dna.key"]["status"] == status, name


def test_parse_key() -> None:
    assert parse_key("F# minor") == parse_key("Gb min") == parse_key("F♯m") == (6, "minor")
    assert parse_key("B") == (11, None)
    assert parse_key("Cb major") == (11, "major")
    assert parse_key("H minor") is None
    assert parse_key("C superlocrian") is None


def test_estimates_without_a_value_are_unknown_with_their_reason() -> None:
    report = make_report(tempo__bpm=None, key__name=None)
    report["tempo"]["reason"] = "shorter than 4 s"
    report["key"]["reasons"] = {"name": "silent or no content between 80 Hz and 5 kHz"}
    checks = checks_of(check_brand(make_brand(), {"logo": report}), "logo")
    assert checks["dna.tempo"]["status"] == checks["dna.key"]["status"] == "unknown"
    assert checks["dna.tempo"]["message"] == (
        "tempo unknown (shorter than 4 s), expected 90–110 BPM (half/double time accepted)")
    assert "no content between 80 Hz and 5 kHz" in checks["dna.key"]["message"]


def test_unreadable_key_estimate_is_unknown() -> None:
    result = check_brand(make_brand(), {"logo": make_report(key__name="atonal")})
    assert checks_of(result, "logo")["dna.key"]["status"] == "unknown"


def test_dna_applies_to_musical_roles_only() -> None:
    reports = {"logo": make_report(tempo__bpm=300.0), "click": make_report(tempo__bpm=300.0)}
    result = check_brand(make_brand(), reports)
    assert "dna.tempo" in checks_of(result, "logo")
    click = checks_of(result, "click")
    assert "dna.tempo" not in click and "dna.key" not in click
    assert "delivery.sample_rate" in click


# --------------------------------------------------------------------------------------------
# Delivery


def test_delivery_specs() -> None:
    report = make_report(format__sample_rate_hz=44100, format__bit_depth=None, format__container="FLAC")
    result = check_brand(make_brand(), {"logo": report})
    logo = checks_of(result, "logo")
    # The delivery spec is for masters; a guide's file that differs is shown as advice, not a failure.
    assert logo["delivery.sample_rate"]["status"] == "advisory"
    assert logo["delivery.sample_rate"]["measured"] == "44100 Hz"
    assert logo["delivery.bit_depth"]["status"] == "unknown"
    assert logo["delivery.format"]["status"] == "pass"  # "FLAC" reads as flac
    assert "channels" not in " ".join(logo)  # the brand sets no channel count
    assert "sample rate 44100 Hz, expected 48000 Hz (delivery spec)" in logo["delivery.sample_rate"]["message"]
    assert not [message for message in result["failures"] if "delivery spec" in message]
    assert result["summary"]["advisory"] == 1


def test_opus_in_ogg_matches_either_name() -> None:
    brand = make_brand()
    data = copy.deepcopy(brand.model_dump(mode="json", exclude_none=True))
    data["touchpoints"][0]["formats"] = ["opus"]
    report = make_report(format__container="ogg")
    report["format"]["codec"] = "opus"
    result = check_brand(Brand.model_validate(data), {"logo": report})
    check = checks_of(result, "logo", "app-launch")["format.touchpoint"]
    assert check["status"] == "pass" and check["measured"] == "ogg (opus)"


@pytest.mark.parametrize(("bpm", "status"),
                         [(110.4, "pass"), (110.6, "fail"), (89.6, "pass"), (89.4, "fail")])
def test_tempo_is_judged_in_whole_bpm_as_shown(bpm: float, status: str) -> None:
    check = checks_of(check_brand(make_brand(), {"logo": make_report(tempo__bpm=bpm)}), "logo")["dna.tempo"]
    assert check["status"] == status
    assert check["measured"] == f"{round(bpm)} BPM (estimate, confidence 0.80)"


def test_uncertain_estimates_are_unknown_unless_asked_otherwise() -> None:
    report = make_report(key__name="C major", key__confidence=0.12, tempo__bpm=300.0, tempo__confidence=0.2)
    checks = checks_of(check_brand(make_brand(), {"logo": report}), "logo")
    assert checks["dna.key"]["status"] == checks["dna.tempo"]["status"] == "unknown"
    # Every low-confidence estimate says so wherever it appears.
    assert checks["dna.key"]["measured"] == "C major (uncertain estimate, confidence 0.12)"
    assert checks["dna.tempo"]["measured"] == "300 BPM (uncertain estimate, confidence 0.20)"
    assert checks["dna.key"]["message"] == ("key unknown (estimated C major, too uncertain to judge "
                                            "(confidence 0.12 < 0.30)), expected F# minor, A major "
                                            "(relative major/minor accepted)")
    strict = checks_of(check_brand(make_brand(), {"logo": report}, min_confidence=0.0), "logo")
    assert strict["dna.key"]["status"] == strict["dna.tempo"]["status"] == "fail"
    # A confident estimate is judged; a missing confidence counts as confident.
    report["key"]["confidence"] = None
    assert checks_of(check_brand(make_brand(), {"logo": report}), "logo")["dna.key"]["status"] == "fail"


def test_a_weak_tempo_estimate_is_unknown_where_a_key_estimate_would_count() -> None:
    # 0.43: what the beatless example bed measures; a key at that confidence is judged.
    report = make_report(key__name="C major", key__confidence=0.43, tempo__bpm=51.0, tempo__confidence=0.43)
    checks = checks_of(check_brand(make_brand(), {"logo": report}), "logo")
    assert checks["dna.tempo"]["status"] == "unknown"
    assert "0.43 < 0.50" in checks["dna.tempo"]["message"]
    assert checks["dna.key"]["status"] == "fail"


def test_lossy_formats_have_no_bit_depth_check() -> None:
    mp3 = make_report(format__container="mp3", format__bit_depth=None)
    assert "delivery.bit_depth" not in checks_of(check_brand(make_brand(), {"logo": mp3}), "logo")
    ogg_flac = make_report(format__container="ogg", format__bit_depth=None)
    ogg_flac["format"]["codec"] = "FLAC"
    checks = checks_of(check_brand(make_brand(), {"logo": ogg_flac}), "logo")
    assert checks["delivery.bit_depth"]["status"] == "unknown"


SHARPS = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
FLATS = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]


@pytest.mark.parametrize("pitch", range(12))
def test_enharmonic_spellings_of_every_pitch_class(pitch: int) -> None:
    sharp, flat = SHARPS[pitch], FLATS[pitch]
    spellings = {sharp, flat, sharp.replace("#", "♯"), flat.replace("b", "♭") if len(flat) > 1 else flat}
    for spelling in spellings:
        assert parse_key(f"{spelling} minor") == parse_key(f"{spelling}m") == (pitch, "minor")
        assert parse_key(f"{spelling} major") == parse_key(f"{spelling} maj") == (pitch, "major")


def test_unknown_standard_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        resolve_loudness(LoudnessSpec(standard="no-such-standard"))
