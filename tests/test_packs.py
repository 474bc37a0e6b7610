"""Delivery pack zips laid out as parts (core/zipplan.py): Python's zipfile reads them, ZIP64 included."""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from pathlib import Path

import pytest

from sonicguide.core import zipplan
from sonicguide.core.views.packs import ZIP_EPOCH, member_path


def _zip(contents: dict[str, bytes]) -> tuple[zipplan.Layout, bytes]:
    members = [zipplan.Member(name, len(data), zlib.crc32(data), name) for name, data in sorted(contents.items())]
    plan = zipplan.layout(members)
    return plan, b"".join(zipplan.chunks(plan.parts, lambda member: io.BytesIO(contents[member.source])))


def test_a_layout_is_a_zip_that_zipfile_reads_with_every_member_stored_and_normalised() -> None:
    contents = {"manifest.json": b'{"files": []}\n', "audio/logo.wav": bytes(range(256)) * 40,
                "LICENSE.txt": b"Owner: us\n", "audio/caf\u00e9 \u266a.wav": b"", "audio/one byte": b"x"}
    plan, data = _zip(contents)
    assert len(data) == plan.size_bytes
    # Header bytes and members alternate: consecutive header bytes are one part, each member one reference.
    assert [isinstance(part, bytes) for part in plan.parts] == [True, False] * len(contents) + [True]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(contents)
        assert {i.date_time for i in infos} == {ZIP_EPOCH}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        assert {i.filename: archive.read(i) for i in infos} == contents
    assert _zip(dict(reversed(contents.items())))[1] == data  # same members, same bytes


def test_duplicate_or_empty_names_are_refused() -> None:
    with pytest.raises(ValueError):
        zipplan.layout([zipplan.Member("a", 1, 0, "x"), zipplan.Member("a", 1, 0, "y")])
    with pytest.raises(ValueError):
        zipplan.layout([zipplan.Member("", 1, 0, "x")])


def test_a_source_of_another_size_than_the_layout_says_is_an_error_not_a_corrupt_zip() -> None:
    plan = zipplan.layout([zipplan.Member("a.wav", 4, zlib.crc32(b"abcd"), "a.wav")])
    for wrong in (b"abc", b"abcde"):
        with pytest.raises(ValueError, match=r"a\.wav does not hold the 4 bytes"):
            b"".join(zipplan.chunks(plan.parts, lambda _member, wrong=wrong: io.BytesIO(wrong)))


def test_more_than_65535_members_get_a_zip64_end_record() -> None:
    contents = {f"cue-{n:05d}.wav": bytes([n % 251]) for n in range(65_537)}
    _plan, data = _zip(contents)
    assert b"PK\x06\x06" in data[-200:] and b"PK\x06\x07" in data[-200:]  # ZIP64 end record and locator
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert len(infos) == 65_537
        assert archive.read("cue-65536.wav") == bytes([65_536 % 251])
        assert archive.testzip() is None


def test_a_member_over_4_gib_gets_zip64_sizes_and_the_members_after_it_zip64_offsets(tmp_path: Path) -> None:
    """Laid out with a fake 4.5 GiB member (its bytes never written: a sparse file), zipfile finds
    every member where the layout put it."""
    huge = 9 * 2**29  # 4.5 GiB
    tail = b"after the big one"
    members = [zipplan.Member("a-huge.wav", huge, 0, "huge"), zipplan.Member("b-small.txt", len(tail),
                                                                              zlib.crc32(tail), "small")]
    plan = zipplan.layout(members)
    target = tmp_path / "sparse.zip"
    with target.open("wb") as sink:
        for part in plan.parts:
            if isinstance(part, bytes):
                sink.write(part)
            elif part.source == "huge":
                sink.seek(part.size_bytes, io.SEEK_CUR)  # a hole, no disk used
            else:
                sink.write(tail)
    assert target.stat().st_size == plan.size_bytes > 2**32
    with zipfile.ZipFile(target) as archive:
        sizes = {info.filename: (info.file_size, info.compress_size) for info in archive.infolist()}
        assert sizes == {"a-huge.wav": (huge, huge), "b-small.txt": (len(tail), len(tail))}
        assert archive.getinfo("b-small.txt").header_offset > 2**32
        assert archive.read("b-small.txt") == tail


def test_sha256_and_size_of_a_stream() -> None:
    assert zipplan.sha256_and_size([b"ab", b"c"]) == (hashlib.sha256(b"abc").hexdigest(), 3)


def test_member_paths_keep_the_brand_folder_layout_and_never_take_the_pack_names() -> None:
    assert member_path("audio/logo.wav") == "audio/logo.wav"
    assert member_path(" ./audio/../logo.wav ") == "logo.wav"
    assert member_path("manifest.json") == "audio/manifest.json"
    assert member_path("LICENSE.txt") == "audio/LICENSE.txt"
