"""The player and comparison widget in headless Chromium, against the fixture site
(``fixture_site.py``): playback, keyboard seeking, one asset at a time, region loops,
loudness-matched A/B, links with a start time, instant navigation, JavaScript off,
axe-core in both palettes, and no request leaving 127.0.0.1."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from .fixture_site import build_fixture_site
from .pagehelpers import set_palette

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PLAY_ANTHEM = "Play Brand anthem <full>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, serve_directory: Any) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("player-site")
    data = build_fixture_site(out)
    return {"base_url": serve_directory(out), "dir": out, **data}


@pytest.fixture
def page(site: dict[str, Any], open_page: Any) -> Any:
    page = open_page(site["base_url"] + "players.html")
    page.wait_for_selector(".sg-player--enhanced")
    return page


def audio_of(asset_id: str) -> str:
    return f"document.querySelector('.sg-player[data-asset-id=\"{asset_id}\"] audio')"


def current_time(page: Any, asset_id: str) -> float:
    return float(page.evaluate(f"{audio_of(asset_id)}.currentTime"))


def poll(page: Any, expression: str, timeout_s: float = 15.0) -> None:
    """Wait until ``expression`` is true, evaluating it from Python (works with JS off)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {expression}"
        time.sleep(0.05)


def wait_time_above(page: Any, asset_id: str, seconds: float) -> None:
    page.wait_for_function(f"{audio_of(asset_id)}.currentTime > {seconds}", timeout=15000)


def test_play_button_starts_playback_and_time_advances(page: Any) -> None:
    button = page.locator("#anthem .sg-player__play")
    assert button.get_attribute("aria-label") == "Play Brand anthem <full>"
    button.click()
    wait_time_above(page, "anthem", 0.5)
    assert page.evaluate(f"{audio_of('anthem')}.paused") is False
    assert button.get_attribute("aria-label") == "Pause Brand anthem <full>"
    page.wait_for_function(
        "document.querySelector('#anthem .sg-player__elapsed').textContent !== '0:00'", timeout=15000
    )
    button.click()
    expect(button).to_have_attribute("aria-label", PLAY_ANTHEM)
    assert page.evaluate(f"{audio_of('anthem')}.paused") is True


def test_slider_keys_seek_and_speak_the_position(page: Any) -> None:
    wave = page.locator("#anthem .sg-player__wave")
    wave.focus()
    wave.press("ArrowRight")  # before any playback: the metadata loads, then the seek applies
    page.wait_for_function(f"Math.abs({audio_of('anthem')}.currentTime - 5) < 0.01", timeout=15000)
    expect(wave).to_have_attribute("aria-valuetext", "0:05 of 0:12")
    expect(wave).to_have_attribute("aria-valuenow", "5")
    expected = [
        ("ArrowRight", 10.0),
        ("ArrowLeft", 5.0),
        ("PageUp", 6.2),
        ("PageDown", 5.0),
        ("End", 12.0),
        ("Home", 0.0),
        ("ArrowDown", 0.0),
        ("ArrowUp", 5.0),
    ]
    for key, seconds in expected:
        wave.press(key)
        assert current_time(page, "anthem") == pytest.approx(seconds, abs=0.01), key
    assert page.evaluate(f"{audio_of('anthem')}.paused") is True
    wave.press("Space")
    wait_time_above(page, "anthem", 5.3)
    wave.press("Space")
    expect(page.locator("#anthem .sg-player__play")).to_have_attribute("aria-label", PLAY_ANTHEM)


def test_clicking_the_waveform_seeks(page: Any) -> None:
    wave = page.locator("#anthem .sg-player__wave")
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    page.wait_for_function(f"Math.abs({audio_of('anthem')}.currentTime - 9) < 0.1", timeout=15000)
    expect(wave).to_be_focused()


def test_starting_a_second_asset_pauses_the_first(page: Any) -> None:
    page.locator("#anthem .sg-player__play").click()
    wait_time_above(page, "anthem", 0.3)
    page.locator("#logo .sg-player__play").click()
    wait_time_above(page, "logo", 0.3)
    assert page.evaluate(f"{audio_of('anthem')}.paused") is True
    expect(page.locator("#anthem .sg-player__play")).to_have_attribute("aria-label", PLAY_ANTHEM)
    expect(page.locator("#logo .sg-player__play")).to_have_attribute("aria-label", "Pause Sonic logo")


def test_region_loop_button_loops_the_region(page: Any) -> None:
    page.evaluate(f"""() => {{
        const audio = {audio_of("anthem")};
        window.loopStarts = 0;
        window.maxTime = 0;
        audio.addEventListener('seeked', () => {{
            if (Math.abs(audio.currentTime - 2) < 0.05) window.loopStarts++;
        }});
        audio.addEventListener('timeupdate', () => {{
            window.maxTime = Math.max(window.maxTime, audio.currentTime);
        }});
    }}""")
    loop = page.get_by_role("button", name="Loop Generated bridge")
    loop.click()
    expect(loop).to_have_attribute("aria-pressed", "true")
    # The first seek to 2 s starts the loop; two more mean it came round twice.
    page.wait_for_function("window.loopStarts >= 3", timeout=20000)
    state = page.evaluate(f"[{audio_of('anthem')}.currentTime, {audio_of('anthem')}.paused, window.maxTime]")
    assert 2.0 <= state[0] <= 3.3
    assert state[1] is False
    assert state[2] < 3.3  # never played on past the region's end (timeupdate granularity ~0.25 s)
    loop.click()
    expect(loop).to_have_attribute("aria-pressed", "false")
    wait_time_above(page, "anthem", 3.5)


def test_marker_button_plays_from_the_marker(page: Any) -> None:
    page.get_by_role("button", name="Play from 0:01 (last note)").click()
    logo = audio_of("logo")
    page.wait_for_function(f"!{logo}.paused && {logo}.currentTime >= 1", timeout=15000)
    assert current_time(page, "logo") < 3.0


def compare_audio(index: int) -> str:
    return f"document.querySelectorAll('.sg-compare__items audio')[{index}]"


def test_comparison_matches_loudness_and_keeps_the_position(page: Any) -> None:
    first, second = compare_audio(0), compare_audio(1)
    louder_volume = 10 ** (-6 / 20)  # -14 LUFS against -20 LUFS
    volumes = page.evaluate(f"[{compare_audio(0)}.volume, {compare_audio(1)}.volume]")
    assert volumes == pytest.approx([louder_volume, 1.0], abs=1e-6)
    assert math.isclose(louder_volume, 0.501, abs_tol=0.001)
    gain = page.locator(".sg-compare__gain")
    expect(gain).to_contain_text("A \u22126.0 dB, B 0.0 dB")
    expect(page.locator(".sg-compare__note")).to_contain_text("UI chime")
    assert page.locator(".sg-compare__select[data-slot=a] option").count() == 2  # no LUFS, no option

    page.locator(".sg-compare__play").click()
    page.wait_for_function(f"{compare_audio(0)}.currentTime > 1.0", timeout=15000)
    page.get_by_role("button", name="B", exact=True).click()
    page.wait_for_function(f"!{compare_audio(1)}.paused && {compare_audio(1)}.currentTime > 0", timeout=15000)
    times = page.evaluate(f"[{first}.currentTime, {second}.currentTime, {first}.paused]")
    assert times[2] is True
    assert times[1] == pytest.approx(times[0], abs=0.35)
    expect(page.get_by_role("button", name="B", exact=True)).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="A", exact=True).click()
    page.wait_for_function(f"!{compare_audio(0)}.paused", timeout=15000)
    times = page.evaluate(f"[{first}.currentTime, {second}.currentTime, {second}.paused]")
    assert times[2] is True
    assert times[0] == pytest.approx(times[1], abs=0.35)

    # Choosing another B while A plays keeps A playing at its position.
    page.locator(".sg-compare__select[data-slot=b]").select_option("0")
    page.wait_for_function(f"!{first}.paused", timeout=15000)
    expect(gain).to_contain_text("A and B are the same asset.")
    assert page.evaluate(f"[{first}.volume, {second}.volume]") == [1.0, 1.0]

    # Swapping the pair swaps the gains: the louder asset is always the attenuated one.
    page.locator(".sg-compare__select[data-slot=a]").select_option("1")
    page.locator(".sg-compare__select[data-slot=b]").select_option("0")
    volumes = page.evaluate(f"[{compare_audio(0)}.volume, {compare_audio(1)}.volume]")
    assert volumes == pytest.approx([louder_volume, 1.0], abs=1e-6)
    expect(gain).to_contain_text("A 0.0 dB, B \u22126.0 dB")


def test_comparison_pauses_players_and_players_pause_it(page: Any) -> None:
    page.locator("#logo .sg-player__play").click()
    wait_time_above(page, "logo", 0.2)
    page.locator(".sg-compare__play").click()
    page.wait_for_function(f"{compare_audio(0)}.currentTime > 0.2", timeout=15000)
    assert page.evaluate(f"{audio_of('logo')}.paused") is True
    page.locator("#logo .sg-player__play").click()
    expect(page.locator(".sg-compare__play")).to_have_attribute("aria-label", "Play comparison")


def test_link_with_a_time_cues_the_asset(site: dict[str, Any], open_page: Any) -> None:
    page = open_page(site["base_url"] + "players.html?t=0:03#anthem")
    # The test browser allows autoplay; a real one may wait for the play button.
    anthem = audio_of("anthem")
    page.wait_for_function(f"!{anthem}.paused && {anthem}.currentTime >= 3", timeout=15000)
    assert current_time(page, "anthem") < 6
    assert page.evaluate(f"{audio_of('logo')}.paused") is True


BLOCK_PLAY_UNTIL_CLICK = """(() => {
    const play = HTMLMediaElement.prototype.play;
    let clicked = false;
    document.addEventListener("click", (e) => { if (e.isTrusted) clicked = true; }, true);
    HTMLMediaElement.prototype.play = function () {
        return clicked ? play.call(this) : Promise.reject(new DOMException("blocked", "NotAllowedError"));
    };
})()"""


def test_link_with_a_time_waits_for_a_gesture_when_autoplay_is_blocked(
    site: dict[str, Any], browser: Any, requests_seen: list[str]
) -> None:
    from .conftest import CHROMIUM, CHROMIUM_ARGS

    args = [a for a in CHROMIUM_ARGS if not a.startswith("--autoplay-policy")]
    strict = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*args, "--autoplay-policy=document-user-activation-required"]
    )
    try:
        page = strict.new_page()
        page.on("request", lambda request: requests_seen.append(request.url))
        # Chromium may count a navigation driven over CDP as a user activation, and then allows
        # a play() that waited for its seek: refuse play() as a blocking browser would, until
        # the first real click, so the test does not depend on when the seek lands.
        page.add_init_script(BLOCK_PLAY_UNTIL_CLICK)
        page.goto(site["base_url"] + "players.html?t=3#anthem")
        status = page.locator("#anthem .sg-player__status")
        expect(status).to_have_text("Press play to listen from 0:03.")
        page.wait_for_function(f"Math.abs({audio_of('anthem')}.currentTime - 3) < 0.01", timeout=15000)
        assert page.evaluate(f"{audio_of('anthem')}.paused") is True
        expect(page.locator("#anthem .sg-player__wave")).to_have_attribute("aria-valuetext", "0:03 of 0:12")
        page.locator("#anthem .sg-player__play").click()
        wait_time_above(page, "anthem", 3.2)
        expect(status).to_have_text("")
    finally:
        strict.close()
    assert all(url.startswith(site["base_url"]) for url in requests_seen), requests_seen


def test_same_page_time_link_cues_but_a_fragment_link_does_not(site: dict[str, Any], open_page: Any) -> None:
    page = open_page(site["base_url"] + "players.html?t=1#logo")
    logo, anthem = audio_of("logo"), audio_of("anthem")
    page.wait_for_function(f"!{logo}.paused && {logo}.currentTime >= 1", timeout=15000)
    page.evaluate(f"{logo}.pause()")
    # A table-of-contents link keeps ?t=1 but must not cue the anthem at 1 s.
    page.evaluate("location.hash = 'anthem'")
    page.wait_for_function("location.hash === '#anthem'")
    assert page.evaluate(f"[{anthem}.paused, {anthem}.currentTime]") == [True, 0]
    # Material's instant navigation to ?t=4#anthem on the same page: location$ emits.
    page.evaluate("""() => {
        history.pushState(null, '', '?t=4#anthem');
        window.location$.next(new URL(location.href));
    }""")
    page.wait_for_function(f"!{anthem}.paused && {anthem}.currentTime >= 4", timeout=15000)


def test_link_without_a_time_only_scrolls(site: dict[str, Any], open_page: Any) -> None:
    page = open_page(site["base_url"] + "players.html#logo")
    page.wait_for_selector(".sg-player--enhanced")
    # Scrolled to the section (Material's CSS keeps a scroll margin for its header).
    assert page.evaluate("window.scrollY") > 100
    assert 0 <= page.evaluate("document.querySelector('#logo').getBoundingClientRect().top") < 100
    assert page.evaluate("Array.from(document.querySelectorAll('audio')).every((a) => a.paused)") is True


def test_init_is_idempotent(page: Any) -> None:
    count = page.evaluate("window.sonicguidePlayer.players.length")
    assert count == 5  # four players and one comparison
    page.evaluate("window.document$.next(); window.document$.next(); window.sonicguidePlayer.init()")
    assert page.evaluate("window.sonicguidePlayer.players.length") == count
    # One click toggles once: a second set of listeners would pause it again at once.
    page.locator("#logo .sg-player__play").click()
    wait_time_above(page, "logo", 0.3)
    assert page.evaluate(f"{audio_of('logo')}.paused") is False


def test_players_work_after_an_instant_navigation(page: Any) -> None:
    page.locator("#anthem .sg-player__play").click()
    wait_time_above(page, "anthem", 0.2)
    page.evaluate("""() => {
        window.oldAudio = document.querySelector('#anthem audio');
        const next = document.querySelector('#next-page').content.cloneNode(true);
        document.querySelector('#page').replaceChildren(next);
        window.document$.next(document);
    }""")
    assert page.evaluate("window.oldAudio.paused") is True
    assert page.evaluate("window.sonicguidePlayer.players.length") == 1
    page.locator("#jingle .sg-player__play").click()
    wait_time_above(page, "jingle", 0.3)
    page.locator("#jingle .sg-player__wave").press("ArrowRight")
    page.wait_for_function(f"{audio_of('jingle')}.currentTime >= 5", timeout=15000)


def test_without_document_subject_it_starts_on_dom_ready(site: dict[str, Any], open_page: Any) -> None:
    page = open_page(site["base_url"] + "plain.html")
    page.wait_for_selector(".sg-player--enhanced")
    assert page.evaluate("typeof window.document$") == "undefined"
    page.locator("#logo .sg-player__play").click()
    wait_time_above(page, "logo", 0.3)


def test_enhanced_player_hides_native_controls_but_keeps_audio(page: Any) -> None:
    assert page.evaluate(f"{audio_of('anthem')}.hasAttribute('controls')") is False
    assert page.locator("audio").count() == 6  # four players, two in the comparison
    expect(page.locator("#anthem .sg-player__ui")).to_be_visible()
    expect(page.locator(".sg-compare__items")).to_be_hidden()
    expect(page.get_by_role("slider", name="Position in Brand anthem <full>")).to_be_visible()


def test_keyboard_focus_is_visible(page: Any) -> None:
    page.locator("h1").click()  # start from the top, as a keyboard user would
    for _ in range(3):
        page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return [el.className, style.outlineStyle, parseFloat(style.outlineWidth)];
    }""")
    # Play button, slider, first loop button (the audio element has no controls any more).
    assert focused[0] == "sg-player__loop"
    assert focused[1] == "solid"
    assert focused[2] >= 2


def test_works_from_disk(site: dict[str, Any], open_page: Any) -> None:
    page = open_page((site["dir"] / "players.html").as_uri() + "?t=2#logo")
    page.wait_for_function(f"{audio_of('logo')}.currentTime >= 2", timeout=15000)
    page.locator("#logo .sg-player__wave").press("Home")
    page.wait_for_function(f"{audio_of('logo')}.currentTime < 1", timeout=15000)


def test_without_javascript_native_controls_work(site: dict[str, Any], open_page: Any) -> None:
    page = open_page(site["base_url"] + "players.html", javascript=False)
    audio = page.locator("#anthem audio")
    expect(audio).to_be_visible()
    assert audio.get_attribute("controls") is not None
    assert audio.get_attribute("preload") == "none"
    assert audio.get_attribute("autoplay") is None
    expect(page.locator("#anthem .sg-player__ui")).to_be_hidden()
    expect(page.locator("#anthem .sg-player__loop").first).to_be_hidden()
    expect(page.locator("#anthem .sg-player__part").first).to_contain_text("Generated bridge")
    expect(page.locator(".sg-compare__items audio").first).to_be_visible()
    # Not downloadable: no download link and the native menu offers none.
    assert page.locator("#logo audio").get_attribute("controlslist") == "nodownload"
    assert page.locator("#logo a[download]").count() == 0
    assert page.locator("#anthem a[download]").count() == 1
    # Keyboard: Space on the focused native control plays. (wait_for_function needs page
    # scripts, so poll from Python.)
    audio.focus()
    page.keyboard.press("Space")
    poll(page, "document.querySelector('#anthem audio').currentTime > 0.3")
    page.keyboard.press("Space")
    poll(page, "document.querySelector('#anthem audio').paused")
    # Mouse: the native play button sits at the left end of the control bar.
    box = page.locator("#logo audio").bounding_box()
    page.mouse.click(box["x"] + box["height"] / 2, box["y"] + box["height"] / 2)
    poll(page, "document.querySelector('#logo audio').currentTime > 0.3")


def test_narrow_screen_has_no_horizontal_scroll(site: dict[str, Any], open_page: Any) -> None:
    page = open_page(site["base_url"] + "players.html", width=320, height=640)
    page.wait_for_selector(".sg-player--enhanced")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    canvas_width = page.evaluate("document.querySelector('#anthem canvas').getBoundingClientRect().width")
    assert canvas_width >= 150


FIRST_PAINTED_PIXEL = """() => {
    const c = document.querySelector('#anthem canvas');
    const ctx = c.getContext('2d');
    const y = Math.round(c.height * 0.45);
    for (let x = 4; x < c.width; x++) {
        const d = ctx.getImageData(x, y, 1, 1).data;
        if (d[3] > 0) return Array.from(d).join(',');
    }
    return '';
}"""


def test_waveform_is_redrawn_in_the_new_palette(page: Any) -> None:
    light = page.evaluate(FIRST_PAINTED_PIXEL)
    assert light != ""
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(f"({FIRST_PAINTED_PIXEL})() !== {light!r}", timeout=5000)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_wcag_violations(page: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    set_palette(page, scheme)
    # Reveal the transcript and show a pressed loop button so their styles are checked too.
    page.evaluate("document.querySelector('#anthem details').open = true")
    page.get_by_role("button", name="Loop Human outro & tag").click()
    page.locator("#anthem .sg-player__play").click()  # pause
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def test_axe_finds_no_wcag_violations_without_the_script_or_at_320px(site: dict[str, Any], open_page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    def without_player_script(page: Any) -> None:
        # axe needs page scripts, so "no JavaScript" here means: our script never runs.
        page.route("**/player.js", lambda route: route.abort())

    for setup, width in ((without_player_script, 1024), (None, 320)):
        page = open_page(site["base_url"] + "players.html", width=width, setup=setup)
        if setup is None:
            page.wait_for_selector(".sg-player--enhanced")
        else:
            expect(page.locator("#anthem audio")).to_have_attribute("controls", "")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()


def test_unloadable_audio_is_reported(page: Any) -> None:
    page.evaluate("""() => {
        const audio = document.querySelector('#logo audio');
        audio.querySelector('source').src = 'audio/missing.wav';
        audio.load();
    }""")
    page.locator("#logo .sg-player__play").click()
    expect(page.locator("#logo .sg-player__status")).to_have_text("This audio could not be loaded.")


def test_no_request_leaves_localhost(site: dict[str, Any], open_page: Any, requests_seen: list[str]) -> None:
    page = open_page(site["base_url"] + "players.html")
    page.wait_for_selector(".sg-player--enhanced")
    page.locator("#anthem .sg-player__play").click()
    wait_time_above(page, "anthem", 0.2)
    page.locator(".sg-compare__play").click()
    page.wait_for_function(f"{compare_audio(0)}.currentTime > 0.2", timeout=15000)
    assert any(url.endswith("audio/anthem.wav") for url in requests_seen)
    assert any(url.endswith("material/" + site["material_css"]) for url in requests_seen)
    assert all(url.startswith(site["base_url"]) for url in requests_seen), requests_seen


def test_a_sub_second_sound_reads_in_seconds_on_every_clock(page: Any) -> None:
    # The script's clock follows core/views/format.py: under a second, seconds with two decimals.
    root = "#click .sg-player"
    assert page.locator(f"{root} .sg-player__time").inner_text() == "0.00 s / 0.45 s"
    assert page.locator(f"{root} [role=slider]").get_attribute("aria-valuetext") == "0.00 s of 0.45 s"
    names = [" ".join(b.inner_text().split()) for b in page.locator(f"{root} .sg-player__jump").all()]
    assert names == ["Play from 0.10 s (attack)", "Play from 0.20 s (tail)"]
    slider = page.locator(f"{root} [role=slider]")
    slider.focus()
    slider.press("End")
    poll(page, "document.querySelector('#click .sg-player__elapsed').textContent !== '0.00 s'")
    elapsed = page.locator(f"{root} .sg-player__elapsed").inner_text()
    assert elapsed.endswith(" s") and 0.40 <= float(elapsed[:-2]) <= 0.46, elapsed
    assert "0:00" not in page.locator(f"{root} .sg-player__ui").inner_text()


@pytest.mark.parametrize("fragment", ["logo%", "%E0%A4", "%", "lo%zzgo", "%25logo%"])
def test_a_malformed_escape_in_the_fragment_is_no_error(site: dict[str, Any], open_page: Any, fragment: str) -> None:
    # decodeURIComponent throws on these; the player must carry on (the fixture fails on page errors).
    page = open_page(site["base_url"] + f"players.html?t=1#{fragment}")
    page.wait_for_selector(".sg-player--enhanced")
    assert page.evaluate(f"[{audio_of('logo')}.paused, {audio_of('anthem')}.paused]") == [True, True]
    # A good link still works on the same page afterwards (Material's instant navigation).
    page.evaluate("""() => {
        history.pushState(null, '', '?t=2#logo');
        window.location$.next(new URL(location.href));
    }""")
    page.wait_for_function(f"!{audio_of('logo')}.paused && {audio_of('logo')}.currentTime >= 2", timeout=15000)
