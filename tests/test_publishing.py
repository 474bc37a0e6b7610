"""``mkdocs gh-deploy`` with the atomic build: the site is built into site_dir and that is what is pushed.

The push goes to a bare repository in a temporary folder, so nothing leaves the machine. Under the
ProperDocs run of scripts/test.sh the same is done with ``properdocs gh-deploy``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GENERATOR
from sitehelpers import REPO
from sonicguide.commands.init import init_project

pytestmark = pytest.mark.sitebuild


def _env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(HOME=str(home), PYTHONPATH=str(REPO / "plugins"), NO_MKDOCS_2_WARNING="1",
               DISABLE_MKDOCS_2_WARNING="true", GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid")
    env.pop("SONICGUIDE_GENERATOR", None)
    return env


def test_gh_deploy_builds_into_site_dir_and_pushes_it(tmp_path: Path) -> None:
    project, remote = tmp_path / "guide", tmp_path / "remote.git"
    project.mkdir()
    init_project(project, slug="acme")
    env = _env(tmp_path)

    def git(*args: str, cwd: Path = project) -> str:
        return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout

    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "guide")
    git("remote", "add", "origin", str(remote))

    done = subprocess.run([sys.executable, "-m", GENERATOR, "gh-deploy", "--no-history", "--strict",
                           "-f", "mkdocs.yml"], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "acme" / "index.html").is_file()
    assert not (project / "site.sonicguide-new").exists()
    assert "sonicguide-new" not in done.stderr
    assert f"Building documentation to directory: {project / 'site'}" in done.stderr
    pushed = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert {"index.html", "acme/index.html", "acme/brand.json", ".nojekyll"} <= set(pushed)
    built = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()}
    assert built | {".nojekyll"} == set(pushed)
