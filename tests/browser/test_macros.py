"""The player macros' HTML, without a browser: what works with JavaScript off, escaping,
the download rules, the peaks encoding, and the comparison's exclusions."""

from __future__ import annotations

import json
from typing import Any

from bs4 import BeautifulSoup

from sonicguide.core.views import format as fmt

from .fixture_site import PACKAGE, environment


def asset(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "logo",
        "title": "Logo",
        "src": "../audio/logo.mp3",
        "mime": "audio/mpeg",
        "duration_s": 75.9,
        "integrated_lufs": -16.04,
        "peaks": [],
        "regions": [],
        "markers": [],
        "downloadable": True,
        "text_alternative": None,
        "transcript": None,
    }
    data.update(extra)
    return fmt.player_labels(data)


def render(call: str, **data: Any) -> BeautifulSoup:
    template = environment().from_string('{% from "player/macros.html" import player, comparison %}' + call)
    return BeautifulSoup(template.render(**data), "html.parser")


def test_native_audio_is_the_no_javascript_player() -> None:
    soup = render("{{ player(p) }}", p=asset())
    audio = soup.select_one(".sg-player audio")
    assert audio is not None
    assert audio.has_attr("controls")
    assert audio["preload"] == "none"
    assert not audio.has_attr("autoplay")
    assert not audio.has_attr("controlslist")
    source = audio.select_one("source")
    assert (source["src"], source["type"]) == ("../audio/logo.mp3", "audio/mpeg")
    assert soup.select_one(".sg-player__ui").has_attr("hidden")
    assert soup.select_one("a[download]")["href"] == "../audio/logo.mp3"
    # 75.9 s is shown as 1:15 (floored like the script), loudness with a real minus sign.
    assert soup.select_one(".sg-player__facts").get_text() == "1:15 · \u221216.0 LUFS"
    slider = soup.select_one("[role=slider]")
    assert slider["aria-valuetext"] == "0:00 of 1:15"
    assert not slider.has_attr("aria-describedby")


def test_not_downloadable_has_no_download_anywhere() -> None:
    soup = render("{{ player(p) }}", p=asset(downloadable=False))
    assert soup.select_one("audio")["controlslist"] == "nodownload"
    assert soup.select("a[download]") == []
    assert soup.select("a") == []


def test_author_text_is_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    soup = render(
        "{{ player(p) }}",
        p=asset(
            title=hostile,
            text_alternative=hostile,
            transcript=hostile,
            regions=[{"start_s": 1, "end_s": 2, "label": hostile, "kind": "human"}],
            markers=[{"at_s": 3, "label": hostile}],
        ),
    )
    assert soup.select("img") == []
    assert soup.select_one(".sg-player__title").get_text() == hostile
    assert soup.select_one(".sg-player__desc").get_text() == "Description: " + hostile
    assert soup.select_one(".sg-player__play")["aria-label"] == "Play " + hostile


def test_peaks_are_compact_integer_percent_pairs() -> None:
    soup = render("{{ player(p) }}", p=asset(peaks=[[-0.123, 0.996], [-1.0, 1.0], [-0.004, 0.0049]]))
    assert json.loads(soup.select_one(".sg-player")["data-peaks"]) == [-12, 100, -100, 100, 0, 0]
    assert json.loads(render("{{ player(p) }}", p=asset())(class_="sg-player")[0]["data-peaks"]) == []


def test_regions_and_markers_are_listed_as_text_with_hidden_buttons() -> None:
    soup = render(
        "{{ player(p) }}",
        p=asset(
            regions=[
                {"start_s": 2.5, "end_s": 9.0, "label": "Bridge", "kind": "ai-generated"},
                {"start_s": 10, "end_s": 12, "label": "Tag", "kind": "composite"},
            ],
            markers=[{"at_s": 27.2, "label": "sonic logo"}],
        ),
    )
    parts = [li.get_text(" ", strip=True) for li in soup.select(".sg-player__part")]
    assert parts[0] == "Loop Bridge 0:02–0:09 AI-generated Bridge"
    assert parts[1].endswith("composite Tag")  # unknown kinds are shown as written
    assert parts[2] == "Play from 0:27 (sonic logo) 0:27 Marker sonic logo"
    loops = soup.select(".sg-player__loop")
    assert [(b["data-start-s"], b["data-end-s"], b["data-kind"]) for b in loops] == [
        ("2.5", "9.0", "ai-generated"),
        ("10", "12", "composite"),
    ]
    assert all(b.has_attr("hidden") and b["aria-pressed"] == "false" for b in loops)
    assert soup.select_one(".sg-player__jump")["data-at-s"] == "27.2"


def test_uid_keeps_ids_unique_when_an_asset_appears_twice() -> None:
    soup = render("{{ player(p) }}{{ player(p, uid='again') }}", p=asset(text_alternative="Bright."))
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids)) == 4


def test_comparison_excludes_unmeasured_items() -> None:
    items = [
        {"id": "a", "title": "Master", "src": "a.wav", "mime": "audio/wav", "integrated_lufs": -14.0},
        {"id": "b", "title": "Draft", "src": "b.wav", "mime": "audio/wav", "integrated_lufs": None},
        {"id": "c", "title": "AI variant", "src": "c.wav", "mime": "audio/wav", "integrated_lufs": -20.25},
    ]
    soup = render("{{ comparison(c) }}", c=fmt.comparison_labels({"id": "x", "items": items}))
    audios = soup.select(".sg-compare__items audio")
    assert [a["data-integrated-lufs"] for a in audios] == ["-14.0", "-20.25"]
    assert [o.get_text() for o in soup.select("select[data-slot=b] option")] == [
        "Master (\u221214.0 LUFS)",
        "AI variant (\u221220.2 LUFS)",
    ]
    assert soup.select_one("select[data-slot=b] option[selected]")["value"] == "1"
    assert "Draft" in soup.select_one(".sg-compare__note").get_text()


def test_comparison_with_fewer_than_two_measured_items_has_no_switch() -> None:
    items = [{"id": "a", "title": "Master", "src": "a.wav", "mime": "audio/wav", "integrated_lufs": -14.0}]
    soup = render("{{ comparison(c) }}", c=fmt.comparison_labels({"id": "x", "items": items}))
    assert soup.select(".sg-compare__ui") == []
    assert "at least two" in soup.get_text()


def test_rendering_is_deterministic() -> None:
    p = asset(peaks=[[-0.5, 0.5]] * 600, markers=[{"at_s": 1, "label": "m"}])
    assert render("{{ player(p) }}", p=p).decode() == render("{{ player(p) }}", p=p).decode()


def test_player_script_and_style_stay_small() -> None:
    """Budget for what every page with a player loads (unminified, uncompressed).

    Raised from 28,000 to 32,000 bytes when the player learnt to seek before the first play on
    servers without HTTP Range, to open the collapsed sections a link targets, to survive malformed
    fragments and to keep its clock in the formatter's units (30,174 bytes then); raised to 38,000
    when it learnt "Hear it as on", the loudness-matched switch between playback-chain auditions
    that keeps the position (35,475 bytes then)."""
    sizes = {name: (PACKAGE / "assets" / name).stat().st_size for name in ("js/player.js", "css/player.css")}
    assert sum(sizes.values()) <= 38_000, sizes


def test_ready_made_peaks_render_like_the_pairs() -> None:
    pairs = [[-0.123, 0.996], [-1.0, 1.0], [-0.004, 0.0049], [-0.125, 0.135]]
    percent = [-12, 100, -100, 100, 0, 0, -12, 14]
    looped = render("{{ player(p) }}", p=asset(peaks=pairs)).select_one(".sg-player")["data-peaks"]
    ready = render("{{ player(p) }}", p=asset(peaks=pairs, peaks_percent=percent)).select_one(".sg-player")
    assert json.loads(ready["data-peaks"]) == json.loads(looped) == percent
