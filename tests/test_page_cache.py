"""The page cache (issue 16): our generated pages' Markdown conversions are reused when nothing they
depend on changed, and a site built from the cache is the same bytes (pages, search index) as one
built without it."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.structure.pages import Page

from sitehelpers import brand_yaml, build_site, make_project, sine, soup
from sonicguide.core import pagecache
from sonicguide.core.cache import Cache
from sonicguide.pageconversions import nav_titles
from sonicguide.plugin import SonicGuidePlugin

pytestmark = pytest.mark.sitebuild


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Source URIs of the pages MkDocs converts from Markdown (cached pages are not converted)."""
    calls: list[str] = []
    render = Page.render

    def counting(page: Page, config, files):  # type: ignore[no-untyped-def]
        calls.append(page.file.src_uri)
        render(page, config, files)

    monkeypatch.setattr(Page, "render", counting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return calls


def _project(root: Path, *, extra: dict[str, object] | None = None) -> Path:
    assets = [{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
              {"id": "theme", "file": "audio/theme.wav", "role": "theme"}]
    config = make_project(root, {"acme": brand_yaml("Acme", assets=assets),
                                 "zenith": brand_yaml("Zenith", assets=assets)})
    for slug, freq in (("acme", 440.0), ("zenith", 660.0)):
        sine(root / f"brands/{slug}/audio/logo.wav", seconds=1.0, freq=freq)
        sine(root / f"brands/{slug}/audio/theme.wav", seconds=1.5, freq=freq * 1.5)
    (root / "docs/about.md").write_text("# About\n\nSee [Acme](acme/index.md).\n\n## Contact\n", encoding="utf-8")
    if extra:
        data = json.loads(config.read_text(encoding="utf-8"))
        config.write_text(json.dumps({**data, **extra}), encoding="utf-8")
    return config


def _page_entries(root: Path) -> list[Path]:
    return sorted((root / ".cache/sonicguide" / pagecache.KIND).rglob("*.json"))


def test_pages_from_the_cache_are_the_same_bytes_as_converted_pages(tmp_path: Path, converted: list[str]) -> None:
    config = _project(tmp_path)
    cold = _tree(build_site(config))
    generated = sorted(uri for uri in converted if uri != "about.md")
    assert {"index.md", "acme/index.md", "zenith/index.md", "compare/index.md",
            "methodology/index.md"} <= set(generated)
    assert len(_page_entries(tmp_path)) == len(generated)
    converted.clear()
    warm = _tree(build_site(config))
    assert converted == ["about.md"]  # the user's own page is always converted; ours came from the cache
    assert warm == cold
    assert json.loads(warm["search/search_index.json"]) == json.loads(cold["search/search_index.json"])
    # The cached brand page still has its table of contents and the anchors it links to.
    page = soup(build_site(config) / "acme/index.html")
    toc = [a["href"] for a in page.select("nav.md-nav--secondary a.md-nav__link")]
    assert toc and all(page.find(id=href[1:]) is not None for href in toc)
    # Without the page cache (the rest of the cache kept): the same bytes again.
    shutil.rmtree(tmp_path / ".cache/sonicguide" / pagecache.KIND)
    converted.clear()
    assert _tree(build_site(config)) == cold
    assert sorted(uri for uri in converted if uri != "about.md") == generated


def test_one_brand_edited_converts_that_brand_and_the_pages_that_gather_brands(
        tmp_path: Path, converted: list[str]) -> None:
    config = _project(tmp_path)
    build_site(config)
    source = tmp_path / "brands/acme/brand.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("A test tagline", "Freshly edited tagline"),
                      encoding="utf-8")
    converted.clear()
    incremental = _tree(build_site(config))
    changed = sorted(uri for uri in converted if uri != "about.md")
    assert "acme/index.md" in changed and "index.md" in changed
    assert not [uri for uri in changed if uri.startswith("zenith/") or uri.startswith("methodology/")]
    assert "Freshly edited tagline" in incremental["acme/index.html"].decode()
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(config)) == incremental


def test_a_markdown_configuration_change_converts_every_page_again(tmp_path: Path, converted: list[str]) -> None:
    build_site(_project(tmp_path))
    converted.clear()
    config = _project(tmp_path, extra={"markdown_extensions": [{"toc": {"permalink": True}}]})
    site = build_site(config)
    assert {"acme/index.md", "zenith/index.md", "index.md", "methodology/index.md"} <= set(converted)
    assert soup(site / "acme/index.html").select("a.headerlink")  # the new configuration is in the page
    fresh = _tree(site)
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(config)) == fresh


def test_a_theme_template_change_reaches_cached_pages_and_compiled_templates(
        tmp_path: Path, converted: list[str]) -> None:
    custom = tmp_path / "overrides"
    (custom / "partials").mkdir(parents=True)
    footer = custom / "partials/copyright.html"
    footer.write_text("<p>first footer</p>\n", encoding="utf-8")
    config = _project(tmp_path)
    data = json.loads(config.read_text(encoding="utf-8"))
    data["theme"]["custom_dir"] = str(custom)
    config.write_text(json.dumps(data), encoding="utf-8")
    build_site(config)
    # The theme's templates were compiled once and kept (MkDocs compiles them on every build).
    assert list((tmp_path / ".cache/sonicguide/theme-templates").rglob("*.cache"))
    footer.write_text("<p>second footer</p>\n", encoding="utf-8")
    converted.clear()
    site = build_site(config)
    assert converted == ["about.md"]
    assert "second footer" in soup(site / "acme/index.html").get_text()


def test_a_damaged_page_entry_is_converted_again(tmp_path: Path, converted: list[str]) -> None:
    config = _project(tmp_path)
    cold = _tree(build_site(config))
    entry = _page_entries(tmp_path)[0]
    entry.write_text(entry.read_text(encoding="utf-8").replace("<", "&lt;", 1), encoding="utf-8")
    converted.clear()
    assert _tree(build_site(config, strict=False)) == cold  # the damage is a warning, like every cache entry
    assert len([uri for uri in converted if uri != "about.md"]) == 1


def test_the_key_context_is_stable_and_sees_extension_configuration() -> None:
    def slugify(case: str):  # type: ignore[no-untyped-def]
        def run(text: str, separator: str) -> str:
            return getattr(text, case)()
        return run

    def context(configs: dict[str, object]) -> str:
        return pagecache.conversion_context(extensions=["toc"], extension_configs=configs, validation={},
                                            files=[("index.md", "./")], use_directory_urls=True)

    lower = context({"toc": {"slugify": slugify("lower")}})
    assert lower == context({"toc": {"slugify": slugify("lower")}})  # a new closure, the same key
    assert lower != context({"toc": {"slugify": slugify("upper")}})
    assert lower != context({"toc": {"slugify": functools.partial(slugify, "lower")}})
    assert "0x" not in json.dumps(pagecache.stable({"f": slugify("lower"), "o": object()}))


def test_a_wrong_shaped_entry_is_a_miss(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    store.put_json(pagecache.KIND, "k" * 64, {"content": 1})
    assert pagecache.load(store, "k" * 64) is None
    assert store.warnings
    page = pagecache.ConvertedPage(content="<h2 id=\"a\">A</h2>", toc_tokens=[{"level": 2, "id": "a", "name": "A",
                                                                               "children": []}],
                                   anchor_ids=["a"], links_to_anchors={"x.md": {"b": "x.md#b"}})
    pagecache.store_entry(store, "j" * 64, page)
    assert pagecache.load(store, "j" * 64) == page


def test_nav_titles_are_read_as_mkdocs_reads_them() -> None:
    nav = ["index.md", {"Acme sound": "acme/index.md"}, {"Brands": ["zenith/index.md", {"Z": "z.md"}]},
           {"Again": "acme/index.md"}]
    assert nav_titles(nav) == {"index.md": None, "acme/index.md": "Acme sound", "zenith/index.md": None,
                               "z.md": "Z"}


def test_outputs_of_the_code_alone_are_made_once_per_code_version(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from sonicguide.core import codeoutputs

    made: list[str] = []

    def make() -> str:
        made.append("made")
        return "{\"schema\": true}\n"

    store = Cache(tmp_path)
    assert codeoutputs.made_once(store, "schema", make) == codeoutputs.made_once(store, "schema", make)
    assert made == ["made"]
    monkeypatch.setattr(codeoutputs, "code_fingerprint", lambda: "an edited model")
    assert codeoutputs.made_once(store, "schema", make) == "{\"schema\": true}\n"
    assert made == ["made", "made"]


def _serve_session(config_file: Path, site: Path) -> Callable[[], SonicGuidePlugin]:
    """Builds as ``mkdocs serve`` does: one start-up, then a fresh configuration per build with the
    same plugin objects; returns the function that builds once more."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started: list[bool] = []

    def rebuild() -> SonicGuidePlugin:
        config = load_config(str(config_file), site_dir=str(site))
        config.site_url = "http://127.0.0.1:8000/"
        if not started:
            config.plugins.on_startup(command="serve", dirty=False)
            started.append(True)
        build(config, serve_url="http://127.0.0.1:8000/")
        plugin = config.plugins["sonicguide"]
        assert isinstance(plugin, SonicGuidePlugin)
        return plugin

    return rebuild


def test_under_serve_unchanged_pages_are_written_from_the_previous_build(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # As under a real serve: the build date is the newest input's, so it changes with every save.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = _project(tmp_path / "project")
    fresh_site, site = tmp_path / "fresh", tmp_path / "served"
    rebuild = _serve_session(config, site)
    first = rebuild()
    ours = sorted(first._reuse.rendered) if first._reuse else []
    assert {"acme/index.md", "zenith/index.md", "index.md", "compare/index.md"} <= set(ours)
    built = _tree(site)
    plugin = rebuild()
    assert plugin._reuse is not None and sorted(plugin._reuse.reused) == ours and plugin._reuse.rendered == []
    assert _tree(site) == built  # pages and search index as rendered

    source = tmp_path / "project/brands/acme/brand.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("A test tagline", "Freshly edited tagline"),
                      encoding="utf-8")
    plugin = rebuild()
    assert plugin._reuse is not None
    assert "acme/index.md" in plugin._reuse.rendered and "index.md" in plugin._reuse.rendered
    assert "zenith/index.md" in plugin._reuse.reused and "methodology/index.md" in plugin._reuse.reused
    edited = _tree(site)
    assert "Freshly edited tagline" in edited["acme/index.html"].decode()
    assert edited == _tree_of_new_session(config, fresh_site)

    # A renamed brand changes the navigation of every page: nothing is kept.
    source = tmp_path / "project/brands/zenith/brand.yml"
    source.write_text(source.read_text(encoding="utf-8").replace('name: "Zenith"', 'name: "Apex Zenith"'),
                      encoding="utf-8")
    plugin = rebuild()
    assert plugin._reuse is not None and plugin._reuse.reused == []
    renamed = _tree(site)
    assert "Apex Zenith" in renamed["acme/index.html"].decode()  # in the navigation of another brand's page
    assert renamed == _tree_of_new_session(config, fresh_site)


def _tree_of_new_session(config: Path, site: Path) -> dict[str, bytes]:
    shutil.rmtree(site, ignore_errors=True)
    plugin = _serve_session(config, site)()
    assert plugin._reuse is not None and plugin._reuse.reused == []
    return _tree(site)


def test_search_entries_of_unchanged_pages_come_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from material.plugins.search.plugin import SearchIndex

    indexed: list[str] = []
    add = SearchIndex.add_entry_from_context

    def counting(self: SearchIndex, page: Page) -> None:
        if not (page.meta.get("search") or {}).get("exclude"):
            indexed.append(page.file.src_uri)
        add(self, page)

    monkeypatch.setattr(SearchIndex, "add_entry_from_context", counting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    config = _project(tmp_path)
    cold = _tree(build_site(config))
    assert {"acme/index.md", "zenith/index.md", "about.md"} <= set(indexed)
    indexed.clear()
    warm = _tree(build_site(config))
    assert indexed == ["about.md"]  # ours from the cache; the user's page indexed as always
    assert warm["search/search_index.json"] == cold["search/search_index.json"]
    source = tmp_path / "brands/acme/brand.yml"
    source.write_text(source.read_text(encoding="utf-8").replace("A test tagline", "Searchable new tagline"),
                      encoding="utf-8")
    indexed.clear()
    edited = _tree(build_site(config))
    assert "acme/index.md" in indexed and "zenith/index.md" not in indexed
    assert "Searchable new tagline" in edited["search/search_index.json"].decode()
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(config)) == edited
