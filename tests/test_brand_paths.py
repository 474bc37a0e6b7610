"""Asset paths are resolved only inside the brand folder, to regular, non-empty, bounded files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardening_fixtures import MINIMAL_BRAND, make_brand, write_tone
from profiles import examples
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import Limits, load_brand, load_brands, resolve_asset_path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    brand = make_brand(tmp_path / "brands", "paths")
    write_tone(tmp_path / "outside" / "secret.wav")
    return brand


def resolve(folder: Path, relative: str, limits: Limits | None = None) -> tuple[Path | None, str | None]:
    return resolve_asset_path(relative, folder, Path(os.path.realpath(folder)), limits or Limits())


@pytest.mark.parametrize(("relative", "words"), [
    ("../outside/secret.wav", "leaves the brand folder"),
    ("audio/../../outside/secret.wav", "leaves the brand folder"),
    ("/etc/passwd.wav", "is absolute"),
    ("https://example.org/a.wav", "is a URL or drive path"),
    ("file:///etc/passwd", "is a URL or drive path"),
    ("file:audio/logo.wav", "is a URL or drive path"),
    ("data:audio/wav;base64,UklGRg==", "is a URL or drive path"),
    ("javascript:alert(1)//.wav", "is a URL or drive path"),
    ("C:/audio/logo.wav", "is a URL or drive path"),
    ("C:\\audio\\logo.wav", "is a URL or drive path"),
    ("\\\\server\\share\\logo.wav", "uses backslashes"),
    ("audio\\logo.wav", "uses backslashes"),
    ("//server/share/logo.wav", "is a URL or drive path"),
    ("audio/logo\n.wav", "control characters"),
    ("audio/logo.txt", "is not an audio file we read"),
    ("audio/logo", "is not an audio file we read"),
    ("audio/LOGO.wav", "does not exist"),
])
def test_refused_paths(folder: Path, relative: str, words: str) -> None:
    path, message = resolve(folder, relative)
    assert path is None and message is not None and words in message


@pytest.mark.parametrize("relative", ["audio/logo.wav", "./audio/logo.wav", "audio//logo.wav",
                                      " audio/logo.wav "])
def test_accepted_spellings_resolve_to_the_real_file(folder: Path, relative: str) -> None:
    assert resolve(folder, relative) == (Path(os.path.realpath(folder / "audio/logo.wav")), None)


def test_symlinked_directory_pointing_out_is_refused(folder: Path) -> None:
    (folder / "linked").symlink_to(folder.parent.parent / "outside", target_is_directory=True)
    assert "points outside the brand folder" in str(resolve(folder, "linked/secret.wav")[1])


def test_symlink_chain_that_ends_outside_is_refused(folder: Path) -> None:
    (folder / "audio" / "hop2.wav").symlink_to(folder.parent.parent / "outside" / "secret.wav")
    (folder / "audio" / "hop1.wav").symlink_to("hop2.wav")
    assert "points outside the brand folder" in str(resolve(folder, "audio/hop1.wav")[1])


def test_symlink_inside_the_folder_is_fine_and_resolved(folder: Path) -> None:
    (folder / "audio" / "alias.wav").symlink_to("logo.wav")
    assert resolve(folder, "audio/alias.wav") == (Path(os.path.realpath(folder / "audio/logo.wav")), None)


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_device_files_via_links_are_refused(folder: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} missing")
    (folder / "audio" / "dev.wav").symlink_to(device)
    path, message = resolve(folder, "audio/dev.wav")
    assert path is None and message is not None


def test_fifo_is_refused_without_blocking(folder: Path) -> None:
    os.mkfifo(folder / "audio" / "pipe.wav")  # opening it for reading would block forever
    assert "not a regular file" in str(resolve(folder, "audio/pipe.wav")[1])


def test_folder_named_like_audio_is_refused(folder: Path) -> None:
    (folder / "audio" / "x.wav").mkdir()
    assert "not a regular file" in str(resolve(folder, "audio/x.wav")[1])


def test_empty_and_oversize_files(folder: Path) -> None:
    (folder / "audio" / "empty.wav").write_bytes(b"")
    assert "is empty (0 bytes)" in str(resolve(folder, "audio/empty.wav")[1])
    size = (folder / "audio" / "logo.wav").stat().st_size
    assert resolve(folder, "audio/logo.wav", Limits(max_audio_bytes=size))[1] is None
    message = resolve(folder, "audio/logo.wav", Limits(max_audio_bytes=size - 1))[1]
    assert message == (f"'audio/logo.wav' is {size:,} bytes; the limit is {size - 1:,} "
                       "(plugin option max_audio_bytes).")


def test_brand_folder_linked_from_inside_brands_is_fine(tmp_path: Path) -> None:
    brands = tmp_path / "brands"
    make_brand(brands, "_shared")  # underscore folders are not brands themselves
    (brands / "alias").symlink_to(brands / "_shared", target_is_directory=True)
    (loaded,) = load_brands(brands)
    assert loaded.slug == "alias"


def test_brand_folder_linked_from_outside_is_refused(tmp_path: Path) -> None:
    make_brand(tmp_path / "elsewhere", "real")
    (tmp_path / "brands").mkdir()
    (tmp_path / "brands" / "linked").symlink_to(tmp_path / "elsewhere" / "real", target_is_directory=True)
    with pytest.raises(BrandError) as caught:
        load_brands(tmp_path / "brands", display_root=tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        "brands/linked/brand.yml: (document): the brand folder is a link that leaves the brands folder; "
        "move the brand inside it."]


def test_brand_yml_that_is_a_folder_or_fifo(tmp_path: Path) -> None:
    for kind in ("folder", "fifo"):
        brand = tmp_path / kind / "x"
        brand.mkdir(parents=True)
        if kind == "folder":
            (brand / "brand.yml").mkdir()
        else:
            os.mkfifo(brand / "brand.yml")
        with pytest.raises(BrandError) as caught:
            load_brand(brand, display_root=tmp_path)
        assert "must be a regular file" in caught.value.problems[0].message


def test_markup_in_paths_is_only_ever_a_path(folder: Path) -> None:
    name = "<img src=x onerror=alert(1)>.wav"
    write_tone(folder / "audio" / name)
    assert resolve(folder, f"audio/{name}") == (Path(os.path.realpath(folder / "audio" / name)), None)


def test_path_problems_are_reported_with_model_problems(tmp_path: Path) -> None:
    text = MINIMAL_BRAND.replace("role: logo", "role: jingle").replace("audio/logo.wav", "/etc/x.wav")
    make_brand(tmp_path, "both", text)
    with pytest.raises(BrandError) as caught:
        load_brand(tmp_path / "both", display_root=tmp_path)
    assert [problem.field for problem in caught.value.problems] == ["assets[0].file", "assets[0].role"]


def test_unreadable_brand_file_is_a_problem_not_a_traceback(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root here, so chmod cannot make a file unreadable: fail the read instead."""
    make_brand(tmp_path, "locked")
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "brand.yml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(BrandError) as caught:
        load_brand(tmp_path / "locked", display_root=tmp_path)
    assert [str(problem) for problem in caught.value.problems] == [
        "locked/brand.yml: (document): cannot be read (Permission denied); check its permissions."]


PATH_PIECES = ["audio", "logo.wav", "out", "secret.wav", "loop", "..", ".", "/", "//", "\\", ":", "C:", "~",
               "file:", "https:", "\x00", "\n", " ", "é", "%2e%2e", ".wav", "dev.wav", "pipe.wav"]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PATH_PIECES) | st.text(max_size=6), max_size=8).map("".join))
def test_any_path_resolves_inside_to_a_regular_file_or_is_refused(hostile_tree: Path, relative: str) -> None:
    folder_real = Path(os.path.realpath(hostile_tree))
    path, message = resolve_asset_path(relative, hostile_tree, folder_real, Limits())
    if path is None:
        assert message
    else:
        assert message is None
        assert path.is_relative_to(folder_real) and path.is_file() and not path.is_symlink()


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A brand folder with every kind of trap: links out, a link loop, a device link, a FIFO."""
    root = tmp_path_factory.mktemp("hostile")
    folder = make_brand(root / "brands", "trap")
    write_tone(root / "outside" / "secret.wav")
    (folder / "out").symlink_to(root / "outside", target_is_directory=True)
    (folder / "audio" / "secret.wav").symlink_to(root / "outside" / "secret.wav")
    (folder / "loop").symlink_to("loop")
    (folder / "audio" / "dev.wav").symlink_to("/dev/null")
    os.mkfifo(folder / "audio" / "pipe.wav")
    return folder
