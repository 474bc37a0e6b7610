"""Property tests: no input, however odd, makes the loader or the brand validation raise anything but
a :class:`BrandError` whose problems all name the file and say something."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hardening_fixtures import MINIMAL_BRAND, make_brand
from profiles import examples
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import BRAND_FILE, load_brand
from sonicguide.core.load.yamlload import load_yaml

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["1:30", "-3", "NO", "on", "1.10", "0120", "ebu-r128", "human", "logo",
                                     "audio/logo.wav", "../x.wav", "https://x", "<script>", "2024-02-30"]))
structures = st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                          | st.dictionaries(st.text(max_size=12), children, max_size=4), max_leaves=20)
#: Text that looks like YAML: indicators, indentation, quotes and anchors in random order.
PIECES = [":", " ", "  ", "\n", "- ", "[", "]", "{", "}", ",", "&a", "*a", "!!", "!x", "'", '"', "#", "|",
          ">", "? ", "---", "...", "\t", "\\", "%YAML 1.1", "a", "b", "1", "<<", "~", "\r\n", "\ufeff", "é",
          "\x00"]
yamlish = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def dump(data: Any) -> str:
    stream = io.StringIO()
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.dump(data, stream)
    return stream.getvalue()


def assert_clean(error: BrandError, file: str) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.file == file
        assert problem.message.strip()
        assert str(problem).startswith(file)


def check_load_yaml(text: str | bytes) -> None:
    try:
        document = load_yaml(text, file="f.yml")
    except BrandError as error:
        assert_clean(error, "f.yml")
    else:
        assert _plain(document.data)


def _plain(node: Any) -> bool:
    if isinstance(node, dict):
        return all(isinstance(key, str) and _plain(value) for key, value in node.items())
    if isinstance(node, list):
        return all(_plain(value) for value in node)
    return node is None or isinstance(node, str)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    check_load_yaml(text)


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes(raw: bytes) -> None:
    check_load_yaml(raw)


@SETTINGS
@given(yamlish)
def test_yaml_like_text(text: str) -> None:
    check_load_yaml(text)


@SETTINGS
@given(structures)
def test_dumped_structures_round_trip_as_text(data: Any) -> None:
    check_load_yaml(dump(data))


@pytest.fixture(scope="module")
def brand_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_brand(tmp_path_factory.mktemp("prop") / "brands", "prop")


BASE: dict[str, Any] = YAML(typ="safe", pure=True).load(MINIMAL_BRAND)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(BASE)[1:]


@st.composite
def mutated_brands(draw: st.DrawFn) -> str:
    """The minimal brand with one to three values replaced, keys added or values removed."""
    data = YAML(typ="safe", pure=True).load(MINIMAL_BRAND)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "add", "remove"]))
            if action == "replace":
                parent[path[-1]] = draw(structures)
            elif action == "add" and isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=10))] = draw(structures)
            elif isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif isinstance(parent, list) and len(parent) > path[-1]:
                parent.pop(path[-1])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    return dump(data)


@SETTINGS
@given(mutated_brands())
def test_mutated_brands_validate_or_explain(brand_folder: Path, text: str) -> None:
    (brand_folder / BRAND_FILE).write_text(text, encoding="utf-8")
    try:
        load_brand(brand_folder, display_root=brand_folder.parent, audio_headers=True)
    except BrandError as error:
        assert_clean(error, f"prop/{BRAND_FILE}")
        event("refused")
    else:
        event("valid")
