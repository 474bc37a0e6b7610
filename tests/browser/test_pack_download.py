"""Delivery packs put together in headless Chromium: the zip the brand page's button saves is the
one `sonicguide pack` makes from the same site, with the published SHA-256; a missing part and a
page opened from a folder (file://) give a clear message instead of a broken zip."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sharingsite import make_sharing_project
from sitehelpers import build_site
from sonicguide import cli

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(make_sharing_project(tmp_path_factory.mktemp("pack-download")))


def _open_packs(page: Any) -> None:
    page.locator("#sg-packs > summary").click()


@pytest.mark.parametrize("touchpoint, row", [(None, 0), ("radio", 1)])
def test_the_button_saves_the_zip_the_cli_makes_with_the_published_sha256(
        site: Path, serve_directory: Any, open_page: Any, tmp_path: Path, touchpoint: str | None, row: int) -> None:
    name = f"acme-{touchpoint or 'all'}"
    cli_zip = tmp_path / "cli.zip"
    assert cli.main(["pack", str(site), "acme", *([touchpoint] if touchpoint else []), "-o", str(cli_zip)]) == 0
    plan = json.loads((site / "acme/packs" / f"{name}.pack.json").read_text())
    page = open_page(serve_directory(site) + "acme/")
    _open_packs(page)
    button = page.locator("[data-sg-pack]").nth(row)
    expect(button).to_be_visible()
    button.focus()  # keyboard-operable: Enter on the focused button
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    download = caught.value
    assert download.suggested_filename == f"{name}.zip"
    data = Path(download.path()).read_bytes()
    assert data == cli_zip.read_bytes()
    assert hashlib.sha256(data).hexdigest() == plan["sha256"] and len(data) == plan["size_bytes"]
    status = page.locator("[data-sg-pack-status]").nth(row)
    expect(status).to_contain_text(f"{name}.zip saved")
    expect(status).to_contain_text("SHA-256 checked")  # 127.0.0.1 is a secure context: crypto.subtle
    with zipfile.ZipFile(cli_zip) as archive:
        assert archive.testzip() is None
        for entry in json.loads(archive.read("manifest.json"))["files"]:
            assert archive.read(entry["path"]) == (site.parent / "brands/acme" / entry["path"]).read_bytes()


def test_a_missing_part_is_a_clear_message_not_a_broken_zip(site: Path, serve_directory: Any, open_page: Any,
                                                             tmp_path: Path) -> None:
    broken = tmp_path / "broken-site"
    shutil.copytree(site, broken)
    (broken / "acme/audio/logo.wav").unlink()
    page = open_page(serve_directory(broken) + "acme/")
    _open_packs(page)
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    page.locator("[data-sg-pack]").nth(1).click()
    status = page.locator("[data-sg-pack-status]").nth(1)
    expect(status).to_contain_text("Could not make the zip. logo.wav is missing from the site")
    expect(status).to_contain_text("HTTP 404")
    assert downloads == []
    # The command line says the same, and writes nothing.
    out = tmp_path / "radio.zip"
    assert cli.main(["pack", str(broken), "acme", "radio", "-o", str(out)]) == 1
    assert not out.exists() and not list(tmp_path.glob(".radio.zip.*"))


def test_a_page_opened_from_a_folder_says_why_and_what_to_do(site: Path, open_page: Any) -> None:
    page = open_page((site / "acme/index.html").as_uri())
    _open_packs(page)
    page.locator("[data-sg-pack]").first.click()
    status = page.locator("[data-sg-pack-status]").first
    expect(status).to_contain_text("opened from a folder (file://)")
    expect(status).to_contain_text("sonicguide pack")


def test_without_javascript_the_row_links_every_file_and_no_button(site: Path, serve_directory: Any,
                                                                  open_page: Any) -> None:
    page = open_page(serve_directory(site) + "acme/", javascript=False)
    _open_packs(page)
    expect(page.locator("[data-sg-pack]").first).to_be_hidden()
    links = page.locator(".sg-packs tr").nth(1).locator("a[download]")
    assert links.all_inner_texts() == ["audio/logo.wav", "audio/theme.flac", "manifest.json", "LICENSE.txt"]
