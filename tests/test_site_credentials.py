"""Content Credentials on a built page: trusted with the plugin's trust anchors, and a manifest
that contradicts the YAML is a warning (fatal with --strict) shown next to the asset."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from c2pa_fixtures import make_ca, write_tone
from disclosure_factory import asset
from sitehelpers import brand_yaml, build_site, make_project, soup
from sonicguide.core.judge import credentials
from sonicguide.core.judge.rules import derive_asset

pytest.importorskip("c2pa")


def _signed_project(tmp_path: Path, *, manifest_stages: dict[str, str]) -> tuple[Path, str]:
    ca = make_ca()
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs/root.pem").write_text(ca.root_pem, encoding="utf-8")
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")},
                          plugin_options={"trust_anchors": str(tmp_path / "certs/root.pem")})
    source = tmp_path / "tone.wav"
    write_tone(source, seconds=1.0)
    (tmp_path / "brands/acme/audio").mkdir(parents=True)
    claimed = derive_asset(asset(stages=manifest_stages))  # type: ignore[arg-type]
    credentials.sign_file(source, tmp_path / "brands/acme/audio/logo.wav",
                          manifest=credentials.build_manifest(claimed, generator="test", generator_version="1"),
                          cert_chain_pem=ca.chain_pem, key_pem=ca.key_pem)
    return config, ca.root_pem


def test_a_signed_asset_that_agrees_shows_as_trusted(tmp_path: Path) -> None:
    config, _ = _signed_project(tmp_path, manifest_stages={"composition": "human"})
    site = build_site(config)
    section = soup(site / "acme" / "index.html").select_one("section#logo")
    assert section is not None
    text = section.get_text(" ", strip=True)
    assert "Trusted" in text or "trusted" in text


def test_a_manifest_that_contradicts_the_yaml_is_a_strict_failure(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    config, _ = _signed_project(tmp_path, manifest_stages={"composition": "ai-generated"})
    with pytest.raises(Abort):
        build_site(config, strict=True)
    assert "Content Credentials contradict the disclosure" in caplog.text
    site = build_site(config, strict=False)
    section = soup(site / "acme" / "index.html").select_one("section#logo")
    assert section is not None
    assert "trainedAlgorithmicMedia" in section.get_text(" ", strip=True)
