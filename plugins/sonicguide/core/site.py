"""The whole site as data: brands in, pages and files out, no MkDocs involved.

A front end calls :meth:`SiteBuild.start` as soon as it knows its options (brands are validated
and audio analysis starts in worker processes), then :meth:`SiteBuild.finish` with a ``link``
function that turns a target source URI into a URL relative to a page. ``finish`` returns every
page (Markdown with HTML blocks) and every file (bytes or a path to copy), plus every finding of
every brand's report. :meth:`SiteBuild.judge` gives the reports alone (``sonicguide validate``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from sonicguide.core import rendercache, timing
from sonicguide.core.audio.audition_runner import AuditionRunner
from sonicguide.core.audio.chains import playback_chains
from sonicguide.core.audio.logo_search import LogoJob, LogoSearchRunner, carries_logo
from sonicguide.core.audio.pipeline import AnalysisRunner, AssetAnalysis
from sonicguide.core.cache import Cache, make_key
from sonicguide.core.codeoutputs import made_once
from sonicguide.core.collisions import check_collisions
from sonicguide.core.judge import credentials
from sonicguide.core.judge.conformance import SPEECH_ROLES
from sonicguide.core.judge.findings import Finding
from sonicguide.core.judge.records import CredentialState
from sonicguide.core.judge.report import BrandReport, judge_brand, report_json_schema
from sonicguide.core.load.brand import Limits, LoadedBrand, load_brands
from sonicguide.core.load.schema import schema_text
from sonicguide.core.media import DEFAULT_MAX_SITE_BYTES, by_content, check_site_size
from sonicguide.core.views import browse, layout, render, soundmap
from sonicguide.core.views.brand_page import BrandCard, brand_page_markdown
from sonicguide.core.views.brief import PageMeta, brand_sharing
from sonicguide.core.views.methodology import methodology_markdown

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
    #: Cap on the site's files besides its pages, each unique content once (0: none); see ``media``.
    max_site_bytes: int = DEFAULT_MAX_SITE_BYTES
    #: Files reach the site by hard link from the cache (a brand's audio is copied into it once).
    link_media: bool = True


@dataclass(frozen=True)
class BrandPages:
    """Where one brand's pages are, for the front end's navigation (source URIs)."""

    slug: str
    name: str
    page_uri: str
    brief_uri: str


@dataclass
class SiteOutput:
    """Pages by source URI (Markdown), files by source URI (bytes or a file to copy), warnings."""

    pages: dict[str, str] = field(default_factory=dict)
    page_titles: dict[str, str] = field(default_factory=dict)
    page_meta: dict[str, PageMeta] = field(default_factory=dict)
    #: JSON-LD per page, already escaped for a ``<script type="application/ld+json">`` in ``<head>``.
    page_jsonld: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes | Path] = field(default_factory=dict)
    #: Every finding of every brand; the front end decides by kind and severity what they stop.
    findings: list[Finding] = field(default_factory=list)
    #: Warnings about the build itself rather than a brand (a damaged cache entry made again).
    notices: list[str] = field(default_factory=list)
    #: The brands' pages, in brand order.
    brands: list[BrandPages] = field(default_factory=list)


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
        self.logo_runner = LogoSearchRunner(self.cache, workers=options.workers,
                                            max_duration_s=options.max_duration_s)
        self.auditions = AuditionRunner(self.cache, workers=options.workers, max_duration_s=options.max_duration_s)
        self.cache_root = cache_root
        self.brands: list[LoadedBrand] = []
        self._job_keys: dict[tuple[str, str], str] = {}
        #: Slugs of the brands this build judged and rendered (the others came from the render cache).
        self.rendered_fresh: list[str] = []

    def start(self, brands: list[LoadedBrand] | None = None) -> None:
        """Validate every brand (raises :class:`BrandError`) and start analysing its audio.

        ``brands``: brands already loaded (``sonicguide validate``) instead of ``options.brands_dir``.
        """
        if brands is None:
            brands = load_brands(self.options.brands_dir, limits=self.options.limits,
                                 display_root=self.options.display_root, cache=self.cache,
                                 across=lambda loaded: check_collisions(loaded, docs_pages=self.options.docs_pages))
        self.brands = brands
        with timing.stage("hashing the audio"):
            jobs = [self.runner.make_job(loaded.slug, asset_id, path)
                    for loaded in self.brands for asset_id, path in loaded.asset_paths.items()]
        self._job_keys = {(job.slug, job.asset_id): job.key for job in jobs}
        self.runner.start(jobs)

    def judge(self) -> list[BrandReport]:
        """Wait for the analysis and judge every brand once (see :func:`judge_brand`)."""
        results = self._measured(self.runner.results())
        return [judge_brand(loaded, {asset.id: results[(loaded.slug, asset.id)] for asset in loaded.brand.assets},
                            self._credentials(loaded))
                for loaded in self.brands]

    def finish(self, link: Link) -> SiteOutput:
        """Judge every brand and shape the reports into every page and file of the site.

        A brand whose inputs are all unchanged since a build that rendered it (see
        :mod:`sonicguide.core.rendercache`) is taken from the cache: neither judged nor rendered.
        """
        options = self._render_options(link)
        self.rendered_fresh = []
        with timing.stage("waiting for analysis"):
            early = self._render_while_analysing(link, options)
            results = self._measured(self.runner.results(on_done=early.arrived))
        output = SiteOutput()
        summaries: list[BrandCard] = []
        map_rows: list[list[soundmap.MapRow]] = []
        for loaded in self.brands:
            rendered = early.rendered.get(loaded.slug) or self._rendered_brand(loaded, results, link, options)
            output.findings.extend(rendered.findings)
            output.pages.update(rendered.pages)
            output.page_jsonld.update(rendered.page_jsonld)
            output.page_titles.update(rendered.page_titles)
            output.page_meta.update(rendered.page_meta)
            output.files.update(rendered.files)
            summaries.append(rendered.card)
            map_rows.append(rendered.map_rows)
            output.brands.append(BrandPages(slug=rendered.slug, name=rendered.name, page_uri=rendered.page_uri,
                                            brief_uri=rendered.brief_uri))
        order = {loaded.slug: position for position, loaded in enumerate(self.brands)}
        self.rendered_fresh.sort(key=order.__getitem__)
        with timing.stage("gallery, compare and site files"):
            self._site_pages(output, summaries, map_rows, link)
        with timing.stage("one file per content"):
            self._one_file_per_content(output)
        with timing.stage("saving the cache manifest"):
            self.cache.save()
        output.notices.extend(self.cache.warnings)
        return output

    def _site_pages(self, output: SiteOutput, summaries: list[BrandCard], map_rows: list[list[soundmap.MapRow]],
                    link: Link) -> None:
        """The pages and files of the whole site (gallery, comparison, schemas, methodology) into ``output``."""
        output.pages[layout.HOME] = browse.home_page_markdown(summaries, lambda uri: link(uri, layout.HOME))
        output.pages[layout.COMPARE] = browse.compare_page_markdown(summaries,
                                                                    lambda uri: link(uri, layout.COMPARE))
        output.page_titles[layout.COMPARE] = "Compare brands"
        compare_link = _page_link(link, layout.COMPARE)
        every_brand = soundmap.cross_brand_map(map_rows, self.cache, compare_link)
        output.pages[layout.COMPARE] += soundmap.compare_section_markdown(every_brand, compare_link)
        output.files.update(every_brand.files)
        # The gallery, by its heading: the site name already heads the nav (not "Sonic guides ›
        # Sonic guides"), and the window title reads "Gallery - <site name>".
        output.page_titles[layout.HOME] = "Gallery"
        # Functions of the code alone: made once per code version (core/codeoutputs.py).
        output.files[layout.SCHEMA] = made_once(self.cache, "brand schema", schema_text).encode("utf-8")
        output.files[layout.REPORT_SCHEMA] = made_once(
            self.cache, "report schema", lambda: json_bytes(report_json_schema(), indent=True).decode("utf-8")
        ).encode("utf-8")
        output.pages[layout.METHODOLOGY] = made_once(self.cache, "methodology", methodology_markdown)
        output.page_titles[layout.METHODOLOGY] = "Methodology"

    def _render_while_analysing(self, link: Link, options: list[Any]) -> _EarlyBrands:
        """Render each brand as soon as its files are analysed, while the workers go on with the others.

        Only a brand that needs nothing after the analysis (no playback-chain auditions, no search for
        its sonic logo: those run on their own pools once the analysis is done) is rendered early. Its
        outputs are the same as at the end: a brand's outputs depend on its own inputs and analyses only.
        """
        early = _EarlyBrands(self, link, options)
        for loaded in self.brands:
            if _needs_more_than_analysis(loaded):
                continue
            keys = {self._job_keys[(loaded.slug, asset_id)] for asset_id in loaded.asset_paths}
            early.waiting[loaded.slug] = self.runner.in_flight(keys)
        for slug in [slug for slug, keys in early.waiting.items() if not keys]:
            early.render(slug)  # every file of the brand came from the cache
        return early

    def _measured(self, results: dict[tuple[str, str], AssetAnalysis]) -> dict[tuple[str, str], AssetAnalysis]:
        """The analysis ``results`` with each asset's playback-chain auditions and sonic-logo
        occurrences (both cached by content in their runners)."""
        with timing.stage("auditions"):
            results = self._with_auditions(results)
        with timing.stage("logo search"):
            return _with_logo_searches(self.logo_runner, self.brands, results)

    def _one_file_per_content(self, output: SiteOutput) -> None:
        """Every file of the output as one immutable path per content, then the site's size cap.

        Raises :class:`~sonicguide.core.media.SiteSizeError` before anything is written to the site.
        """
        store = self.options.link_media and self.options.cache_dir is not None
        output.files = by_content(output.files, self.cache, store=store)
        check_site_size(output.files, max_site_bytes=self.options.max_site_bytes,
                        brands=[loaded.slug for loaded in self.brands])

    def _with_auditions(self, results: dict[tuple[str, str], AssetAnalysis]
                        ) -> dict[tuple[str, str], AssetAnalysis]:
        """``results`` with the auditions of every measured asset used at a touchpoint that names a
        playback chain: their facts in the measurements (the speech band for voice and IVR assets
        only), their files beside the charts."""
        chains = playback_chains()
        jobs = []
        roles: dict[tuple[str, str], str] = {}
        for loaded in self.brands:
            for asset in loaded.brand.assets:
                analysis = results.get((loaded.slug, asset.id))
                path = loaded.asset_paths.get(asset.id)
                if analysis is None or analysis.measurements is None or path is None:
                    continue
                roles[(loaded.slug, asset.id)] = asset.role
                named = dict.fromkeys(tp.playback.chain for tp in loaded.brand.touchpoints_of(asset)
                                      if tp.playback is not None)
                jobs += [self.auditions.make_job(loaded.slug, asset.id, path, chains[chain]) for chain in named]
        if not jobs:
            return results
        rendered = self.auditions.run(jobs)
        merged = dict(results)
        for (slug, asset_id, chain_id), audition in rendered.items():
            analysis = merged[(slug, asset_id)]
            assert analysis.measurements is not None
            if audition.facts is None:
                continue
            facts = audition.facts
            if roles[(slug, asset_id)] not in SPEECH_ROLES:
                facts = facts.model_copy(update={"speech_band_kept_percent": None})
            measurements = analysis.measurements.model_copy(
                update={"auditions": {**analysis.measurements.auditions, chain_id: facts}})
            files = {**analysis.auditions, chain_id: audition.path} if audition.path is not None else analysis.auditions
            merged[(slug, asset_id)] = replace(analysis, measurements=measurements, auditions=files)
        return merged

    def _render_options(self, link: Link) -> list[Any]:
        """Every input of a brand's rendered outputs that is not the brand's own (see :func:`_rendered_brand`)."""
        return [rendercache.link_probe(link), self.options.trust_anchors_pem, credentials.c2pa_version(),
                self.options.max_duration_s, dataclasses.asdict(self.options.limits)]

    def _rendered_brand(self, loaded: LoadedBrand, results: dict[tuple[str, str], AssetAnalysis], link: Link,
                        options: list[Any]) -> rendercache.RenderedBrand:
        """One brand's outputs: from the render cache when every input is unchanged, else judged and
        rendered now (and kept, unless an analysis result was not cacheable)."""
        asset_keys = {asset_id: self._job_keys[(loaded.slug, asset_id)] for asset_id in loaded.asset_paths}
        key = None
        if self.options.cache_dir is not None:
            # The document as parsed, not the file now: under `mkdocs serve` a save during this build
            # must not file the old content under the new file's key.
            key = rendercache.brand_key(source_sha256=make_key(loaded.document.to_json()),
                                        display_file=loaded.document.file, asset_keys=asset_keys, options=options)
            with timing.stage("brands from the render cache"):
                cached = rendercache.load(self.cache, key, cache_root=self.cache_root,
                                          brands_dir=self.options.brands_dir)
            if cached is not None:
                return cached
        with self.cache.recording() as made_from:
            with timing.stage("judging"):
                report = judge_brand(loaded, {asset.id: results[(loaded.slug, asset.id)]
                                              for asset in loaded.brand.assets}, self._credentials(loaded))
            with timing.stage("our pages"):
                rendered = render_brand(report, link, self.cache)
        rendered.uses = sorted(made_from)
        self.rendered_fresh.append(loaded.slug)
        if key is not None and not (set(asset_keys.values()) & self.runner.uncached_keys):
            rendercache.store_entry(self.cache, key, rendered, cache_root=self.cache_root,
                                    brands_dir=self.options.brands_dir)
        return rendered

    def _credentials(self, loaded: LoadedBrand) -> dict[str, CredentialState]:
        """Content Credentials of each asset, cached by file content, trust anchors and c2pa version."""
        anchors = self.options.trust_anchors_pem
        states: dict[str, CredentialState] = {}
        for asset_id, path in loaded.asset_paths.items():
            key = make_key("credentials", self.cache.content_hash(path), anchors, credentials.c2pa_version())
            state = self.cache.get_json("credentials", key, load=_credential_state)
            if state is None:
                state = credentials.read_credentials(path, trust_anchors_pem=anchors)
                self.cache.put_json("credentials", key, state)
            states[asset_id] = state
        return states

    def close(self) -> None:
        """Stop workers and remove a temporary cache."""
        self.runner.shutdown()
        render.use_fragment_cache(None)
        if self._temp_cache is not None:
            self._temp_cache.cleanup()
            self._temp_cache = None


class _EarlyBrands:
    """The brands :meth:`SiteBuild._render_while_analysing` renders as their analyses arrive."""

    def __init__(self, build: SiteBuild, link: Link, options: list[Any]) -> None:
        self.build, self.link, self.options = build, link, options
        #: Slug -> keys of the brand's files still being analysed (only brands rendered early).
        self.waiting: dict[str, set[str]] = {}
        self.rendered: dict[str, rendercache.RenderedBrand] = {}

    def arrived(self, key: str) -> None:
        """One file's analysis arrived: render every brand that waited for it alone."""
        for slug, keys in list(self.waiting.items()):
            keys.discard(key)
            if not keys:
                self.render(slug)

    def render(self, slug: str) -> None:
        del self.waiting[slug]
        build = self.build
        loaded = next(loaded for loaded in build.brands if loaded.slug == slug)
        results = {(slug, asset_id): build.runner.result(build._job_keys[(slug, asset_id)])
                   for asset_id in loaded.asset_paths}
        self.rendered[slug] = build._rendered_brand(loaded, build._measured(results), self.link, self.options)


def _needs_more_than_analysis(loaded: LoadedBrand) -> bool:
    """Whether the brand's outputs need work that runs after the whole analysis: an audition on a
    playback chain (:meth:`SiteBuild._with_auditions`) or a search for its sonic logo
    (:func:`_with_logo_searches`)."""
    brand = loaded.brand
    if any(touchpoint.playback is not None for asset in brand.assets for touchpoint in brand.touchpoints_of(asset)):
        return True
    logo = brand.sonic_logo
    return logo is not None and logo.asset in loaded.asset_paths and any(
        asset.id != logo.asset and carries_logo(asset.role, asset.carries_logo) and asset.id in loaded.asset_paths
        for asset in brand.assets)


def render_brand(report: BrandReport, link: Link, cache: Cache) -> rendercache.RenderedBrand:
    """Shape one brand's report into its pages, files, card and findings (no other brand involved)."""
    loaded = report.loaded
    page_uri = layout.brand_page(loaded.slug)
    page = brand_page_markdown(report, _page_link(link, page_uri))
    sharing = brand_sharing(report, link, cache)
    rendered = rendercache.RenderedBrand(slug=loaded.slug, name=loaded.brand.identity.name, page_uri=page_uri,
                                         brief_uri=layout.brief_page(loaded.slug), card=page.card,
                                         findings=list(report.findings))
    sound_map = soundmap.brand_map(report, cache)
    rendered.files.update(sound_map.files)
    rendered.map_rows = soundmap.map_rows(report)
    map_markdown = soundmap.brand_section_markdown(sound_map, _page_link(link, page_uri))
    rendered.pages[page_uri] = page.markdown + map_markdown + sharing.section_markdown
    rendered.page_jsonld[page_uri] = page.jsonld
    rendered.pages.update(sharing.pages)
    rendered.page_titles.update(sharing.page_titles)
    rendered.page_meta.update(sharing.page_meta)
    rendered.files.update(sharing.files)
    page.card.update({"brief_uri": layout.brief_page(loaded.slug), "measured_lufs": sharing.measured_lufs,
                      "asset_count": len(report.assets)})
    rendered.page_titles[page_uri] = loaded.brand.identity.name
    rendered.files[layout.brand_json(loaded.slug)] = json_bytes(report.to_json(urls=page.asset_urls))
    for name, image in loaded.images.items():
        rendered.files[layout.logo_image(loaded.slug, name, image.extension)] = image.data
    for judged in report.assets:
        rendered.files[layout.audio(loaded.slug, judged.asset.file)] = loaded.asset_paths[judged.id]
        for name, chart_path in judged.analysis.charts.items():
            kind, theme = name.rsplit("-", 1)
            rendered.files[layout.chart(loaded.slug, judged.id, kind, theme)] = chart_path
        for chain_id, audition_path in judged.analysis.auditions.items():
            rendered.files[layout.audition(loaded.slug, judged.asset.file, chain_id)] = audition_path
        peaks_path = judged.analysis.peaks_path
        if peaks_path is not None and peaks_path.is_file():
            rendered.files[layout.peaks(loaded.slug, judged.id)] = peaks_path
    return rendered


def _page_link(link: Link, page_uri: str) -> Callable[[str], str]:
    """``link`` bound to one page."""
    return lambda target: link(target, page_uri)


def json_bytes(data: Any, *, indent: bool = False) -> bytes:
    """Strict JSON (RFC 8259: no NaN or infinity) as UTF-8 with a final newline.

    Compact unless ``indent``: ``indent`` makes the json module fall back to its pure-Python
    encoder, which took a second per warm build of the 50-brand catalogue. The analysis reports
    non-finite values as null with a reason; replacing any left over by null is the last guard.
    """
    def dumps(value: Any) -> str:
        if indent:
            return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

    try:
        text = dumps(data)
    except ValueError:
        text = dumps(_finite(data))
    return (text + "\n").encode("utf-8")


def _finite(data: Any) -> Any:
    """``data`` with every NaN or infinite float replaced by ``None``."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def _credential_state(value: Any) -> CredentialState:
    """A cached :class:`CredentialState`, checked for its shape (a wrong one is discarded)."""
    if not isinstance(value, dict) or set(value) != set(CredentialState.__annotations__):
        raise TypeError("expected a Content Credentials state")
    return cast(CredentialState, value)


def _with_logo_searches(runner: LogoSearchRunner, brands: Sequence[LoadedBrand],
                       analyses: Mapping[tuple[str, str], AssetAnalysis]) -> dict[tuple[str, str], AssetAnalysis]:
    """``analyses`` with each searched asset's :class:`LogoFacts` in its measurements.

    A brand without ``sonic_logo``, or whose logo asset could not be analysed, searches nothing;
    an asset that could not be analysed is not searched either (its problem is reported already).
    """
    jobs: list[LogoJob] = []
    for loaded in brands:
        logo = loaded.brand.sonic_logo
        if logo is None or logo.asset not in loaded.asset_paths:
            continue
        logo_analysis = analyses.get((loaded.slug, logo.asset))
        if logo_analysis is None or logo_analysis.measurements is None:
            continue
        for asset in loaded.brand.assets:
            analysis = analyses.get((loaded.slug, asset.id))
            if (asset.id == logo.asset or not carries_logo(asset.role, asset.carries_logo)
                    or analysis is None or analysis.measurements is None or asset.id not in loaded.asset_paths):
                continue
            jobs.append(runner.make_job(loaded.slug, asset.id, logo.asset, loaded.asset_paths[logo.asset],
                                        loaded.asset_paths[asset.id]))
    found = runner.run(jobs)
    merged = dict(analyses)
    for place, facts in found.items():
        analysis = merged[place]
        assert analysis.measurements is not None
        merged[place] = replace(analysis, measurements=analysis.measurements.model_copy(update={"logo": facts}))
    return merged
