"""Content Credentials: signed with a throwaway CA, then read back as valid, trusted, tampered or absent."""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path
from typing import Any

import pytest

from c2pa_fixtures import ThrowawayCA, flip_audio_byte, make_ca, write_tone
from disclosure_factory import asset
from sonicguide.core.judge import credentials
from sonicguide.core.judge.rules import derive_asset

pytest.importorskip("c2pa")

HUMAN = derive_asset(
    asset(stages={"composition": "human", "instrumental_performance": "human", "mastering": "ai-assisted"})
)
GENERATED = derive_asset(
    asset(
        stages={"composition": "ai-generated", "production": "ai-generated"},
        approval={"by": "Ada Moreau", "date": "2026-01-05"},
    )
)


@pytest.fixture(scope="module")
def ca() -> ThrowawayCA:
    return make_ca()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, ca: ThrowawayCA) -> Path:
    folder = tmp_path_factory.mktemp("signed")
    write_tone(folder / "tone.wav")
    manifest = credentials.build_manifest(HUMAN, generator="sonicguide-tests", generator_version="1")
    credentials.sign_file(
        folder / "tone.wav",
        folder / "signed.wav",
        manifest=manifest,
        cert_chain_pem=ca.chain_pem,
        key_pem=ca.key_pem,
    )
    return folder / "signed.wav"


def test_signing_leaves_the_source_alone_and_embeds_the_derived_source_type(signed: Path) -> None:
    source = signed.with_name("tone.wav")
    assert credentials.read_credentials(source)["state"] == "none"
    found = credentials.read_credentials(signed)
    assert found["digital_source_terms"] == ["algorithmicallyEnhanced"]
    created = [a for a in found["actions"] if a["action"] == "c2pa.created"]
    assert [a["digital_source_type"] for a in created] == [HUMAN["iptc"]["uri"]]
    edited = [a for a in found["actions"] if a["action"] == "c2pa.edited"]
    assert edited and edited[0]["software_agent"] == "Tonewright 2.1"
    assert found["authors"] == ["Ada Moreau"]
    assert found["signer"]["common_name"] == "sonicguide test signer"


def test_valid_but_untrusted_without_anchors(signed: Path) -> None:
    found = credentials.read_credentials(signed)
    assert found["state"] == "valid-untrusted"
    assert "signingCredential.untrusted" in found["failure_codes"]
    assert found["reason"] == "no trust anchor configured"


def test_trusted_with_the_root_as_anchor(signed: Path, ca: ThrowawayCA) -> None:
    found = credentials.read_credentials(signed, trust_anchors_pem=ca.root_pem)
    assert found["state"] == "trusted"
    assert found["failure_codes"] == []


def test_another_root_does_not_make_it_trusted(signed: Path) -> None:
    stranger = make_ca()
    found = credentials.read_credentials(signed, trust_anchors_pem=stranger.root_pem)
    assert found["state"] == "valid-untrusted"
    assert found["reason"] == "the signer does not chain to a configured trust anchor"


def test_one_flipped_audio_bit_makes_it_invalid(signed: Path, tmp_path: Path, ca: ThrowawayCA) -> None:
    tampered = tmp_path / "tampered.wav"
    shutil.copy(signed, tampered)
    flip_audio_byte(tampered)
    found = credentials.read_credentials(tampered, trust_anchors_pem=ca.root_pem)
    assert found["state"] == "invalid"
    assert "assertion.dataHash.mismatch" in found["failure_codes"]
    assert "assertion.dataHash.mismatch" in found["reason"]


def test_ogg_is_unsupported_and_never_opened(tmp_path: Path) -> None:
    ogg = tmp_path / "jingle.ogg"
    write_tone(ogg)
    found = credentials.read_credentials(ogg)
    assert found["state"] == "unsupported-format"
    assert ".ogg" in found["reason"] and found["actions"] == []


@pytest.mark.parametrize("suffix", [".mp3", ".flac"])
def test_mp3_and_flac_round_trip(tmp_path: Path, ca: ThrowawayCA, suffix: str) -> None:
    source, out = tmp_path / f"tone{suffix}", tmp_path / f"signed{suffix}"
    write_tone(source)
    manifest = credentials.build_manifest(GENERATED, generator="sonicguide-tests", generator_version="1")
    credentials.sign_file(source, out, manifest=manifest, cert_chain_pem=ca.chain_pem, key_pem=ca.key_pem)
    found = credentials.read_credentials(out, trust_anchors_pem=ca.root_pem)
    assert found["state"] == "trusted"
    assert found["digital_source_terms"] == ["trainedAlgorithmicMedia"]


def test_a_self_signed_disclosure_agrees_with_itself(signed: Path) -> None:
    assert credentials.contradictions(HUMAN, credentials.read_credentials(signed)) == []


def test_yaml_human_but_manifest_generative_is_a_contradiction(tmp_path: Path, ca: ThrowawayCA) -> None:
    source, out = tmp_path / "tone.wav", tmp_path / "ai.wav"
    write_tone(source)
    manifest = credentials.build_manifest(GENERATED, generator="someone-else", generator_version="9")
    credentials.sign_file(source, out, manifest=manifest, cert_chain_pem=ca.chain_pem, key_pem=ca.key_pem)
    found = credentials.read_credentials(out)
    human_made = derive_asset(asset(stages={"composition": "human"}))
    [message] = credentials.contradictions(human_made, found)
    assert "Human-made" in message and "trainedAlgorithmicMedia" in message
    # and the other way round: YAML says generated, the manifest claims only human work
    human_manifest = tmp_path / "human.wav"
    credentials.sign_file(
        source,
        human_manifest,
        cert_chain_pem=ca.chain_pem,
        key_pem=ca.key_pem,
        manifest=credentials.build_manifest(human_made, generator="x", generator_version="1"),
    )
    [reverse] = credentials.contradictions(GENERATED, credentials.read_credentials(human_manifest))
    assert "digitalCreation" in reverse and "no generative AI" in reverse


def test_an_invalid_manifest_is_not_compared(signed: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "t.wav"
    shutil.copy(signed, tampered)
    flip_audio_byte(tampered)
    assert credentials.contradictions(GENERATED, credentials.read_credentials(tampered)) == []


def test_without_c2pa_everything_says_not_checked(monkeypatch: pytest.MonkeyPatch, signed: Path) -> None:
    real_import = builtins.__import__

    def no_c2pa(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "c2pa" or name.startswith("c2pa."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_c2pa)
    found = credentials.read_credentials(signed)
    assert found["state"] == "not-checked"
    assert found["reason"] == "c2pa-python not installed (pip install 'sonicguide[c2pa]')"
    assert not credentials.c2pa_available()
    with pytest.raises(RuntimeError, match="not installed"):
        credentials.sign_file(signed, signed.with_name("x.wav"), manifest={}, cert_chain_pem="", key_pem="")
