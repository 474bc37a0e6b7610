"""The player inside a real Material for MkDocs site with instant navigation: Material's own
``document$`` starts it, a page change through instant navigation cleans up and enhances the
next page's players, and axe-core finds no violations in the content in either palette.

The site is a plain MkDocs + Material build (no sonicguide plugin): pages hold the HTML from
our macros, and the player's JS and CSS come in through ``extra_javascript``/``extra_css``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Any

import pytest
from playwright.sync_api import expect

from sonicguide.core.views import format as fmt

from .fixture_site import PACKAGE, SAMPLE_RATE_HZ, environment, peaks, synthesise
from .pagehelpers import set_palette

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

MKDOCS_YML = """\
site_name: Player in Material
site_url: {site_url}
theme:
  name: material
  font: false
  features: [navigation.instant]
  palette:
    - scheme: default
      primary: indigo
      accent: indigo
      toggle: {{icon: material/brightness-7, name: Dark}}
    - scheme: slate
      primary: indigo
      accent: indigo
      toggle: {{icon: material/brightness-4, name: Light}}
extra_css: [assets/css/player.css]
extra_javascript: [assets/js/player.js]
nav: [index.md, second.md]
"""


def _player_html(asset_id: str, title: str, duration_s: float, samples: Any) -> str:
    template = environment().from_string('{% from "player/macros.html" import player %}{{ player(p) }}')
    return template.render(
        p=fmt.player_labels({
            "id": asset_id,
            "title": title,
            "src": f"../audio/{asset_id}.wav",
            "mime": "audio/wav",
            "duration_s": duration_s,
            "integrated_lufs": -16.0,
            "peaks": peaks(samples),
            "markers": [],
            "regions": [{"start_s": 1.0, "end_s": 2.0, "label": "Hook", "kind": "ai-assisted"}],
            "downloadable": False,
            "text_alternative": f"{title}: a test tone.",
            "transcript": None,
        })
    )


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory, serve_directory: Any) -> str:
    import soundfile as sf

    root = tmp_path_factory.mktemp("material-site")
    site_dir = root / "site"
    site_dir.mkdir()
    base_url = serve_directory(site_dir)
    docs = root / "docs"
    (docs / "audio").mkdir(parents=True)
    shutil.copytree(PACKAGE / "assets", docs / "assets")
    pages = {"index.md": ("first", "First tone", 220.0), "second.md": ("second", "Second tone", 330.0)}
    for page_name, (asset_id, title, frequency_hz) in pages.items():
        samples = synthesise(8.0, frequency_hz, 0.4)
        sf.write(docs / "audio" / f"{asset_id}.wav", samples, SAMPLE_RATE_HZ, subtype="PCM_16")
        # use_directory_urls: index.md is served at /, second.md at /second/; the audio URL is
        # relative to the page, so the first page needs no "../".
        html = _player_html(asset_id, title, 8.0, samples)
        if page_name == "index.md":
            html = html.replace('"../audio/', '"audio/')
        (docs / page_name).write_text(
            f'# {title}\n\n<section id="{asset_id}" markdown>\n\n## {title}\n\n{html}\n\n</section>\n',
            encoding="utf-8",
        )
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(site_url=base_url), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site_dir)],
        check=True,
        capture_output=True,
    )
    assert (site_dir / "second" / "index.html").is_file()
    return base_url


def audio_of(asset_id: str) -> str:
    return f"document.querySelector('.sg-player[data-asset-id=\"{asset_id}\"] audio')"


def test_material_document_subject_starts_the_player(material_site: str, open_page: Any) -> None:
    page = open_page(material_site)
    page.wait_for_selector(".sg-player--enhanced")
    assert page.evaluate("typeof window.document$.subscribe") == "function"
    page.get_by_role("button", name="Play First tone").click()
    page.wait_for_function(f"{audio_of('first')}.currentTime > 0.3", timeout=15000)


def test_instant_navigation_cleans_up_and_enhances_the_next_page(material_site: str, open_page: Any) -> None:
    page = open_page(material_site, width=1300)  # wide enough for Material's sidebar navigation
    page.wait_for_selector(".sg-player--enhanced")
    page.evaluate("window.navigationMarker = 'still the same document'")
    page.get_by_role("button", name="Play First tone").click()
    page.wait_for_function(f"{audio_of('first')}.currentTime > 0.2", timeout=15000)
    page.evaluate(f"window.firstAudio = {audio_of('first')}")
    page.locator(".md-nav--primary a[href$='second/']").first.click()
    page.wait_for_selector('.sg-player--enhanced[data-asset-id="second"]')
    # Instant navigation: the document (and our window state) survived; the old audio stopped.
    assert page.evaluate("window.navigationMarker") == "still the same document"
    assert page.evaluate("window.firstAudio.isConnected") is False
    assert page.evaluate("window.firstAudio.paused") is True
    assert page.evaluate("window.sonicguidePlayer.players.length") == 1
    wave = page.get_by_role("slider", name="Position in Second tone")
    wave.focus()
    wave.press("ArrowRight")
    page.wait_for_function(f"Math.abs({audio_of('second')}.currentTime - 5) < 0.01", timeout=15000)
    page.get_by_role("button", name="Play Second tone").click()
    page.wait_for_function(f"{audio_of('second')}.currentTime > 5.2", timeout=15000)
    # And back again: the first page's player is a fresh one that works.
    page.go_back()
    page.wait_for_selector('.sg-player--enhanced[data-asset-id="first"]')
    assert page.evaluate("window.navigationMarker") == "still the same document"
    assert page.evaluate(f"{audio_of('second')} === null")
    page.get_by_role("button", name="Play First tone").click()
    page.wait_for_function(f"{audio_of('first')}.currentTime > 0.2", timeout=15000)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_in_material_content(material_site: str, open_page: Any, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(material_site + "second/")
    page.wait_for_selector(".sg-player--enhanced")
    set_palette(page, scheme)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    # Material's own footer fails colour-contrast by a hair (4.47:1): check the content.
    results = Axe().run(page, context=".md-content", options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, results.generate_report()
