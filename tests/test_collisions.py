"""No silent collisions (issue 15, item 7): slugs against site and docs pages, pack names, HTML ids."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from hardening_fixtures import MINIMAL_BRAND, make_brand
from sitehelpers import brand_yaml, build_site, make_project, sine, soup
from sonicguide.commands.validate import validate_paths
from sonicguide.core.collisions import SITE_PAGES, asset_html_ids, brand_html_ids, template_ids


def _problems(brands_dir: Path, docs: tuple[str, ...] = ()) -> list[str]:
    _, problems = validate_paths([brands_dir], docs_pages=docs)
    return [str(problem) for problem in problems]


@pytest.mark.parametrize("slug", sorted(SITE_PAGES))
def test_a_slug_equal_to_a_site_page_is_an_error(tmp_path: Path, slug: str) -> None:
    make_brand(tmp_path / "brands", slug)
    problems = _problems(tmp_path / "brands")
    assert len(problems) == 1, problems
    assert f"brands/{slug}/brand.yml" in problems[0] and f"{slug!r}" in problems[0]
    assert SITE_PAGES[slug] in problems[0] and "rename the brand folder" in problems[0]


@pytest.mark.parametrize("page", ["acme.md", "acme/index.md", "ACME.md", "Acme/README.md", "acme/brief.md",
                                  "acme/brief/index.md", "acme/brand.json", "acme/audio/logo.wav",
                                  "acme/packs/acme-all.zip", "acme/social-card.png"])
def test_a_docs_page_or_file_a_brand_would_replace_is_an_error(tmp_path: Path, page: str) -> None:
    make_brand(tmp_path / "brands", "acme")
    problems = _problems(tmp_path / "brands", ("index.md", "about.md", page))
    assert len(problems) == 1 and f"'{page}'" in problems[0] and "'acme'" in problems[0], problems


@pytest.mark.parametrize("page", ["compare.md", "compare/index.md", "methodology/index.md", "methodology.md",
                                  "schema/brand.schema.json", "search/search_index.json",
                                  "assets/sonicguide/js/player.js"])
def test_a_docs_page_where_the_site_puts_its_own_is_an_error(tmp_path: Path, page: str) -> None:
    make_brand(tmp_path / "brands", "acme")
    problems = _problems(tmp_path / "brands", (page,))
    assert len(problems) == 1 and problems[0].startswith(f"docs/{page}:"), problems


@pytest.mark.parametrize("page", ["acme/notes.md", "acme/images/x.png", "assets/images/logo.png",
                                  "assets/stylesheets/extra.css", "compare/notes.md", "acmeish.md",
                                  "schema/other.json", "index.md"])
def test_docs_files_beside_generated_ones_are_fine(tmp_path: Path, page: str) -> None:
    make_brand(tmp_path / "brands", "acme")
    assert _problems(tmp_path / "brands", (page,)) == []


def _with_touchpoints(ids: list[str]) -> str:
    block = "".join(f"  - id: {tp}\n    name: Touchpoint {tp}\n" for tp in ids)
    return MINIMAL_BRAND.replace("touchpoints:\n  - id: app\n    name: App\n", "touchpoints:\n" + block)


@pytest.mark.parametrize("ids, clash, other", [
    (["all", "touchpoint-all"], "touchpoint-all", "touchpoint 'all'"),
    (["touchpoint-all", "all"], "all", "touchpoint 'touchpoint-all'"),
    (["app", "radio", "all", "web", "touchpoint-all"], "touchpoint-all", "touchpoint 'all'"),
])
def test_touchpoints_whose_packs_share_a_name_are_an_error(tmp_path: Path, ids: list[str], clash: str,
                                                           other: str) -> None:
    make_brand(tmp_path / "brands", "acme", _with_touchpoints(ids))
    problems = _problems(tmp_path / "brands")
    assert len(problems) == 1, problems
    index = ids.index(clash)
    assert f"touchpoints[{index}].id" in problems[0] and other in problems[0] and "line " in problems[0]
    assert "acme/packs/acme-touchpoint-all.zip" in problems[0]
    # file:line:column of the second touchpoint's id
    line = 1 + _with_touchpoints(ids).splitlines().index(f"  - id: {clash}")
    assert problems[0].startswith(f"{tmp_path / 'brands/acme/brand.yml'}:{line}:9:") or \
        f"brand.yml:{line}:9:" in problems[0]


def _with_assets(ids: list[str], name: str = "Minimal") -> str:
    asset = MINIMAL_BRAND[MINIMAL_BRAND.index("  - id: logo\n"):]
    text = MINIMAL_BRAND[:MINIMAL_BRAND.index("  - id: logo\n")]
    text += "".join(asset.replace("id: logo", f"id: {aid}") for aid in ids)
    return text.replace("  name: Minimal\n", f"  name: {name}\n")


@pytest.mark.parametrize("ids, name, clash, owner", [
    (["sg-overview"], "Minimal", "sg-overview", "an element of the brand page"),
    (["sg-share"], "Minimal", "sg-share", "an element of the brand page"),
    (["minimal"], "Minimal", "minimal", "the page title's heading"),
    (["acme-sound"], "Acme Sound", "acme-sound", "the page title's heading"),
    (["logo", "logo-title"], "Minimal", "logo-title", "asset 'logo'"),
    (["x", "sg-x-desc"], "Minimal", "sg-x-desc", "asset 'x'"),
    (["share-a", "sg", "title", "logo-titles"], "Minimal", "", None),  # near misses
])
def test_asset_ids_that_duplicate_page_ids_are_an_error(tmp_path: Path, ids: list[str], name: str, clash: str,
                                                        owner: str | None) -> None:
    make_brand(tmp_path / "brands", "acme", _with_assets(ids, name))
    problems = _problems(tmp_path / "brands")
    if owner is None:
        assert problems == []  # near misses are fine
        return
    assert len(problems) == 1, problems
    assert f"'{clash}'" in problems[0] and owner in problems[0] and "acme/#" in problems[0]
    assert f"assets[{len(ids) - 1}].id" in problems[0]


def test_pattern_list_covers_every_id_a_real_page_derives_from_an_asset(tmp_path: Path) -> None:
    # Build a real page and check that its ids are exactly the predicted ones: nothing is duplicated
    # and no id outside the template ids, the asset patterns and Material's own (``__...``) appears.
    assets = [{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
              {"id": "theme-a", "file": "audio/theme.wav", "role": "theme"}]
    config = make_project(tmp_path, {"acme": brand_yaml("Acme", assets=assets)})
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=1.0, sr=16000)
    sine(tmp_path / "brands/acme/audio/theme.wav", seconds=1.0, sr=16000)
    site = build_site(config)
    ids = [tag["id"] for tag in soup(site / "acme" / "index.html").find_all(id=True)]
    duplicates = [name for name, count in Counter(ids).items() if count > 1]
    assert duplicates == []
    predicted = (set(template_ids()) | {"acme"} | {n for a in assets for n in asset_html_ids(a["id"])}
                 | set(brand_html_ids("acme", len(assets))))
    ours = {name for name in ids if not name.startswith("__")}  # Material's own ids start with "__"
    assert sorted(ours - predicted) == []


@pytest.mark.parametrize("slug", ["compare", "methodology"])
def test_the_build_stops_before_replacing_a_site_page(tmp_path: Path, slug: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path, {slug: brand_yaml("Clash")})
    sine(tmp_path / f"brands/{slug}/audio/logo.wav", seconds=1.0, sr=16000)
    with pytest.raises((PluginError, Abort)):
        build_site(config)
    assert f"brands/{slug}/brand.yml" in caplog.text and "rename the brand folder" in caplog.text


def test_the_build_stops_when_a_docs_page_would_be_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=1.0, sr=16000)
    (tmp_path / "docs" / "acme.md").write_text("# My own Acme page\n")
    with pytest.raises((PluginError, Abort)):
        build_site(config)
    assert "'acme.md'" in caplog.text and "brands/acme/brand.yml" in caplog.text


def test_a_docs_file_where_a_brand_publishes_its_logo_image_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL_BRAND.replace("  industry: Testing\n", "  industry: Testing\n  look:\n    logo: logo.svg\n")
    folder = make_brand(tmp_path / "brands", "acme", text)
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    problems = _problems(tmp_path / "brands", ("acme/brand-logo.svg",))
    assert len(problems) == 1 and "'acme/brand-logo.svg'" in problems[0], problems
    assert _problems(tmp_path / "brands", ("acme/brand-logo-dark.svg",)) == []  # no dark logo given
