"""``sonicguide new SLUG``: scaffold a brand folder that validates and builds as it is.

Writes ``<dir>/<SLUG>/brand.yml`` (every section present and commented, with the editor modeline
for the schema) and ``<dir>/<SLUG>/audio/placeholder.wav`` (a one-second 440 Hz tone, so that the
fresh brand validates and builds before any real audio exists). Never overwrites: an existing
folder is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from ..core.model import ID_PATTERN

TEMPLATE = "new_brand.yml"
PLACEHOLDER = Path("audio") / "placeholder.wav"
PLACEHOLDER_RATE_HZ = 48000
PLACEHOLDER_DURATION_S = 1.0
PLACEHOLDER_FREQUENCY_HZ = 440.0
PLACEHOLDER_PEAK_DBFS = -12.0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("new", help="scaffold brands/SLUG/brand.yml with every section commented",
                                   description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("slug", metavar="SLUG", help="folder name: lower-case letters, digits and hyphens")
    parser.add_argument("--dir", default="brands", type=Path, help="the brands folder (default: brands)")
    parser.add_argument("--name", default=None, help="the brand's display name (default: from the slug)")
    parser.set_defaults(func=run)


def brand_yaml(slug: str, *, name: str | None = None, today: dt.date | None = None) -> str:
    """The scaffold ``brand.yml`` text for ``slug``."""
    template = resources.files("sonicguide").joinpath("templates", TEMPLATE).read_text(encoding="utf-8")
    display = name if name is not None else " ".join(part.capitalize() for part in slug.split("-"))
    # The name lands inside double quotes: escape what YAML would read as an escape or an end.
    quoted = display.replace("\\", "\\\\").replace('"', '\\"')
    return template.format(name=quoted, today=(today or dt.date.today()).isoformat())


def placeholder_wav(path: Path) -> None:
    """Write a 1 s, 48 kHz, 16-bit mono 440 Hz tone peaking at -12 dBFS, faded in and out (10 ms)."""
    count = int(PLACEHOLDER_RATE_HZ * PLACEHOLDER_DURATION_S)
    time_s = np.arange(count) / PLACEHOLDER_RATE_HZ
    amplitude = 10 ** (PLACEHOLDER_PEAK_DBFS / 20)
    signal = amplitude * np.sin(2 * np.pi * PLACEHOLDER_FREQUENCY_HZ * time_s)
    fade = int(0.01 * PLACEHOLDER_RATE_HZ)
    ramp = np.linspace(0.0, 1.0, fade)
    signal[:fade] *= ramp
    signal[-fade:] *= ramp[::-1]
    sf.write(path, signal, PLACEHOLDER_RATE_HZ, subtype="PCM_16", format="WAV")


def create_brand(brands_dir: Path, slug: str, *, name: str | None = None) -> Path:
    """Create ``brands_dir/slug`` with its ``brand.yml`` and placeholder audio; return the folder.

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
    brands_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}-", dir=brands_dir))
    try:
        (staging / PLACEHOLDER.parent).mkdir(parents=True)
        placeholder_wav(staging / PLACEHOLDER)
        (staging / "brand.yml").write_text(brand_yaml(slug, name=name), encoding="utf-8", newline="\n")
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
    return 0
