"""Block scalars come out as their YAML 1.2 values, without the loader's internal markers."""

from sonicguide.core.load.yamlload import load_yaml


def test_folded_scalar_is_folded_and_carries_no_fold_markers() -> None:
    data = load_yaml("a: >-\n  one two\n  three\n\n  four\nb: >\n  x\n  y\n", file="t.yml").data
    assert data == {"a": "one two three\nfour", "b": "x y\n"}
    assert "\a" not in data["a"] + data["b"]


def test_literal_scalar_keeps_its_lines() -> None:
    assert load_yaml("a: |\n  one\n  two\n", file="t.yml").data == {"a": "one\ntwo\n"}
