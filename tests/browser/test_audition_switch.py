"""The player's "Hear it as on" switch (issue 14, part 1): keyboard-operable, it changes the source
to the audition, keeps the position and matches loudness; without JavaScript the auditions are links."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitehelpers import brand_yaml, build_site, make_project, sine

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audition-browser")
    text = brand_yaml(assets=[{"id": "logo", "file": "audio/logo.wav", "role": "logo"}],
                      extra="touchpoints:\n  - id: phone\n    name: Phone line\n    assets: [logo]\n"
                            "    playback: phone-narrowband\n")
    config = make_project(root, {"acme": text})
    sine(root / "brands" / "acme" / "audio" / "logo.wav", seconds=8.0, freq=500.0)
    return build_site(config, strict=False)


def test_the_switch_keeps_the_position_and_changes_the_source(site: Path, serve_directory, open_page) -> None:
    page = open_page(serve_directory(site) + "acme/index.html")
    player = page.locator("#logo [data-sg-player]")
    picks = player.locator(".sg-player__hear-pick")
    assert picks.all_inner_texts() == ["original", "Phone line (narrowband)"]
    assert player.locator("a.sg-player__hear-link").count() == 0
    player.evaluate("""(root) => new Promise((resolve) => {
        const audio = root.querySelector("audio");
        audio.preload = "auto";
        audio.addEventListener("loadedmetadata", () => { audio.currentTime = 3.2; }, { once: true });
        audio.addEventListener("seeked", () => resolve(), { once: true });
        audio.load();
    })""")
    picks.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("""() => { const a = document.querySelector('#logo [data-sg-player] audio');
        return a.currentSrc.endsWith('logo.phone-narrowband.flac') && a.readyState >= 1 && !a.seeking; }""")
    state = player.evaluate("""(root) => { const a = root.querySelector("audio");
        const pressed = root.querySelector(".sg-player__hear-pick[aria-pressed=true]");
        return {t: a.currentTime, volume: a.volume, pressed: pressed.textContent,
                now: root.querySelector(".sg-player__hear-now").textContent}; }""")
    assert state["t"] == pytest.approx(3.2, abs=0.05)
    assert state["pressed"] == "Phone line (narrowband)"
    assert state["now"].startswith("Now: as on Phone line (narrowband) (keeps ")
    assert state["volume"] <= 1.0


def test_without_javascript_the_auditions_are_links(site: Path, serve_directory, open_page) -> None:
    page = open_page(serve_directory(site) + "acme/index.html", javascript=False)
    links = page.locator("#logo a.sg-player__hear-link")
    assert links.count() == 1 and links.get_attribute("href") == "audio/logo.phone-narrowband.flac"
