"""``sonicguide sign``: signed copies with the disclosure's manifest, originals untouched, output cached."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from c2pa_fixtures import ThrowawayCA, make_ca, write_tone
from sonicguide.cli import main
from sonicguide.core.judge.credentials import read_credentials

pytest.importorskip("c2pa")

BRAND_YML = """\
identity:
  name: Test Brand
  industry: Testing
strategy:
  essence: Clarity
  attributes:
    - name: clear
      meaning: no clutter
disclosure_policy:
  statement: We say how we make things.
  target_tier: human-made
assets:
  - id: logo
    title: Logo
    file: audio/logo.wav
    role: logo
    disclosure:
      stages:
        composition:
          mode: human
          contributors: [{name: Ada Moreau, role: composer}]
        sound_design: {mode: human, contributors: [{name: Ada Moreau, role: sound designer}]}
        production: {mode: human, contributors: [{name: Ada Moreau, role: producer}]}
        mixing: {mode: human, contributors: [{name: Bo Lind, role: mixing engineer}]}
        mastering:
          mode: {mastering_mode}
          {mastering_people}
  - id: logo-alt
    title: Logo, generated variant
    file: audio/logo-alt.flac
    role: variant
    variant_of: logo
    disclosure:
      stages:
        composition:
          mode: human
          contributors: [{name: Ada Moreau, role: composer}]
        sound_design: {mode: human, contributors: [{name: Ada Moreau, role: sound designer}]}
        production: {mode: human, contributors: [{name: Ada Moreau, role: producer}]}
        mixing: {mode: human, contributors: [{name: Bo Lind, role: mixing engineer}]}
        mastering: {mode: human, contributors: [{name: Bo Lind, role: mastering engineer}]}
        variant_generation:
          mode: ai-generated
          tools: [{name: Tonewright, version: "2.1"}]
  - id: jingle
    title: Jingle
    file: audio/jingle.ogg
    role: ui
    disclosure:
      stages:
        sound_design:
          mode: human
          contributors: [{name: Ada Moreau, role: sound designer}]
"""


def _write_brand(folder: Path, *, mastering: str = "human") -> None:
    people = (
        "contributors: [{name: Bo Lind, role: mastering engineer}]"
        if mastering == "human"
        else "tools: [{name: Masterly, version: '3'}]"
    )
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    text = BRAND_YML.replace("{mastering_mode}", mastering).replace("{mastering_people}", people)
    (folder / "brand.yml").write_text(text, encoding="utf-8")
    for name in ("logo.wav", "logo-alt.flac", "jingle.ogg"):
        if not (folder / "audio" / name).exists():
            write_tone(folder / "audio" / name, seconds=0.3)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def ca() -> ThrowawayCA:
    return make_ca()


@pytest.fixture
def setup(tmp_path: Path, ca: ThrowawayCA) -> tuple[Path, Path, list[str]]:
    brand = tmp_path / "brands" / "test-brand"
    _write_brand(brand)
    (tmp_path / "chain.pem").write_text(ca.chain_pem)
    (tmp_path / "key.pem").write_text(ca.key_pem)
    out = tmp_path / "signed"
    argv = [
        "sign",
        str(brand),
        "--cert",
        str(tmp_path / "chain.pem"),
        "--key",
        str(tmp_path / "key.pem"),
        "--out",
        str(out),
    ]
    return brand, out, argv


def test_sign_writes_trusted_copies_and_leaves_originals_alone(
    setup: tuple[Path, Path, list[str]], ca: ThrowawayCA, capsys: pytest.CaptureFixture[str]
) -> None:
    brand, out, argv = setup
    before = {p.name: _digest(p) for p in (brand / "audio").iterdir()}
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert {p.name: _digest(p) for p in (brand / "audio").iterdir()} == before
    assert "skipped jingle (audio/jingle.ogg)" in printed
    assert not (out / "audio" / "jingle.ogg").exists()
    logo = read_credentials(out / "audio" / "logo.wav", trust_anchors_pem=ca.root_pem)
    assert logo["state"] == "trusted"
    assert logo["digital_source_terms"] == ["digitalCreation"]
    assert logo["authors"] == ["Ada Moreau", "Bo Lind"]
    alt = read_credentials(out / "audio" / "logo-alt.flac", trust_anchors_pem=ca.root_pem)
    assert alt["state"] == "trusted"
    assert "compositeWithTrainedAlgorithmicMedia" in alt["digital_source_terms"]
    cache = json.loads((out / "sonicguide-sign.json").read_text())
    assert sorted(cache["assets"]) == ["logo", "logo-alt"]
    assert not list(out.rglob("*.partial"))


def test_unchanged_input_is_not_signed_again(
    setup: tuple[Path, Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    brand, out, argv = setup
    assert main(argv) == 0
    first = {name: _digest(out / "audio" / name) for name in ("logo.wav", "logo-alt.flac")}
    capsys.readouterr()
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("unchanged ") for line in lines) == 2
    assert {name: _digest(out / "audio" / name) for name in first} == first
    # A changed disclosure re-signs only the asset it concerns.
    _write_brand(brand, mastering="ai-assisted")
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "signed logo ->" in printed and "unchanged logo-alt" in printed
    assert _digest(out / "audio" / "logo.wav") != first["logo.wav"]
    assert read_credentials(out / "audio" / "logo.wav")["digital_source_terms"] == ["algorithmicallyEnhanced"]


def test_a_tampered_output_is_signed_again(
    setup: tuple[Path, Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _brand, out, argv = setup
    assert main(argv) == 0
    (out / "audio" / "logo.wav").write_bytes(b"RIFF")
    capsys.readouterr()
    assert main(argv) == 0
    assert "signed logo ->" in capsys.readouterr().out
    assert read_credentials(out / "audio" / "logo.wav")["state"] == "valid-untrusted"


def test_signing_into_the_brand_folder_itself_is_refused(
    setup: tuple[Path, Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    brand, _out, argv = setup
    before = _digest(brand / "audio" / "logo.wav")
    argv[argv.index("--out") + 1] = str(brand)
    assert main(argv) == 2
    assert "is the original file" in capsys.readouterr().err
    assert _digest(brand / "audio" / "logo.wav") == before


def test_a_bad_key_fails_with_a_message(
    setup: tuple[Path, Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _brand, out, argv = setup
    (tmp_path / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    assert main(argv) == 1
    assert "failed logo" in capsys.readouterr().err
    assert not (out / "audio" / "logo.wav").exists()
