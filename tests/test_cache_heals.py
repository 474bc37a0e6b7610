"""A cache that heals (issue 15, item 6): changed inputs are noticed, damaged entries are discarded,
made again and reported, and never published."""

from __future__ import annotations

import json
import logging
import os
import zipfile
from pathlib import Path

import pytest

from sitehelpers import brand_yaml, build_site, make_project, sine
from sonicguide import cli
from sonicguide.core.cache import Cache, sidecar, write_entry

# -- unit: the manifest notices rewrites ------------------------------------------------------------


def _rewrite_keeping_size_and_mtime(path: Path, data: bytes, *, in_place: bool) -> None:
    info = path.stat()
    assert len(data) == info.st_size
    if in_place:
        with path.open("r+b") as handle:  # same inode
            handle.write(data)
    else:
        temp = path.with_name(path.name + ".new")
        temp.write_bytes(data)
        temp.replace(path)  # new inode
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_mtime_ns == info.st_mtime_ns and path.stat().st_size == info.st_size


@pytest.mark.parametrize("in_place", [True, False])
@pytest.mark.parametrize("reopen", [False, True])
def test_a_rewrite_with_the_same_size_and_mtime_is_noticed(tmp_path: Path, in_place: bool, reopen: bool) -> None:
    source = tmp_path / "a.wav"
    source.write_bytes(b"A" * 4096)
    cache = Cache(tmp_path / "cache")
    before = cache.content_hash(source)
    if reopen:  # across builds: through the saved manifest
        cache.save()
        cache = Cache(tmp_path / "cache")
        assert cache.content_hash(source) == before
    _rewrite_keeping_size_and_mtime(source, b"B" * 4096, in_place=in_place)
    assert cache.content_hash(source) != before


# -- unit: entries are verified on read -----------------------------------------------------------------


def _json_entry(cache: Cache, value: object) -> Path:
    cache.put_json("analysis", "ab" * 32, value)
    path = cache.entry_path("analysis", "ab" * 32, ".json")
    assert path is not None
    return path


def _shape(value: object) -> dict[str, object]:
    if not isinstance(value, dict) or "summary" not in value:
        raise TypeError("not an analysis record")
    return value


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip a byte keeping mtime", "empty", "binary"])
def test_damaged_json_entries_are_discarded_with_a_warning(tmp_path: Path, damage: str) -> None:
    cache = Cache(tmp_path)
    path = _json_entry(cache, {"summary": {"lufs": -14.0}})
    raw = path.read_bytes()
    info = path.stat()
    damaged = {"truncate": raw[: len(raw) // 2], "garbage": b"{not json", "empty": b"",
               "binary": b"\x00\xff" * 8,
               "flip a byte keeping mtime": raw.replace(b"-14.0", b"-24.0")}[damage]
    path.write_bytes(damaged)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cache.get_json("analysis", "ab" * 32, load=_shape) is None
    assert not path.exists() and not sidecar(path).exists()
    assert len(cache.warnings) == 1 and str(path) in cache.warnings[0] and "made again" in cache.warnings[0]
    assert cache.get_json("analysis", "ab" * 32) is None and len(cache.warnings) == 1  # now a plain miss


@pytest.mark.parametrize("value", [[1, 2], "text", {"other": 1}, None, 3.5])
def test_wrong_shaped_json_entries_are_discarded(tmp_path: Path, value: object) -> None:
    cache = Cache(tmp_path)
    path = _json_entry(cache, value)  # a sound checksum, the wrong shape
    assert cache.get_json("analysis", "ab" * 32, load=_shape) is None
    assert not path.exists() and "was damaged" in cache.warnings[0]


def test_entries_without_a_sidecar_are_misses_without_a_warning(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = _json_entry(cache, {"summary": {}})
    sidecar(path).unlink()  # an older version's entry, or a write interrupted between the two files
    assert cache.get_json("analysis", "ab" * 32, load=_shape) is None
    assert not path.exists() and cache.warnings == []


@pytest.mark.parametrize("suffix, kind", [(".svg", "charts"), (".zip", "packs"), (".png", "social")])
def test_damaged_file_entries_are_discarded(tmp_path: Path, suffix: str, kind: str) -> None:
    cache = Cache(tmp_path)
    path = cache.entry_path(kind, "cd" * 32, suffix)
    assert path is not None
    write_entry(path, b"x" * 1000)
    assert cache.verified(kind, "cd" * 32, suffix) == path
    info = path.stat()
    with path.open("r+b") as handle:
        handle.seek(500)
        handle.write(b"y")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cache.verified(kind, "cd" * 32, suffix) is None
    assert not path.exists() and "was damaged" in cache.warnings[0]


@pytest.mark.parametrize("manifest", [b"{trunc", b"[]", b'{"version": 2, "files": {"x": {"size": "big"}}}',
                                      b"\xff\xfe"])
def test_a_damaged_manifest_is_rebuilt(tmp_path: Path, manifest: bytes) -> None:
    (tmp_path / "manifest.json").write_bytes(manifest)
    source = tmp_path / "a.wav"
    source.write_bytes(b"abc")
    cache = Cache(tmp_path)
    assert len(cache.content_hash(source)) == 64
    cache.save()
    assert json.loads((tmp_path / "manifest.json").read_text())["version"] == 2


# -- site: damaged cached charts, packs, cards and records are made again, never published -------------


def _pack(site: Path, folder: Path) -> Path:
    """acme's whole-brand pack as `sonicguide pack` puts it together from the site (checking its SHA-256)."""
    out = folder / "acme-all.zip"
    assert cli.main(["pack", str(site), "acme", "-o", str(out)]) == 0
    return out


def _published(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix in {".svg", ".zip", ".png", ".json"} and "search" not in p.name}


def _damage(path: Path, how: str) -> None:
    info = path.stat()
    raw = path.read_bytes()
    if how == "truncate":
        path.write_bytes(raw[: len(raw) // 3])
    elif how == "flip":
        path.write_bytes(raw[:100] + bytes([raw[100] ^ 0xFF]) + raw[101:])
    elif how == "shape":
        data = b'{"summary":[]}'
        path.write_bytes(data)
        write_entry(path, data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_damaged_cache_heals_and_is_never_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    sine(tmp_path / "brands/acme/audio/logo.wav", seconds=2.0, sr=16000)
    site = build_site(config)
    reference = _published(site)
    cache = tmp_path / ".cache" / "sonicguide"
    targets = {
        "chart": (sorted((cache / "charts").rglob("*.svg"))[0], "truncate"),
        "pack": (sorted((cache / "packs").rglob("*.json"))[0], "truncate"),
        "crc32": (sorted((cache / "crc32").rglob("*.json"))[0], "truncate"),
        "card": (sorted((cache / "social").rglob("*.png"))[0], "truncate"),
        "analysis": (sorted((cache / "analysis").rglob("*.json"))[0], "shape"),
        "yaml": (sorted((cache / "yaml").rglob("*.json"))[0], "flip"),
        "peaks": (sorted((cache / "peaks").rglob("*.json"))[0], "truncate"),
    }
    for path, how in targets.values():
        _damage(path, how)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        site = build_site(config, strict=False)
    assert _published(site) == reference
    messages = [r.getMessage() for r in caplog.records if "was damaged" in r.getMessage()]
    for name, (path, _) in targets.items():
        # A part of an analysis discards the whole record, so charts/peaks may be made again silently.
        if name in {"pack", "crc32", "card", "yaml", "analysis"}:
            assert any(str(path) in m for m in messages), f"{name}: {messages}"
    with zipfile.ZipFile(_pack(site, tmp_path)) as archive:
        assert archive.testzip() is None
    caplog.clear()
    build_site(config)  # healed: a strict build is clean again


def test_audio_rewritten_with_the_same_size_and_mtime_is_measured_again(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"acme": brand_yaml("Acme")})
    wav = sine(tmp_path / "brands/acme/audio/logo.wav", seconds=2.0, sr=16000, dbfs=-20.0)
    site = build_site(config)
    before = json.loads((site / "acme" / "brand.json").read_text())
    loud = tmp_path / "loud.wav"
    sine(loud, seconds=2.0, sr=16000, dbfs=-6.0)
    _rewrite_keeping_size_and_mtime(wav, loud.read_bytes(), in_place=True)
    site = build_site(config)
    after = json.loads((site / "acme" / "brand.json").read_text())
    assert (site / "acme" / "audio" / "logo.wav").read_bytes() == loud.read_bytes()
    assert json.dumps(after) != json.dumps(before)
    with zipfile.ZipFile(_pack(site, tmp_path)) as archive:
        assert archive.read("audio/logo.wav") == loud.read_bytes()
        manifest = json.loads(archive.read("manifest.json"))
    import hashlib

    assert manifest["files"][0]["sha256"] == hashlib.sha256(loud.read_bytes()).hexdigest()
