"""Disk use of delivery packs: one WAV used by many touchpoints (issue 15's example), site + cache.

    PYTHONPATH=plugins python bench/bench_pack_disk.py [--megabytes 10] [--touchpoints 60] [--before 68a38ba]

Writes one brand whose single stereo 48 kHz 16-bit WAV of about ``--megabytes`` MB is used by
``--touchpoints`` touchpoints (so the brand has that many touchpoint packs plus its whole-brand
pack), builds it cold with ``mkdocs build`` in a fresh process with this checkout's ``plugins``
(and, with ``--before REV``, with the code of git revision REV, extracted with ``git archive``),
and counts the bytes of the site and of the cache by inode (a file with several hard links
counted once; apparent size and allocated blocks), printed as MB and as a multiple of the WAV.
Disk use should grow with unique audio: about one WAV in the site (linked from the cache's copy).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import REPO, brand_yaml, extract_plugins, synth


def make_project(root: Path, *, megabytes: float, touchpoints: int) -> tuple[Path, int]:
    """The project folder; returns its mkdocs.yml and the WAV's size in bytes."""
    seconds = megabytes * 1e6 / (48000 * 2 * 2)
    wav = root / "brands/acme/audio/theme.wav"
    wav.parent.mkdir(parents=True)
    sf.write(wav, synth(7, seconds=seconds), 48000, subtype="PCM_16")
    text = brand_yaml(1, ["audio/theme.wav"])
    ids = [f"tp-{n:03d}" for n in range(touchpoints)]
    text = text.replace("touchpoints:\n  - {id: web, name: Web, loudness: {standard: spotify}}\n",
                        "touchpoints:\n" + "".join(f"  - {{id: {i}, name: Touchpoint {i}}}\n" for i in ids))
    text = text.replace("    touchpoints: [web]\n", f"    touchpoints: [{', '.join(ids)}]\n")
    (root / "brands/acme/brand.yml").write_text(text, encoding="utf-8")
    (root / "docs").mkdir()
    config = {"site_name": "Pack disk use", "docs_dir": "docs", "site_dir": "site",
              "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False},
              "plugins": ["search", {"sonicguide": {"brands_dir": "brands", "cache_dir": ".cache/sonicguide",
                                                    "concurrency": 1}}]}
    path = root / "mkdocs.yml"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path, wav.stat().st_size



def disk_use(*folders: Path) -> tuple[int, int]:
    """Apparent bytes and allocated bytes of every file under ``folders``, each inode once."""
    seen: set[tuple[int, int]] = set()
    size = blocks = 0
    for folder in folders:
        for path in folder.rglob("*"):
            info = path.lstat()
            if not path.is_file() or path.is_symlink() or (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            size += info.st_size
            blocks += info.st_blocks * 512
    return size, blocks


def build(plugins: Path, config: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(plugins), "NO_MKDOCS_2_WARNING": "1", "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True, env=env,
                   cwd=config.parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--touchpoints", type=int, default=60)
    parser.add_argument("--before", metavar="REV", help="also measure the code of this git revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        versions = [("this checkout", REPO / "plugins")]
        if args.before:
            versions.insert(0, (args.before, extract_plugins(args.before, root / "before")))
        print(f"one WAV used by {args.touchpoints} touchpoints ({args.touchpoints + 1} packs), cold build")
        print(f"{'code':<16} {'WAV MB':>7} {'site MB':>8} {'cache MB':>9} {'both MB':>8} {'x WAV':>6} "
              f"{'on disk MB':>10}")
        for name, plugins in versions:
            project = root / f"project-{len(name)}-{abs(hash(name))}"
            config, wav_bytes = make_project(project, megabytes=args.megabytes, touchpoints=args.touchpoints)
            build(plugins, config)
            site, _ = disk_use(project / "site")
            cache, _ = disk_use(project / ".cache")
            both, allocated = disk_use(project / "site", project / ".cache")
            print(f"{name:<16} {wav_bytes / 1e6:7.1f} {site / 1e6:8.1f} {cache / 1e6:9.1f} {both / 1e6:8.1f} "
                  f"{both / wav_bytes:6.2f} {allocated / 1e6:10.1f}")


if __name__ == "__main__":
    main()
