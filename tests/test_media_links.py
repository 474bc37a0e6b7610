"""Content, not paths, decides identity (issue 15 item 5, issue 16 goal 1's media part).

Real site builds in temporary folders: the same audio referenced from two brands is one inode in
the site, linked from the content-addressed cache (never from the brand's own file); builds stay
byte-identical; when linking fails (the cache on another device) every file is copied instead;
a later build never writes through a link; and the caps on assets per brand and on the site's
size are clear errors naming the brand and the fix.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import zipfile
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from sitehelpers import brand_yaml, build_site, make_project, sine
from sonicguide.core import media
from sonicguide.core.cache import Cache
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import Limits, load_brands


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _two_brands_one_sound(root: Path, **options: object) -> tuple[Path, bytes]:
    """Brands ``a`` and ``b``, each with its own copy of the same WAV (``b`` lists it twice)."""
    config = make_project(root, {
        "a": brand_yaml("Brand A"),
        "b": brand_yaml("Brand B", assets=[{"id": "logo", "file": "audio/logo.wav", "role": "logo"},
                                           {"id": "sting", "file": "audio/sting.wav", "role": "logo"}]),
    }, plugin_options=dict(options))
    sine(root / "brands/a/audio/logo.wav", seconds=1.0, sr=16000)
    data = (root / "brands/a/audio/logo.wav").read_bytes()
    for name in ("logo.wav", "sting.wav"):
        (root / "brands/b/audio").mkdir(parents=True, exist_ok=True)
        (root / "brands/b/audio" / name).write_bytes(data)
    return config, data


def _copies_of(site: Path, data: bytes) -> list[os.stat_result]:
    """The site's files holding exactly ``data``."""
    digest = hashlib.sha256(data).digest()
    return [p.stat() for p in site.rglob("*")
            if p.is_file() and p.stat().st_size == len(data) and hashlib.sha256(p.read_bytes()).digest() == digest]


def test_shared_audio_is_one_inode_linked_from_the_cache_and_builds_are_identical(tmp_path: Path) -> None:
    config, data = _two_brands_one_sound(tmp_path)
    site = build_site(config)
    first = _digests(site)
    copies = _copies_of(site, data)
    assert len(copies) == 3  # a/audio/logo.wav, b/audio/logo.wav, b/audio/sting.wav
    inodes = {(info.st_dev, info.st_ino) for info in copies}
    assert len(inodes) == 1, "the same bytes must be one file in the site"
    # Disk use: the three published paths cost one copy of the audio.
    assert sum(info.st_size for info in {(i.st_dev, i.st_ino): i for i in copies}.values()) == len(data)
    # Linked from the cache's copy, never from the brands' own files (an edit in place would leak).
    cached = list((tmp_path / ".cache/sonicguide" / media.MEDIA_KIND).rglob("*.wav"))
    assert len(cached) == 1 and (cached[0].stat().st_dev, cached[0].stat().st_ino) in inodes
    for source in ("a/audio/logo.wav", "b/audio/logo.wav", "b/audio/sting.wav"):
        assert not (tmp_path / "brands" / source).samefile(site / source)
        assert (tmp_path / "brands" / source).stat().st_nlink == 1
    # As readable as a copied file would be (cache entries are made 0600 by mkstemp).
    assert stat.S_IMODE((site / "a/audio/logo.wav").stat().st_mode) == media.file_mode()
    assert stat.S_IMODE((site / "a/social-card.png").stat().st_mode) == media.file_mode()

    # Warm, and with the cache deleted: byte-identical.
    assert _digests(build_site(config)) == first
    for path in sorted((tmp_path / ".cache").rglob("*"), reverse=True):
        path.unlink() if not path.is_dir() else path.rmdir()
    assert _digests(build_site(config)) == first


def test_editing_the_source_in_place_never_changes_the_published_site(tmp_path: Path) -> None:
    config, data = _two_brands_one_sound(tmp_path)
    site = build_site(config)
    source = tmp_path / "brands/a/audio/logo.wav"
    with source.open("r+b") as handle:  # what an editor saving over the file does
        handle.seek(len(data) - 1000)
        handle.write(b"\x01" * 1000)
    assert (site / "a/audio/logo.wav").read_bytes() == data
    assert (site / "b/audio/logo.wav").read_bytes() == data
    site = build_site(config)
    assert (site / "a/audio/logo.wav").read_bytes() == source.read_bytes() != data
    assert (site / "b/audio/logo.wav").read_bytes() == data


def test_when_linking_fails_every_file_is_copied_with_the_same_bytes(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    linked_root = tmp_path / "linked"
    config, _data = _two_brands_one_sound(linked_root)
    expected = _digests(build_site(config))

    def cross_device(source: object, target: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(source), str(target))

    monkeypatch.setattr(os, "link", cross_device)
    copied_root = tmp_path / "copied"
    config, data = _two_brands_one_sound(copied_root)
    site = build_site(config)
    assert _digests(site) == expected
    copies = _copies_of(site, data)
    assert len(copies) == 3 and all(info.st_nlink == 1 for info in copies)
    assert len({info.st_ino for info in copies}) == 3
    # And a warm rebuild, still unable to link, gives the same site.
    assert _digests(build_site(config)) == expected


def test_link_media_false_copies_everything(tmp_path: Path) -> None:
    config, data = _two_brands_one_sound(tmp_path, link_media=False)
    site = build_site(config)
    copies = _copies_of(site, data)
    assert len(copies) == 3 and all(info.st_nlink == 1 for info in copies)
    assert not (tmp_path / ".cache/sonicguide" / media.MEDIA_KIND).exists()


def test_a_later_build_never_writes_through_a_link(tmp_path: Path) -> None:
    """A dirty, non-atomic build rewrites the site in place: the cache entry it was linked from stays."""
    config, data = _two_brands_one_sound(tmp_path, atomic=False)
    site = build_site(config)
    entry = next((tmp_path / ".cache/sonicguide" / media.MEDIA_KIND).rglob("*.wav"))
    assert entry.samefile(site / "a/audio/logo.wav")
    sine(tmp_path / "brands/a/audio/logo.wav", seconds=1.0, sr=16000, freq=440.0)
    new = (tmp_path / "brands/a/audio/logo.wav").read_bytes()
    loaded = load_config(str(config))  # not strict: MkDocs warns about --dirty
    loaded.plugins.on_startup(command="build", dirty=True)
    try:
        build(loaded, dirty=True)
    finally:
        loaded.plugins.on_shutdown()
        root = logging.getLogger(build.__module__.split(".")[0])
        root.handlers[:] = [h for h in root.handlers if type(h).__name__ != "CountHandler"]
    assert (site / "a/audio/logo.wav").read_bytes() == new
    assert entry.read_bytes() == data  # the old cache entry, and b's published copy, are untouched
    assert (site / "b/audio/logo.wav").read_bytes() == data


def test_placer_replaces_instead_of_writing_in_place(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir()
    first, second = root / "first.bin", root / "second.bin"
    first.write_bytes(b"one" * 1000)
    second.write_bytes(b"two" * 1000)
    target = tmp_path / "site/x.bin"
    placer = media.Placer(immutable_root=root)
    placer.place(first, target)
    assert target.samefile(first)
    placer.place(first, target)  # already that inode: nothing changes, no temporary file left
    placer.place(second, target)
    assert target.samefile(second) and first.read_bytes() == b"one" * 1000
    outside = tmp_path / "brand.wav"
    outside.write_bytes(b"source")
    placer.place(outside, tmp_path / "site/a.wav")
    placer.place(outside, tmp_path / "site/b.wav")
    assert not (tmp_path / "site/a.wav").samefile(outside)  # a brand's own file is copied...
    assert (tmp_path / "site/a.wav").samefile(tmp_path / "site/b.wav")  # ...once
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["a.wav", "b.wav", "x.bin"]
    assert (placer.linked, placer.copied) == (4, 1)


def test_site_size_counts_each_content_once(tmp_path: Path) -> None:
    audio = tmp_path / "one.wav"
    audio.write_bytes(b"\0" * 10_000)
    pack = tmp_path / "pack.zip"
    pack.write_bytes(b"\0" * 3_000)
    files: dict[str, bytes | Path] = {"a/audio/one.wav": audio, "b/audio/one.wav": audio, "a/packs/a-all.zip": pack,
                                      "a/brand.json": b"{}\n"}
    total, per_brand = media.site_bytes(files)
    assert total == 13_003
    assert (per_brand["a"].audio, per_brand["a"].packs, per_brand["a"].other) == (10_000, 3_000, 3)
    assert per_brand["b"].total == 10_000
    media.check_site_size(files, max_site_bytes=13_003, brands=["a", "b"])
    media.check_site_size(files, max_site_bytes=0, brands=["a", "b"])
    with pytest.raises(media.SiteSizeError) as caught:
        media.check_site_size(files, max_site_bytes=13_002, brands=["a", "b"])
    message = str(caught.value)
    assert "max_site_bytes" in message and message.index("a 12.7 KiB") < message.index("b 9.8 KiB")
    # Equal bytes at two paths become one path before counting.
    twin = tmp_path / "twin.wav"
    twin.write_bytes(audio.read_bytes())
    unique = media.by_content({"a/x.wav": audio, "b/x.wav": twin}, Cache(None), store=False)
    assert unique == {"a/x.wav": audio, "b/x.wav": audio}


def test_a_site_over_its_size_cap_is_refused_naming_the_brand(tmp_path: Path,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    config, data = _two_brands_one_sound(tmp_path)
    site = build_site(config)
    before = _digests(site)
    config.write_text(config.read_text().replace('"concurrency": 1', '"concurrency": 1, "max_site_bytes": 150000'))
    with caplog.at_level(logging.ERROR), pytest.raises((PluginError, Abort)) as caught:
        build_site(config)
    message = str(caught.value) + "\n" + caplog.text
    assert "max_site_bytes" in message and "Largest brands: b " in message and "downloadable: false" in message
    assert "Traceback" not in message
    assert _digests(site) == before  # the last good site survives
    assert not list(tmp_path.glob("site.sonicguide-*"))
    assert len(data) < 150_000  # one copy of the sound alone would fit; its packs and pages do not


def test_too_many_assets_in_one_brand_is_one_clear_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assets = [{"id": f"cue-{n}", "file": "audio/logo.wav", "role": "ui"} for n in range(4)]
    config = make_project(tmp_path, {"many": brand_yaml("Many", assets=assets), "few": brand_yaml("Few")},
                          plugin_options={"max_assets_per_brand": 3})
    sine(tmp_path / "brands/many/audio/logo.wav", seconds=0.5)
    sine(tmp_path / "brands/few/audio/logo.wav", seconds=0.5)
    with caplog.at_level(logging.ERROR), pytest.raises((PluginError, Abort)) as caught:
        build_site(config)
    message = str(caught.value) + "\n" + caplog.text
    line = next(number for number, text in enumerate((tmp_path / "brands/many/brand.yml").read_text().splitlines(), 1)
                if text == "assets:")
    assert f"brands/many/brand.yml:{line}:1: assets: the brand lists 4 assets; the limit is 3 per brand" in message
    assert "max_assets_per_brand" in message and "brands/few" not in message
    # The core applies the same limit (validate uses it), and 0 means no cap.
    with pytest.raises(BrandError):
        load_brands(tmp_path / "brands", limits=Limits(max_assets_per_brand=3))
    assert len(load_brands(tmp_path / "brands", limits=Limits(max_assets_per_brand=0))) == 2
    assert len(load_brands(tmp_path / "brands", limits=Limits(max_assets_per_brand=4))) == 2


def test_a_warm_build_hashes_nothing_though_the_site_links_the_cache(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Linking an entry changes its change time; the cache must not read that as a rewrite."""
    import shutil

    from sonicguide.core import cache as cache_module

    config, _data = _two_brands_one_sound(tmp_path)
    build_site(config)
    site = build_site(config)
    hashed: list[Path] = []
    real = cache_module.sha256_file

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(cache_module, "sha256_file", counting)
    first = _digests(build_site(config))
    assert hashed == []
    shutil.rmtree(site)  # as `mkdocs serve` empties its folder before each rebuild: link counts drop
    assert _digests(build_site(config)) == first
    assert hashed == []


def test_an_entry_relinked_is_not_hashed_again_but_a_rewrite_is(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    entry = cache.entry_path("packs", "ab" * 32, ".zip")
    assert entry is not None
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"A" * 4096)
    digest = cache.content_hash(entry)
    os.link(entry, tmp_path / "site-copy.zip")  # the change time moves, the link count too
    assert cache.content_hash(entry) == digest
    cache.relinked([entry])
    info = entry.stat()
    with entry.open("r+b") as handle:  # rewritten in place, modification time set back
        handle.write(b"B" * 4096)
    os.utime(entry, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cache.content_hash(entry) != digest


def _bytes_by_inode(*folders: Path) -> int:
    seen: set[tuple[int, int]] = set()
    total = 0
    for folder in folders:
        for path in folder.rglob("*"):
            info = path.lstat()
            if path.is_file() and (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total


def _one_wav_in_touchpoints(root: Path, count: int) -> tuple[Path, Path]:
    ids = [f"tp-{n:02d}" for n in range(count)]
    extra = "touchpoints:\n" + "".join(f"  - {{id: {i}, name: Touchpoint {i}}}\n" for i in ids)
    config = make_project(root, {"acme": brand_yaml("Acme", extra=extra)})
    brand = root / "brands/acme/brand.yml"
    used_at = f"    role: logo\n    touchpoints: [{', '.join(ids)}]\n"
    brand.write_text(brand.read_text().replace("    role: logo\n", used_at))
    return config, sine(root / "brands/acme/audio/logo.wav", seconds=10.0, sr=48000)


def test_one_wav_in_60_touchpoints_is_stored_once_though_61_packs_hold_it(tmp_path: Path) -> None:
    """Issue 15's example: site + cache grow with the unique audio, not with the packs that hold it."""
    config, wav = _one_wav_in_touchpoints(tmp_path / "sixty", 60)
    wav_bytes = wav.stat().st_size
    assert wav_bytes > 1_900_000
    site = build_site(config)
    assert len(list((site / "acme/packs").glob("*.pack.json"))) == 61
    one_config, _ = _one_wav_in_touchpoints(tmp_path / "one", 1)
    one_site = build_site(one_config)
    sixty = _bytes_by_inode(site, tmp_path / "sixty/.cache")
    one = _bytes_by_inode(one_site, tmp_path / "one/.cache")
    # 59 more touchpoints add their pack's small plan, manifest and licence, rows in the page and in
    # brand.json and the render cache's copy of them (about 10 KB each): under half of one WAV (before,
    # 59 more zips of the WAV in the site and in the cache: 118 WAVs).
    assert sixty - one < min(wav_bytes / 2, 59 * 16_000), (one, sixty)
    assert len(_copies_of(site, wav.read_bytes())) == 1  # the page's audio, linked from the cache's one copy
    from sonicguide import cli

    out = tmp_path / "tp-59.zip"
    assert cli.main(["pack", str(site), "acme", "tp-59", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None and archive.read("audio/logo.wav") == wav.read_bytes()
