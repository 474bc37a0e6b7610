"""Render every audition a build needs, once, through the content-addressed cache.

An audition is one asset heard through one playback chain (see
:mod:`sonicguide.core.audio.audition`). Its cache key holds the asset's content hash, the chain's
whole definition, :data:`AUDITION_VERSION`, the duration limit and the library versions, so
changing a chain in ``playback_chains.yml`` renders its auditions again and nothing else. Each
entry is a FLAC file (``auditions/<key>.flac``) and its measurements (``auditions/<key>.json``),
both with verified sidecars. A warm build renders nothing and imports neither numpy nor scipy.

The runner works after the analysis (the analysis pool has been joined), on its own pool of the
same size, so the two never compete for the cores.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sonicguide.core.audio.chains import PlaybackChain
from sonicguide.core.audio.measurements import AuditionFacts
from sonicguide.core.audio.pipeline import _init_worker, library_versions
from sonicguide.core.cache import Cache, make_key, write_entry
from sonicguide.core.errors import AudioError

#: Bump whenever rendering or measuring an audition changes.
AUDITION_VERSION = "2"
#: Auditions cover at most the first this many seconds of an asset (memory stays below about
#: 250 MB for a 48 kHz stereo file); longer assets are auditioned by their opening.
AUDITION_MAX_S = 300.0


@dataclass(frozen=True)
class AuditionJob:
    """One asset of one brand through one chain, and the cache key of the result."""

    slug: str
    asset_id: str
    chain: PlaybackChain
    path: Path
    key: str


@dataclass(frozen=True)
class Audition:
    """A rendered audition: its measurements and the cached FLAC file (``None`` when it failed)."""

    facts: AuditionFacts | None
    path: Path | None
    error: str | None = None


class AuditionRunner:
    """Renders every job missing from the cache on ``workers`` processes (see the module docstring)."""

    def __init__(self, cache: Cache, *, workers: int, max_duration_s: float | None = None) -> None:
        if cache.root is None:
            raise ValueError("the audition runner needs a cache directory (a temporary one will do)")
        self.cache = cache
        self.workers = max(1, workers)
        self.max_duration_s = max_duration_s
        #: How many auditions this build rendered (the rest came from the cache).
        self.rendered = 0

    def make_job(self, slug: str, asset_id: str, path: Path, chain: PlaybackChain) -> AuditionJob:
        key = make_key("audition", self.cache.content_hash(path), chain.model_dump(mode="json"), AUDITION_VERSION,
                       self.max_duration_s, library_versions())
        return AuditionJob(slug=slug, asset_id=asset_id, chain=chain, path=path, key=key)

    def run(self, jobs: Iterable[AuditionJob]) -> dict[tuple[str, str, str], Audition]:
        """Render what is missing and return every audition by (brand slug, asset id, chain id)."""
        job_list = list(jobs)
        pending: dict[str, AuditionJob] = {}
        for job in job_list:
            if job.key not in pending and not self._cached(job.key):
                pending[job.key] = job
        records: dict[str, dict[str, Any]] = {}
        assert self.cache.root is not None
        root = str(self.cache.root)
        if self.workers == 1 or len(pending) <= 1:
            for key, job in pending.items():
                records[key] = render_audition(str(job.path), key, root, job.chain.model_dump(mode="json"),
                                               self.max_duration_s)
        elif pending:
            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                                  else "spawn")
            with cf.ProcessPoolExecutor(max_workers=min(self.workers, len(pending)), mp_context=context,
                                        initializer=_init_worker) as pool:
                futures = {key: pool.submit(render_audition, str(job.path), key, root,
                                            job.chain.model_dump(mode="json"), self.max_duration_s)
                           for key, job in pending.items()}
                records = {key: future.result() for key, future in futures.items()}
        self.rendered += len(pending)
        results: dict[tuple[str, str, str], Audition] = {}
        for job in job_list:
            record = records.get(job.key) or self.cache.get_json("auditions", job.key, load=_record)
            results[(job.slug, job.asset_id, job.chain.id)] = self._audition(job.key, record)
        return results

    def _audition(self, key: str, record: dict[str, Any] | None) -> Audition:
        if record is None:
            return Audition(None, None, "the audition could not be read back from the cache")
        if record.get("error"):
            return Audition(None, None, str(record["error"]))
        return Audition(AuditionFacts.model_validate(record["facts"]), self.cache.entry_path("auditions", key, ".flac"))

    def _cached(self, key: str) -> bool:
        record = self.cache.get_json("auditions", key, load=_record)
        if record is None:
            return False
        if record.get("error") or self.cache.verified("auditions", key, ".flac") is not None:
            return True
        path = self.cache.entry_path("auditions", key, ".json")
        if path is not None:
            self.cache.discard(path)
        return False


def _record(value: Any) -> dict[str, Any]:
    """``value`` if it has the shape :func:`render_audition` writes (raises ``TypeError`` otherwise)."""
    if isinstance(value, dict) and isinstance(value.get("error"), str):
        return value
    if not (isinstance(value, dict) and isinstance(value.get("facts"), dict)):
        raise TypeError("not an audition record (facts, or error)")
    AuditionFacts.model_validate(value["facts"])
    return value


def render_audition(path: str, key: str, cache_root: str, chain_data: dict[str, Any],
                    max_duration_s: float | None) -> dict[str, Any]:
    """Render one audition into the cache and return its record (runs in a worker: plain data in
    and out). An :class:`AudioError` is recorded as ``{"error": message}``."""
    import numpy as np  # numpy and scipy load in the workers only

    from sonicguide.core.audio.audition import channel_only, dynamics, flac_bytes, measure_audition
    from sonicguide.core.audio.decode import iter_blocks, probe
    from sonicguide.core.audio.limits import AudioLimits

    chain = PlaybackChain.model_validate(chain_data)
    cache = Cache(Path(cache_root))
    try:
        audio_format = probe(Path(path))
        blocks = []
        frames = 0
        for block in iter_blocks(Path(path), audio_format, limits=AudioLimits.from_option(max_duration_s)):
            blocks.append(block)
            frames += block.shape[0]
            if frames >= AUDITION_MAX_S * audio_format.sample_rate_hz:
                break
    except AudioError as error:
        return {"error": error.message}
    rate = audio_format.sample_rate_hz
    samples = np.concatenate(blocks).astype(np.float64) if blocks else np.zeros((0, audio_format.channels))
    samples = samples[: int(AUDITION_MAX_S * rate)]
    channel, audition_hz = channel_only(samples, rate, chain)
    audition = dynamics(channel, audition_hz, chain)
    numbers = measure_audition(samples, rate, audition, audition_hz, channel)
    target = cache.entry_path("auditions", key, ".flac")
    assert target is not None
    write_entry(target, flac_bytes(audition, audition_hz))
    facts = AuditionFacts(chain=chain.id, chain_name=chain.name, energy_kept_percent=numbers.energy_kept_percent,
                          loudness_change_lu=numbers.loudness_change_lu, integrated_lufs=numbers.integrated_lufs,
                          centroid_shift_hz=numbers.centroid_shift_hz,
                          speech_band_kept_percent=numbers.speech_band_kept_percent,
                          sample_rate_hz=audition_hz, channels=int(audition.shape[1]),
                          null_reasons=numbers.null_reasons)
    record = {"facts": facts.model_dump(mode="json")}
    cache.put_json("auditions", key, record)
    return record
