"""The bad-input corpus: every case in ``tests/bad_inputs/cases.yml`` is loaded like a real brand
and must produce exactly the problems listed, as a user reads them (``file:line:column: field:
message``), all in one run. Cases marked ``valid`` must load and keep the values listed.

Files whose hostility is in their bytes (NUL, invalid UTF-8, a 1 MB file) or in the file system
(symlinks, FIFOs, devices, folders named like audio) are built at run time from the case's
``setup``; nothing binary or special is committed.
"""

from __future__ import annotations

import os
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from hardening_fixtures import write_tone
from sonicguide.core.errors import BrandError
from sonicguide.core.load.brand import BRAND_FILE, Limits, load_brands

HERE = Path(__file__).parent / "bad_inputs"
CASES: list[dict[str, Any]] = YAML(typ="safe", pure=True).load(
    (HERE / "cases.yml").read_text(encoding="utf-8"))


def build_case(case: dict[str, Any], root: Path) -> tuple[Path, Limits]:
    """Lay out ``root/brands/<case>/`` for one case; return the brands folder and the limits."""
    name = case["case"]
    brands = root / "brands"
    folder = brands / name
    folder.mkdir(parents=True)
    source = HERE / case.get("file", f"{name}.yml")
    data = source.read_bytes() if source.exists() else b""
    setup: dict[str, Any] = case.get("setup") or {}
    for old, new in setup.get("replace", []):
        assert old.encode() in data, (name, old)
        data = data.replace(old.encode(), new.encode("utf-8"))
    data = bytes.fromhex(setup.get("prefix_hex", "")) + data + bytes.fromhex(setup.get("suffix_hex", ""))
    if "pad_to_bytes" in setup:
        data += b"#" * (setup["pad_to_bytes"] - len(data))
    if "repeat" in setup:
        text, count = setup["repeat"]
        data = (text * count).encode("utf-8")
    (folder / BRAND_FILE).write_bytes(data)
    outside = root / "outside"
    for relative, kind in (setup.get("audio") or {"audio/logo.wav": "tone"}).items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "tone":
            write_tone(target)
        elif kind == "wav-bytes":  # a WAV under another name (mislabelled)
            write_tone(outside / "real.wav")
            target.write_bytes((outside / "real.wav").read_bytes())
        elif kind == "empty":
            target.write_bytes(b"")
        elif kind == "text":
            target.write_bytes(b"This is not audio, it is a text file saved with a .wav name.\n" * 4)
        elif kind == "folder":
            target.mkdir()
        elif kind == "fifo":
            os.mkfifo(target)
        elif kind == "link-outside":
            target.symlink_to(write_tone(outside / "secret.wav"))
        elif kind == "link-inside":
            write_tone(folder / "audio" / "real.wav")
            target.symlink_to("real.wav")
        elif kind == "link-dev-null":
            target.symlink_to("/dev/null")
        elif kind == "zip":  # a download pack saved under an audio name
            with zipfile.ZipFile(target, "w") as archive:
                archive.writestr("logo.wav", b"RIFF")
        elif kind.startswith(("wav-rate-", "wav-channels-")):  # a tone whose header lies
            write_tone(target)
            data = bytearray(target.read_bytes())
            fmt = data.index(b"fmt ")
            value = int(kind.rsplit("-", 1)[1])
            if kind.startswith("wav-rate-"):
                struct.pack_into("<I", data, fmt + 12, value)
            else:
                struct.pack_into("<H", data, fmt + 10, value)
            target.write_bytes(bytes(data))
        else:
            raise AssertionError(f"unknown audio setup {kind!r}")
    if setup.get("brand_folder") == "link-outside":
        real = outside / "brand-elsewhere"
        outside.mkdir(exist_ok=True)
        folder.rename(real)
        folder.symlink_to(real, target_is_directory=True)
    if setup.get("brand_file") == "link":
        (folder / "real.yml").write_bytes(data)
        (folder / BRAND_FILE).unlink()
        (folder / BRAND_FILE).symlink_to("real.yml")
    limits = Limits(**(case.get("limits") or {}))
    return brands, limits


def run_case(case: dict[str, Any], root: Path) -> list[str]:
    """The problems a user sees for ``case``, each as ``str(Problem)``; ``[]`` when it is valid."""
    brands, limits = build_case(case, root)
    try:
        load_brands(brands, limits=limits, display_root=brands, audio_headers=True)
    except BrandError as error:
        return [str(problem) for problem in error.problems]
    return []


def test_corpus_size() -> None:
    assert len([case for case in CASES if not case.get("valid")]) >= 45


@pytest.mark.parametrize("case", CASES, ids=[case["case"] for case in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    if case.get("fifo") and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    seen = run_case(case, tmp_path)
    prefix = f"{case['case']}/{BRAND_FILE}"
    expected = [f"{prefix}{line}" if line.startswith(":") else f"{prefix}:{line}"
                for line in case.get("expect", [])]
    assert seen == expected


def test_valid_cases_keep_values(tmp_path: Path) -> None:
    """The YAML 1.1 traps stay what the author wrote; markup is stored as written."""
    for case in (case for case in CASES if case.get("valid")):
        root = tmp_path / case["case"]
        brands, limits = build_case(case, root)
        (loaded,) = load_brands(brands, limits=limits, display_root=brands)
        for dotted, value in (case.get("values") or {}).items():
            current: Any = loaded.brand
            for part in dotted.split("."):
                current = current[int(part)] if part.isdigit() else getattr(current, part)
            assert current == value, (case["case"], dotted)


if __name__ == "__main__":  # print what each case produces, to write or review cases.yml
    import tempfile

    for case in CASES if len(sys.argv) < 2 else [c for c in CASES if c["case"] in sys.argv[1:]]:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"- {case['case']}")
            for line in run_case(case, Path(tmp)):
                print(f"    {line}")
