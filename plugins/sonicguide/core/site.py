"""The whole site as data: brands in, pages and files out, no MkDocs involved.

A front end calls :meth:`SiteBuild.start` as soon as it knows its options (brands are validated
and audio analysis starts in worker processes), then :meth:`SiteBuild.finish` with a ``link``
function that turns a target source URI into a URL relative to a page. ``finish`` returns every
page (Markdown with HTML blocks) and every file (bytes or a path to copy), plus warnings.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import browse, credentials, layout, render
from .brand import Limits, LoadedBrand, load_brands
from .brief import brand_sharing
from .cache import Cache, make_key
from .collisions import check_collisions
from .errors import BrandError, Problem
from .pages import brand_json_data, brand_page_markdown, methodology_page_markdown
from .pipeline import AnalysisRunner, AssetResult
from .schema import schema_text

#: ``link(target_uri, page_uri)`` -> URL of the target relative to the page.
Link = Callable[[str, str], str]


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build depends on besides the brand folders' contents."""

    brands_dir: Path
    cache_dir: Path | None = None
    workers: int = 1
    limits: Limits = field(default_factory=Limits)
    max_duration_s: float | None = None
    display_root: Path | None = None
    trust_anchors_pem: str | None = None
    #: Source URIs of the user's docs_dir (``/``-separated), checked for clashes with brand slugs.
    docs_pages: tuple[str, ...] = ()


@dataclass
class SiteOutput:
    """Pages by source URI (Markdown), files by source URI (bytes or a file to copy), warnings."""

    pages: dict[str, str] = field(default_factory=dict)
    page_titles: dict[str, str] = field(default_factory=dict)
    page_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: JSON-LD per page, already escaped for a ``<script type="application/ld+json">`` in ``<head>``.
    page_jsonld: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes | Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    brands: list[dict[str, Any]] = field(default_factory=list)


class SiteBuild:
    """One build of the site; see the module docstring for the order of calls."""

    def __init__(self, options: BuildOptions, *, progress: Callable[[int, int], None] | None = None) -> None:
        self.options = options
        self._temp_cache: tempfile.TemporaryDirectory[str] | None = None
        cache_root = options.cache_dir
        if cache_root is None:
            self._temp_cache = tempfile.TemporaryDirectory(prefix="sonicguide-cache-")
            cache_root = Path(self._temp_cache.name)
        self.cache = Cache(cache_root)
        render.use_bytecode_cache(cache_root / "templates" if options.cache_dir is not None else None)
        render.use_fragment_cache(self.cache if options.cache_dir is not None else None)
        self.runner = AnalysisRunner(self.cache, workers=options.workers, max_duration_s=options.max_duration_s,
                                     progress=progress)
        self.brands: list[LoadedBrand] = []

    def start(self) -> None:
        """Validate every brand (raises :class:`BrandError`) and start analysing its audio."""
        self.brands = load_brands(self.options.brands_dir, limits=self.options.limits,
                                  display_root=self.options.display_root, cache=self.cache,
                                  across=lambda loaded: check_collisions(loaded,
                                                                         docs_pages=self.options.docs_pages))
        jobs = [self.runner.make_job(loaded.slug, asset_id, path)
                for loaded in self.brands for asset_id, path in loaded.asset_paths.items()]
        self.runner.start(jobs)

    def finish(self, link: Link) -> SiteOutput:
        """Wait for the analysis and produce every page and file of the site."""
        results = self.runner.results()
        self._raise_audio_errors(results)
        output = SiteOutput()
        summaries: list[dict[str, Any]] = []
        for loaded in self.brands:
            brand_results = {asset.id: results[(loaded.slug, asset.id)] for asset in loaded.brand.assets}
            page_uri = layout.brand_page(loaded.slug)
            page = brand_page_markdown(loaded, brand_results, _page_link(link, page_uri),
                                       credential_states=self._credentials(loaded))
            measured = {a: (None if r.error else r.summary) for a, r in brand_results.items()}
            peaks = {a: r.summary.get("peaks_columns") or [] for a, r in brand_results.items()}
            sharing = brand_sharing(loaded, measured, link, self.cache, peaks=peaks)
            output.pages[page_uri] = page.markdown + sharing.section_markdown
            output.page_jsonld[page_uri] = page.jsonld
            output.pages.update(sharing.pages)
            output.page_titles.update(sharing.page_titles)
            output.page_meta.update(sharing.page_meta)
            output.files.update(sharing.files)
            page.card.update(brief_uri=layout.brief_page(loaded.slug), measured_lufs=sharing.measured_lufs)
            output.page_titles[page_uri] = loaded.brand.identity.name
            output.warnings.extend(page.warnings)
            output.files[layout.brand_json(loaded.slug)] = _json_bytes(
                brand_json_data(loaded, brand_results, page.data))
            for asset in loaded.brand.assets:
                result = brand_results[asset.id]
                output.files[layout.audio(loaded.slug, asset.file)] = loaded.asset_paths[asset.id]
                for name, chart_path in result.charts.items():
                    kind, theme = name.rsplit("-", 1)
                    output.files[layout.chart(loaded.slug, asset.id, kind, theme)] = chart_path
                if result.peaks_path is not None and result.peaks_path.is_file():
                    output.files[layout.peaks(loaded.slug, asset.id)] = result.peaks_path
            summaries.append(page.card)
        output.brands = summaries
        output.pages[layout.HOME] = browse.home_page_markdown(summaries, lambda uri: link(uri, layout.HOME))
        output.pages[layout.COMPARE] = browse.compare_page_markdown(summaries,
                                                                    lambda uri: link(uri, layout.COMPARE))
        output.page_titles[layout.COMPARE] = "Compare brands"
        output.page_titles[layout.HOME] = "Sonic guides"
        output.files[layout.SCHEMA] = schema_text().encode("utf-8")
        output.pages[layout.METHODOLOGY] = methodology_page_markdown()
        output.page_titles[layout.METHODOLOGY] = "Methodology"
        self.cache.save()
        output.warnings.extend(self.cache.warnings)
        return output

    def _credentials(self, loaded: LoadedBrand) -> dict[str, dict[str, Any]]:
        """Content Credentials of each asset, cached by file content, trust anchors and c2pa version."""
        anchors = self.options.trust_anchors_pem
        states: dict[str, dict[str, Any]] = {}
        for asset_id, path in loaded.asset_paths.items():
            key = make_key("credentials", self.cache.content_hash(path), anchors, credentials.c2pa_version())
            state = self.cache.get_json("credentials", key, load=_json_object)
            if not isinstance(state, dict):
                state = credentials.read_credentials(path, trust_anchors_pem=anchors)
                self.cache.put_json("credentials", key, state)
                # The cache stores keys sorted: use the same order now, or a cold build's brand.json
                # would differ in bytes from a warm one's.
                state = json.loads(json.dumps(state, sort_keys=True))
            states[asset_id] = state
        return states

    def close(self) -> None:
        """Stop workers and remove a temporary cache."""
        self.runner.shutdown()
        render.use_fragment_cache(None)
        if self._temp_cache is not None:
            self._temp_cache.cleanup()
            self._temp_cache = None

    def _raise_audio_errors(self, results: dict[tuple[str, str], AssetResult]) -> None:
        problems: list[Problem] = []
        for loaded in self.brands:
            for index, asset in enumerate(loaded.brand.assets):
                result = results[(loaded.slug, asset.id)]
                if result.error:
                    fix = ("shorten the file or raise the plugin option max_duration_s"
                           if "longer than the limit" in result.error else
                           "export the file again (WAV, FLAC, MP3 or Ogg Vorbis) or fix the path")
                    problems.append(loaded.document.problem(
                        ("assets", index, "file"), f"{asset.file!r} cannot be used: {result.error}; {fix}."))
        if problems:
            raise BrandError(problems)


def _page_link(link: Link, page_uri: str) -> Callable[[str], str]:
    """``link`` bound to one page."""
    return lambda target: link(target, page_uri)


def _json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a JSON object, found {type(value).__name__}")
    return value


def _json_bytes(data: Any) -> bytes:
    # Compact on purpose: ``indent`` makes the json module fall back to its pure-Python encoder,
    # which took a second per warm build of the 50-brand catalogue.
    return (json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
