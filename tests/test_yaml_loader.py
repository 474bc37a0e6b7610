"""The YAML loader: text kept as written, positions right, and every hostile shape refused cleanly."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from sonicguide.core.errors import BrandError
from sonicguide.core.load.yamlload import MAX_DEPTH, MAX_EVENTS, load_yaml


def problems_of(text: str | bytes, **kwargs: int) -> list[str]:
    with pytest.raises(BrandError) as caught:
        load_yaml(text, file="b.yml", **kwargs)
    problems = caught.value.problems
    assert all(problem.file == "b.yml" and problem.message for problem in problems)
    return [str(problem) for problem in problems]


@pytest.mark.parametrize(("text", "value"), [
    ("v: 1.10", "1.10"), ("v: NO", "NO"), ("v: on", "on"), ("v: 0120", "0120"), ("v: 1:30", "1:30"),
    ("v: 0x1F", "0x1F"), ("v: 1e3", "1e3"), ("v: .inf", ".inf"), ("v: 2001-12-14", "2001-12-14"),
    ("v: '~'", "~"), ("v: ''", ""), ("v: \"null\"", "null"), ("v: !!str 12", "12"), ("v: +12", "+12"),
])
def test_scalars_stay_the_text_written(text: str, value: str) -> None:
    assert load_yaml(text, file="b.yml").data == {"v": value}


@pytest.mark.parametrize("text", ["v:", "v: ~", "v: null", "v: Null", "v: NULL"])
def test_plain_nulls_are_none(text: str) -> None:
    assert load_yaml(text, file="b.yml").data == {"v": None}


def test_positions_of_values_and_keys_are_one_based() -> None:
    doc = load_yaml("a:\n  b: [x, {c: d}]\n", file="b.yml")
    assert doc.positions[("a", "b", 1, "c")] == (2, 14)
    assert doc.key_positions[("a", "b")] == (2, 3)
    assert doc.where(("a", "b", 5, "nothing")) == (2, 6)  # nearest ancestor that exists


def test_bom_and_crlf_do_not_shift_positions() -> None:
    plain = load_yaml("a:\n  b: x\n", file="b.yml")
    odd = load_yaml("\ufeffa:\r\n  b: x\r\n".encode(), file="b.yml")
    assert odd.data == plain.data == {"a": {"b": "x"}}
    assert odd.positions == plain.positions


def test_duplicate_keys_name_both_lines() -> None:
    assert problems_of("a: 1\nb: 2\na: 3\n") == [
        "b.yml:3:1: a: duplicate key 'a' (first at line 1); keep one."]


def test_alias_bomb_is_refused_before_anything_expands() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    (problem,) = problems_of(bomb)
    assert problem == ("b.yml:1:4: (document): YAML anchors and aliases (&name, *name) are not allowed; "
                       "write the value out in full (81 found, on lines 1, 2, 3, 4, 5, 6, 7, 8, 9).")


@pytest.mark.parametrize(("opening", "column"), [("[", 33), ("{a: ", 129), ("- ", 65), ("? ", 65)])
def test_100k_deep_nesting_stops_at_the_limit(opening: str, column: int) -> None:
    """ruamel's scanner is quadratic in flow depth and its composer recursive: we must stop first."""
    (problem,) = problems_of(opening * 100_000)
    assert problem == (f"b.yml:1:{column}: (document): nested deeper than {MAX_DEPTH} levels; "
                       "flatten the structure.")


def test_nesting_at_the_limit_is_fine() -> None:
    depth = MAX_DEPTH
    data = load_yaml("[" * depth + "x" + "]" * depth, file="b.yml").data
    for _ in range(depth):
        (data,) = data
    assert data == "x"


def test_block_nesting_is_bounded_too() -> None:
    text = "".join("  " * level + "k:\n" for level in range(MAX_DEPTH + 2))
    (problem,) = problems_of(text)
    assert "nested deeper than" in problem and problem.startswith(f"b.yml:{MAX_DEPTH + 1}:")


def test_too_many_values_are_refused() -> None:
    (problem,) = problems_of("[" + "a, " * (MAX_EVENTS + 10) + "]")
    assert f"holds more than {MAX_EVENTS:,} YAML values" in problem


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!python/object/apply:os.system [ls]\n",
     "b.yml:1:4: a: the YAML tag '!!python/object/apply:os.system' is not allowed; remove it."),
    ("a: !local x\n", "b.yml:1:4: a: the YAML tag '!local' is not allowed; remove it."),
    ("a: !<http://example.org/x> x\n",
     "b.yml:1:4: a: the YAML tag 'http://example.org/x' is not allowed; remove it."),
    ("a: !!binary aGk=\n", "b.yml:1:4: a: the YAML tag '!!binary' is not allowed; remove it."),
    ("a: !!set {x}\n", "b.yml:1:4: a: the YAML tag '!!set' is not allowed; remove it."),
])
def test_tags_are_refused(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    (b"a: 1\nb: x\x00y\n", "b.yml:2:5: (document): contains the control character U+0000;"),
    (b"a: 1\nb: \xff\n", "b.yml:2:4: (document): not UTF-8 text (invalid start byte at byte 8);"),
    (b"a: \x1b[31m\n", "b.yml:1:4: (document): contains the control character U+001B;"),
    (b'a: "x\\0y"\n', "b.yml:1:4: a: contains the control character U+0000 (written as an escape)"),
    (b'a: "\\ud800"\n', "b.yml:1:4: a: contains the control character U+D800 (written as an escape)"),
    (b"a:\n\tb: 1\n", "b.yml:2:1: (document): YAML syntax error: while scanning for the next token found "
                      "character '\\t' that cannot start any token (a tab; YAML indents with spaces only)"),
    (b"a: 1\n---\nb: 2\n",
     "b.yml:2:1: (document): a second YAML document starts here (---); keep one per file."),
    (b"? [a]\n: 1\n", "b.yml:1:3: (document): keys must be plain text (no lists, maps or << merges)."),
    (b"a: 1\n<<: {b: 2}\n", "b.yml:2:1: (document): keys must be plain text (no lists, maps or << merges)."),
])
def test_hostile_bytes_get_a_position(text: bytes, expected: str) -> None:
    (problem,) = problems_of(text)
    assert problem.startswith(expected)


def test_size_limit() -> None:
    assert problems_of("a: " + "x" * 100, max_bytes=50) == [
        "b.yml: (document): file is 103 bytes; the limit is 50. Split long texts or raise the plugin's "
        "max_yaml_bytes."]


@pytest.mark.parametrize(("text", "data"), [("", None), ("# only a comment\n", None), ("- a\n", ["a"]),
                                            ("just text", "just text")])
def test_documents_that_are_not_mappings_load_as_what_they_are(text: str, data: object) -> None:
    """load_yaml returns any plain data; load_brand is the one that requires a mapping."""
    assert load_yaml(text, file="b.yml").data == data


def test_markup_is_kept_verbatim() -> None:
    text = "a: \"<script>alert(1)</script>\"\nb: '{{ x }} {% y %} &amp; ${HOME}'\n"
    assert load_yaml(text, file="b.yml").data == {"a": "<script>alert(1)</script>",
                                                  "b": "{{ x }} {% y %} &amp; ${HOME}"}


def test_folded_scalars_are_folded_without_markers() -> None:
    """ruamel's round-trip scanner marks folds with BEL (U+0007); none may reach the data."""
    text = "a: >-\n  one two\n  three\n\n  four\nb: |\n  x\n  y\n"
    assert load_yaml(text, file="b.yml").data == {"a": "one two three\nfour", "b": "x\ny\n"}
    assert load_yaml(text, file="b.yml").data == YAML(typ="safe", pure=True).load(text)


def test_a_very_long_line_is_just_text() -> None:
    value = "x" * 900_000
    assert load_yaml(f"a: {value}\n", file="b.yml").data == {"a": value}
