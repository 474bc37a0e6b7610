"""The MkDocs front end of sonicguide: hooks only, all logic lives in :mod:`sonicguide.core`."""

from __future__ import annotations

import gc
import html
import json
import logging
import os
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from mkdocs.commands import build as build_command
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from sonicguide.config import SonicGuideConfig
from sonicguide.core import cacheprune, cacheuse, faults, media, sitedir, timing
from sonicguide.core.cache import Cache
from sonicguide.core.errors import BrandError, SonicguideError
from sonicguide.core.judge.findings import render as render_findings
from sonicguide.core.judge.findings import stopping
from sonicguide.core.load.brand import Limits
from sonicguide.core.site import BuildOptions, SiteBuild, SiteOutput
from sonicguide.core.views import format as fmt
from sonicguide.core.views import layout, navigation
from sonicguide.pageconversions import PageConversions, cache_compiled_templates, use_cached_pages
from sonicguide.searchentries import SearchEntries
from sonicguide.servepages import PageReuse

log = get_plugin_logger(__name__)

#: Our stylesheets and scripts, published under ``assets/sonicguide/``.
STATIC_FILES = ("css/sonicguide.css", "css/player.css", "css/disclosure.css", "js/player.js",
                "css/gallery.css", "css/print.css", "js/gallery.js", "js/packs.js")
#: Published under ``assets/sonicguide/`` but linked from no page unless configured (the offline build
#: lists the iframe-worker shim in ``extra.polyfills``, see mkdocs.offline.yml).
PUBLISHED_FILES = ("vendor/iframe-worker/shim.js", "vendor/iframe-worker/LICENSE")
#: Not empty once ``on_shutdown`` has frozen the garbage collector's objects (see there); one flag
#: for the process, as the collector is, whichever plugin instance froze them.
_FROZE_AT_SHUTDOWN: list[bool] = []
#: The package folder of template overrides (``main.html``, ``partials/sonicguide/*.html``).
THEME_DIR = "theme"


class SonicGuidePlugin(BasePlugin[SonicGuideConfig]):
    """Turns ``brands/<slug>/brand.yml`` folders into pages of a Material for MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._command: str | None = None
        self._build: SiteBuild | None = None
        self._output: SiteOutput | None = None
        self._final_site_dir: str | None = None
        self._temp_site_dir: Path | None = None
        self._started = 0.0
        self._set_epoch = False
        self._nav_generated = False
        self._log_filter: _SiteDirInLog | None = None
        #: This build's placement of media and the cache it links from (see ``_relink``).
        self._placer: media.Placer | None = None
        self._cache: Cache | None = None
        #: perf_counter() at MkDocs' events, for the stage timings (only when they are on).
        self._marks: dict[str, float] = {}
        #: This build's page conversions (``None`` without a cache), for the log and the tests.
        self._conversions: PageConversions | None = None
        #: Under ``serve``: pages kept from the previous build of the session (see servepages.py).
        self._reuse: PageReuse | None = None
        self._nav: Navigation | None = None
        #: Material's search entries of our pages, from the cache when a page is unchanged.
        self._search: SearchEntries | None = None
        #: This build's shared hold on the cache folder, from before it reads the cache until its use
        #: is recorded (a ``sonicguide cache prune`` waits for it; see core/cacheuse.py).
        self._lease: cacheuse.Lease | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self._command = command
        if _FROZE_AT_SHUTDOWN:
            gc.unfreeze()  # another build in this process (a test, a script): its garbage is collectable again
            _FROZE_AT_SHUTDOWN.clear()
        self._reuse = PageReuse() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._started = time.perf_counter()
        timing.take_all()
        self._marks = {}
        self._mark("config")
        root = Path(config.config_file_path).resolve().parent
        _add_theme_dir(config)
        for extension in ("attr_list", "toc", "tables"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        for name in STATIC_FILES:
            url = f"{layout.ASSETS_PREFIX}/{name}"
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if url not in [str(item) for item in target]:
                target.append(url)
        options = BuildOptions(
            brands_dir=(root / self.config.brands_dir).resolve(),
            cache_dir=(root / self.config.cache_dir) if self.config.cache else None,
            workers=self.config.concurrency,
            limits=Limits(max_yaml_bytes=self.config.max_yaml_bytes, max_audio_bytes=self.config.max_audio_bytes,
                          max_assets_per_brand=self.config.max_assets_per_brand),
            max_site_bytes=self.config.max_site_bytes,
            link_media=self.config.link_media,
            max_duration_s=self.config.max_duration_s,
            display_root=root,
            docs_pages=_docs_pages(Path(config.docs_dir)),
            trust_anchors_pem=(Path(self.config.trust_anchors).read_text(encoding="utf-8")
                               if self.config.trust_anchors else None),
        )
        with timing.stage("pinning the build date"):
            self._pin_build_date(options.brands_dir, Path(config.config_file_path))
        self._close()
        self._release_lease()
        try:
            with timing.stage("loading brands"):
                if options.cache_dir is not None:
                    self._lease = cacheuse.Lease.shared(options.cache_dir)
                self._build = SiteBuild(options, progress=_progress)
                # Raised here, before MkDocs cleans site_dir, a user's mistake never costs the last site.
                self._build.start()
        except BrandError as error:
            self._close()
            self._release_lease()
            raise PluginError(error.render()) from None
        except OSError as error:
            self._close()
            self._release_lease()
            raise PluginError(faults.describe_os_error(error, doing="writing the sonicguide cache",
                                                       setting="the plugin option cache_dir")) from None
        if self.config.atomic and self._command != "serve":
            final = Path(config.site_dir.rstrip("/\\"))
            try:
                # A folder of this build's own: two builds at once never write into each other's.
                self._temp_site_dir = sitedir.make_temp_site(final)
            except OSError as error:
                self._close()
                self._release_lease()
                raise PluginError(faults.describe_os_error(error, doing="preparing the site folder",
                                                           setting="site_dir")) from None
            self._final_site_dir = config.site_dir
            config.site_dir = str(self._temp_site_dir)
            self._name_real_site_dir(config.site_dir, self._final_site_dir)
        self._mark("config end")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self._build is None:
            return None
        self._mark("files")
        _drop_links_leaving_docs(files, config)

        urls: dict[str, str] = {}

        def url(src_uri: str) -> str:
            if src_uri not in urls:
                urls[src_uri] = url_of(src_uri, config)
            return urls[src_uri]

        def link(target_uri: str, page_uri: str) -> str:
            return get_relative_url(url(target_uri), url(page_uri))

        try:
            output = self._build.finish(link)
        except SonicguideError as error:
            raise PluginError(error.render() if isinstance(error, BrandError) else str(error)) from None
        except OSError as error:
            raise PluginError(faults.describe_os_error(error, doing="writing the sonicguide cache",
                                                       setting="the plugin option cache_dir")) from None
        for notice in output.notices:
            log.warning(notice)
        self._output = output
        with timing.stage("handing our files to MkDocs"):
            self._hand_over(files, config, output)
        errors, warnings = stopping(output.findings, fail_on_conformance=self.config.fail_on_conformance)
        for finding in warnings:
            log.warning(str(finding))
        self._mark("files end")
        if errors:
            raise PluginError(render_findings(errors, head="problem that stops the build"))
        return files

    def _hand_over(self, files: Files, config: MkDocsConfig, output: SiteOutput) -> None:
        """Our pages and files into MkDocs' ``files``, the navigation, and the cached page conversions."""
        assert self._build is not None
        briefs = {brand.brief_uri for brand in output.brands}
        for uri, markdown in output.pages.items():
            # Composer briefs are built and searchable but deliberately left out of the nav.
            inclusion = InclusionLevel.NOT_IN_NAV if uri in briefs else InclusionLevel.UNDEFINED
            _replace(files, File.generated(config, uri, content=markdown, inclusion=inclusion))
        # Audio, packs, cards, peaks and charts: hard links from the cache where possible (core/media.py).
        placer = media.Placer(immutable_root=self._build.cache.root, link=self.config.link_media)
        self._placer, self._cache = placer, (self._build.cache if self.config.cache else None)
        for uri, content in output.files.items():
            if isinstance(content, Path):
                _replace(files, _PlacedFile.made(config, uri, content, placer))
            else:
                _replace(files, File.generated(config, uri, content=content))
        package = resources.files("sonicguide") / "assets"
        for name in STATIC_FILES + PUBLISHED_FILES:
            data = (package / name).read_bytes()
            _replace(files, File.generated(config, f"{layout.ASSETS_PREFIX}/{name}", content=data))
        self._generate_nav(files, config, output)
        if self.config.cache:
            # Our pages' Markdown conversions come from the page cache when their inputs are unchanged.
            self._conversions = PageConversions(self._build.cache)
            use_cached_pages(files, config, list(output.pages), self._conversions)

    def _generate_nav(self, files: Files, config: MkDocsConfig, output: SiteOutput) -> None:
        """Without a ``nav`` of the user's: home, a "Brands" section, then every other page.

        MkDocs would otherwise make one section per brand folder, each holding one page.
        """
        if config.nav is not None and not self._nav_generated:
            return
        in_order = sorted(output.brands, key=lambda b: (b.name.casefold(), b.slug))
        brand_pages = [brand.page_uri for brand in in_order]
        # Composer briefs are linked from their brand page and card; listing them would double the nav.
        briefs = {brand.brief_uri for brand in output.brands}
        others = sorted(file.src_uri for file in files.documentation_pages()
                        if file.src_uri != layout.HOME and file.src_uri not in brand_pages
                        and file.src_uri not in briefs)
        nav: list[Any] = [layout.HOME]
        if brand_pages:
            # A large catalogue in groups: Material renders the whole nav into every page.
            nav.append({"Brands": navigation.brand_entries([(brand.name, brand.page_uri) for brand in in_order])})
        nav.extend(others)
        config.nav = nav
        self._nav_generated = True

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self._output is not None and page.file.src_uri in self._output.page_titles:
            # Material prints page titles unescaped (and through `striptags`, which decodes
            # entities), so a title from YAML must reach the theme already HTML-escaped.
            page.meta["title"] = html.escape(self._output.page_titles[page.file.src_uri])
        return markdown

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self._mark("nav")
        self._nav = nav
        return None

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._mark("env")
        self._search = None
        if self.config.cache and self._build is not None:
            cache_compiled_templates(env, self._build.cache_root / "theme-templates")
            if self._output is not None:
                self._search = SearchEntries(self._build.cache, config, set(self._output.pages))
        if self._reuse is not None and self._output is not None and self._nav is not None:
            output = self._output
            pages = [file.page for uri in output.pages if (file := files.get_file_from_path(uri)) is not None
                     and file.page is not None]
            self._reuse.plan(pages=pages, nav=self._nav, files=files, config=config,
                             page_data={uri: [output.page_jsonld.get(uri), output.page_meta.get(uri),
                                              output.page_titles.get(uri)] for uri in output.pages})
        return None

    def _mark(self, event: str) -> None:
        if timing.enabled() and event not in self._marks:
            self._marks[event] = time.perf_counter()

    @event_priority(100)
    def _before_search(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
                       ) -> TemplateContext | None:
        reused = False
        if self._reuse is not None:
            self._reuse.before_search(page)
            reused = page.file.src_uri in self._reuse.reused
        if self._search is not None and not reused:
            self._search.before_search(page)
        return context

    @event_priority(-100)
    def _after_search(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
                      ) -> TemplateContext | None:
        if self._search is not None:
            self._search.after_search(page)
        if self._reuse is not None:
            self._reuse.after_search(page, context)
        return context

    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self._reuse is not None:
            self._reuse.rendered_output(page, output)
        return output

    def _page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
                      ) -> TemplateContext | None:
        self._mark("first page context")
        if self._output is not None:
            jsonld = self._output.page_jsonld.get(page.file.src_uri)
            if jsonld:
                page.meta["sonicguide_jsonld"] = jsonld
            meta = self._output.page_meta.get(page.file.src_uri)
            if meta is not None:
                page.meta["sonicguide"] = meta
                if meta.get("description") and "description" not in page.meta:
                    # Material prints page.meta.description unescaped in <meta name="description">.
                    page.meta["description"] = html.escape(meta["description"])
        return context

    #: Around the search plugin's indexing: a page whose search entries are cached (searchentries.py),
    #: or, under ``serve``, a page kept whole (servepages.py), is hidden from the indexer and gets its
    #: kept entries (and HTML); our page data goes in between.
    on_page_context = CombinedEvent(_before_search, _page_context, _after_search)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._mark("post build")
        if self._reuse is not None:
            log.debug(f"under serve: pages rendered {len(self._reuse.rendered)}, kept {len(self._reuse.reused)}")
        if self._search is not None:
            log.debug(f"search entries: indexed {len(self._search.indexed)}, "
                      f"from the cache {len(self._search.from_cache)}")
        if self._conversions is not None:
            log.debug(f"pages converted: {len(self._conversions.converted)}, "
                      f"from the page cache: {len(self._conversions.from_cache)}")
        if self._build is not None:
            log.info(build_summary(analysed=self._build.runner.analysed, from_cache=self._build.runner.from_cache,
                                   brands=len(self._build.brands), seconds=time.perf_counter() - self._started))
        with timing.stage("closing (workers, render state)"):
            self._close()
        self._name_real_site_dir(None, None)
        if self._final_site_dir is not None and self._temp_site_dir is not None:
            final = Path(self._final_site_dir.rstrip("/\\"))
            try:
                with timing.stage("swapping the site in"):
                    leftovers = sitedir.swap_into_place(self._temp_site_dir, final)
            except OSError as error:
                raise PluginError(faults.describe_os_error(error, doing="moving the new site into place",
                                                           setting="site_dir")) from None
            config.site_dir = self._final_site_dir
            self._final_site_dir = None
            self._temp_site_dir = None
            if leftovers:
                left = leftovers[0].split(" (", 1)[0]
                folder = next((p for p in Path(left).parents if sitedir.OLD_MARK in p.name
                               or sitedir.NEW_MARK in p.name), Path(left))
                log.warning(f"The new site is in place, but {len(leftovers)} file(s) of the previous one could "
                            f"not be removed, e.g. {leftovers[0]}; remove the folder by hand "
                            f"(chmod -R u+w '{folder}' && rm -rf '{folder}').")
        cache = self._cache
        with timing.stage("recording linked media"):
            self._relink()
        with timing.stage("recording the cache entries used"):
            self._record_use(cache, config)
        if timing.enabled():
            self._log_stage_times()

    def _relink(self) -> None:
        """Once the site is in place: the cache records the link counts of the entries it links, so
        the next build knows them unchanged by one ``stat`` (see ``Cache.relinked``)."""
        placer, cache = self._placer, self._cache
        self._placer = self._cache = None
        if placer is not None and cache is not None and placer.linked_from:
            try:
                cache.relinked(placer.linked_from)
                cache.save()
            except OSError as error:
                log.warning(faults.describe_os_error(error, doing="writing the sonicguide cache",
                                                     setting="the plugin option cache_dir"))

    def _record_use(self, cache: Cache | None, config: MkDocsConfig) -> None:
        """Once the site is in place: record which cache entries this successful build used (what
        ``sonicguide cache prune`` keeps), let go of the cache, then trim it to ``cache_max_size``."""
        lease, self._lease = self._lease, None
        try:
            if cache is None or cache.root is None or lease is None:
                return
            try:
                number, note = cacheuse.record_build(cache.root, sorted(cache.used), config=config.config_file_path)
            except OSError as error:
                log.warning(faults.describe_os_error(error, doing="writing the sonicguide cache",
                                                     setting="the plugin option cache_dir"))
                return
            if note:
                log.info(note)
            log.debug(f"cache: build {number} used {len(cache.used)} entries")
        finally:
            if lease is not None:
                lease.release()
        if self.config.cache_max_size is not None:
            self._trim_cache(cache.root, self.config.cache_max_size)

    def _trim_cache(self, root: Path, max_bytes: int) -> None:
        """The automatic prune (``cache_max_size``): least recently used first, never an entry of this
        build; skipped while another build holds the cache (the next build trims it)."""
        try:
            with timing.stage("trimming the cache"):
                result = cacheprune.prune(root, keep_builds=None, max_bytes=max_bytes, wait_s=0)
        except cacheuse.CacheBusy:
            log.debug("cache: another build is using it; not trimmed this time")
            return
        except (SonicguideError, cacheuse.UsageDamaged) as error:
            log.info(f"sonicguide: the cache was not trimmed: {error}")
            return
        except OSError as error:
            log.warning(faults.describe_os_error(error, doing="trimming the sonicguide cache",
                                                 setting="the plugin option cache_dir"))
            return
        removed = result.plan.removed
        if removed or result.plan.leftovers:
            log.info(f"sonicguide: cache over cache_max_size ({fmt.data_size(max_bytes)}): removed "
                     f"{len(removed)} least recently used entries, {fmt.data_size(result.plan.freed_bytes)}; "
                     f"it holds {fmt.data_size(result.plan.after_bytes)}")
        if result.plan.after_bytes > max_bytes:
            log.info(f"sonicguide: the cache holds {fmt.data_size(result.plan.after_bytes)}, more than "
                     f"cache_max_size ({fmt.data_size(max_bytes)}), but this build uses "
                     f"{fmt.data_size(result.plan.last_build_bytes)} of it; raise cache_max_size.")

    def _release_lease(self) -> None:
        if self._lease is not None:
            self._lease.release()
            self._lease = None

    def _log_stage_times(self) -> None:
        """One line of seconds per stage (``SONICGUIDE_TIMINGS``; see :mod:`sonicguide.core.timing`).

        The main process' seconds from ``on_config`` to now, each counted once: our stages, MkDocs'
        phases between our hooks (from the events' times) and what our hooks did outside any stage
        (``ours, not in a stage``); then the workers' work (summed over them) and the facts. The JSON
        file adds ``started at`` and ``ended at`` (seconds since the epoch) so that a benchmark can
        attribute the time before ``on_config`` (start-up) and after (exit) too.
        """
        ended = time.perf_counter()
        stages, work, facts = timing.take_all()
        marks = self._marks
        for name, start, end in (("MkDocs: files and theme", "config end", "files"),
                                 ("MkDocs: navigation", "files end", "nav"),
                                 ("MkDocs: markdown", "nav", "env"), ("copying", "env", "first page context"),
                                 ("MkDocs: templates and search", "first page context", "post build")):
            if start in marks and end in marks:
                stages[name] = marks[end] - marks[start]
        total = ended - self._started
        stages["ours, not in a stage"] = max(0.0, total - sum(stages.values()))
        facts["total"] = total
        line = ", ".join(f"{name} {seconds:.2f}" for name, seconds in {**stages, **work, **facts}.items())
        log.info("stage times (s): " + line)
        path = timing.report_path()
        if path is not None:
            now = time.time()
            facts["started at"] = now - total
            facts["ended at"] = now
            report = {"stages": stages, "work": work, "facts": facts}
            Path(path).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        self._placer = self._cache = None
        temp = self._temp_site_dir
        self._close()
        self._release_lease()
        self._name_real_site_dir(None, None)
        if self._final_site_dir is not None:
            self._final_site_dir = None
            self._temp_site_dir = None
            if temp is not None:
                faults.remove_tree(temp)
        if isinstance(error, OSError):
            # MkDocs' own writing failed (a full disk, a folder made read-only during the build):
            # one sentence with the path and the fix, instead of a traceback. Abort is printed as is.
            raise Abort(faults.describe_os_error(error, doing="writing the site", setting="site_dir")) from None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            root = Path(config.config_file_path).resolve().parent
            server.watch(str((root / self.config.brands_dir).resolve()), recursive=True)
        return server

    def on_shutdown(self) -> None:
        self._close()
        self._release_lease()
        self._name_real_site_dir(None, None)
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False
        if self._command in ("build", "gh-deploy"):
            # The process ends after this hook, and the interpreter's last garbage collections would
            # walk every object the build made: 0.3 s of a 10-brand cold build's exit (measured with
            # bench/bench_incremental.py). Frozen objects are skipped; on_startup thaws them if
            # another build follows in this process.
            gc.freeze()
            _FROZE_AT_SHUTDOWN.append(True)

    def _pin_build_date(self, brands_dir: Path, config_file: Path) -> None:
        """Make the build date (sitemap, gzip headers) a function of the input, not of the clock.

        MkDocs honours ``SOURCE_DATE_EPOCH``; when the user has not set it, we set it to the newest
        modification time among the inputs, so two builds of unchanged input are byte-identical.
        """
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False
        if "SOURCE_DATE_EPOCH" in os.environ:
            problem = faults.check_source_date_epoch(os.environ["SOURCE_DATE_EPOCH"])
            if problem:
                raise PluginError(problem)
            return
        newest = config_file.stat().st_mtime
        if brands_dir.is_dir():
            for path in brands_dir.rglob("*"):
                try:
                    newest = max(newest, path.lstat().st_mtime)
                except OSError:
                    continue
        # Clamped: a file dated past 2106 (or before 1980) would not fit gzip's or zip's date fields.
        os.environ["SOURCE_DATE_EPOCH"] = str(faults.clamp_epoch(newest))
        self._set_epoch = True

    def _name_real_site_dir(self, temporary: str | None, final: str | None) -> None:
        """Make MkDocs' "Building documentation to directory: ..." name ``final``, not the folder the
        atomic build writes to (``temporary``) before swapping it in; ``None`` removes the filter."""
        build_log = logging.getLogger(build_command.__name__)  # mkdocs.* or properdocs.commands.build
        if self._log_filter is not None:
            build_log.removeFilter(self._log_filter)
            self._log_filter = None
        if temporary is not None and final is not None:
            self._log_filter = _SiteDirInLog(temporary, final)
            build_log.addFilter(self._log_filter)

    def _close(self) -> None:
        if self._build is not None:
            self._build.close()
            self._build = None


def _progress(done: int, total: int) -> None:
    """One line on a terminal, rewritten in place and erased at the end; nothing when stderr is not one."""
    stream = sys.stderr
    if not stream.isatty():
        return
    line = f"sonicguide: analysing audio {done}/{total}"
    stream.write("\r" + (line if done < total else " " * len(line) + "\r"))
    stream.flush()


def build_summary(*, analysed: int, from_cache: int, brands: int, seconds: float) -> str:
    """The build's one summary line, e.g. "23 audio files analysed, 0 from the cache; 3 brands; 12.3 s"."""
    files = "audio file" if analysed == 1 else "audio files"
    brand_word = "brand" if brands == 1 else "brands"
    return f"{analysed} {files} analysed, {from_cache} from the cache; {brands} {brand_word}; {seconds:.1f} s"


class _SiteDirInLog(logging.Filter):
    """Rewrites the destination MkDocs logs from the temporary build folder to the real ``site_dir``."""

    def __init__(self, temporary: str, final: str) -> None:
        super().__init__()
        self.temporary, self.final = temporary, final

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.temporary in message:
            record.msg, record.args = message.replace(self.temporary, self.final), None
        return True


def _add_theme_dir(config: MkDocsConfig) -> None:
    """Put the package's templates (``sonicguide/theme``) on the theme's search path.

    They go right after the site's own ``custom_dir`` and before Material's folders, so a site can
    still replace any of them (``main.html`` or a partial) with a file of the same name.
    """
    package_dir = str(resources.files("sonicguide") / THEME_DIR)
    dirs = config.theme.dirs
    if package_dir in dirs:
        return
    custom_dir = config.theme.custom_dir
    position = dirs.index(custom_dir) + 1 if custom_dir and custom_dir in dirs else 0
    dirs.insert(position, package_dir)


def _docs_pages(docs_dir: Path) -> tuple[str, ...]:
    """Source URIs of the files in ``docs_dir`` (hidden ones left out, as MkDocs does)."""
    found: list[str] = []
    for root, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        relative = Path(root).relative_to(docs_dir)
        found += [(relative / name).as_posix() for name in sorted(names) if not name.startswith(".")]
    return tuple(found)


def url_of(src_uri: str, config: MkDocsConfig) -> str:
    """The URL MkDocs gives the file ``src_uri`` (which need not exist)."""
    return File(src_uri, None, config.site_dir, config.use_directory_urls).url


class _PlacedFile(File):
    """A file of ours that MkDocs puts into the site through :class:`media.Placer`: a hard link from
    the cache where the file system allows, a copy otherwise, always as a new file renamed into place."""

    placer: media.Placer | None = None

    @classmethod
    def made(cls, config: MkDocsConfig, src_uri: str, source: Path, placer: media.Placer) -> File:
        file = cls.generated(config, src_uri, abs_src_path=str(source))
        if isinstance(file, _PlacedFile):
            file.placer = placer
        return file

    def copy_file(self, dirty: bool = False) -> None:
        if self.placer is None or self.abs_src_path is None:
            super().copy_file(dirty)
        elif not (dirty and not self.is_modified()):
            source = Path(self.abs_src_path)
            try:
                self.placer.place(source, Path(self.abs_dest_path))
            except FileNotFoundError:
                if source.exists():
                    raise
                # The lock of core/cacheuse.py keeps `sonicguide cache prune` out of a running build;
                # without flock, or for a file deleted by hand, the build stops here (the last site stays).
                raise PluginError(f"'{source}' was removed while this build was using it (a cache prune "
                                  "without the build's lock, or a file deleted by hand); nothing was published. "
                                  "Build again: the cache makes it again.") from None


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        if existing.generated_by is None:
            log.warning(f"'{file.src_uri}' in docs_dir is replaced by the page sonicguide generates; "
                        "rename or remove it.")
        files.remove(existing)
    files.append(file)


def _drop_links_leaving_docs(files: Files, config: MkDocsConfig) -> None:
    """MkDocs follows symlinks; a link in docs_dir pointing outside it must not be published."""
    docs_abs = str(Path(config.docs_dir).absolute())
    docs_real = os.path.realpath(config.docs_dir)
    for file in list(files):
        if file.generated_by is not None or file.abs_src_path is None:
            continue
        if not str(Path(file.abs_src_path).absolute()).startswith(docs_abs + os.sep):
            continue  # a theme file, not one of docs_dir
        real = os.path.realpath(file.abs_src_path)
        if not (real == docs_real or real.startswith(docs_real + os.sep)):
            log.warning(f"'{file.src_uri}' in docs_dir is a link to a file outside docs_dir; it is not published.")
            files.remove(file)
