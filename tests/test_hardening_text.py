"""Invisible differences in names (issue 15, smaller items): bidirectional controls refused with
their position, and file names that differ only in Unicode normalisation explained."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from hardening_fixtures import MINIMAL_BRAND, make_brand, write_tone
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import load_brands

BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069"]


def _problems(brands: Path) -> list[str]:
    with pytest.raises(BrandError) as caught:
        load_brands(brands)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("char", BIDI)
def test_bidi_controls_in_a_name_are_refused_with_their_position(tmp_path: Path, char: str) -> None:
    text = MINIMAL_BRAND.replace("  name: Minimal\n", f"  name: Mini{char}mal\n")
    make_brand(tmp_path / "brands", "acme", text)
    problems = _problems(tmp_path / "brands")
    assert len(problems) == 1, problems
    assert problems[0].endswith("Delete it.") and f"U+{ord(char):04X}" in problems[0]
    assert f"brand.yml:2:{len('  name: Mini') + 1}:" in problems[0]
    assert unicodedata.name(char) in problems[0]


@pytest.mark.parametrize("where, old, new", [
    ("file name", "file: audio/logo.wav", "file: audio/\u202egol.wav"),
    ("comment", "identity:\n", "# \u2067note\u2069\nidentity:\n"),
    ("key", "  industry: Testing", "  indus\u200ftry: Testing"),
    ("contributor", "name: Ada", "name: Ada\u202d"),
])
def test_bidi_controls_anywhere_in_the_text_are_refused(tmp_path: Path, where: str, old: str, new: str) -> None:
    assert old in MINIMAL_BRAND
    text = MINIMAL_BRAND.replace(old, new)
    lines = text.splitlines()
    line = next(number for number, content in enumerate(lines, 1) if any(c in content for c in BIDI))
    column = 1 + next(i for i, c in enumerate(lines[line - 1]) if c in BIDI)
    make_brand(tmp_path / "brands", "acme", text)
    problems = _problems(tmp_path / "brands")
    assert len(problems) == 1 and f"brand.yml:{line}:{column}:" in problems[0], problems
    assert "bidirectional" in problems[0]


@pytest.mark.parametrize("escape", ["\\u202E", "\\u2066", "\\u200F", "\\U0000202A"])
def test_bidi_controls_written_as_escapes_are_refused(tmp_path: Path, escape: str) -> None:
    text = MINIMAL_BRAND.replace("  name: Minimal\n", f'  name: "Mini{escape}mal"\n')
    make_brand(tmp_path / "brands", "acme", text)
    problems = _problems(tmp_path / "brands")
    assert len(problems) == 1 and "brand.yml:2:9: identity.name:" in problems[0], problems
    assert "written as an escape" in problems[0]


def test_right_to_left_text_without_controls_is_fine(tmp_path: Path) -> None:
    hebrew, arabic = "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627"
    text = MINIMAL_BRAND.replace("  name: Minimal\n", f"  name: {hebrew} Minimal {arabic}\n")
    make_brand(tmp_path / "brands", "acme", text)
    [loaded] = load_brands(tmp_path / "brands")
    assert loaded.brand.identity.name.startswith("\u05e9")


@pytest.mark.parametrize("on_disk, in_yaml", [
    ("NFD", "NFC"),
    ("NFC", "NFD"),
])
@pytest.mark.parametrize("name", ["café.wav", "Ånström-ident.wav", "ñandú/logo.wav"])
def test_a_name_in_another_normalisation_is_explained(tmp_path: Path, on_disk: str, in_yaml: str,
                                                      name: str) -> None:
    disk_name = unicodedata.normalize(on_disk, name)
    yaml_name = unicodedata.normalize(in_yaml, name)
    assert disk_name != yaml_name
    folder = make_brand(tmp_path / "brands", "acme",
                        MINIMAL_BRAND.replace("file: audio/logo.wav", f"file: audio/{yaml_name}"), audio=())
    write_tone(folder / "audio" / disk_name)
    problems = _problems(tmp_path / "brands")
    assert len(problems) == 1, problems
    message = problems[0]
    assert "another Unicode normalisation" in message and f"{on_disk} on disk" in message
    assert f"{in_yaml} in brand.yml" in message and "did you mean" not in message
    assert "U+0301" in message or "U+0303" in message or "U+030A" in message


def test_a_case_difference_still_gets_did_you_mean(tmp_path: Path) -> None:
    folder = make_brand(tmp_path / "brands", "acme",
                        MINIMAL_BRAND.replace("file: audio/logo.wav", "file: audio/Logo.wav"), audio=())
    write_tone(folder / "audio" / "logo.wav")
    [message] = _problems(tmp_path / "brands")
    assert "did you mean 'audio/logo.wav'?" in message
