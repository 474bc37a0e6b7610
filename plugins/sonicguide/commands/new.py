"""``sonicguide new SLUG``: scaffold a brand folder that validates and builds as it is.

Writes ``<dir>/<SLUG>/brand.yml`` (every section present and commented, with the editor modeline
for the schema) and ``<dir>/<SLUG>/audio/placeholder.wav`` (a one-second three-note motif at -23 LUFS, so
that the fresh brand validates and builds, with no conformance warning, before any real audio
exists). Never overwrites: an existing
folder is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from sonicguide.core.load.model import ID_PATTERN

TEMPLATE = "new_brand.yml"
PLACEHOLDER = Path("audio") / "placeholder.wav"
#: Where ``sonicguide schema --output`` puts the schema, relative to the project (mkdocs.yml) folder.
SCHEMA_FILE = Path("schema") / "brand.schema.json"
DEFAULT_SCHEMA_REF = "../../schema/brand.schema.json"
PLACEHOLDER_RATE_HZ = 48000
PLACEHOLDER_DURATION_S = 1.0
#: The motif the scaffold describes: three rising notes, D4, F#4 and A4 (D major), a third of a second each.
PLACEHOLDER_NOTES_HZ = (293.66, 369.99, 440.0)
#: Peak level that puts the motif at -23.0 LUFS (EBU R 128; measured with pyloudnorm, see the tests).
PLACEHOLDER_PEAK_DBFS = -19.0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("new", help="scaffold brands/SLUG/brand.yml with every section commented",
                                   description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("slug", metavar="SLUG", help="folder name: lower-case letters, digits and hyphens")
    parser.add_argument("--dir", default="brands", type=Path, help="the brands folder (default: brands)")
    parser.add_argument("--name", default=None, help="the brand's display name (default: from the slug)")
    parser.set_defaults(func=run)


def brand_yaml(slug: str, *, name: str | None = None, today: dt.date | None = None,
               schema: str = DEFAULT_SCHEMA_REF) -> str:
    """The scaffold ``brand.yml`` text for ``slug``; ``schema`` is the modeline's path or URL."""
    template = resources.files("sonicguide").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    display = name if name is not None else " ".join(part.capitalize() for part in slug.split("-"))
    if not display.strip() or any(ord(char) < 0x20 or ord(char) == 0x7F for char in display):
        raise ValueError(f"{display!r} is not a usable brand name (empty or with control characters).")
    return template.format(name=display, quoted_name=json.dumps(display, ensure_ascii=False),
                           today=(today or dt.date.today()).isoformat(), schema=schema)


def placeholder_wav(path: Path) -> None:
    """Write the placeholder: D4, F#4, A4 (1/3 s each, 10 ms fades), then silence to 1 s; 48 kHz,
    24-bit mono WAV at -23 LUFS, so that a fresh scaffold meets its own EBU R 128 touchpoint."""
    note_count = PLACEHOLDER_RATE_HZ // len(PLACEHOLDER_NOTES_HZ)
    time_s = np.arange(note_count) / PLACEHOLDER_RATE_HZ
    fade = int(0.01 * PLACEHOLDER_RATE_HZ)
    ramp = np.linspace(0.0, 1.0, fade)
    notes = []
    for frequency_hz in PLACEHOLDER_NOTES_HZ:
        note = np.sin(2 * np.pi * frequency_hz * time_s)
        note[:fade] *= ramp
        note[-fade:] *= ramp[::-1]
        notes.append(note)
    signal = np.zeros(int(PLACEHOLDER_RATE_HZ * PLACEHOLDER_DURATION_S))
    motif = np.concatenate(notes)
    signal[: motif.size] = motif * 10 ** (PLACEHOLDER_PEAK_DBFS / 20)
    sf.write(path, signal, PLACEHOLDER_RATE_HZ, subtype="PCM_24", format="WAV")


def create_brand(brands_dir: Path, slug: str, *, name: str | None = None, project_dir: Path | None = None) -> Path:
    """Create ``brands_dir/slug`` with its ``brand.yml`` and placeholder audio; return the folder.

    The editor modeline points at ``<project_dir>/schema/brand.schema.json`` (default: the current
    folder, where ``mkdocs.yml`` usually is).

    Raises ``ValueError`` for an invalid slug and ``FileExistsError`` when the folder exists. The
    folder is assembled in a temporary sibling and renamed into place, so an interruption never
    leaves a half-written brand.
    """
    if not re.match(ID_PATTERN, slug):
        raise ValueError(f"{slug!r} is not a valid slug; use lower-case letters, digits and hyphens, "
                         "starting and ending with a letter or digit (e.g. aurora-rail).")
    target = brands_dir / slug
    if target.exists() or target.is_symlink():
        raise FileExistsError(f"{target.as_posix()} already exists; nothing was changed. "
                              "Choose another slug or edit the existing brand.")
    # The modeline points from the new brand.yml to <project>/schema/brand.schema.json.
    project = (project_dir if project_dir is not None else Path.cwd()).absolute()
    schema = Path(os.path.relpath(project / SCHEMA_FILE, target.absolute())).as_posix()
    text = brand_yaml(slug, name=name, schema=schema)
    brands_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}-", dir=brands_dir))
    try:
        (staging / PLACEHOLDER.parent).mkdir(parents=True)
        placeholder_wav(staging / PLACEHOLDER)
        (staging / "brand.yml").write_text(text, encoding="utf-8", newline="\n")
        staging.chmod(0o755)
        # rename() refuses to replace a non-empty directory, so a folder created meanwhile survives.
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def run(args: argparse.Namespace) -> int:
    try:
        folder = create_brand(args.dir, args.slug, name=args.name)
    except (ValueError, FileExistsError) as exc:
        print(f"sonicguide new: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"sonicguide new: cannot create the brand: {exc}", file=sys.stderr)
        return 1
    print(f"Created {(folder / 'brand.yml').as_posix()} and {(folder / PLACEHOLDER).as_posix()}.")
    print(f"Edit brand.yml, replace the placeholder audio, then run: sonicguide validate {folder.as_posix()}")
    if not SCHEMA_FILE.exists():
        print(f"For completion in your editor, run: sonicguide schema --output {SCHEMA_FILE.as_posix()}")
    return 0
