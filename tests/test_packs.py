"""Delivery pack zips: deterministic bytes whatever the source files' times and modes."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from sonicguide.core.views.packs import ZIP_EPOCH, member_path, write_pack


def _sources(folder: Path, *, mtime: int, mode: int) -> list[tuple[str, bytes | Path]]:
    folder.mkdir(parents=True)
    audio = folder / "logo.wav"
    audio.write_bytes(bytes(range(256)) * 40)
    os.utime(audio, (mtime, mtime))
    audio.chmod(mode)
    return [("manifest.json", b'{"files": []}\n'), ("audio/logo.wav", audio), ("LICENSE.txt", b"Owner: us\n")]


def test_same_content_gives_the_same_zip_whatever_times_and_modes(tmp_path: Path) -> None:
    write_pack(tmp_path / "a.zip", _sources(tmp_path / "one", mtime=1_000_000_000, mode=0o600))
    write_pack(tmp_path / "b.zip", _sources(tmp_path / "two", mtime=1_700_000_000, mode=0o755))
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["LICENSE.txt", "audio/logo.wav", "manifest.json"]
        assert {i.date_time for i in infos} == {ZIP_EPOCH}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        kinds = {i.filename: i.compress_type for i in infos}
        assert kinds == {"LICENSE.txt": zipfile.ZIP_DEFLATED, "audio/logo.wav": zipfile.ZIP_STORED,
                         "manifest.json": zipfile.ZIP_DEFLATED}
        data = archive.read("audio/logo.wav")
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(bytes(range(256)) * 40).hexdigest()
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_member_paths_keep_the_brand_folder_layout_and_never_take_the_pack_names() -> None:
    assert member_path("audio/logo.wav") == "audio/logo.wav"
    assert member_path(" ./audio/../logo.wav ") == "logo.wav"
    assert member_path("manifest.json") == "audio/manifest.json"
    assert member_path("LICENSE.txt") == "audio/LICENSE.txt"
