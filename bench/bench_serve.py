"""Live preview: seconds from saving one brand.yml to ``mkdocs serve`` serving the new page (issue 16).

Starts ``mkdocs serve`` on a generated catalogue (``bench/catalogue.py``), waits for the first build,
then, ``--rounds`` times: writes a new tagline into one brand.yml and polls that brand's page over
HTTP until the new text is in it, then until the server's log says it reloads the browsers (the
whole rebuild done: a browser with the page open reloads then). Prints each round's seconds and their
medians (goal: <= 3 s at 50 brands). The first build is cold unless the catalogue's cache is already filled (run
``bench/bench_build.py`` or a ``mkdocs build`` on it first to measure a warm preview only).

    PYTHONPATH=plugins python bench/bench_serve.py [--brands 50] [--assets 8] [--seconds 30] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from catalogue import REPO, add_catalogue_options, catalogue_name, make_catalogue


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def page_text(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, text: str, *, timeout_s: float, poll_s: float = 0.05) -> float:
    """Seconds until the page at ``url`` contains ``text`` (raises after ``timeout_s``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        body = page_text(url)
        if body is not None and text in body:
            return time.perf_counter() - started
        time.sleep(poll_s)
    raise SystemExit(f"{url} did not show {text!r} within {timeout_s:.0f} s")


def log_count(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8", errors="replace").count(text)


def wait_for_log(path: Path, text: str, count: int, *, timeout_s: float) -> float:
    """Seconds until ``text`` appears ``count`` times in the log at ``path`` (raises after ``timeout_s``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if log_count(path, text) >= count:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit(f"{path} did not say {text!r} {count} times within {timeout_s:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_catalogue_options(parser)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--first-build-timeout", type=float, default=3600.0)
    args = parser.parse_args()
    # A terminated benchmark still stops the server it started (the finally block below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    root = args.out / catalogue_name(args)
    config = make_catalogue(root, brands=args.brands, assets=args.assets, seconds=args.seconds)
    edited = root / "brands/brand-000/brand.yml"
    original = edited.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/brand-000/"
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_MKDOCS_2_WARNING": "1",
           "SOURCE_DATE_EPOCH": "1767225600"}
    log_path = root / "serve.log"
    print(f"catalogue: {args.brands} brands x {args.assets} assets x {args.seconds:g} s; serving on port {port}; "
          f"log in {log_path}", flush=True)
    with log_path.open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a",
                                   f"127.0.0.1:{port}"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        times: list[float] = []
        reloads: list[float] = []
        try:
            first = wait_for(url, "Benchmark Brand 000", timeout_s=args.first_build_timeout)
            wait_for_log(log_path, "Serving on", 1, timeout_s=args.first_build_timeout)
            print(f"first build served after {first:.1f} s", flush=True)
            for round_number in range(args.rounds):
                marker = f"Edited live, round {round_number} at {time.time():.0f}"
                time.sleep(1.0)  # a new modification time, and the watcher settled after the last build
                reloaded = log_count(log_path, "Reloading browsers")
                saved = time.perf_counter()
                edited.write_text(original.replace("A generated brand for benchmarks", marker), encoding="utf-8")
                wait_for(url, marker, timeout_s=600)
                seconds = time.perf_counter() - saved
                times.append(seconds)
                wait_for_log(log_path, "Reloading browsers", reloaded + 1, timeout_s=600)
                reloads.append(time.perf_counter() - saved)
                print(f"round {round_number}: new page served {seconds:.2f} s after the save, browsers reloaded "
                      f"after {reloads[-1]:.2f} s", flush=True)
        finally:
            edited.write_text(original, encoding="utf-8")
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    print(f"save -> new page served, median of {len(times)}: {statistics.median(times):.2f} s (goal <= 3 s)")
    print(f"save -> rebuild done, browsers reloaded, median of {len(reloads)}: {statistics.median(reloads):.2f} s")


if __name__ == "__main__":
    main()
