"""Real site builds in temporary folders, checked through the parsed HTML and brand.json."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine, soup


def _resolve(page: Path, site: Path, url: str) -> Path:
    """The file a relative URL on ``page`` points at."""
    base = "file://" + str(page)
    target = unquote(urljoin(base, url.split("#")[0]).removeprefix("file://"))
    path = Path(target)
    return path / "index.html" if path.is_dir() else path


@pytest.fixture(params=[True, False], ids=["directory-urls", "plain-urls"])
def built(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, bool]:
    assets = [
        {"id": "logo", "file": "audio/logo.wav", "role": "logo", "title": "Logo"},
        {"id": "theme", "file": "audio/theme.flac", "role": "theme", "title": "Theme", "mode": "ai-generated"},
    ]
    config = make_project(tmp_path, {"acme": brand_yaml("Acme Sound", assets=assets)},
                          use_directory_urls=request.param)
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=4.0, dbfs=-23.0, subtype="PCM_24")
    sine(tmp_path / "brands/acme/audio/theme.flac", seconds=5.0, dbfs=-33.0, sr=44100)
    return build_site(config), request.param


def test_brand_page_has_players_with_working_relative_urls(built: tuple[Path, bool]) -> None:
    site, _ = built
    page = site / "acme" / "index.html"
    html = soup(page)
    audios = html.select("audio")
    assert len(audios) >= 2
    for audio in audios:
        assert audio.get("preload") == "none"
        assert not audio.has_attr("autoplay")
        sources = [audio["src"]] if audio.has_attr("src") else [s["src"] for s in audio.find_all("source")]
        assert sources
        for src in sources:
            target = _resolve(page, site, src)
            assert target.is_file() and target.stat().st_size > 1000, src


def test_charts_exist_and_are_svg(built: tuple[Path, bool]) -> None:
    site, _ = built
    page = site / "acme" / "index.html"
    images = soup(page).select(".sg-asset img.sg-chart-light")
    kinds = {img.find_parent("figure")["class"][-1] for img in images}
    assert "sg-chart--spectrum" in kinds
    for img in images:
        target = _resolve(page, site, img["src"])
        assert target.is_file() and target.read_bytes().lstrip().startswith((b"<?xml", b"<svg")), img["src"]
        assert img["alt"].strip()


def test_brand_json_carries_measurements_of_known_loudness(built: tuple[Path, bool]) -> None:
    site, _ = built
    data = json.loads((site / "acme" / "brand.json").read_text(encoding="utf-8"))
    assert data["brand"]["identity"]["name"] == "Acme Sound"
    # A 1 kHz sine at -23 dBFS on both channels measures -23 LUFS (EBU Tech 3341 case 1);
    # at -33 dBFS, -33 LUFS.
    logo = data["measurements"]["logo"]
    assert logo["loudness"]["integrated_lufs"] == pytest.approx(-23.0, abs=0.1)
    assert logo["loudness"]["sample_peak_dbfs"] == pytest.approx(-23.0, abs=0.05)
    assert logo["format"]["sample_rate_hz"] == 48000
    theme = data["measurements"]["theme"]
    assert theme["loudness"]["integrated_lufs"] == pytest.approx(-33.0, abs=0.1)
    assert theme["format"]["sample_rate_hz"] == 44100
    assert data["disclosure"]["assets"]["theme"]


def test_facts_and_disclosure_are_on_the_page(built: tuple[Path, bool]) -> None:
    site, _ = built
    html = soup(site / "acme" / "index.html")
    logo = html.select_one("section#logo")
    assert logo is not None
    text = logo.get_text(" ", strip=True)
    assert "LUFS" in text and "48 kHz" in text
    assert "\u221223.0 LUFS" in text
    assert "omposition" in text  # the stage table names the composition stage
    home = soup(site / "index.html")
    links = [a.get_text(strip=True) for a in home.select(".sg-card-title a")]
    assert links == ["Acme Sound"]
    # How human-made each brand is: the tier and the declared estimate (logo human, theme AI: 50 %).
    meta = home.select_one(".sg-card-meta")
    assert meta is not None and "human share ≈ 50 % (our estimate)" in meta.get_text(" ", strip=True)


def test_no_page_loads_an_external_url(built: tuple[Path, bool]) -> None:
    site, _ = built
    for page in site.rglob("*.html"):
        html = soup(page)
        for tag, attr in (("script", "src"), ("img", "src"), ("link", "href"), ("audio", "src"),
                          ("source", "src"), ("iframe", "src")):
            for element in html.find_all(tag):
                url = element.get(attr)
                if not url or (tag == "link" and "stylesheet" not in (element.get("rel") or [])
                               and "preload" not in (element.get("rel") or [])):
                    continue
                assert not url.startswith(("http:", "https:", "//")), f"{page}: {tag} {url}"


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    text = brand_yaml(hostile).replace(
        "  summary: A **short** summary.",
        "  summary: \"[click](javascript:alert(3)) <script>alert(4)</script> <b onclick='alert(5)'>bold</b>\"")
    config = make_project(tmp_path, {"evil": text})
    sine(tmp_path / "brands/evil/audio/logo.wav")
    site = build_site(config)
    raw = (site / "evil" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    assert "<script>alert" not in (site / "index.html").read_text(encoding="utf-8")
    html = soup(site / "evil" / "index.html")
    assert html.title is not None and html.title.get_text().startswith(hostile)
    ld = html.head.find_all("script", type="application/ld+json")
    assert len(ld) == 1 and "<" not in (ld[0].string or "")  # data only; it cannot close its element
    assert json.loads(ld[0].string)["name"] == hostile
    for script in html.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue
        else:
            assert "alert" not in (script.string or ""), script
    assert not html.select("[onerror], [onclick]")
    assert not [a for a in html.find_all("a") if (a.get("href") or "").lower().startswith("javascript:")]
    assert hostile in html.get_text()  # shown as text, not run


def test_bad_brands_fail_with_every_problem_and_keep_the_last_site(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path, {"good": brand_yaml("Good")})
    sine(tmp_path / "brands/good/audio/logo.wav")
    site = build_site(config)
    before = (site / "good" / "index.html").read_bytes()
    (tmp_path / "brands/good/brand.yml").write_text(
        brand_yaml("Good").replace("industry: Testing", "industri: Testing"), encoding="utf-8")
    (tmp_path / "brands/bad").mkdir()
    (tmp_path / "brands/bad/brand.yml").write_text(brand_yaml("Bad").replace("role: logo", "role: jingle"),
                                                   encoding="utf-8")
    with pytest.raises((PluginError, Abort)) as caught:
        build_site(config)
    message = str(caught.value) + "\n" + caplog.text
    assert "Traceback" not in message
    assert "brands/good/brand.yml:1:1: identity.industry: required field 'industry' is missing" in message
    assert "brands/good/brand.yml:4:3: identity.industri: unknown key 'industri'. Did you mean 'industry'?" in message
    assert "brands/bad/brand.yml:21:11: assets[0].role: expected 'logo', 'theme'" in message
    assert "brands/bad/brand.yml:20:11: assets[0].file: 'audio/logo.wav' does not exist" in message
    assert "brands/good/brand.yml:" in message and "industri" in message
    assert "brands/bad/brand.yml:" in message and "role" in message
    assert (site / "good" / "index.html").read_bytes() == before


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    trees = []
    for name in ("one", "two"):
        root = tmp_path / name
        config = make_project(root, {"acme": brand_yaml("Acme")})
        sine(root / "brands/acme/audio/logo.wav", seconds=2.0)
        site = build_site(config)
        trees.append({p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()})
    assert trees[0].keys() == trees[1].keys()
    different = [name for name in trees[0] if trees[0][name] != trees[1][name]]
    assert different == []


def test_a_failure_late_in_the_build_keeps_the_last_site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Corrupt audio is found by the analysis, after MkDocs would have cleaned site_dir.
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    sine(tmp_path / "brands/acme/audio/logo.wav")
    site = build_site(config)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (tmp_path / "brands/acme/audio/logo.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk")
    with pytest.raises((PluginError, Abort)):
        build_site(config)
    assert "brands/acme/brand.yml:" in caplog.text and "assets[0].file" in caplog.text
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob("site.sonicguide-*"))


def test_serve_watches_the_brands_folder(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    config_file = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    config = load_config(str(config_file))
    watched: list[str] = []

    class Server:
        def watch(self, path: str, func: object = None, *, recursive: bool = True) -> None:
            watched.append(path)

    config.plugins["sonicguide"].on_serve(Server(), config=config, builder=None)  # type: ignore[arg-type]
    assert str((tmp_path / "brands").resolve()) in watched


def test_duration_limit_is_a_plugin_option_with_a_clear_message(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")}, plugin_options={"max_duration_s": 2})
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=3.0)
    with pytest.raises((PluginError, Abort)):
        build_site(config)
    assert "assets[0].file: 'audio/logo.wav' cannot be used: longer than the limit" in caplog.text
    assert "raise the plugin option max_duration_s" in caplog.text


def test_touchpoint_table_lists_assets_named_from_either_side(tmp_path: Path) -> None:
    text = brand_yaml("Acme").replace("    role: logo\n", "    role: logo\n    touchpoints: [web]\n")
    text += "touchpoints:\n  - id: web\n    name: Website\n"
    config = make_project(tmp_path, {"acme": text})
    sine(tmp_path / "brands/acme/audio/logo.wav")
    html = soup(build_site(config) / "acme" / "index.html")
    row = html.select_one("tr#tp-web")
    assert row is not None and [a["href"] for a in row.select("a")] == ["#logo"]
    used_at = html.select_one("section#logo .sg-asset-meta")
    assert used_at is not None and "Website" in used_at.get_text()
