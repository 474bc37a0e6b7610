"""``sonicguide init``: an empty folder becomes a guide repository that builds strict, and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitehelpers import build_site, soup
from sonicguide.cli import main
from sonicguide.core.load.brand import load_brands


def test_init_makes_a_repository_that_builds_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "acme-sound"
    assert main(["init", str(folder), "--brand", "acme"]) == 0
    out = capsys.readouterr().out
    assert "Created" in out and "mkdocs serve" in out
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        "mkdocs.yml", ".gitignore", "README.md", "schema/brand.schema.json", "docs/.gitkeep",
        "brands/acme/brand.yml", "brands/acme/audio/placeholder.wav"}
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/site/", "/.cache/", "/site.sonicguide-new/"} <= set(ignored)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for step in ("sonicguide new SLUG", "sonicguide validate", "mkdocs build --strict", "Publishing",
                 ".cache/sonicguide", "sonicguide cache prune --keep-builds 1", "sonicguide cache info"):
        assert step in readme
    # The modeline finds the schema written beside mkdocs.yml.
    first_line = (folder / "brands" / "acme" / "brand.yml").read_text(encoding="utf-8").splitlines()[0]
    schema_ref = first_line.split("$schema=")[1]
    assert ((folder / "brands" / "acme") / schema_ref).resolve() == (folder / "schema" / "brand.schema.json")
    assert [brand.slug for brand in load_brands(folder / "brands")] == ["acme"]

    site = build_site(folder / "mkdocs.yml", strict=True)
    page = soup(site / "acme" / "index.html")
    assert page.select_one('script[type="application/ld+json"]') is not None
    assert page.select_one('meta[property="og:title"]') is not None
    assert soup(site / "index.html").title is not None
    assert soup(site / "index.html").title.get_text().endswith("Acme sound guides")  # type: ignore[union-attr]


@pytest.mark.parametrize("existing", ["README.md", ".gitignore", "mkdocs.yml", "brands/my-brand"])
def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str) -> None:
    target = tmp_path / existing
    if "." in existing:
        target.write_text("ours\n", encoding="utf-8")
    else:
        target.mkdir(parents=True)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{(tmp_path / existing).as_posix()} already exists; nothing was changed" in err
    assert "never overwrites" in err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
    if "." in existing:
        assert target.read_text(encoding="utf-8") == "ours\n"


def test_init_refuses_a_bad_slug_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path), "--brand", "Not A Slug"]) == 1
    assert "is not a valid slug" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
