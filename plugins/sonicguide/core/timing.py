"""Where a build's time goes, stage by stage; off (and free) unless ``SONICGUIDE_TIMINGS`` is set.

``SONICGUIDE_TIMINGS=1`` makes the build log one line of seconds per stage; a value ending in
``.json`` also writes them to that file (``bench/bench_stages.py`` reads it). Analysis stages
(decode, loudness, true peak, spectra, tempo and key, charts, peaks) are seconds of work summed
over the worker processes, each measured in the worker and sent back with its result; the others
are wall-clock seconds of the main process. When off, :func:`stage` returns one shared no-op
context manager and the per-block loops take their untimed branch.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import TypeVar

ENV = "SONICGUIDE_TIMINGS"
T = TypeVar("T")
_NULL: AbstractContextManager[None] = contextlib.nullcontext()
_totals: dict[str, float] = {}


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def add(name: str, seconds: float) -> None:
    _totals[name] = _totals.get(name, 0.0) + seconds


@contextlib.contextmanager
def _timed(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        add(name, time.perf_counter() - started)


def stage(name: str) -> AbstractContextManager[None]:
    """Time the ``with`` block as ``name`` (a no-op when timings are off)."""
    return _timed(name) if enabled() else _NULL


def timed_iter(name: str, items: Iterator[T]) -> Iterator[T]:
    """``items``, with the time spent producing each one added to ``name``."""
    while True:
        started = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            add(name, time.perf_counter() - started)
            return
        add(name, time.perf_counter() - started)
        yield item


def take() -> dict[str, float]:
    """The stages timed so far in this process, then forgotten (a worker sends them back with its result)."""
    taken = dict(_totals)
    _totals.clear()
    return taken


def merge(times: Mapping[str, float]) -> None:
    for name, seconds in times.items():
        add(name, float(seconds))


def report_path() -> str | None:
    value = os.environ.get(ENV, "")
    return value if value.endswith(".json") else None
