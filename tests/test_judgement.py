"""The build and ``sonicguide validate`` judge alike, and decide by a finding's kind, never its text.

Each case is a small brand built for real (``mkdocs build --strict`` in a temp folder) and validated
with the CLI against the same analysis cache; the two must agree on every case.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine
from sonicguide.cli import main
from sonicguide.core.judge import rules
from sonicguide.core.load.model import Stage

# Free text that says everything the old plugin searched its warnings for.
WORDY = ("Brand conformance: strict. Our policy is kept; any warning is a conformance: failure and a "
         "policy: breach")

LOUD_TOUCHPOINT = ("touchpoints:\n  - id: radio\n    name: Radio\n    assets: [logo]\n"
                   "    loudness: {integrated_lufs: -40, tolerance_lu: 0.5}\n")
HUMAN_RULE = ("  rules:\n    - statement: The logo is human-made.\n      assets: [logo]\n"
              "      at_most: human\n")


def _brand(*, mode: str = "human", text_alternative: str = "A steady test tone.", extra: str = "",
           rule: str = "", name: str = "Acme") -> str:
    text = brand_yaml(name, assets=[{"id": "logo", "file": "audio/logo.wav", "role": "logo", "mode": mode,
                                     "text_alternative": text_alternative}], extra=extra)
    if rule:
        text = text.replace("  target_tier: ai-generated\n", "  target_tier: ai-generated\n" + rule)
    return text


CASES = {
    "clean": (_brand(), True),
    "wordy free text": (_brand(name=WORDY, extra=f"voice:\n  summary: {json.dumps(WORDY)}\n").replace(
        "Human-made where it matters.", json.dumps(WORDY)), True),
    "loudness off target": (_brand(extra=LOUD_TOUCHPOINT), False),
    "policy breached": (_brand(mode="ai-generated", rule=HUMAN_RULE), False),
    "no text alternative": (_brand(text_alternative=""), False),
    "schema error": (_brand().replace("mode: human", "mode: humane"), False),
}


def _project(tmp_path: Path, text: str, **options: object) -> Path:
    config = make_project(tmp_path, {"acme": text}, plugin_options=dict(options))
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=2.0)
    return config


def _builds(config: Path) -> bool:
    try:
        build_site(config, strict=True)
    except (PluginError, Abort, SystemExit):
        return False
    return True


@pytest.mark.parametrize("case", list(CASES))
def test_validate_exits_0_exactly_when_the_strict_build_succeeds(case: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    text, clean = CASES[case]
    config = _project(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    code = main(["validate", "brands", "--cache-dir", ".cache/sonicguide", "--workers", "1"])
    out = capsys.readouterr().out
    built = _builds(config)
    assert (code == 0) is built is clean, out
    if not clean:
        # Every reported line carries file:line:column and a field, never a bare message.
        assert all(line.startswith("brands/acme/brand.yml:") for line in out.splitlines() if line.strip()), out


def test_validate_without_measurement_only_checks_the_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, _brand(extra=LOUD_TOUCHPOINT))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "brands", "--no-measure"]) == 0
    assert not (tmp_path / ".cache").exists()
    assert main(["validate", "brands", "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "brands/acme/brand.yml:" in out and "touchpoints[0].loudness" in out and "[conformance]" in out


def test_fail_on_conformance_stops_on_conformance_only_whatever_the_text_says(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Policy text full of the words the plugin used to search for, a breached policy, no conformance failure.
    text = _brand(mode="ai-generated", rule=HUMAN_RULE.replace("The logo is human-made.", json.dumps(WORDY)))
    config = _project(tmp_path, text, fail_on_conformance=True)
    build_site(config, strict=False)  # a policy breach is a warning, not a conformance failure
    assert "Conformance failures" not in caplog.text and "stops the build" not in caplog.text
    assert "[policy]" in caplog.text
    report = json.loads((tmp_path / "site/acme/brand.json").read_text(encoding="utf-8"))
    assert [f["kind"] for f in report["findings"]] == ["policy"]
    assert report["disclosure"]["policy_breached"] is True


def test_fail_on_conformance_turns_a_conformance_warning_into_an_error(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = _project(tmp_path, _brand(extra=LOUD_TOUCHPOINT), fail_on_conformance=True)
    with pytest.raises((PluginError, Abort)):
        build_site(config, strict=False)
    assert "1 problem that stops the build:" in caplog.text
    assert "touchpoints[0].loudness" in caplog.text and "[conformance]" in caplog.text
    assert not (tmp_path / "site").exists()
    # Without the option the same brand builds (not strict), with the finding as a warning.
    config = _project(tmp_path, _brand(extra=LOUD_TOUCHPOINT), fail_on_conformance=False)
    build_site(config, strict=False)
    assert (tmp_path / "site/acme/index.html").is_file()


def test_each_asset_is_derived_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = rules.derive_asset

    def counting(asset):  # type: ignore[no-untyped-def]
        calls.append(asset.id)
        return original(asset)

    monkeypatch.setattr(rules, "derive_asset", counting)
    text = brand_yaml("Acme", assets=[{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
                                      {"id": "theme", "file": "audio/theme.wav", "role": "theme"}])
    config = make_project(tmp_path, {"acme": text})
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=1.0)
    sine(tmp_path / "brands/acme/audio/theme.wav", seconds=1.5)
    build_site(config)
    assert sorted(calls) == ["logo", "theme"]


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_cold_warm_and_cache_deleted_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    # Stages in the YAML out of production order: a cached parse must not reorder anything.
    text = _brand(extra="").replace(
        "        composition:\n",
        "        lyrics:\n          mode: human\n          contributors: [{name: Mo Words, role: lyricist}]\n"
        "        composition:\n")
    config = _project(tmp_path, text)
    cold = _tree(build_site(config))
    warm = _tree(build_site(config))
    assert warm == cold
    import shutil

    shutil.rmtree(tmp_path / ".cache")
    again = _tree(build_site(config))
    assert again == cold
    report = json.loads(cold["acme/brand.json"])
    stages = list(report["brand"]["assets"][0]["disclosure"]["stages"])
    assert stages[:2] == ["composition", "lyrics"]
    assert stages == [stage.value for stage in Stage if stage.value in stages]  # production order
    # brand.json follows the schema published beside it, and says which layout it is.
    schema = json.loads(cold["schema/brand-report.schema.json"])
    jsonschema.validate(report, schema)
    assert report["format_version"] == 1 and schema["properties"]["format_version"]["const"] == 1
    broken = {**report, "measurements": {"logo": {"loudness": {"integrated_lufs": "loud"}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
