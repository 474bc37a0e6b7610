"""A brand's logo image in a real build (issue 12 item 2): published sanitised beside the brand
page, shown in the hero, on the gallery card and in the comparison, with the dark version or a
light plate for the dark palette."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from sharingsite import make_sharing_project
from sitehelpers import build_site, soup

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'viewBox="0 0 20 10" width="80" height="40"><metadata>made in an editor</metadata>'
        '<rect width="20" height="10" fill="#123456" inkscape:label="plate"/></svg>')
CLEAN = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="80" height="40">'
         '<rect width="20" height="10" fill="#123456" /></svg>\n')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("logo-site")
    config = make_sharing_project(root)
    brand_yml = root / "brands" / "acme" / "brand.yml"
    text = brand_yml.read_text(encoding="utf-8")
    brand_yml.write_text(text.replace("  industry: Retail banking\n",
                                      "  industry: Retail banking\n  look:\n    logo: art/logo.svg\n", 1),
                         encoding="utf-8")
    (root / "brands" / "acme" / "art").mkdir()
    (root / "brands" / "acme" / "art" / "logo.svg").write_text(LOGO, encoding="utf-8")
    return build_site(config)


def _target(page: Path, url: str) -> Path:
    return Path(unquote(urljoin("file://" + str(page), url).removeprefix("file://")))


@pytest.mark.parametrize(("page", "where"), [
    ("acme/index.html", ".sg-hero .sg-logo-image--hero"),
    ("index.html", "[data-sg-card] .sg-logo-image--card"),
    ("compare/index.html", "tr#cmp-acme .sg-logo-image--compare"),
])
def test_logo_is_shown_sanitised_wherever_the_brand_is(site: Path, page: str, where: str) -> None:
    html = soup(site / page)
    (wrapper,) = html.select(where)
    img = wrapper.select_one("img.sg-logo-image__light")
    assert img["alt"] == ""  # the brand's name stands beside it
    assert (img["width"], img["height"]) == ("80", "40")
    assert _target(site / page, img["src"]).read_text(encoding="utf-8") == CLEAN
    # No dark version: the dark palette shows this one on a light plate.
    assert "sg-logo-image--plate" in wrapper["class"] and wrapper.select("img.sg-logo-image__dark") == []


def test_only_the_brand_that_gives_a_logo_shows_one(site: Path) -> None:
    assert soup(site / "zeta" / "index.html").select(".sg-logo-image") == []
    assert (site / "acme" / "brand-logo.svg").is_file()
    assert not list((site / "zeta").glob("brand-logo*"))
