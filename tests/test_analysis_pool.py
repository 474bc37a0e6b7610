"""The analysis pool of a cold build: the worker code is imported once before the pool forks, and
the longest files are submitted first (so that no long file starts last while a worker sits idle)."""

from __future__ import annotations

import concurrent.futures as cf
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
import soundfile as sf

from sonicguide.core.audio import pipeline
from sonicguide.core.cache import Cache


class _RecordingPool:
    """A stand-in for ProcessPoolExecutor that runs each job at once and records the order."""

    submitted: ClassVar[list[str]] = []

    def __init__(self, **_options: Any) -> None:
        pass

    def submit(self, function: Callable[..., Any], path: str, *args: Any) -> cf.Future[Any]:
        type(self).submitted.append(Path(path).name)
        future: cf.Future[Any] = cf.Future()
        future.set_result(function(path, *args))
        return future

    def shutdown(self, **_options: Any) -> None:
        pass


def test_files_go_to_the_pool_longest_first_after_the_worker_code_is_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seconds = {"short.wav": 0.5, "long.flac": 2.0, "middle.wav": 1.0, "mono-long.wav": 1.5}
    for name, length in seconds.items():
        channels = 1 if name.startswith("mono") else 2
        tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(int(length * 48000)) / 48000)
        sf.write(tmp_path / name, np.repeat(tone[:, None], channels, axis=1), 48000)
    monkeypatch.setattr(pipeline.cf, "ProcessPoolExecutor", _RecordingPool)
    _RecordingPool.submitted = []
    runner = pipeline.AnalysisRunner(Cache(tmp_path / "cache"), workers=2)
    runner.start([runner.make_job("brand", name, tmp_path / name) for name in seconds])
    # Stereo 2 s, stereo 1 s (96,000 samples), mono 1.5 s (72,000), stereo 0.5 s.
    assert _RecordingPool.submitted == ["long.flac", "middle.wav", "mono-long.wav", "short.wav"]
    assert "scipy.signal" in sys.modules and "sonicguide.core.audio.charts" in sys.modules
    results = runner.results()
    assert all(result.measurements is not None for result in results.values())
