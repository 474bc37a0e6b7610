"""Analyse every asset once, in parallel, through the content-addressed cache.

The front end creates one :class:`AnalysisRunner` per build, calls :meth:`AnalysisRunner.start`
as early as it knows the brands (work begins at once in worker processes) and
:meth:`AnalysisRunner.results` when it needs the numbers. Each worker decodes a file once,
measures it and draws its charts, writing both into the cache under keys derived from the file's
content, the analysis and chart versions and the library versions. A warm build therefore starts
no worker at all.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sonicguide.core import timing
from sonicguide.core.audio import ANALYSIS_VERSION
from sonicguide.core.audio.measurements import Measurements
from sonicguide.core.cache import Cache, make_key, write_entry
from sonicguide.core.errors import AudioError

#: Bump when chart drawing changes; part of every chart key.
CHART_VERSION = "3"
CHART_KINDS = ("spectrum", "spectrogram", "loudness")
#: Chart themes: Material's default (light) and slate (dark) palettes.
THEMES = ("light", "dark")
#: Keys of the report that the page and ``brand.json`` need; the heavy series stay in workers.
SUMMARY_KEYS = ("file_bytes", "format", "loudness", "null_reasons", "spectral", "tempo", "key")


@dataclass(frozen=True)
class AssetJob:
    """One audio file to analyse: which brand and asset it belongs to, and its cache key."""

    slug: str
    asset_id: str
    path: Path
    key: str


@dataclass(frozen=True)
class AssetAnalysis:
    """What analysing one file gave: its :class:`Measurements`, or ``error`` (why there are none),
    and the cached charts (``"<kind>-<theme>"`` -> SVG file), their text descriptions by kind and
    the waveform peaks file."""

    measurements: Measurements | None
    error: str | None = None
    charts: Mapping[str, Path] = field(default_factory=dict)
    alt: Mapping[str, str] = field(default_factory=dict)
    peaks_path: Path | None = None
    #: What to do about ``error``, when the analysis knows.
    fix: str | None = None
    #: The cached audition files by playback chain id (see :mod:`sonicguide.core.audio.audition_runner`).
    auditions: Mapping[str, Path] = field(default_factory=dict)


@cache
def library_versions() -> dict[str, str | None]:
    """Versions of the libraries whose behaviour shapes analysis and chart bytes.

    Read from package metadata so that a warm build does not import them; the soundfile wheel
    bundles its libsndfile, so its version stands for the decoder's.
    """
    versions: dict[str, str | None] = {}
    for name in ("numpy", "scipy", "soundfile", "matplotlib", "pillow"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


def job_key(content_sha256: str, *, max_duration_s: float | None) -> str:
    """The cache key of one file's analysis and charts."""
    return make_key("asset", content_sha256, ANALYSIS_VERSION, CHART_VERSION, max_duration_s,
                    library_versions())


class AnalysisRunner:
    """Runs :func:`analyse_asset` for every job missing from the cache, on ``workers`` processes."""

    def __init__(self, cache: Cache, *, workers: int, max_duration_s: float | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        if cache.root is None:
            raise ValueError("the analysis runner needs a cache directory (a temporary one will do)")
        self.cache = cache
        self.workers = max(1, workers)
        self.max_duration_s = max_duration_s
        self.progress = progress
        self._jobs: list[AssetJob] = []
        self._futures: dict[str, cf.Future[dict[str, Any]]] = {}
        self._pool: cf.ProcessPoolExecutor | None = None
        #: Keys whose result :meth:`results` has received, and the results loaded so far.
        self._delivered: set[str] = set()
        self._loaded: dict[str, AssetAnalysis] = {}
        #: perf_counter() when the pool was started (for the timings; None without a pool).
        self._pool_started: float | None = None
        #: Records that were not cached (a refusal for time or memory is retried by the next build).
        self._uncached: dict[str, dict[str, Any]] = {}

    def make_job(self, slug: str, asset_id: str, path: Path) -> AssetJob:
        key = job_key(self.cache.content_hash(path), max_duration_s=self.max_duration_s)
        return AssetJob(slug=slug, asset_id=asset_id, path=path, key=key)

    def start(self, jobs: Iterable[AssetJob]) -> None:
        """Queue every job whose result is not cached yet; returns at once."""
        self._jobs = list(jobs)
        pending: dict[str, AssetJob] = {}
        for job in self._jobs:
            if job.key not in pending and not self._cached(job.key):
                pending[job.key] = job
        if not pending:
            return
        assert self.cache.root is not None
        root = str(self.cache.root)
        if self.workers == 1 or len(pending) == 1:
            with timing.stage("analysis in this process"):
                for key, job in pending.items():
                    future: cf.Future[dict[str, Any]] = cf.Future()
                    future.set_result(analyse_asset(str(job.path), key, root, self.max_duration_s))
                    self._futures[key] = future
            return
        forking = "fork" in multiprocessing.get_all_start_methods()
        if forking:
            with timing.stage("imports before the fork"):
                preload_worker_code()
        with timing.stage("ordering the files (longest first)"):
            # Longest first, so that no long file starts last while the other workers sit idle.
            ordered = sorted(pending.items(), key=lambda item: -_samples_estimate(item[1].path))
        with timing.stage("pool start"):
            self._pool_started = time.perf_counter()
            workers = min(self.workers, len(pending))
            timing.fact("analysis workers", workers)
            context = multiprocessing.get_context("fork" if forking else "spawn")
            self._pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker)
            for key, job in ordered:
                self._futures[key] = self._pool.submit(analyse_asset, str(job.path), key, root,
                                                       self.max_duration_s)

    def results(self, on_done: Callable[[str], None] | None = None) -> dict[tuple[str, str], AssetAnalysis]:
        """Wait for the work and return a result per (brand slug, asset id).

        ``on_done(key)`` is called in this thread as each file analysed by this build arrives, while
        the others are still being analysed: the caller may use :meth:`result` of every key done
        (those from the cache are done from the start) to get on with its own work meanwhile.
        """
        total = len(self._futures)
        done = 0
        key_of = {future: key for key, future in self._futures.items()}
        try:
            for future in cf.as_completed(self._futures.values()):
                record = future.result()  # re-raises a worker's unexpected exception here
                timing.merge(record.pop("timings", {}))
                if record.get("uncached"):
                    self._uncached[str(record["key"])] = record
                done += 1
                if self.progress is not None:
                    self.progress(done, total)
                self._delivered.add(key_of[future])
                if on_done is not None:
                    on_done(key_of[future])
        finally:
            if self._pool_started is not None:
                # From the pool's start to its last result: the workers' time, busy or idle.
                timing.fact("analysis span", time.perf_counter() - self._pool_started)
                self._pool_started = None
            self.shutdown()
        return {(job.slug, job.asset_id): self.result(job.key) for job in self._jobs}

    def in_flight(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` this build is analysing and has not received yet."""
        return {key for key in keys if key in self._futures and key not in self._delivered}

    def result(self, key: str) -> AssetAnalysis:
        """The analysis of one file that is done (from the cache, or received by :meth:`results`)."""
        if key in self._futures and key not in self._delivered:
            raise ValueError(f"the analysis {key} has not arrived yet")
        if key not in self._loaded:
            self._loaded[key] = self._load(key)
        return self._loaded[key]

    def shutdown(self) -> None:
        """Stop the workers; queued work that has not started is cancelled."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def analysed(self) -> int:
        """How many files this build analysed (the rest came from the cache)."""
        return len(self._futures)

    @property
    def from_cache(self) -> int:
        """How many distinct files this build took from the cache instead of analysing them."""
        return len({job.key for job in self._jobs}) - len(self._futures)

    @property
    def uncached_keys(self) -> set[str]:
        """Keys of the results this build could not cache (refused for time or memory): whatever is
        made from them must not be cached either, so that the next build tries again."""
        return set(self._uncached)

    def _cached(self, key: str) -> bool:
        """Whether the analysis and every file it drew are in the cache, sound (a damaged part
        discards the record, so that the whole job runs again)."""
        data = self.cache.get_json("analysis", key, load=_analysis_record)
        if data is None:
            return False
        if data.get("error"):
            return True
        parts = [("charts", f"{key}-{kind}-{theme}", ".svg") for kind in data["alt"] for theme in THEMES]
        parts.append(("peaks", key, ".json"))
        if all(self.cache.verified(*part) is not None for part in parts):
            return True
        record = self.cache.entry_path("analysis", key, ".json")
        if record is not None:
            self.cache.discard(record)
        return False

    def _load(self, key: str) -> AssetAnalysis:
        data = self._uncached.get(key) or self.cache.get_json("analysis", key, load=_analysis_record)
        if data is None:
            # Gone since start() (another build discarded a damaged copy): measure again, here.
            job = next(job for job in self._jobs if job.key == key)
            assert self.cache.root is not None
            data = _analysis_record(analyse_asset(str(job.path), key, str(self.cache.root), self.max_duration_s))
        if data.get("error"):
            return AssetAnalysis(None, error=str(data["error"]), fix=data.get("fix"))
        charts: dict[str, Path] = {}
        for kind in CHART_KINDS:
            for theme in THEMES:
                path = self.cache.entry_path("charts", f"{key}-{kind}-{theme}", ".svg")
                if path is not None and path.is_file():
                    charts[f"{kind}-{theme}"] = path
        return AssetAnalysis(Measurements.model_validate(data["summary"]), charts=charts, alt=data.get("alt", {}),
                             peaks_path=self.cache.entry_path("peaks", key, ".json"))


def _analysis_record(value: Any) -> dict[str, Any]:
    """``value`` if it has the shape :func:`analyse_asset` writes (raises ``TypeError`` otherwise)."""
    if isinstance(value, dict) and isinstance(value.get("error"), str):
        return value
    if not (isinstance(value, dict) and isinstance(value.get("summary"), dict) and isinstance(value.get("alt"), dict)):
        raise TypeError("not an analysis record (summary and alt, or error)")
    return value


def preload_worker_code() -> None:
    """Import the analysis and chart code in this process before a pool forks its workers.

    Each worker would otherwise import it for itself: about 2.3 s of CPU a process, as much as
    analysing ten 5 s files (scipy.signal alone, which the loudness meter needs, pulls in
    scipy.stats: 1.4 s). Imported once here, the forked workers share it. Only cold builds get here
    (a warm build starts no worker), and the main process needs matplotlib's SVG code for its sound
    maps anyway.
    """
    import sonicguide.core.audio.charts
    import sonicguide.core.audio.report  # noqa: F401


def _samples_estimate(path: Path) -> float:
    """Samples in ``path`` from its header (what decoding and every measurement cost grows with);
    the file's size when the header cannot be read (the worker then says why)."""
    import soundfile

    try:
        info = soundfile.info(str(path))
        return float(info.frames) * max(1, int(info.channels))
    except (RuntimeError, OSError, ValueError):
        try:
            return float(path.stat().st_size)
        except OSError:
            return 0.0


def _init_worker() -> None:
    # Two processes each running several BLAS threads on two cores make every stage slower.
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        pass


def analyse_asset(path: str, key: str, cache_root: str, max_duration_s: float | None) -> dict[str, Any]:
    """Measure one file and draw its charts into the cache; return the cached record.

    Runs in a worker process: takes and returns plain data only. An :class:`AudioError` is
    recorded as ``{"error": message, "fix": fix}`` (and cached, unless it depends on the moment:
    time or memory); anything else propagates as a bug. With timings on, the record also carries
    this file's stage times (``"timings"``, never cached), the rest of its time as
    ``"analysis, other"`` (checks, cache writes).
    """
    if not timing.enabled():
        return _analyse_asset(path, key, cache_root, max_duration_s)
    started = time.perf_counter()
    with timing.apart() as times:
        record = _analyse_asset(path, key, cache_root, max_duration_s)
    times["analysis, other"] = max(0.0, time.perf_counter() - started - sum(times.values()))
    return {**record, "timings": times}


def _analyse_asset(path: str, key: str, cache_root: str, max_duration_s: float | None) -> dict[str, Any]:
    from sonicguide.core.audio import analyze_file  # numpy and scipy load in the workers only

    root = Path(cache_root)
    cache = Cache(root)
    try:
        report = analyze_file(Path(path), max_duration_s=max_duration_s)
    except AudioError as error:
        record: dict[str, Any] = {"error": error.message, "fix": error.fix}
        if not error.cacheable:
            return {**record, "uncached": True, "key": key}
        cache.put_json("analysis", key, record)
        return record
    series = report.get("series", {})
    sample_rate_hz = (report.get("format") or {}).get("sample_rate_hz")
    alt: dict[str, str] = {}
    with timing.stage("charts"):
        drawn = draw_asset_charts(series, sample_rate_hz=sample_rate_hz)
    for kind, (svg_for_theme, description) in drawn.items():
        alt[kind] = description
        for theme, svg in svg_for_theme.items():
            target = cache.entry_path("charts", f"{key}-{kind}-{theme}", ".svg")
            assert target is not None
            write_entry(target, svg)
    peaks_target = cache.entry_path("peaks", key, ".json")
    assert peaks_target is not None
    write_entry(peaks_target, json.dumps(report.get("peaks", {}), separators=(",", ":")).encode("utf-8"))
    summary = {name: report.get(name) for name in SUMMARY_KEYS}
    summary["spectrum"] = series.get("spectrum")
    summary["peaks_columns"] = _peak_columns(report.get("peaks", {}))
    Measurements.model_validate(summary)  # the contract with every reader; a mismatch is a bug here
    record = {"summary": summary, "alt": alt}
    cache.put_json("analysis", key, record)
    return record


def draw_asset_charts(series: dict[str, Any], *, sample_rate_hz: float | None
                      ) -> dict[str, tuple[dict[str, bytes], str]]:
    """Every chart of one asset: ``{kind: ({theme: svg bytes}, text description)}``.

    A series that is missing from the report (too short a file, say) gives no chart.
    """
    import numpy as np

    from sonicguide.core.audio import charts as chart_module  # matplotlib loads in the workers only

    series = dict(series)
    spectrogram = series.get("spectrogram")
    if spectrogram is not None:
        # The analysis stores one row per time column; the chart takes one row per frequency.
        by_frequency: Any = None
        if spectrogram["db"]:
            try:
                # One array, turned in C (None becomes NaN, as the chart reads it): drawing and
                # describing the chart convert nothing again.
                matrix = np.asarray(spectrogram["db"], dtype=np.float64)
                by_frequency = matrix.T if matrix.ndim == 2 else None
            except (TypeError, ValueError):
                by_frequency = None
        if by_frequency is None:
            by_frequency = [list(row) for row in zip(*spectrogram["db"], strict=True)]
        series["spectrogram"] = {**spectrogram, "db": by_frequency}
    charts = chart_module.charts_for_series(series, sample_rate_hz=sample_rate_hz)
    return {kind: ({theme: chart[theme] for theme in THEMES}, str(chart["alt"])) for kind, chart in charts.items()}


def _peak_columns(peaks: dict[str, Any], *, columns: int = 400) -> list[list[float]]:
    """Reduce audiowaveform peaks (8-bit ints) to at most ``columns`` [min, max] pairs in -1..1."""
    data = peaks.get("data") or []
    pairs = [(data[i], data[i + 1]) for i in range(0, len(data) - 1, 2)]
    if not pairs:
        return []
    bits = int(peaks.get("bits", 8))
    scale = float(2 ** (bits - 1))
    step = max(1, -(-len(pairs) // columns))
    out: list[list[float]] = []
    for start in range(0, len(pairs), step):
        chunk = pairs[start:start + step]
        low = min(p[0] for p in chunk) / scale
        high = max(p[1] for p in chunk) / scale
        out.append([round(max(-1.0, low), 3), round(min(1.0, high), 3)])
    return out
