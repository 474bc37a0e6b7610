"""``sonicguide new``, ``validate`` and ``schema`` as a user runs them (in-process, through main)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import soundfile as sf
from ruamel.yaml import YAML

from hardening_fixtures import MINIMAL_BRAND, make_brand
from sonicguide.cli import main
from sonicguide.core.load.brand import load_brands
from sonicguide.core.load.schema import brand_json_schema, schema_text
from sonicguide.core.load.yamlload import load_yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ------------------------------------------------------------------------------------------ new


def test_new_scaffold_validates_and_loads_as_is(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "aurora-rail"]) == 0
    folder = in_tmp / "brands" / "aurora-rail"
    text = (folder / "brand.yml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/brand.schema.json"
    capsys.readouterr()
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == ("OK: 1 brand, 1 asset valid; measured and judged as the build does "
                                       "(aurora-rail).\n")
    (loaded,) = load_brands(in_tmp / "brands")
    assert loaded.brand.identity.name == "Aurora Rail"
    info = sf.info(str(loaded.asset_paths["placeholder"]))
    assert (info.samplerate, info.channels, info.frames, info.subtype) == (48000, 1, 48000, "PCM_24")


def test_new_scaffold_has_every_section(in_tmp: Path) -> None:
    assert main(["new", "every-section"]) == 0
    data = load_yaml((in_tmp / "brands/every-section/brand.yml").read_bytes(), file="brand.yml").data
    schema = brand_json_schema()
    assert set(data) == set(schema["properties"])
    assert not [line for line in (in_tmp / "brands/every-section/brand.yml").read_text().splitlines()
                if "{" in line and "}" not in line]  # no unformatted template placeholder left


def test_new_scaffold_is_commented(in_tmp: Path) -> None:
    assert main(["new", "commented"]) == 0
    lines = (in_tmp / "brands/commented/brand.yml").read_text().splitlines()
    assert sum("#" in line for line in lines) > len(lines) // 2


def test_new_refuses_an_existing_folder_and_changes_nothing(in_tmp: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_brand(in_tmp / "brands", "kept")
    before = (folder / "brand.yml").read_bytes()
    assert main(["new", "kept"]) == 1
    assert "already exists; nothing was changed" in capsys.readouterr().err
    assert (folder / "brand.yml").read_bytes() == before
    assert sorted(path.name for path in (in_tmp / "brands").iterdir()) == ["kept"]  # no staging left


def test_new_refuses_a_dangling_symlink_too(in_tmp: Path) -> None:
    (in_tmp / "brands").mkdir()
    (in_tmp / "brands" / "linked").symlink_to(in_tmp / "nowhere")
    assert main(["new", "linked"]) == 1
    assert not (in_tmp / "nowhere").exists()


@pytest.mark.parametrize("slug", ["Aurora", "aurora_rail", "-x", "x-", "../escape", "a/b", "", "x" * 65])
def test_new_refuses_invalid_slugs(in_tmp: Path, slug: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--", slug]) == 1
    assert "is not a valid slug" in capsys.readouterr().err
    assert not (in_tmp / "brands").exists() or not any((in_tmp / "brands").iterdir())


@pytest.mark.parametrize("name", ['Say "hi" \\ co', "Zoë & Sons: <b>AB</b> #1", "'quoted'", "{braces}",
                                  "ß😀"])
def test_new_with_a_name_that_needs_quoting(in_tmp: Path, name: str) -> None:
    assert main(["new", "q", "--name", name]) == 0
    (loaded,) = load_brands(in_tmp / "brands")
    assert loaded.brand.identity.name == name
    assert loaded.brand.usage_rights is not None and loaded.brand.usage_rights.owner == name


@pytest.mark.parametrize("name", ["", "  ", "two\nlines", "bell\a"])
def test_new_refuses_unusable_names(in_tmp: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "q", "--name", name]) == 1
    assert "is not a usable brand name" in capsys.readouterr().err
    assert not (in_tmp / "brands" / "q").exists()


@pytest.mark.parametrize(("folder", "modeline"), [
    ("brands", "../../schema/brand.schema.json"),
    ("deep/er/brands", "../../../../schema/brand.schema.json"),
])
def test_new_modeline_points_at_the_project_schema(in_tmp: Path, folder: str, modeline: str) -> None:
    assert main(["new", "m", "--dir", folder]) == 0
    first = (in_tmp / folder / "m" / "brand.yml").read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema={modeline}"
    assert (in_tmp / folder / "m" / modeline).resolve() == (in_tmp / "schema" / "brand.schema.json").resolve()


# ------------------------------------------------------------------------------------- validate


def test_validate_lists_every_problem_of_every_brand(in_tmp: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    make_brand(in_tmp / "brands", "good")
    make_brand(in_tmp / "brands", "bad-one", MINIMAL_BRAND.replace("role: logo", "role: jingle"))
    make_brand(in_tmp / "brands", "bad-two", MINIMAL_BRAND.replace("  industry: Testing\n", "")
               .replace("audio/logo.wav", "../good/audio/logo.wav"))
    assert main(["validate"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "brands/bad-one/brand.yml:19:11: assets[0].role: expected 'logo', 'theme', 'variant', 'cut-down', "
        "'stem', 'bed', 'ui', 'voice', 'ivr' or 'alert'; got 'jingle'.",
        "brands/bad-two/brand.yml:1:1: identity.industry: required field 'industry' is missing under "
        "identity; add it (industry or sector, used to filter the gallery).",
        "brands/bad-two/brand.yml:17:11: assets[0].file: '../good/audio/logo.wav' leaves the brand folder "
        "('..'); keep audio inside the brand folder.",
    ]
    assert captured.err == "3 problems found; nothing was changed.\n"


@pytest.mark.parametrize("arg", ["brands", "brands/solo", "brands/solo/brand.yml"])
def test_validate_accepts_a_brands_folder_a_brand_folder_or_a_file(
        in_tmp: Path, arg: str, capsys: pytest.CaptureFixture[str]) -> None:
    make_brand(in_tmp / "brands", "solo")
    assert main(["validate", "--no-measure", arg]) == 0
    assert capsys.readouterr().out == "OK: 1 brand, 1 asset valid (solo).\n"


def test_validate_missing_path_and_empty_folder(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "empty").mkdir()
    assert main(["validate", "nothere", "empty"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "empty: (document): no brand found: expected folders holding a brand.yml. Create one with "
        "`sonicguide new SLUG`.",
        "nothere: (document): does not exist; give a brands folder, a brand folder or a brand.yml.",
    ]


def test_validate_checks_audio_headers(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_brand(in_tmp / "brands", "hdr", MINIMAL_BRAND.replace("audio/logo.wav", "audio/logo.flac"),
                        audio=("audio/logo.wav",))
    (folder / "audio/logo.wav").rename(folder / "audio/logo.flac")  # a WAV named .flac
    assert main(["validate"]) == 1
    assert capsys.readouterr().out == (
        "brands/hdr/brand.yml:18:11: assets[0].file: 'audio/logo.flac' is a WAV file but its name ends in "
        ".flac; rename it or export it again.\n")


def test_validate_audio_size_limit_option(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_brand(in_tmp / "brands", "big")
    assert main(["validate", "--max-audio-bytes", "100"]) == 1
    assert "the limit is 100 (plugin option max_audio_bytes)" in capsys.readouterr().out


def test_validate_as_a_subprocess_exit_status(in_tmp: Path) -> None:
    make_brand(in_tmp / "brands", "sub", MINIMAL_BRAND.replace("name: Minimal", "name: [x]"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    result = subprocess.run([sys.executable, "-m", "sonicguide.cli", "validate"], capture_output=True,
                            text=True, env=env, check=False)
    assert result.returncode == 1
    assert result.stdout == (
        "brands/sub/brand.yml:2:9: identity.name: expected text; got a list.\n")
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------- schema


def test_schema_is_draft_07_and_valid() -> None:
    schema = brand_json_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    text = json.dumps(schema)
    assert "$defs" not in text and "prefixItems" not in text
    assert all(ref.startswith("#/definitions/") for ref in _refs(schema))
    assert set(_refs(schema)) <= {f"#/definitions/{name}" for name in schema["definitions"]}


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def editor_view(text: str) -> object:
    """The data an editor's YAML 1.2 parser sees: numbers and booleans typed, dates left as text
    (the YAML language server's core schema has no timestamps)."""
    def plain(node: object) -> object:
        if isinstance(node, dict):
            return {key: plain(value) for key, value in node.items()}
        if isinstance(node, list):
            return [plain(value) for value in node]
        return node.isoformat() if isinstance(node, dt.date) else node
    return plain(YAML(typ="safe", pure=True).load(text))


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(brand_json_schema())


TRAPS = (MINIMAL_BRAND
         .replace("  industry: Testing\n", "  industry: NO\n  version: 1.10\n  tagline: on\n")
         .replace("    name: App\n", "    name: \"0120\"\n    max_duration_s: 1:30\n    required: yes\n"
                  "    loudness:\n      integrated_lufs: -16\n      true_peak_dbtp: \"-1\"\n")
         + "delivery:\n  bit_depth: 24\n  channels: \"2\"\n")


@pytest.mark.parametrize("text", [MINIMAL_BRAND, TRAPS], ids=["minimal", "yaml-traps"])
def test_schema_accepts_what_the_build_accepts(text: str, tmp_path: Path) -> None:
    """Valid brands pass the schema both as our loader reads them (all text) and as an editor's
    YAML 1.2 parser types them (numbers, booleans)."""
    make_brand(tmp_path, "ok", text)
    load_brands(tmp_path)  # the build accepts it
    as_text = load_yaml(text, file="brand.yml").data
    as_typed = editor_view(text)
    for data in (as_text, as_typed):
        errors = [error.message for error in _validator().iter_errors(data)]
        assert errors == []


def test_schema_accepts_the_scaffold(in_tmp: Path) -> None:
    assert main(["new", "scaffold"]) == 0
    text = (in_tmp / "brands/scaffold/brand.yml").read_text()
    for data in (load_yaml(text, file="brand.yml").data, editor_view(text)):
        assert [error.message for error in _validator().iter_errors(data)] == []


@pytest.mark.parametrize(("change", "word"), [
    (("role: logo", "role: jingle"), "jingle"), (("name: Minimal", "nmae: Minimal"), "nmae"),
    (("target_tier: human-made", "target_tier: [a]"), "['a']"),
    (("  - id: logo\n", "  - id: Logo\n"), "Logo"),
])
def test_schema_still_flags_real_mistakes(change: tuple[str, str], word: str) -> None:
    data = editor_view(MINIMAL_BRAND.replace(*change))
    messages = [error.message for error in _validator().iter_errors(data)]
    assert messages and any(word in message for message in messages)


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "schema" / "brand.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: sonicguide schema --output schema/brand.schema.json"


def test_schema_command_prints_and_writes(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_text()
    assert main(["schema", "--output", "out/brand.schema.json"]) == 0
    assert (in_tmp / "out/brand.schema.json").read_text(encoding="utf-8") == schema_text()


def test_schema_is_deterministic_across_processes() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "PYTHONHASHSEED": "123"}
    outputs = {subprocess.run([sys.executable, "-m", "sonicguide.cli", "schema"], capture_output=True,
                              env=env, check=True).stdout for _ in range(2)}
    assert outputs == {schema_text().encode()}


# ------------------------------------------------------------------------------- start-up cost


def _modules_after(arguments: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after parsing ``arguments`` the way ``main`` does."""
    code = ("import sys; from sonicguide import cli; cli.build_parser(sys.argv[1:]); "
            "print('\\n'.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    return set(done.stdout.split())


def test_a_command_imports_only_its_own_module() -> None:
    # `cache` and `--version` need no audio code: scipy and numpy stay out (analyze imported
    # them for every command, about 1.3 s before any work).
    for arguments in (["cache", "info"], ["--version"], ["pack", "--help"]):
        modules = _modules_after(arguments)
        assert "scipy" not in modules, arguments
        assert "sonicguide.commands.analyze" not in modules, arguments
    assert "sonicguide.commands.analyze" in _modules_after(["analyze", "x.wav"])


def test_help_and_a_mistyped_command_still_list_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from sonicguide.cli import COMMANDS

    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["valdiate"])
    error = capsys.readouterr().err
    for name in COMMANDS:
        assert f"    {name} " in listed
        assert f"'{name}'" in error
