"""Where a build's time goes, stage by stage; off (and free) unless ``SONICGUIDE_TIMINGS`` is set.

``SONICGUIDE_TIMINGS=1`` makes the build log one line of seconds per stage; a value ending in
``.json`` also writes them to that file (``bench/bench_incremental.py`` reads it).

Two kinds of seconds are kept apart:

* **stages of this process** (:func:`stage`): wall-clock seconds, each counted once. A stage
  inside another is taken out of the outer one (``packs`` inside ``our pages``), so the stages
  of the main process add up to the time they cover and a timeline can be checked against the
  build's wall time.
* **work** (:func:`merge`): seconds measured in a worker process (decode, loudness, true peak,
  spectra, tempo and key, charts, peaks), sent back with each result and summed over the workers.
  They overlap the main process' stages (chiefly ``waiting for analysis``) and each other.

:func:`fact` keeps numbers that are not durations of a stage (how many workers, how long the
analysis ran from the pool's start to its last result), for the reader to relate the two.
When off, :func:`stage` returns one shared no-op context manager and the per-block loops take
their untimed branch.
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
_work: dict[str, float] = {}
_facts: dict[str, float] = {}
#: The stages open in this process, innermost last: [name, seconds spent in stages inside it].
_open: list[list[str | float]] = []


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def add(name: str, seconds: float) -> None:
    _totals[name] = _totals.get(name, 0.0) + seconds


@contextlib.contextmanager
def _timed(name: str) -> Iterator[None]:
    frame: list[str | float] = [name, 0.0]
    _open.append(frame)
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        if _open and _open[-1] is frame:
            _open.pop()
        add(name, elapsed - float(frame[1]))
        if _open:
            _open[-1][1] = float(_open[-1][1]) + elapsed


def stage(name: str) -> AbstractContextManager[None]:
    """Time the ``with`` block as ``name``, less the stages inside it (a no-op when timings are off)."""
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
    """Add a worker's seconds of work (see the module docstring: kept apart from this process' stages)."""
    for name, seconds in times.items():
        _work[name] = _work.get(name, 0.0) + float(seconds)


@contextlib.contextmanager
def apart() -> Iterator[dict[str, float]]:
    """Time a block as work done apart from this process' stages (a worker's file, or the same code
    run in this process): the stages timed inside go into the yielded dict, not into this process'
    stages, and the stages open around the block do not count them as theirs."""
    saved_totals, saved_open = dict(_totals), list(_open)
    _totals.clear()
    _open.clear()
    taken: dict[str, float] = {}
    try:
        yield taken
    finally:
        taken.update(_totals)
        _totals.clear()
        _totals.update(saved_totals)
        _open[:] = saved_open


def fact(name: str, value: float) -> None:
    """Keep a number about the build that is not a stage's duration (the last value given wins)."""
    _facts[name] = float(value)


def take_all() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(this process' stages, the workers' work, the facts) so far, then forgotten."""
    stages, work, facts = take(), dict(_work), dict(_facts)
    _work.clear()
    _facts.clear()
    return stages, work, facts


def report_path() -> str | None:
    value = os.environ.get(ENV, "")
    return value if value.endswith(".json") else None
