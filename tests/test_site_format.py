"""The example site reads the same everywhere: measured values carry a true minus sign, sub-second
sounds never show "0:00 / 0:00", no two markers of an asset read the same, and texts from YAML
joined with our punctuation never give "..", ".;" or "!.".

One strict build of the three example brands (copied into a temporary folder), parsed with an
HTML parser. Free text from the YAML is the author's and is not judged here; the checks look at
the elements the formatter fills (player facts, clocks and markers, conformance and fact tables,
the comparison table, approval lines, the brief's joined lines).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitehelpers import build_site

REPO = Path(__file__).resolve().parent.parent
SLUGS = ("calder-valley-railway", "glitchwave", "kestrel-health")
#: An ASCII hyphen-minus used as a sign: before a digit, not inside a word or a range (5-7).
HYPHEN_SIGN = re.compile(r"(?<![\w\-\u2013])-\d")
#: Punctuation that doubles or clashes ("..", ".;", "!.", "?.", ":.", ";."), ellipses excepted.
CLASH = re.compile(r"(?<!\.)(?:[.!?:;,]\s*[.;,])(?!\.)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    for name in ("docs", "theme"):
        shutil.copytree(REPO / name, root / name)
    for slug in SLUGS:
        shutil.copytree(REPO / "brands" / slug, root / "brands" / slug)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return build_site(root / "mkdocs.yml")


def page(site: Path, *parts: str) -> BeautifulSoup:
    return BeautifulSoup((site.joinpath(*parts) / "index.html").read_text(encoding="utf-8"), "html.parser")


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [" ".join(el.get_text(" ").split()) for el in soup.select(selector)]


@pytest.mark.parametrize("slug", SLUGS)
def test_measured_values_have_a_true_minus(site: Path, slug: str) -> None:
    soup = page(site, slug)
    measured = (texts(soup, ".sg-player__facts") + texts(soup, ".sg-compare__item-title")
                + texts(soup, ".sg-compare option") + texts(soup, ".sg-conformance td")
                + texts(soup, ".sg-facts-table td") + texts(soup, ".sg-spectrum td"))
    assert measured, "no measured value found: the selectors no longer match the page"
    bad = [text for text in measured if HYPHEN_SIGN.search(text)]
    assert bad == []
    assert any("\u2212" in text for text in measured)
    brief = page(site, slug, "brief")
    bad = [text for text in texts(brief, ".sg-brief-assets td") if HYPHEN_SIGN.search(text)]
    assert bad == []


def test_the_comparison_table_has_a_true_minus(site: Path) -> None:
    cells = texts(page(site, "compare"), "td")
    assert any("LUFS" in cell for cell in cells)
    assert [cell for cell in cells if "LUFS" in cell and HYPHEN_SIGN.search(cell)] == []


@pytest.mark.parametrize("slug", SLUGS)
def test_clocks_and_markers_read_precisely(site: Path, slug: str) -> None:
    soup = page(site, slug)
    assert "0:00 / 0:00" not in soup.get_text(" ")
    players = soup.select(".sg-player")
    assert players
    for player in players:
        total = float(player["data-duration-s"])
        clock = " ".join(player.select_one(".sg-player__time").get_text(" ").split())
        if total < 1.0:
            assert re.fullmatch(r"0\.00 s / 0\.\d\d s", clock), clock
        labels = [" ".join(b.get_text(" ").split()).split(" (")[0] for b in player.select(".sg-player__jump")]
        assert len(labels) == len(set(labels)), labels
        at = [b["data-at-s"] for b in player.select(".sg-player__jump")]
        assert len(set(at)) == len(set(labels))


def test_some_example_sounds_are_sub_second(site: Path) -> None:
    # Otherwise the test above proves nothing about short sounds.
    short = [p for slug in SLUGS for p in page(site, slug).select(".sg-player")
             if float(p["data-duration-s"]) < 1.0]
    assert short
    assert all(p.select_one(".sg-player__facts").get_text().startswith("0.") for p in short)


@pytest.mark.parametrize("slug", SLUGS)
def test_joined_texts_never_clash(site: Path, slug: str) -> None:
    guide, brief = page(site, slug), page(site, slug, "brief")
    joined = (texts(guide, ".sg-approval") + texts(guide, ".sg-ai-training")
              + texts(brief, ".sg-brief p") + texts(brief, ".sg-brief dd"))
    assert joined
    bad = [text for text in joined if CLASH.search(text)]
    assert bad == []
