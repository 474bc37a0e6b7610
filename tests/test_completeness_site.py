"""Issue 11 in a real build: what a reader of the site, of brand.json and of the log sees when a
disclosure is incomplete, when people are given by role alone, and when touchpoints state a
technical profile (sample rate, channels, band) and per-role durations."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from sitehelpers import build_site, make_project, sine, soup
from sonicguide.core.judge.bands import energy_outside_share

STAGES_LOGO = """\
        composition: {mode: human, contributors: [{name: Ada Moreau, role: composer}]}
        instrumental_performance: {mode: human, contributors: [{role: marimba player}]}
        production: {mode: human, contributors: [{name: Sam Okafor, role: producer}]}
        mixing: {mode: human, contributors: [{name: Sam Okafor, role: mix engineer}]}
"""
BRAND = f"""\
identity: {{name: Acme, industry: Testing}}
strategy:
  essence: Clarity
  attributes: [{{name: Clear, meaning: Nothing muddy}}]
  musical_dna: {{tempo_bpm: {{min: 90, max: 120}}, keys: [F major]}}
touchpoints:
  - id: phone
    name: Phone line
    profile: {{sample_rate_hz: 8000, channels: 1, bandwidth: telephone-narrowband}}
    max_duration_s: {{alert: 0.5, ivr: 10}}
disclosure_policy:
  statement: People make our logo.
  target_tier: human-made
assets:
  - id: logo
    title: Logo
    file: audio/logo.wav
    role: logo
    text_alternative: A tone.
    disclosure:
      stages:
{STAGES_LOGO}  - id: prompt
    title: Welcome prompt
    file: audio/prompt.wav
    role: voice
    text_alternative: A voice says welcome.
    disclosure:
      stages:
        lyrics: {{mode: human, contributors: [{{role: copywriter}}]}}
        vocal_performance: {{mode: human, contributors: [{{role: voice actor}}]}}
  - id: hold
    title: On-hold loop
    file: audio/hold.wav
    role: ivr
    touchpoints: [phone]
    text_alternative: A soft tone in the telephone band.
    disclosure:
      stages:
        composition: {{mode: human, contributors: [{{name: Ada Moreau, role: composer}}]}}
        sound_design: {{mode: human, contributors: [{{name: Ada Moreau, role: sound designer}}]}}
        mastering: {{mode: not-applicable, reason: a raw telephone tone}}
  - id: chime
    title: Alert chime
    file: audio/chime.wav
    role: alert
    touchpoints: [phone]
    text_alternative: A bright two-tone chime.
    disclosure:
      stages:
        sound_design: {{mode: undisclosed, reason: bought from a library that does not say}}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("completeness")
    config = make_project(root, {"acme": BRAND})
    audio = root / "brands" / "acme" / "audio"
    sine(audio / "logo.wav", seconds=2.0)
    sine(audio / "prompt.wav", seconds=2.0, freq=220.0, channels=1)
    sine(audio / "hold.wav", seconds=3.0, sr=8000, freq=1000.0, channels=1)  # fits the phone line
    sine(audio / "chime.wav", seconds=1.0, sr=48000, freq=6000.0, channels=2)  # does not
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Keep(level=logging.WARNING)
    # The plugin logs under "mkdocs.plugins..." with MkDocs and "properdocs.plugins..." with ProperDocs.
    loggers = [logging.getLogger(name) for name in ("mkdocs", "properdocs")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        site = build_site(config, strict=False)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    return site, records


def test_the_log_says_what_is_missing_and_which_promise_breaks(built: tuple[Path, list[str]]) -> None:
    _site, records = built
    lines = [line.removeprefix("sonicguide: ") for line in records if line.startswith("sonicguide: ")]
    assert ("brands/acme/brand.yml:13:16: disclosure_policy.target_tier: policy \"Target tier Human-made: the "
            "brand's tier is at least that human.\" is breached: the brand is Incomplete disclosure, below its "
            "target Human-made, because logo (Logo) is Incomplete disclosure: mastering is not declared; change "
            "the assets that set the tier, or lower target_tier. [policy]") in lines
    assert ("brands/acme/brand.yml:22:9: assets[0].disclosure.stages: logo (Logo) has an incomplete disclosure: "
            "mastering is not declared; its tier is Incomplete disclosure and no source type is claimed; add "
            "mastering: with its mode (human, ai-assisted, ai-generated; not-applicable with a reason), or "
            "mode: undisclosed if you cannot say. [disclosure]") in lines
    # The undisclosed chime breaks the target tier too, naming its stage.
    assert any("because chime (Alert chime) is Incomplete disclosure: sound design or composition: sound design "
               "undisclosed, composition not declared" in line for line in lines)
    # The technical profile and the per-role limit, each at the YAML value that set it.
    conformance = [line for line in lines if line.endswith("[conformance]")]
    assert any(line.startswith("brands/acme/brand.yml:9:31: touchpoints[0].profile.sample_rate_hz: chime at "
                               "phone: sample rate 48000 Hz, expected 8000 Hz (channel profile)")
               for line in conformance), conformance
    assert any("touchpoints[0].profile.channels: chime at phone: channels 2" in line for line in conformance)
    assert any("touchpoints[0].profile.bandwidth: chime at phone: 100 % of the energy lies outside "
               "telephone-narrowband 300–3400 Hz" in line for line in conformance)
    assert any(line.startswith("brands/acme/brand.yml:10:29: touchpoints[0].max_duration_s.alert: chime at "
                               "phone: duration 1 s, expected ≤ 0.5 s for alert") for line in conformance)
    assert not any("hold at phone" in line for line in conformance)  # the IVR loop fits the line
    # Tempo and key are judged for none of the voice, IVR and alert assets.
    assert not any("tempo" in line.lower() and ("prompt" in line or "hold" in line or "chime" in line)
                   for line in lines)


def test_the_page_badge_card_and_brand_json_show_the_breach(built: tuple[Path, list[str]]) -> None:
    site, _records = built
    page = soup(site / "acme" / "index.html")
    header = page.find(class_="sg-brand-header")
    assert "Incomplete disclosure" in header.get_text() and "Disclosure policy breached" in header.get_text()
    logo = page.find("section", id="sg-disclosure-logo")
    text = logo.get_text(" ", strip=True)
    assert "Mastering is not declared." in text and "not claimed (the disclosure is incomplete)" in text
    assert "Human-made" not in logo.find(class_="sg-disclosure__summary").get_text()
    assert "Marimba player (not named)" in text and "Ada Moreau (composer)" in text
    hold = page.find("section", id="sg-disclosure-hold").get_text(" ", strip=True)
    assert "Reason: a raw telephone tone" in hold and "Human-made" in hold
    chime = page.find("section", id="sg-disclosure-chime").get_text(" ", strip=True)
    assert "Sound design or composition: sound design undisclosed, composition not declared." in chime
    assert "Reason: bought from a library that does not say" in chime
    home = soup(site / "index.html")
    card = home.find("li", attrs={"data-sg-card": True})
    assert "Disclosure policy breached" in card.get_text() and card["data-tier"] == "incomplete"
    report = json.loads((site / "acme" / "brand.json").read_text(encoding="utf-8"))
    assert report["disclosure"]["policy_breached"] is True
    assert report["disclosure"]["assets"]["logo"]["completeness"]["complete"] is False
    assert report["disclosure"]["assets"]["hold"]["completeness"]["complete"] is True
    assert report["disclosure"]["summary"]["tier"]["id"] == "incomplete"


def test_no_source_type_is_claimed_for_an_incomplete_asset(built: tuple[Path, list[str]]) -> None:
    site, _records = built
    page = soup(site / "acme" / "index.html")
    (script,) = page.head.find_all("script", type="application/ld+json")
    graph: dict[str, Any] = json.loads(script.string)
    recordings = {part["name"]: part for part in graph["subjectOf"]["hasPart"]}
    assert "digitalSourceType" not in recordings["Logo"] and "digitalSourceType" not in recordings["Alert chime"]
    assert recordings["On-hold loop"]["digitalSourceType"] == "https://schema.org/DigitalArtDigitalSource"
    # People given by role alone are never turned into a nameless Person.
    assert all(role["contributor"]["name"] for role in recordings["Welcome prompt"].get("contributor", []))


def test_tempo_and_key_are_not_facts_for_voice_ivr_and_alerts(built: tuple[Path, list[str]]) -> None:
    site, _records = built
    page = soup(site / "acme" / "index.html")
    for asset_id, role in (("prompt", "voice"), ("hold", "ivr / on-hold"), ("chime", "notification or alert")):
        facts = {row.th.get_text(): row.td.get_text() for row in page.find("section", id=asset_id).find(
            class_="sg-facts-table").find_all("tr")}
        assert facts["Tempo"] == facts["Key"] == f"not estimated for a {role} (tempo and key mean nothing here)"
    logo = {row.th.get_text(): row.td.get_text() for row in page.find("section", id="logo").find(
        class_="sg-facts-table").find_all("tr")}
    assert logo["Tempo"].startswith(("≈", "not estimated"))


def test_the_methodology_page_lists_the_required_stages_with_sources(built: tuple[Path, list[str]]) -> None:
    site, _records = built
    page = soup(site / "methodology" / "index.html")
    heading = next(h for h in page.find_all("h2") if h.get_text(strip=True).startswith("Required stages"))
    table = heading.find_next("table")
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    assert [rows[6][0], rows[6][1]] == ["voice", "Lyrics"]
    assert all(row[2] and row[3] for row in rows)
    links = {a["href"] for a in table.find_all("a")}
    assert "https://fulltimemusician.net/?p=1588" in links


@pytest.mark.parametrize(("band", "tones", "expected"), [
    # Equal-amplitude sines: equal energy each; a tone outside the band carries its share.
    ((300.0, 3400.0), (1000.0, 100.0), 0.5),
    ((300.0, 3400.0), (1000.0, 2000.0, 5000.0, 8000.0), 0.5),
    ((50.0, 7000.0), (1000.0, 5000.0, 10000.0), 1 / 3),
    ((300.0, 3400.0), (1000.0,), 0.0),
])
def test_energy_outside_the_band_matches_the_signal(tmp_path: Path, band: tuple[float, float],
                                                    tones: tuple[float, ...], expected: float) -> None:
    """The share computed from the stored spectrum against the share known from the signal."""
    from sonicguide.core.audio import analyze_file

    rate = 48000
    t = np.arange(rate * 4) / rate
    signal = sum(0.1 * np.sin(2 * np.pi * f * t) for f in tones)
    path = tmp_path / "tones.wav"
    sf.write(path, signal, rate, subtype="FLOAT")
    spectrum = analyze_file(path)["series"]["spectrum"]
    share = energy_outside_share(spectrum["freqs_hz"], spectrum["db"], low_hz=band[0], high_hz=band[1])
    assert share == pytest.approx(expected, abs=0.02)
