"""Seeking before the first play, under every kind of server a user meets: a static host that
answers HTTP Range, ``python -m http.server`` (no Range) and the ``mkdocs serve`` livereload
server (a WSGI server that ignores Range, where Chromium cannot seek a ``preload="none"``
stream). A click on the waveform and the arrow keys must move the position, and playback must
then start there, not from 0."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf

from sonicguide.core.views.format import player_labels

from .fixture_site import SAMPLE_RATE_HZ, environment, peaks, synthesise
from .server import serving

pytestmark = pytest.mark.browser

DURATION_S = 30.0
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Seek</title>
<link rel="stylesheet" href="player.css"></head><body><main>
<section id="long">{player}</section>
</main><script src="player.js"></script></body></html>
"""


class _PlainHandler(SimpleHTTPRequestHandler):
    """``python -m http.server``: no Range support."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _plain_server(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PlainHandler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def _livereload_server(directory: Path) -> Iterator[str]:
    """The server ``mkdocs serve`` runs, serving an already built folder (no builds, no watching)."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(directory))
    server.server_bind()
    server.server_activate()
    # Its own serving thread: LiveReloadServer.shutdown() only stops the loop of that thread.
    server.serve_thread.daemon = True
    server.serve_thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.serve_thread.join()


SERVERS: dict[str, Callable[[Path], contextlib.AbstractContextManager[str]]] = {
    "range": serving,
    "http.server": _plain_server,
    "mkdocs-serve": _livereload_server,
}


@pytest.fixture(scope="module")
def seek_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seek-site")
    package = Path(__file__).resolve().parents[2] / "plugins" / "sonicguide" / "assets"
    (out / "player.js").write_bytes((package / "js" / "player.js").read_bytes())
    (out / "player.css").write_bytes((package / "css" / "player.css").read_bytes())
    samples = synthesise(DURATION_S, 330.0, 0.4)
    sf.write(out / "long.wav", samples, SAMPLE_RATE_HZ, subtype="PCM_16")
    macro = environment().from_string('{% from "player/macros.html" import player %}{{ player(p) }}')
    player = macro.render(p=player_labels({
        "id": "long", "title": "Thirty seconds", "src": "long.wav", "mime": "audio/wav", "duration_s": DURATION_S,
        "integrated_lufs": None, "peaks": peaks(samples), "regions": [], "markers": [], "downloadable": False,
        "text_alternative": "A steady tone.", "transcript": None,
    }))
    (out / "index.html").write_text(PAGE.format(player=player), encoding="utf-8")
    return out


AUDIO = "document.querySelector('#long audio')"


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_click_before_play_seeks_and_playback_starts_there(server: str, seek_site: Path, open_page: Any) -> None:
    with SERVERS[server](seek_site) as base:
        page = open_page(base + "index.html")
        page.wait_for_selector(".sg-player--enhanced")
        wave = page.locator("#long .sg-player__wave")
        box = wave.bounding_box()
        wave.click(position={"x": box["width"] * 0.5, "y": box["height"] / 2})
        page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 15) < 0.5", timeout=20000)
        page.locator("#long .sg-player__play").click()
        page.wait_for_function(f"!{AUDIO}.paused && {AUDIO}.currentTime > 15.2", timeout=20000)
        assert page.evaluate(f"{AUDIO}.currentTime") < 25


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_arrow_keys_before_play_seek(server: str, seek_site: Path, open_page: Any) -> None:
    with SERVERS[server](seek_site) as base:
        page = open_page(base + "index.html")
        page.wait_for_selector(".sg-player--enhanced")
        wave = page.locator("#long .sg-player__wave")
        wave.focus()
        for _ in range(4):
            wave.press("ArrowRight")
        page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 20) < 0.01", timeout=20000)
        assert wave.get_attribute("aria-valuetext") == "0:20 of 0:30"
        wave.press("ArrowLeft")
        page.wait_for_function(f"Math.abs({AUDIO}.currentTime - 15) < 0.01", timeout=20000)
        wave.press("Space")
        page.wait_for_function(f"!{AUDIO}.paused && {AUDIO}.currentTime > 15.2", timeout=20000)
