"""A cache that does not grow forever: builds record what they use, ``sonicguide cache prune`` removes the
rest (and the least recently used to fit a size), never what the last build used, never half an entry,
never outside the cache, and never from under a running build."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine, soup
from sonicguide.cli import main
from sonicguide.core import cacheprune, cacheuse
from sonicguide.core import site as site_module
from sonicguide.core.cache import SIDECAR_SUFFIX

pytestmark = pytest.mark.sitebuild

CACHE = ".cache/sonicguide"


def _tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links as their target's name), to see that nothing changed."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = os.readlink(path).encode()
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def _entries(root: Path) -> set[str]:
    """The names (``kind/hh/file``) of the cache's entries, as the prune sees them."""
    return {entry.name for entry in cacheprune.scan(root).entries}



def _reset(calls: dict[str, list[str]]) -> None:
    for value in calls.values():
        value.clear()


def _project(root: Path, **plugin_options: object) -> Path:
    assets = [{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
              {"id": "theme", "file": "audio/theme.wav", "role": "theme"}]
    config = make_project(root, {"acme": brand_yaml("Acme", assets=assets),
                                 "zenith": brand_yaml("Zenith", assets=assets)}, plugin_options=plugin_options)
    for slug, freq in (("acme", 440.0), ("zenith", 660.0)):
        sine(root / f"brands/{slug}/audio/logo.wav", seconds=1.0, freq=freq)
        sine(root / f"brands/{slug}/audio/theme.wav", seconds=1.5, freq=freq * 1.5)
    return config


def _edit(root: Path, *, tagline: str = "Freshly edited tagline", theme_hz: float = 880.0) -> None:
    """Edit one brand.yml and replace one audio file (new analysis, charts, peaks, media entries)."""
    source = root / "brands/acme/brand.yml"
    text = source.read_text(encoding="utf-8")
    current = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("  tagline: "))
    source.write_text(text.replace(f"tagline: {current}", f"tagline: {tagline}"), encoding="utf-8")
    sine(root / "brands/zenith/audio/theme.wav", seconds=1.5, freq=theme_hz)


def _summary(caplog: pytest.LogCaptureFixture) -> str:
    return next(record.getMessage() for record in caplog.records
                if record.getMessage().startswith("sonicguide:") and "analysed" in record.getMessage())


def _prune(root: Path, *args: str) -> int:
    return main(["cache", "prune", "--cache-dir", str(root / CACHE), *args])


# ------------------------------------------------------------------------------------ the record


def test_a_cold_build_uses_every_entry_it_leaves(tmp_path: Path) -> None:
    """Nothing a build makes is left out of its record (else a prune would remove what the next build needs)."""
    build_site(_project(tmp_path))
    root = tmp_path / CACHE
    usage = cacheuse.read_usage(root)
    assert usage is not None and usage.last is not None and usage.last.number == 1
    assert usage.last.config == str(tmp_path / "mkdocs.yml")
    entries = _entries(root)
    assert len(entries) > 40
    assert {name for name in entries if usage.last_used(name) != 1} == set()


def test_prune_removes_what_the_last_build_did_not_use_and_the_next_build_stays_warm(
        tmp_path: Path, counted: dict[str, list[str]], caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    first = _entries(root)
    _edit(tmp_path)
    build_site(config)
    usage = cacheuse.read_usage(root)
    assert usage is not None
    second_used = {name for name in _entries(root) if usage.last_used(name) == 2}
    old_only = first - second_used
    kinds = {name.split("/")[0] for name in old_only}
    # The edited brand's page, card and parse, the replaced file's analysis, charts, peaks and copy.
    assert {"render", "page", "yaml", "social", "analysis", "charts", "peaks", "media"} <= kinds
    capsys.readouterr()
    assert _prune(tmp_path, "--keep-builds", "1") == 0
    out = capsys.readouterr().out
    assert f"Removed {len(old_only)} entries" in out and "none of the last 1 build(s) used" in out
    assert _entries(root) == second_used
    _reset(counted)
    with caplog.at_level(logging.INFO):
        site = build_site(config)
    assert counted == {"rendered": [], "analysed": []}
    assert _summary(caplog).startswith("sonicguide: 0 audio files analysed, 4 from the cache; 2 brands")
    assert "Freshly edited tagline" in soup(site / "acme/index.html").get_text()
    pruned_then_built = _tree(site)
    shutil.rmtree(tmp_path / ".cache")
    assert _tree(build_site(config)) == pruned_then_built


def test_a_brand_from_the_render_cache_keeps_what_it_was_made_from(tmp_path: Path,
                                                                   counted: dict[str, list[str]]) -> None:
    """A warm build renders nothing, yet keeps the parts a later edit of a brand needs again
    (Content Credentials reads, the zip digests, cards): pruning after it does not make that edit cold."""
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    made = _entries(root)
    build_site(config)  # warm: both brands from the render cache
    assert _prune(tmp_path, "--keep-builds", "1") == 0
    assert _entries(root) == made
    assert any(name.startswith(("credentials/", "crc32/")) for name in made)


def test_dry_run_removes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    build_site(config)
    _edit(tmp_path)
    build_site(config)
    before = _files(tmp_path / CACHE)
    capsys.readouterr()
    assert _prune(tmp_path, "--keep-builds", "1", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Would remove" in out and "Nothing was removed (--dry-run)." in out
    assert _files(tmp_path / CACHE) == before


def test_keep_builds_keeps_what_any_of_the_last_n_builds_used(tmp_path: Path) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    first = _entries(root)
    _edit(tmp_path)
    build_site(config)
    assert _prune(tmp_path, "--keep-builds", "2") == 0
    assert first <= _entries(root)


def test_max_size_removes_the_least_recently_used_first_never_the_last_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    _edit(tmp_path, tagline="Second tagline", theme_hz=880.0)
    build_site(config)
    _edit(tmp_path, tagline="Third tagline", theme_hz=1100.0)
    build_site(config)
    usage = cacheuse.read_usage(root)
    assert usage is not None
    found = cacheprune.scan(root)
    by_last_use = {number: {e.name for e in found.entries if usage.last_used(e.name) == number} for number in (1, 2, 3)}
    assert all(by_last_use.values())
    oldest_bytes = sum(e.disk_bytes for e in found.entries if e.name in by_last_use[1])
    # Room for everything but the entries last used by the first build: exactly those go.
    assert _prune(tmp_path, "--keep-builds", "3", "--max-size", str(found.total_bytes - oldest_bytes)) == 0
    assert _entries(root) == by_last_use[2] | by_last_use[3]
    assert "least recently used" in capsys.readouterr().out
    # A size below what the last build uses: everything else goes, the last build's entries stay.
    assert _prune(tmp_path, "--keep-builds", "3", "--max-size", "1K") == 0
    assert _entries(root) == by_last_use[3]
    assert "the last build alone uses" in capsys.readouterr().out
    # And that build's site is still made without analysing or rendering anything anew.
    assert _tree(build_site(config)) == _tree(tmp_path / "site")


def test_a_prune_never_leaves_half_an_entry_and_clears_leftovers(tmp_path: Path) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    _edit(tmp_path)
    build_site(config)
    shard = next((root / "analysis").iterdir())
    orphan = shard / (shard.name + "f" * 62 + ".json" + SIDECAR_SUFFIX)
    orphan.write_text("0" * 64, encoding="ascii")
    stale = shard / ".leftover.json.1234.tmp"
    stale.write_bytes(b"half written")
    os.utime(stale, (1, 1))
    fresh = shard / ".writing.json.5678.tmp"
    fresh.write_bytes(b"being written right now")
    assert _prune(tmp_path, "--keep-builds", "1") == 0
    assert not orphan.exists() and not stale.exists()
    assert fresh.exists()  # may belong to a `sonicguide validate` at work (it takes no lock)
    for path in root.glob("*/*/*"):
        if path.name.startswith(".") or path.parts[-3] in cacheprune.TEMPLATE_DIRS:
            continue
        if path.name.endswith(SIDECAR_SUFFIX):
            assert path.with_name(path.name[: -len(SIDECAR_SUFFIX)]).is_file(), path
        else:
            assert path.with_name(path.name + SIDECAR_SUFFIX).is_file(), path
    # The manifest forgets removed entries; the usage record names only entries still there.
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert all(Path(name).exists() for name in manifest["files"])
    usage = cacheuse.read_usage(root)
    assert usage is not None
    assert {f"{kind}/{name[:2]}/{name}" for kind, names in usage.used.items() for name in names} <= _entries(root)


# ------------------------------------------------------------------------------------ refusals


def test_a_folder_that_is_not_a_cache_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    (tmp_path / "brands/acme/ab").mkdir()
    (tmp_path / "brands/acme/ab" / ("ab" + "0" * 62 + ".json")).write_text("{}", encoding="utf-8")
    before = _files(tmp_path / "brands")
    assert main(["cache", "prune", "--cache-dir", str(tmp_path / "brands"), "--keep-builds", "1"]) == 1
    assert "is not a sonicguide cache" in capsys.readouterr().err
    assert main(["cache", "prune", "--cache-dir", str(tmp_path / "brands/acme"), "--max-size", "0"]) == 1
    assert main(["cache", "info", "--cache-dir", str(tmp_path / "brands")]) == 1
    assert _files(tmp_path / "brands") == before
    assert main(["cache", "prune", "--cache-dir", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_prune_refuses_without_a_recorded_build_and_with_a_damaged_record(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    build_site(config)
    root = tmp_path / CACHE
    usage_file = root / cacheuse.USAGE_NAME
    usage_file.unlink()  # a cache made before builds kept the record
    before = _files(root)
    assert _prune(tmp_path, "--keep-builds", "1") == 1
    assert "no successful build has recorded" in capsys.readouterr().err
    usage_file.write_text("{not json", encoding="utf-8")
    assert _prune(tmp_path, "--keep-builds", "1") == 1
    assert "damaged" in capsys.readouterr().err
    assert _files(root) == {**before, cacheuse.USAGE_NAME: b"{not json"}
    build_site(config)  # starts the record afresh
    assert _prune(tmp_path, "--keep-builds", "1") == 0


def test_links_inside_the_cache_are_never_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    outside = tmp_path / "precious"
    (outside / "ab").mkdir(parents=True)
    victims = [outside / "ab" / ("ab" + "1" * 62 + ".json"), outside / ("cd" + "2" * 62 + ".json")]
    for victim in victims:
        victim.write_text("{}", encoding="utf-8")
        victim.with_name(victim.name + SIDECAR_SUFFIX).write_text("0" * 64, encoding="ascii")
    (root / "stolen").symlink_to(outside, target_is_directory=True)  # a kind folder that is a link
    free = next(f"{i:02x}" for i in range(256) if not (root / "analysis" / f"{i:02x}").exists())
    (root / "analysis" / free).symlink_to(outside / "ab", target_is_directory=True)  # a shard that is a link
    shard = next(p for p in (root / "charts").iterdir() if not p.is_symlink())
    (shard / (shard.name + "3" * 62 + ".svg")).symlink_to(victims[1])  # an entry that is a link
    before = _files(outside)
    assert _prune(tmp_path, "--keep-builds", "1", "--max-size", "1") == 0
    assert "3 symbolic link(s)" in capsys.readouterr().out
    assert _files(outside) == before
    assert (root / "stolen").is_symlink() and (root / "analysis" / free).is_symlink()
    # The cache folder itself may be a link (to another disk): it is pruned where it really is.
    moved = tmp_path / "disk2/cache"
    moved.parent.mkdir()
    root.rename(moved)
    root.symlink_to(moved, target_is_directory=True)
    assert main(["cache", "info", "-f", str(config)]) == 0
    assert f"Cache {moved}" in capsys.readouterr().out


# ------------------------------------------------------------------------------------ concurrency


def test_a_prune_waits_for_a_running_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    _edit(tmp_path)
    build_site(config)
    before = _files(root)
    with cacheuse.Lease.shared(root):  # what a build holds from loading the brands to recording its use
        assert _prune(tmp_path, "--keep-builds", "1", "--wait", "0.3") == 1
        err = capsys.readouterr().err
        assert "a build is using the cache" in err and "nothing was removed" in err
    assert _files(root) == before
    assert _prune(tmp_path, "--keep-builds", "1") == 0


def test_a_build_holds_the_cache_until_its_use_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    finish = site_module.SiteBuild.finish
    attempts: list[str] = []

    def finish_while_pruning(self, link):  # type: ignore[no-untyped-def]
        try:
            cacheprune.prune(root, keep_builds=1, wait_s=0)
            attempts.append("pruned")
        except cacheuse.CacheBusy:
            attempts.append("busy")
        return finish(self, link)

    monkeypatch.setattr(site_module.SiteBuild, "finish", finish_while_pruning)
    build_site(config)
    assert attempts == ["busy"]
    # A failed build lets go of the cache too: one that stops on a brand.yml problem at loading, and one
    # whose strict warnings stop it after the pages are made.
    source = tmp_path / "brands/acme/brand.yml"
    good = source.read_text(encoding="utf-8")
    for bad in (good.replace("role: logo", "role: not-a-role", 1),
                good.replace("        mixing: {mode: not-applicable, reason: a synthesised test tone}\n", "", 1)):
        assert bad != good
        source.write_text(bad, encoding="utf-8")
        with pytest.raises((PluginError, Abort)):
            build_site(config)
    # (what the failed builds wrote is used by no successful build: it goes)
    assert cacheprune.prune(root, keep_builds=1, wait_s=0).plan.unused


def test_a_prune_in_the_middle_of_a_build_leaves_a_correct_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted: dict[str, list[str]]) -> None:
    """Without the lock (no flock, or a prune that does not wait): the entries a build found at its
    start vanish before it uses them; the build makes them again and the site is right."""
    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    first = _tree(tmp_path / "site")
    _edit(tmp_path)
    build_site(config)
    # Back to the first state: the build finds the first build's analyses and pages at its start...
    _edit(tmp_path, tagline="A test tagline", theme_hz=660.0 * 1.5)
    monkeypatch.setattr(cacheuse.Lease, "exclusive", classmethod(lambda cls, root, wait_s: cls(None)))
    finish = site_module.SiteBuild.finish
    pruned: list[int] = []

    def finish_after_a_prune(self, link):  # type: ignore[no-untyped-def]
        # ...and a prune keeping only the second build's entries runs before it uses them.
        result = cacheprune.prune(root, keep_builds=1)
        pruned.append(len(result.plan.removed))
        return finish(self, link)

    monkeypatch.setattr(site_module.SiteBuild, "finish", finish_after_a_prune)
    _reset(counted)
    healed = _tree(build_site(config))
    assert pruned[0] > 0
    assert counted["analysed"] == ["zenith/audio/theme.wav"] and counted["rendered"] == ["acme", "zenith"]
    assert healed == first
    monkeypatch.setattr(site_module.SiteBuild, "finish", finish)
    _reset(counted)
    assert _tree(build_site(config)) == first
    assert counted == {"rendered": [], "analysed": []}


def test_without_the_lock_a_prune_after_the_files_are_chosen_stops_the_build_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Why builds hold the lock: once MkDocs is about to link the cache's files into the site, an
    entry that vanishes cannot be made again. The build stops, says why, and the last site stays."""
    from sonicguide import plugin as plugin_module

    config = _project(tmp_path)
    root = tmp_path / CACHE
    build_site(config)
    _edit(tmp_path)
    last_site = _tree(build_site(config))
    _edit(tmp_path, tagline="A test tagline", theme_hz=660.0 * 1.5)
    monkeypatch.setattr(cacheuse.Lease, "exclusive", classmethod(lambda cls, root, wait_s: cls(None)))
    on_files = plugin_module.SonicGuidePlugin.on_files

    def prune_after_on_files(self, files, *, config):  # type: ignore[no-untyped-def]
        chosen = on_files(self, files, config=config)
        assert cacheprune.prune(root, keep_builds=1).plan.removed
        return chosen

    monkeypatch.setattr(plugin_module.SonicGuidePlugin, "on_files", prune_after_on_files)
    with pytest.raises(Abort), caplog.at_level(logging.ERROR):
        build_site(config)
    assert "was removed while this build was using it" in caplog.text
    assert _tree(tmp_path / "site") == last_site
    monkeypatch.setattr(plugin_module.SonicGuidePlugin, "on_files", on_files)
    first_again = _tree(build_site(config))
    shutil.rmtree(root)
    assert _tree(build_site(config)) == first_again


def test_mkdocs_serve_lets_a_prune_in_between_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``mkdocs serve`` holds the cache only while it rebuilds; pruned between two saves, the next
    rebuild is still right (pages it keeps from the previous build included)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config_file = _project(tmp_path / "project")
    served = tmp_path / "served"
    started: list[bool] = []

    def rebuild(site: Path) -> None:  # as serve does: one start-up, then a fresh configuration per build
        config = load_config(str(config_file), site_dir=str(site))
        config.site_url = "http://127.0.0.1:8000/"
        if not started:
            config.plugins.on_startup(command="serve", dirty=False)
            started.append(True)
        build(config, serve_url="http://127.0.0.1:8000/")

    rebuild(served)
    _edit(tmp_path / "project")
    rebuild(served)
    assert _prune(tmp_path / "project", "--keep-builds", "1", "--wait", "0") == 0
    _edit(tmp_path / "project", tagline="Saved again")
    rebuild(served)
    assert "Saved again" in soup(served / "acme/index.html").get_text()
    fresh = tmp_path / "fresh"
    shutil.rmtree(tmp_path / "project" / CACHE)
    rebuild(fresh)
    assert _tree(served) == _tree(fresh)


# ------------------------------------------------------------------------------------ info, sizes, option


def test_info_finds_the_cache_from_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path, cache_dir="build-cache")
    build_site(config)
    _edit(tmp_path)
    build_site(config)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["cache", "info", "--keep-builds", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    root = tmp_path / "build-cache"
    found = cacheprune.scan(root)
    assert report["cache_dir"] == str(root)
    assert report["entries"] == len(found.entries) and report["disk_bytes"] == found.total_bytes
    assert report["builds_recorded"] == 2 and report["last_build"]["build"] == 2
    assert 0 < report["unused"]["entries"] < report["entries"]
    assert report["last_build"]["bytes"] + report["unused"]["bytes"] == report["entry_bytes"]
    assert report["last_build"]["entries"] + report["unused"]["entries"] == report["entries"]
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert f"Cache {root}:" in out and "The last, #2" in out and "Oldest entry" in out
    (tmp_path / "mkdocs.yml").write_text(json.dumps({"site_name": "x", "plugins": [{"sonicguide": {"cache": False}}]}),
                                         encoding="utf-8")
    assert main(["cache", "info"]) == 1
    assert "turns the cache off" in capsys.readouterr().err


def test_cache_max_size_trims_at_the_end_of_a_build(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                    counted: dict[str, list[str]]) -> None:
    config = _project(tmp_path, cache_max_size="1K")
    root = tmp_path / CACHE
    build_site(config)
    _edit(tmp_path)
    with caplog.at_level(logging.INFO):
        build_site(config)
    usage = cacheuse.read_usage(root)
    assert usage is not None
    assert {name for name in _entries(root) if usage.last_used(name) != 2} == set()
    assert any("least recently used" in record.getMessage() for record in caplog.records)
    _reset(counted)
    site = _tree(build_site(config))
    assert counted == {"rendered": [], "analysed": []}
    shutil.rmtree(root)
    assert _tree(build_site(config)) == site


@pytest.mark.parametrize(("text", "size"), [("0", 0), ("512", 512), ("2K", 2048), ("1.5M", 3 << 19),
                                            ("2 GiB", 2 << 30), ("2GB", 2 * 10**9), ("1t", 1 << 40)])
def test_sizes(text: str, size: int) -> None:
    assert cacheprune.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "-1K", "2 parsecs", "G", "1e3"])
def test_wrong_sizes_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected a size such as 500M"):
        cacheprune.parse_size(text)


def test_builds_finishing_at_once_each_keep_their_record(tmp_path: Path) -> None:
    """The read-modify-write of usage.json is serialised (a lock of its own): no build's use is lost."""
    from concurrent.futures import ThreadPoolExecutor

    names = [[f"analysis/{n:02x}/{n:02x}{'0' * 62}-{build}.json" for n in range(50)] for build in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = sorted(number for number, _note in pool.map(lambda used: cacheuse.record_build(tmp_path, used),
                                                              names))
    assert numbers == list(range(1, 9))
    usage = cacheuse.read_usage(tmp_path)
    assert usage is not None and [build.number for build in usage.builds] == numbers
    assert all(usage.last_used(name) is not None for used in names for name in used)
