"""Render every audition a build needs, once, through the content-addressed cache.

An audition is one asset heard through one playback chain (see
:mod:`sonicguide.core.audio.audition`). Its cache key holds the asset's content hash, the chain's
whole definition, :data:`AUDITION_VERSION`, the duration limit and the library versions, so
changing a chain in ``playback_chains.yml`` renders its auditions again and nothing else. Each
entry is a FLAC file (``auditions/<key>.flac``) and its measurements (``auditions/<key>.json``),
both with verified sidecars. A warm build renders nothing and imports neither numpy nor scipy.

Every chain an asset needs is rendered in one task that decodes the file once, block by block,
and feeds each block to every chain (:func:`render_auditions`): whole files in bounded memory.

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
from sonicguide.core.cache import Cache, make_key, seal_entry
from sonicguide.core.errors import AudioError

#: Bump whenever rendering or measuring an audition changes.
AUDITION_VERSION = "3"


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
        # One task per file: it is decoded once for all of its chains.
        tasks: dict[Path, list[tuple[str, dict[str, Any]]]] = {}
        for key, job in pending.items():
            tasks.setdefault(job.path, []).append((key, job.chain.model_dump(mode="json")))
        records: dict[str, dict[str, Any]] = {}
        assert self.cache.root is not None
        root = str(self.cache.root)
        if self.workers == 1 or len(tasks) <= 1:
            for path, chains in tasks.items():
                records.update(render_auditions(str(path), chains, root, self.max_duration_s))
        elif tasks:
            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                                  else "spawn")
            with cf.ProcessPoolExecutor(max_workers=min(self.workers, len(tasks)), mp_context=context,
                                        initializer=_init_worker) as pool:
                futures = [pool.submit(render_auditions, str(path), chains, root, self.max_duration_s)
                           for path, chains in tasks.items()]
                for future in futures:
                    records.update(future.result())
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
    """One audition (see :func:`render_auditions`)."""
    return render_auditions(path, [(key, chain_data)], cache_root, max_duration_s)[key]


def render_auditions(path: str, chains: list[tuple[str, dict[str, Any]]], cache_root: str,
                     max_duration_s: float | None) -> dict[str, dict[str, Any]]:
    """Render the auditions of one file through every chain of ``chains`` (``(cache key, chain
    data)`` pairs) into the cache, decoding the file once, and return their records by key (runs
    in a worker: plain data in and out). An :class:`AudioError` is recorded as ``{"error": message}``
    for every chain.

    Memory stays bounded whatever the file's length: each decoded block goes through every chain
    and its meters, and each audition is written to its FLAC file as it comes.
    """
    import os

    import soundfile as sf  # numpy, scipy and soundfile load in the workers only

    from sonicguide.core.audio.audition import ChainRenderer, SignalMeter, compare, pcm16
    from sonicguide.core.audio.decode import iter_blocks, probe
    from sonicguide.core.audio.limits import AudioLimits

    cache = Cache(Path(cache_root))
    parsed = [(key, PlaybackChain.model_validate(data)) for key, data in chains]
    targets: dict[str, Path] = {}
    for key, _chain in parsed:
        target = cache.entry_path("auditions", key, ".flac")
        assert target is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        targets[key] = target.with_name(f"{target.name}.{os.getpid()}.part")
    writers: dict[str, sf.SoundFile] = {}
    try:
        audio_format = probe(Path(path))
        rate, channels = audio_format.sample_rate_hz, audio_format.channels
        source = SignalMeter(rate, channels)
        renderers = {key: ChainRenderer(chain, rate, channels) for key, chain in parsed}
        meters = {key: (SignalMeter(r.out_hz, r.out_channels, loudness=False),
                        SignalMeter(r.out_hz, r.out_channels, spectrum=False)) for key, r in renderers.items()}
        writers = {key: sf.SoundFile(str(targets[key]), "w", samplerate=r.out_hz, channels=r.out_channels,
                                     format="FLAC", subtype="PCM_16") for key, r in renderers.items()}

        def take(key: str, channel: Any, audition: Any) -> None:
            meters[key][0].feed(channel)
            meters[key][1].feed(audition)
            writers[key].write(pcm16(audition))

        for block in iter_blocks(Path(path), audio_format, limits=AudioLimits.from_option(max_duration_s)):
            source.feed(block)
            for key, renderer in renderers.items():
                take(key, *renderer.feed(block))
        for key, renderer in renderers.items():
            take(key, *renderer.flush())
    except BaseException as error:
        # Nothing half-written stays behind, whatever stopped the rendering.
        for writer in writers.values():
            writer.close()
        for part in targets.values():
            part.unlink(missing_ok=True)
        if not isinstance(error, AudioError):
            raise
        failed: dict[str, Any] = {"error": error.message}
        return {key: failed for key, _chain in parsed}
    source.finish()
    records: dict[str, dict[str, Any]] = {}
    for key, chain in parsed:
        writers[key].close()
        final = cache.entry_path("auditions", key, ".flac")
        assert final is not None
        targets[key].replace(final)
        seal_entry(final)
        channel_meter, audition_meter = meters[key]
        channel_meter.finish()
        audition_meter.finish()
        numbers = compare(source, channel_meter, audition_meter)
        renderer = renderers[key]
        facts = AuditionFacts(chain=chain.id, chain_name=chain.name, energy_kept_percent=numbers.energy_kept_percent,
                              loudness_change_lu=numbers.loudness_change_lu, integrated_lufs=numbers.integrated_lufs,
                              centroid_shift_hz=numbers.centroid_shift_hz,
                              speech_band_kept_percent=numbers.speech_band_kept_percent,
                              sample_rate_hz=renderer.out_hz, channels=renderer.out_channels,
                              null_reasons=numbers.null_reasons)
        record = {"facts": facts.model_dump(mode="json")}
        cache.put_json("auditions", key, record)
        records[key] = record
    return records
