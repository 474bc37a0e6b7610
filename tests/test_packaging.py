"""The installed package carries everything a site needs, and a site's own theme can override it.

``test_wheel_builds_a_complete_site_in_an_empty_folder`` builds a wheel from this source tree,
installs it in a fresh virtual environment and builds a site as a new user would: an empty folder,
a three-line ``mkdocs.yml``, ``sonicguide new acme``, ``mkdocs build --strict``. It is marked
``wheel`` (deselect with ``-m "not wheel"``) and runs in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitehelpers import REPO, build_site, make_project, soup
from sonicguide.commands.new import create_brand

THREE_LINE_CONFIG = "site_name: Acme sound guide\ntheme: material\nplugins: [search, sonicguide]\n"


def _head_facts(page: BeautifulSoup) -> dict[str, object]:
    """What a crawler reads from a page's <head>: meta tag names and the parsed JSON-LD."""
    names = sorted(str(tag.get("property") or tag.get("name")) for tag in page.select("head meta")
                   if tag.get("property") or tag.get("name"))
    jsonld = [json.loads(tag.get_text()) for tag in page.select('script[type="application/ld+json"]')]
    return {"meta": names, "jsonld": jsonld}


def _site_files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def _clean_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@pytest.mark.wheel
def test_wheel_builds_a_complete_site_in_an_empty_folder(tmp_path: Path) -> None:
    # Build the wheel from a copy of the sources, so the build leaves nothing in the work tree.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "plugins", source / "plugins",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "--disable-pip-version-check", "-w", str(dist), str(source)],
                   check=True, env=_clean_env(), cwd=tmp_path)
    wheel = next(dist.glob("sonicguide-*.whl"))

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--disable-pip-version-check", str(wheel)], check=True, env=_clean_env())
    imported = subprocess.run([str(python), "-c", "import sonicguide; print(sonicguide.__file__)"],
                              check=True, capture_output=True, text=True, env=_clean_env(), cwd=tmp_path)
    assert Path(imported.stdout.strip()).is_relative_to(venv), imported.stdout  # the wheel, not the source

    project = tmp_path / "acme-guide"
    project.mkdir()
    (project / "mkdocs.yml").write_text(THREE_LINE_CONFIG, encoding="utf-8")
    (project / "docs").mkdir()  # MkDocs refuses a missing docs_dir
    subprocess.run([str(venv / "bin" / "sonicguide"), "new", "acme"], check=True, env=_clean_env(),
                   cwd=project, capture_output=True)
    built = subprocess.run([str(python), "-m", "mkdocs", "build", "--strict"], env=_clean_env(), cwd=project,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    site = project / "site"

    # The same brand built from this source tree, with the repository's own theme folder.
    reference_root = tmp_path / "reference"
    config = make_project(reference_root, {})
    (reference_root / "brands").mkdir()
    shutil.copytree(project / "brands" / "acme", reference_root / "brands" / "acme")
    reference = build_site(config)

    assert _site_files(site) == _site_files(reference)
    for page in ("acme/index.html", "index.html", "acme/brief/index.html"):
        assert _head_facts(soup(site / page)) == _head_facts(soup(reference / page)), page
    brand = _head_facts(soup(site / "acme" / "index.html"))
    assert brand["jsonld"], "the brand page lost its JSON-LD"
    assert {"og:title", "og:image", "twitter:card", "description"} <= set(brand["meta"])  # type: ignore[arg-type]
    assert {"assets/sonicguide/js/player.js", "assets/sonicguide/css/sonicguide.css",
            "acme/brand.json", "acme/social-card.png"} <= _site_files(site)


def test_a_sites_own_partial_replaces_the_packages(tmp_path: Path) -> None:
    custom = tmp_path / "overrides"
    (custom / "partials" / "sonicguide").mkdir(parents=True)
    (custom / "partials" / "sonicguide" / "meta.html").write_text(
        '<meta name="x-team-override" content="{{ sg.title | e }}">\n', encoding="utf-8")
    config_file = make_project(tmp_path / "project", {})
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(custom)
    config_file.write_text(json.dumps(config), encoding="utf-8")
    create_brand(tmp_path / "project" / "brands", "acme")
    site = build_site(config_file)
    head = soup(site / "acme" / "index.html").head
    assert head is not None
    override = head.select_one('meta[name="x-team-override"]')
    assert override is not None and override["content"] == "Acme"
    assert head.select_one('meta[property="og:title"]') is None  # the package's meta.html was replaced
    assert head.select_one('script[type="application/ld+json"]') is not None  # the rest still comes from the package
