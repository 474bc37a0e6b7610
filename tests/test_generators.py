"""The same guide builds with ``mkdocs build`` and ``properdocs build`` to the same bytes.

Runs where ProperDocs is installed (the second run of ``scripts/test.sh``, in its own virtual
environment); skipped elsewhere. The one line allowed to differ is Material's
``<meta name="generator">``, which names the generator that built the page ("mkdocs-1.6.1" against
"mkdocs-ProperDocs 1.6.7"): making it equal would be a lie about the build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import GENERATOR
from sitehelpers import REPO, build_site
from sonicguide.commands.init import init_project

needs_properdocs = pytest.mark.skipif(
    find_spec("properdocs") is None, reason="ProperDocs is not installed (see scripts/test.sh)")
GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(project: Path, command: list[str]) -> dict[str, bytes]:
    env = {key: value for key, value in os.environ.items() if key != "SONICGUIDE_GENERATOR"}
    env["PYTHONPATH"] = str(REPO / "plugins")  # this source tree, whichever copy is installed
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    done = subprocess.run([sys.executable, "-m", *command, "--strict", "-f", "mkdocs.yml"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    files = _read_tree(project / "site")
    shutil.rmtree(project / "site")
    return files


def _read_tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@needs_properdocs
def test_mkdocs_and_properdocs_build_the_same_bytes(tmp_path: Path) -> None:
    init_project(tmp_path, slug="acme")
    by_mkdocs = _build(tmp_path, ["mkdocs", "build"])
    by_properdocs = _build(tmp_path, ["properdocs", "build"])
    assert sorted(by_mkdocs) == sorted(by_properdocs)
    assert "acme/index.html" in by_mkdocs and "sitemap.xml.gz" in by_mkdocs
    differing = sorted(name for name in by_mkdocs if by_mkdocs[name] != by_properdocs[name])
    for name in differing:
        assert name.endswith(".html"), name
        assert GENERATOR_TAG.sub(b"", by_mkdocs[name]) == GENERATOR_TAG.sub(b"", by_properdocs[name]), name
    page = by_properdocs["acme/index.html"]
    assert b"ProperDocs" in GENERATOR_TAG.search(page).group(0)  # type: ignore[union-attr]
    assert b"application/ld+json" in page


@pytest.mark.skipif(GENERATOR != "properdocs", reason="only in the ProperDocs run (SONICGUIDE_GENERATOR=properdocs)")
def test_the_properdocs_run_really_builds_with_properdocs() -> None:
    from mkdocs.commands import build

    assert build.__name__ == "properdocs.commands.build"


def test_cold_and_warm_builds_write_the_same_bytes(tmp_path: Path) -> None:
    """A warm build (everything from the cache) writes what the cold one wrote, brand.json included."""
    init_project(tmp_path, slug="acme")
    cold_site = build_site(tmp_path / "mkdocs.yml")
    cold = _read_tree(cold_site)
    warm = _read_tree(build_site(tmp_path / "mkdocs.yml"))
    assert sorted(cold) == sorted(warm)
    assert [name for name in cold if cold[name] != warm[name]] == []
