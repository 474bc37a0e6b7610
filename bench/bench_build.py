"""Build-time benchmark on the reference catalogue (issue 3).

Prints, all measured in this run on this machine:
  cold build; rebuild with nothing changed; rebuild after editing one brand;
  ratio of the no-change rebuild to a plain ``mkdocs build`` of the same pages and media without
  our plugin (goal <= 1.15), and of the one-brand-edit rebuild to the same (goal <= 1.5);
  ratio of the cold build to the floor: decoding every file once, one FFT pass over it, and
  building the pages (goal <= 3);
  peak memory of the build's process tree (goal <= 1 GiB);
  bytes written to disk and time of a no-change rebuild with media hard-linked from the cache
  against the same rebuild copying every file (plugin option ``link_media: false``), as ratios.

Usage: python bench/bench_build.py [--brands 50] [--assets 8] [--seconds 30] [--out bench/out]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import REPO, add_catalogue_options, catalogue_name, make_catalogue


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_build(config: Path, *, env: dict[str, str] | None = None, plugins: Path | None = None) -> tuple[float, int]:
    """Run ``mkdocs build`` in a subprocess; return (seconds, peak tree RSS in bytes).

    ``plugins``: the folder of the sonicguide package to build with (this checkout's by default;
    another revision's from :func:`catalogue.extract_plugins`).
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
                               env={**os.environ, **(env or {}), "PYTHONPATH": str(plugins or REPO / "plugins")},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{stderr.decode(errors='replace')}")
    return elapsed, peak


def run_build_written(config: Path, *, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run ``mkdocs build``; return (seconds, bytes the build's process tree wrote to disk).

    Bytes come from the kernel's block-output count of reaped children (``ru_oublock``, 512-byte
    units, counted when a page is dirtied), so a hard link counts nothing and a copy its size.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock
    seconds, _ = run_build(config, env=env)
    return seconds, (resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock - before) * 512


def site_disk_bytes(site: Path) -> tuple[int, int]:
    """(bytes of the site's distinct inodes, bytes of those shared with another path: cache or site)."""
    inodes: dict[tuple[int, int], os.stat_result] = {}
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            inodes[(info.st_dev, info.st_ino)] = info
    return (sum(info.st_size for info in inodes.values()),
            sum(info.st_size for info in inodes.values() if info.st_nlink > 1))


def measure_media(config: Path, *, env: dict[str, str], repeat: int) -> None:
    """No-change rebuilds with media linked (the default) and copied (``link_media: false``), interleaved."""
    data = json.loads(config.read_text(encoding="utf-8"))
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "sonicguide" in plugin:
            plugin["sonicguide"] = {**plugin["sonicguide"], "link_media": False}
    copy_config = config.with_name("mkdocs.copy.yml")
    copy_config.write_text(json.dumps(data), encoding="utf-8")
    run_build(config, env=env)  # warm: the cache holds its copy of every audio file
    linked: list[tuple[float, int]] = []
    copied: list[tuple[float, int]] = []
    for _ in range(repeat):
        copied.append(run_build_written(copy_config, env=env))
        linked.append(run_build_written(config, env=env))
    site_bytes, shared = site_disk_bytes(config.parent / "site")
    linked_s, copied_s = (statistics.median(s for s, _ in runs) for runs in (linked, copied))
    linked_w, copied_w = (statistics.median(w for _, w in runs) for runs in (linked, copied))
    print(f"no-change rebuild, media linked    {linked_s:7.2f} s  {linked_w / 2**20:9.1f} MiB written "
          f"(medians of {[round(s, 2) for s, _ in linked]} s)")
    print(f"no-change rebuild, media copied    {copied_s:7.2f} s  {copied_w / 2**20:9.1f} MiB written "
          f"(medians of {[round(s, 2) for s, _ in copied]} s)")
    print(f"ratio linked / copied rebuild      {linked_s / copied_s:7.2f}   time")
    print(f"ratio linked / copied rebuild      {linked_w / max(copied_w, 1):7.3f}   bytes written")
    print(f"site after the linked rebuild      {site_bytes / 2**20:7.1f} MiB in distinct files, "
          f"{shared / 2**20:.1f} MiB of it hard links shared with the cache")


def _decode_and_fft(path: str) -> int:
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    data, _ = sf.read(path, dtype="float32", always_2d=True)
    spectrum = np.fft.rfft(data, axis=0)
    return int(spectrum.shape[0])


def floor_decode_fft(files: list[Path], workers: int) -> float:
    """Decode every file once and run one FFT pass over it, on ``workers`` processes."""
    started = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_decode_and_fft, [str(f) for f in files], chunksize=4))
    return time.perf_counter() - started


def plain_project(root: Path, catalogue_config: Path) -> Path:
    """The same pages and media as our build, as ordinary files, with our plugin removed."""
    sys.path.insert(0, str(REPO / "plugins"))
    from mkdocs.config import load_config
    from mkdocs.utils import get_relative_url

    from sonicguide.core.site import BuildOptions, SiteBuild
    from sonicguide.plugin import url_of

    config = load_config(str(catalogue_config))
    base = catalogue_config.parent
    build = SiteBuild(BuildOptions(brands_dir=base / "brands", cache_dir=base / ".cache/sonicguide", workers=2,
                                   display_root=base))
    build.start()

    output = build.finish(lambda target, page: get_relative_url(url_of(target, config), url_of(page, config)))
    build.close()
    docs = root / "docs"
    shutil.rmtree(root, ignore_errors=True)
    docs.mkdir(parents=True)
    for uri, text in output.pages.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(text, encoding="utf-8")
    for uri, content in output.files.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            os.link(content, target)
        else:
            target.write_bytes(content)
    assets = REPO / "plugins/sonicguide/assets"
    for name in ("css/sonicguide.css", "css/player.css", "css/disclosure.css", "js/player.js"):
        target = docs / "assets/sonicguide" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (assets / name).exists():
            shutil.copyfile(assets / name, target)
    plain = {
        "site_name": "Benchmark catalogue (plain)",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "custom_dir": str(REPO / "theme"), "font": False},
        "plugins": ["search"],
        "markdown_extensions": ["attr_list", "toc", "tables"],
        "extra_css": ["assets/sonicguide/css/sonicguide.css", "assets/sonicguide/css/player.css",
                      "assets/sonicguide/css/disclosure.css"],
        "extra_javascript": ["assets/sonicguide/js/player.js"],
    }
    path = root / "mkdocs.yml"
    path.write_text(json.dumps(plain), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the warm, one-edit and plain builds")
    args = parser.parse_args()
    root = args.out / catalogue_name(args)
    print(f"catalogue: {args.brands} brands x {args.assets} assets x {args.seconds:g} s stereo 48 kHz in {root}")
    started = time.perf_counter()
    config = make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
    print(f"  generated/reused in {time.perf_counter() - started:.1f} s")
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    cold, cold_rss = run_build(config, env=env)
    plain_config = plain_project(args.out / "plain", config)
    run_build(plain_config, env=env)  # warm the OS page cache like the rebuilds below have
    edited = root / "brands/brand-000/brand.yml"
    original = edited.read_text(encoding="utf-8")
    # Interleave the three kinds of build and keep each one's median: the machine is shared and
    # noisy, and interleaving exposes all three to the same noise.
    warm_runs: list[float] = []
    edit_runs: list[float] = []
    plain_runs: list[float] = []
    warm_rss = 0
    for round_number in range(args.repeat):
        seconds, rss = run_build(config, env=env)
        warm_runs.append(seconds)
        warm_rss = max(warm_rss, rss)
        edited.write_text(original.replace("A generated brand for benchmarks", f"Edited in round {round_number}"),
                          encoding="utf-8")
        edit_runs.append(run_build(config, env=env)[0])
        edited.write_text(original, encoding="utf-8")
        run_build(config, env=env)  # back to the unedited state (not timed)
        plain_runs.append(run_build(plain_config, env=env)[0])
    warm, one_edit, plain = (statistics.median(runs) for runs in (warm_runs, edit_runs, plain_runs))
    files = sorted(p for p in (root / "brands").rglob("*") if p.suffix in {".wav", ".flac", ".ogg", ".mp3"})
    decode_fft = floor_decode_fft(files, workers=os.cpu_count() or 1)
    floor = decode_fft + plain
    print(f"cold build                         {cold:7.2f} s")
    print(f"rebuild, nothing changed           {warm:7.2f} s  (median of {warm_runs})")
    print(f"rebuild, one brand.yml edited      {one_edit:7.2f} s  (median of {edit_runs})")
    print(f"plain mkdocs build, same pages     {plain:7.2f} s  (median of {plain_runs})")
    print(f"floor: decode + FFT {decode_fft:5.2f} s + pages {plain:5.2f} s = {floor:5.2f} s")
    print(f"ratio no-change rebuild / plain    {warm / plain:7.2f}   (goal <= 1.15)")
    print(f"ratio one-edit rebuild / plain     {one_edit / plain:7.2f}   (goal <= 1.5)")
    print(f"ratio cold build / floor           {cold / floor:7.2f}   (goal <= 3)")
    print(f"peak memory, cold build            {cold_rss / 2**20:7.0f} MiB (goal <= 1024)")
    print(f"peak memory, warm rebuild          {warm_rss / 2**20:7.0f} MiB")
    measure_media(config, env=env, repeat=args.repeat)


if __name__ == "__main__":
    main()
