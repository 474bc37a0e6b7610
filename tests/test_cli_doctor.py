"""``sonicguide doctor``: reports the generator, theme and versions, and flags combinations that cannot work."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from sonicguide.cli import main
from sonicguide.commands.doctor import Finding, diagnose
from sonicguide.commands.init import init_project

GOOD = {"MkDocs": "1.6.1", "ProperDocs": None, "Material for MkDocs": "9.8.2", "Zensical": None}
GOOD_CONFIG = {"site_name": "x", "theme": {"name": "material"}, "plugins": ["search", {"sonicguide": {}}]}
BOTH_GROUPS = {"mkdocs.plugins", "properdocs.plugins"}


def _levels(findings: list[Finding], level: str) -> list[str]:
    return [finding.message for finding in findings if finding.level == level]


def _diagnose(tmp_path: Path, versions: dict[str, str | None] | None = None, config: dict[str, Any] | None = None,
              name: str = "mkdocs.yml", entry_points: set[str] = BOTH_GROUPS) -> list[Finding]:
    (tmp_path / "brands").mkdir(exist_ok=True)
    return diagnose(versions or GOOD, tmp_path / name, entry_points=entry_points,
                    config=config if config is not None else GOOD_CONFIG)


def test_a_working_setup_has_no_warning(tmp_path: Path) -> None:
    findings = _diagnose(tmp_path)
    assert _levels(findings, "warn") == [] and _levels(findings, "error") == []
    facts = " | ".join(_levels(findings, "ok"))
    assert "`mkdocs build` uses MkDocs 1.6.1" in facts and "Material for MkDocs 9.8.2" in facts


def test_mkdocs_2_cannot_build_a_guide(tmp_path: Path) -> None:
    errors = _levels(_diagnose(tmp_path, {**GOOD, "MkDocs": "2.0.0"}), "error")
    assert len(errors) == 1 and "MkDocs 2 runs no plugins" in errors[0] and "properdocs" in errors[0]


def test_mkdocs_2_with_properdocs_points_at_properdocs(tmp_path: Path) -> None:
    findings = _diagnose(tmp_path, {**GOOD, "MkDocs": "2.0.0", "ProperDocs": "1.6.7"})
    assert "`properdocs build` uses ProperDocs 1.6.7" in " ".join(_levels(findings, "ok"))
    assert _levels(findings, "error")  # `mkdocs build` would still break


def test_zensical_is_a_warning_that_says_what_is_lost(tmp_path: Path) -> None:
    warnings = _levels(_diagnose(tmp_path, {**GOOD, "Zensical": "0.1.4"}), "warn")
    assert len(warnings) == 1 and "no brand pages" in warnings[0] and "Zensical 0.1.4" in warnings[0]


def test_material_missing_is_an_error(tmp_path: Path) -> None:
    assert any("Material for MkDocs is not installed" in m
               for m in _levels(_diagnose(tmp_path, {**GOOD, "Material for MkDocs": None}), "error"))


@pytest.mark.parametrize("config", [
    {"theme": {"name": "material"}, "plugins": ["search"]},
    {"theme": {"name": "material"}},
    {"theme": "material", "plugins": {"search": {}}},
])
def test_plugin_missing_from_the_configuration(tmp_path: Path, config: dict[str, Any]) -> None:
    errors = _levels(_diagnose(tmp_path, config=config), "error")
    assert len(errors) == 1 and "plugins does not list sonicguide" in errors[0]


def test_another_theme_is_an_error(tmp_path: Path) -> None:
    errors = _levels(_diagnose(tmp_path, config={**GOOD_CONFIG, "theme": {"name": "readthedocs"}}), "error")
    assert errors and "'readthedocs'" in errors[0]


def test_unregistered_plugin_is_an_error(tmp_path: Path) -> None:
    assert any("not registered" in m for m in _levels(_diagnose(tmp_path, entry_points=set()), "error"))


def test_properdocs_yml_without_properdocs(tmp_path: Path) -> None:
    errors = _levels(_diagnose(tmp_path, name="properdocs.yml"), "error")
    assert errors and "ProperDocs, which is not installed" in errors[0]


def test_own_main_html_without_the_head_partial_is_flagged(tmp_path: Path) -> None:
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config = {**GOOD_CONFIG, "theme": {"name": "material", "custom_dir": "overrides"}}
    warnings = _levels(_diagnose(tmp_path, config=config), "warn")
    assert len(warnings) == 1 and "partials/sonicguide/head.html" in warnings[0]
    (tmp_path / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}{% block extrahead %}{% include "partials/sonicguide/head.html" %}{% endblock %}\n',
        encoding="utf-8")
    assert _levels(_diagnose(tmp_path, config=config), "warn") == []


def test_doctor_in_a_fresh_guide_reports_the_installed_versions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    init_project(tmp_path)
    (tmp_path / "mkdocs.yml").write_text((tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
                                         + "extra:\n  team: !ENV [TEAM, sound]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert f"Material for MkDocs {metadata.version('mkdocs-material')}" in out
    assert "configuration: mkdocs.yml" in out and "error" not in out


def test_doctor_names_a_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "-f", str(tmp_path / "nope.yml")]) == 1
    assert "nope.yml does not exist" in capsys.readouterr().err


def test_properdocs_yml_with_properdocs_is_fine(tmp_path: Path) -> None:
    findings = _diagnose(tmp_path, {**GOOD, "ProperDocs": "1.6.7"}, name="properdocs.yml")
    assert _levels(findings, "warn") == [] and _levels(findings, "error") == []
    assert any("read by `properdocs build`" in m for m in _levels(findings, "ok"))
