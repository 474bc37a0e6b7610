"""What a user reads for each kind of mistake: position, field path, what was expected, what was
given, and the fix. Complements the corpus in ``tests/bad_inputs`` with the rarer error kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardening_fixtures import MINIMAL_BRAND, make_brand
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import load_brand, load_brands


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in MINIMAL_BRAND
    make_brand(tmp_path, "b", MINIMAL_BRAND.replace(old, new, 1))
    with pytest.raises(BrandError) as caught:
        load_brand(tmp_path / "b", display_root=tmp_path)
    return [str(problem) for problem in caught.value.problems]


CASES = [
    ("      meaning: Nothing superfluous.\n",
     "      meaning: Nothing superfluous.\n  musical_dna: {tempo_bpm: {min: 90}}\n",
     ["b/brand.yml:9:17: strategy.musical_dna.tempo_bpm.max: required field 'max' is missing under "
      "strategy.musical_dna.tempo_bpm; add it."]),
    ("  attributes:\n    - name: Clear\n      meaning: Nothing superfluous.\n", "  attributes: []\n",
     ["b/brand.yml:6:15: strategy.attributes: needs at least 1 item; it has 0."]),
    ("        composition:\n", "        compostion:\n",
     ["b/brand.yml:22:9: assets[0].disclosure.stages.compostion: 'compostion' is not a valid key here; use "
      "'creative_direction', 'composition', 'lyrics', 'arrangement', 'instrumental_performance', "
      "'vocal_performance', 'production', 'sound_design', 'mixing', 'mastering' or 'variant_generation' "
      "(did you mean 'composition'?)."]),
    ("        mastering: {mode: not-applicable, reason: a synthesised test tone}\n",
     "        mastering: {mode: not-applicable, reason: a synthesised test tone}\n"
     "      evidence: [{kind: log, name: x, sha256: abc}]\n      approval: {by: A}\n",
     ["b/brand.yml:31:47: assets[0].disclosure.evidence[0].sha256: expected a SHA-256 digest: 64 hexadecimal "
      "digits; got 'abc'.",
      "b/brand.yml:32:7: assets[0].disclosure.approval.date: required field 'date' is missing under "
      "assets[0].disclosure.approval; add it."]),
    ("    role: logo\n", "    role: logo\n    downloadable:\n",
     ["b/brand.yml:20:5: assets[0].downloadable: expected true or false; got nothing (the key has no "
      "value)."]),
    ("  - id: app\n", "  - id: app\n    formats: [wav, wma]\n",
     ["b/brand.yml:11:20: touchpoints[0].formats[1]: expected 'wav', 'flac', 'mp3', 'ogg', 'opus', 'aiff' or "
      "'m4a'; got 'wma' (did you mean 'wav'?)."]),
    ("    name: App\n", "    name: App\n    loudness: {standard: ebu-r128, tolerance_lu: -1}\n",
     ["b/brand.yml:12:50: touchpoints[0].loudness.tolerance_lu: must be between 0 and 20 LU; got '-1'."]),
    ("      stages:\n", "      ai_training: yes please\n      stages:\n",
     ["b/brand.yml:21:20: assets[0].disclosure.ai_training: expected 'allowed' or 'not-allowed'; "
      "got 'yes please'."]),
    ("  - id: logo\n", "  - id: " + "a" * 70 + "\n",
     ["b/brand.yml:16:9: assets[0].id: expected an id of lower-case letters, digits and hyphens, at most 64 "
      "characters (e.g. sonic-logo); got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'."]),
    ("  name: Minimal\n", "  name: " + "x" * 2001 + "\n",
     ["b/brand.yml:2:9: identity.name: is 2,001 characters long; the limit is 2,000. Shorten it."]),
    ("    name: App\n", "    name: App\n    max_duration_s: '25:00:00'\n",
     ["b/brand.yml:12:21: touchpoints[0].max_duration_s: time must be between 0 and 24 hours."]),
    ("    role: logo\n", "    role: logo\n    markers: [{at_s: 1, label: a, colour: red}]\n",
     ["b/brand.yml:20:35: assets[0].markers[0].colour: unknown key 'colour'. Allowed here: at_s, label."]),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_message(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert problems(tmp_path, old, new) == expected


def test_every_problem_of_every_brand_in_one_error(tmp_path: Path) -> None:
    make_brand(tmp_path, "alpha",
               MINIMAL_BRAND.replace("role: logo", "role: x").replace("name: Minimal", "name:"))
    make_brand(tmp_path, "beta", MINIMAL_BRAND + "colour: red\n")
    make_brand(tmp_path, "gamma")
    make_brand(tmp_path, "Not_A_Slug")
    with pytest.raises(BrandError) as caught:
        load_brands(tmp_path, display_root=tmp_path)
    assert [(problem.file, problem.field) for problem in caught.value.problems] == [
        ("Not_A_Slug/brand.yml", ""),
        ("alpha/brand.yml", "identity.name"),
        ("alpha/brand.yml", "assets[0].role"),
        ("beta/brand.yml", "colour"),
    ]
    assert str(caught.value).startswith(
        "4 problems in brand definitions:\n  Not_A_Slug/brand.yml: (document): ")
