"""Search the assets that should carry the sonic logo for its motif, once, through the cache.

Which assets: themes, variants and cut-downs by default (:data:`DEFAULT_ROLES`); an asset says
otherwise with ``carries_logo`` in ``brand.yml`` (:func:`carries_logo`). Each search is keyed by
the asset's content, the logo's content, the search's version and the library versions
(:func:`search_key`), so a warm build searches nothing and a new logo file searches everything
again. The searches run in worker processes like the analysis (:class:`LogoSearchRunner`), after
it, so that the two never compete for the same cores.

The result of one search is a :class:`~sonicguide.core.audio.measurements.LogoFacts`, which the
build puts into that asset's :class:`~sonicguide.core.audio.measurements.Measurements`.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import hashlib
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sonicguide.core.audio.measurements import LogoFacts
from sonicguide.core.audio.pipeline import _init_worker, library_versions
from sonicguide.core.cache import Cache, make_key
from sonicguide.core.errors import AudioError

#: Bump when the search or the record it writes changes; part of every key.
LOGO_SEARCH_VERSION = "3"
#: Roles searched when an asset does not say (``carries_logo``).
DEFAULT_ROLES = ("theme", "variant", "cut-down")


def carries_logo(role: str, carries: bool | None) -> bool:
    """Whether an asset of ``role`` should carry the sonic logo: its own ``carries_logo`` when it
    says, else whether the role is one of :data:`DEFAULT_ROLES`."""
    return carries if carries is not None else role in DEFAULT_ROLES


@functools.cache
def _search_code() -> str:
    """SHA-256 of the search's code (``motif.py`` and this module), read without importing numpy:
    any change to the search makes new keys."""
    digest = hashlib.sha256()
    for name in ("motif.py", "logo_search.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def search_key(logo_sha256: str, asset_sha256: str, *, max_duration_s: float | None) -> str:
    """The cache key of one search: both files' contents, the search's code and version, the
    duration limit and the library versions."""
    return make_key("logo-search", logo_sha256, asset_sha256, LOGO_SEARCH_VERSION, _search_code(), max_duration_s,
                    library_versions())


@dataclass(frozen=True)
class LogoJob:
    """One asset to search: its brand and id, the logo's id and file, the asset's file, the key."""

    slug: str
    asset_id: str
    logo_id: str
    logo_path: Path
    path: Path
    key: str


class LogoSearchRunner:
    """Runs :func:`search_asset` for every job missing from the cache, on ``workers`` processes."""

    def __init__(self, cache: Cache, *, workers: int, max_duration_s: float | None = None) -> None:
        if cache.root is None:
            raise ValueError("the logo search needs a cache directory (a temporary one will do)")
        self.cache = cache
        self.workers = max(1, workers)
        self.max_duration_s = max_duration_s
        #: How many searches this build ran (the rest came from the cache).
        self.searched = 0

    def make_job(self, slug: str, asset_id: str, logo_id: str, logo_path: Path, path: Path) -> LogoJob:
        key = search_key(self.cache.content_hash(logo_path), self.cache.content_hash(path),
                         max_duration_s=self.max_duration_s)
        return LogoJob(slug=slug, asset_id=asset_id, logo_id=logo_id, logo_path=logo_path, path=path, key=key)

    def run(self, jobs: Iterable[LogoJob]) -> dict[tuple[str, str], LogoFacts]:
        """Search every job (from the cache where it can) and return the facts per (slug, asset id)."""
        jobs = list(jobs)
        records: dict[str, dict[str, Any]] = {}
        pending: dict[str, LogoJob] = {}
        for job in jobs:
            if job.key in records or job.key in pending:
                continue
            cached = self.cache.get_json("logo", job.key, load=_logo_record)
            if cached is not None:
                records[job.key] = cached
            else:
                pending[job.key] = job
        assert self.cache.root is not None
        root = str(self.cache.root)
        arguments = {key: (str(job.logo_path), job.logo_id, str(job.path), key, root, self.max_duration_s)
                     for key, job in pending.items()}
        if self.workers == 1 or len(pending) <= 1:
            for key, args in arguments.items():
                records[key] = search_asset(*args)
        elif pending:
            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                                  else "spawn")
            with cf.ProcessPoolExecutor(max_workers=min(self.workers, len(pending)), mp_context=context,
                                        initializer=_init_worker) as pool:
                futures = {key: pool.submit(search_asset, *args) for key, args in arguments.items()}
                for key, future in futures.items():
                    records[key] = future.result()
        self.searched += len(pending)
        return {(job.slug, job.asset_id): LogoFacts.model_validate(records[job.key]) for job in jobs}


def _logo_record(value: Any) -> dict[str, Any]:
    """``value`` if it is a :class:`LogoFacts` record (raises otherwise, so the cache discards it)."""
    if not isinstance(value, dict):
        raise TypeError("not a logo search record")
    LogoFacts.model_validate(value)
    return value


def search_asset(logo_path: str, logo_id: str, path: str, key: str, cache_root: str,
                 max_duration_s: float | None) -> dict[str, Any]:
    """Search one file for the logo's motif and cache the record; runs in a worker process.

    An :class:`AudioError` (either file cannot be decoded) is recorded as the record's ``error``;
    the build reports the file's own problem through the analysis.
    """
    from sonicguide.core.audio import motif  # numpy and scipy load in the workers only

    cache = Cache(Path(cache_root))
    base: dict[str, Any] = {"logo_asset": logo_id, "threshold": motif.THRESHOLD, "method": motif.METHOD}
    try:
        template = motif.motif_template(*motif.read_mono(Path(logo_path), max_duration_s=max_duration_s))
        search = motif.find_logo_in_file(template, Path(path), threshold=0.0, max_duration_s=max_duration_s)
    except AudioError as error:
        record: dict[str, Any] = {**base, "error": error.message}
        if error.cacheable:
            cache.put_json("logo", key, record)
        return record
    found = [occurrence for occurrence in search.occurrences if occurrence.similarity >= motif.THRESHOLD]
    record = {
        **base,
        "occurrences": [{"time_s": o.time_s, "similarity": o.similarity,
                         "transposition_semitones": o.transposition_semitones, "stretch": o.stretch}
                        for o in found],
        "best_similarity": max((o.similarity for o in search.occurrences), default=None),
    }
    LogoFacts.model_validate(record)
    cache.put_json("logo", key, record)
    return record

