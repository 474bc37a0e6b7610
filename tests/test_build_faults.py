"""Concurrent builds, clocks and system faults (issue 15, items 1 and 8).

Builds run as real ``mkdocs build`` subprocesses where concurrency or the command line's output is
what is tested, in-process otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine
from sonicguide.core import faults, sitedir

ROOT = Path(__file__).resolve().parent.parent
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _mkdocs(config: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "SOURCE_DATE_EPOCH": "1767225600",
                   "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), *extra],
                            cwd=config.parent, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _project(root: Path, brands: int = 2) -> Path:
    config = make_project(root, {f"b{i}": brand_yaml(f"Brand {i}") for i in range(brands)})
    for i in range(brands):
        sine(root / f"brands/b{i}/audio/logo.wav", seconds=1.0, sr=16000)
    return config


def test_concurrent_builds_leave_one_complete_site(tmp_path: Path) -> None:
    import shutil

    config = _project(tmp_path, brands=1)
    first = _mkdocs(config)
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    reference = _tree(tmp_path / "site")
    assert "b0/index.html" in reference and "sitemap.xml.gz" in reference
    for round_, (count, cold) in enumerate([(2, False), (3, True)]):
        # Two warm builds at once, then three cold ones sharing one empty cache.
        if cold:
            shutil.rmtree(tmp_path / ".cache")
        runs = [_mkdocs(config) for _ in range(count)]
        for run in runs:
            _, stderr = run.communicate(timeout=300)
            assert run.returncode == 0, stderr
            assert "Traceback" not in stderr
        assert _tree(tmp_path / "site") == reference, f"round {round_}: the site differs from a single build's"
        assert not list(tmp_path.glob("site.sonicguide-*")), list(tmp_path.glob("site.sonicguide-*"))


def test_swap_exchanges_folders_and_reports_leftovers(tmp_path: Path) -> None:
    final = tmp_path / "site"
    final.mkdir()
    (final / "old.txt").write_text("old")
    for generation in range(3):
        new = sitedir.make_temp_site(final)
        assert new.parent == tmp_path and sitedir.NEW_MARK in new.name
        (new / "index.html").write_text(f"new {generation}")
        assert sitedir.swap_into_place(new, final) == []
        assert (final / "index.html").read_text() == f"new {generation}"
        assert not (final / "old.txt").exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    # No site yet: the swap is a plain rename.
    other = tmp_path / "deep" / "out"
    new = sitedir.make_temp_site(other)
    (new / "a").write_text("a")
    assert sitedir.swap_into_place(new, other) == [] and (other / "a").read_text() == "a"


def test_stale_temporary_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    final = tmp_path / "site"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale_new = tmp_path / f"site{sitedir.NEW_MARK}{dead_pid}-abc"
    stale_old = tmp_path / f"site{sitedir.OLD_MARK}{dead_pid}-abc"
    live = tmp_path / f"site{sitedir.NEW_MARK}{os.getpid()}-live"
    for folder in (stale_new, stale_old, live):
        (folder / "sub").mkdir(parents=True)
    sitedir.make_temp_site(final)
    assert not stale_new.exists() and not stale_old.exists()
    assert live.exists()  # a running build's folder is never touched


@pytest.mark.parametrize("seconds, expected", [
    (4_354_819_200.0, faults.LATEST_EPOCH_S),  # 2108
    (253_402_300_799.0, faults.LATEST_EPOCH_S),  # 9999-12-31
    (-1.0, faults.EARLIEST_EPOCH_S),
    (0.0, faults.EARLIEST_EPOCH_S),
    (float("nan"), faults.EARLIEST_EPOCH_S),
    (1_767_225_600.9, 1_767_225_600),
])
def test_epoch_is_clamped_into_zip_and_gzip_range(seconds: float, expected: int) -> None:
    assert faults.clamp_epoch(seconds) == expected


@pytest.mark.parametrize("mtime", [4_354_819_200, 2**33, 100, 0])
def test_inputs_dated_outside_1980_2106_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mtime: int) -> None:
    import gzip

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    wav = sine(tmp_path / "brands/acme/audio/logo.wav", seconds=1.0, sr=16000)
    for path in (wav, tmp_path / "brands/acme/brand.yml"):
        os.utime(path, (mtime, mtime))
    site = build_site(config)
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).startswith(b"<?xml")
    assert (site / "acme" / "index.html").is_file()


@pytest.mark.parametrize("value", ["4354819200", "-5", "yesterday", "1.5e9"])
def test_a_bad_source_date_epoch_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=1.0, sr=16000)
    with pytest.raises((PluginError, Abort)):
        build_site(config)
    assert f"SOURCE_DATE_EPOCH={value.strip()!r}" in caplog.text or "SOURCE_DATE_EPOCH=" in caplog.text
    assert "unset it" in caplog.text


def test_os_errors_become_one_sentence() -> None:
    import errno

    cases = [
        (OSError(errno.EACCES, "Permission denied", "/srv/site/x"), "Permission denied", "chmod -R u+w"),
        (OSError(errno.EROFS, "Read-only file system", "/mnt/ro"), "Permission denied", "read-only"),
        (OSError(errno.ENOSPC, "No space left on device", "/srv/site/a.wav"), "disk is full", "free some space"),
        (OSError(errno.EDQUOT, "Disk quota exceeded", "/home/u/site"), "disk is full", "free some space"),
        (OSError(errno.ENOTDIR, "Not a directory", "/srv/site"), "Cannot finish", "set site_dir"),
    ]
    for error, words, fix in cases:
        sentence = faults.describe_os_error(error, doing="writing the site", setting="site_dir")
        assert words in sentence and fix in sentence and str(error.filename) in sentence, sentence
        assert sentence.count("\n") == 0 and sentence.endswith(".")




def _run_cli(config: Path) -> subprocess.CompletedProcess[str]:
    run = _mkdocs(config)
    stdout, stderr = run.communicate(timeout=300)  # also closes the pipes
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)


def test_read_only_cache_and_site_parent_give_one_sentence(tmp_path: Path) -> None:
    # Root ignores permission bits; a read-only bind is not available in a test, so an unwritable path
    # is made by putting a regular file where a folder must go.
    config = _project(tmp_path, brands=1)
    (tmp_path / ".cache").write_text("not a folder")
    result = _run_cli(config)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert "sonicguide cache" in result.stderr and ".cache" in result.stderr
    (tmp_path / ".cache").unlink()
    text = config.read_text().replace('"site_dir": "site"', '"site_dir": "blocked/site"')
    config.write_text(text)
    (tmp_path / "blocked").write_text("a file where the site's folder should be")
    result = _run_cli(config)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert "blocked" in result.stderr and "site_dir" in result.stderr


def test_an_undeletable_old_site_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    config = _project(tmp_path, brands=1)
    site = build_site(config)
    real_remove = faults.remove_tree

    def stubborn(path: Path) -> list[str]:
        # What chattr +i or a foreign owner does: one file stays.
        failures = real_remove(path)
        return [*failures, f"{path}/locked.txt (Operation not permitted)"]

    monkeypatch.setattr(sitedir, "remove_tree", stubborn)
    with pytest.raises(Abort):  # --strict: the warning fails the build, after the new site is in place
        build_site(config)
    assert "could not be removed" in caplog.text and "rm -rf" in caplog.text and "locked.txt" in caplog.text
    assert (site / "b0" / "index.html").is_file()


@pytest.mark.parametrize("code", ["ENOSPC", "EACCES", "EROFS"])
def test_a_disk_fault_while_mkdocs_writes_is_one_sentence_and_keeps_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, code: str) -> None:
    import errno

    from mkdocs.structure.files import File

    config = _project(tmp_path, brands=1)
    site = build_site(config)
    before = _tree(site)

    def failing_copy(self: File, dirty: bool = False) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)), self.abs_dest_path)

    monkeypatch.setattr(File, "copy_file", failing_copy)
    with pytest.raises(Abort) as caught:
        build_site(config)
    message = str(caught.value)
    assert message.count("\n") == 0 and "while writing the site" in message and "site_dir" in message
    assert ("disk is full" in message) == (code == "ENOSPC")
    assert _tree(site) == before
    assert not list(tmp_path.glob("site.sonicguide-*"))
