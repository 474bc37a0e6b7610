"""The MkDocs front end of sonicguide: hooks only, all logic lives in :mod:`sonicguide.core`."""

from __future__ import annotations

import html
import os
import shutil
import time
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from sonicguide.config import SonicGuideConfig
from sonicguide.core.errors import BrandError, SonicguideError
from sonicguide.core.judge.findings import render as render_findings
from sonicguide.core.judge.findings import stopping
from sonicguide.core.load.brand import Limits
from sonicguide.core.site import BuildOptions, SiteBuild, SiteOutput
from sonicguide.core.views import layout

log = get_plugin_logger(__name__)

#: Our stylesheets and scripts, published under ``assets/sonicguide/``.
STATIC_FILES = ("css/sonicguide.css", "css/player.css", "css/disclosure.css", "js/player.js",
                "css/gallery.css", "css/print.css", "js/gallery.js")
#: Published under ``assets/sonicguide/`` but linked from no page unless configured (the offline build
#: lists the iframe-worker shim in ``extra.polyfills``, see mkdocs.offline.yml).
PUBLISHED_FILES = ("vendor/iframe-worker/shim.js", "vendor/iframe-worker/LICENSE")
_NEW_SUFFIX = ".sonicguide-new"
_OLD_SUFFIX = ".sonicguide-old"


class SonicGuidePlugin(BasePlugin[SonicGuideConfig]):
    """Turns ``brands/<slug>/brand.yml`` folders into pages of a Material for MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._command: str | None = None
        self._build: SiteBuild | None = None
        self._output: SiteOutput | None = None
        self._final_site_dir: str | None = None
        self._started = 0.0
        self._set_epoch = False
        self._nav_generated = False

    # -- lifecycle ------------------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self._command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._started = time.perf_counter()
        root = Path(config.config_file_path).resolve().parent
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
            limits=Limits(max_yaml_bytes=self.config.max_yaml_bytes, max_audio_bytes=self.config.max_audio_bytes),
            max_duration_s=self.config.max_duration_s,
            display_root=root,
            trust_anchors_pem=(Path(self.config.trust_anchors).read_text(encoding="utf-8")
                               if self.config.trust_anchors else None),
        )
        self._pin_build_date(options.brands_dir, Path(config.config_file_path))
        self._close()
        self._build = SiteBuild(options, progress=_progress)
        try:
            # Raised here, before MkDocs cleans site_dir, a user's mistake never costs the last site.
            self._build.start()
        except BrandError as error:
            self._close()
            raise PluginError(error.render()) from None
        if self.config.atomic and self._command != "serve":
            self._final_site_dir = config.site_dir
            config.site_dir = config.site_dir.rstrip("/\\") + _NEW_SUFFIX
            shutil.rmtree(config.site_dir, ignore_errors=True)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self._build is None:
            return None
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
        self._output = output
        briefs = {brand.brief_uri for brand in output.brands}
        for uri, markdown in output.pages.items():
            # Composer briefs are built and searchable but deliberately left out of the nav.
            inclusion = InclusionLevel.NOT_IN_NAV if uri in briefs else InclusionLevel.UNDEFINED
            _replace(files, File.generated(config, uri, content=markdown, inclusion=inclusion))
        for uri, content in output.files.items():
            if isinstance(content, Path):
                _replace(files, File.generated(config, uri, abs_src_path=str(content)))
            else:
                _replace(files, File.generated(config, uri, content=content))
        package = resources.files("sonicguide") / "assets"
        for name in STATIC_FILES + PUBLISHED_FILES:
            data = (package / name).read_bytes()
            _replace(files, File.generated(config, f"{layout.ASSETS_PREFIX}/{name}", content=data))
        self._generate_nav(files, config, output)
        errors, warnings = stopping(output.findings, fail_on_conformance=self.config.fail_on_conformance)
        for finding in warnings:
            log.warning(str(finding))
        if errors:
            raise PluginError(render_findings(errors, head="problem that stops the build"))
        return files

    def _generate_nav(self, files: Files, config: MkDocsConfig, output: SiteOutput) -> None:
        """Without a ``nav`` of the user's: home, a "Brands" section, then every other page.

        MkDocs would otherwise make one section per brand folder, each holding one page.
        """
        if config.nav is not None and not self._nav_generated:
            return
        brand_pages = [brand.page_uri for brand in sorted(output.brands, key=lambda b: (b.name.casefold(), b.slug))]
        # Composer briefs are linked from their brand page and card; listing them would double the nav.
        briefs = {brand.brief_uri for brand in output.brands}
        others = sorted(file.src_uri for file in files.documentation_pages()
                        if file.src_uri != layout.HOME and file.src_uri not in brand_pages
                        and file.src_uri not in briefs)
        nav: list[Any] = [layout.HOME]
        if brand_pages:
            nav.append({"Brands": brand_pages})
        nav.extend(others)
        config.nav = nav
        self._nav_generated = True

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self._output is not None and page.file.src_uri in self._output.page_titles:
            # Material prints page titles unescaped (and through `striptags`, which decodes
            # entities), so a title from YAML must reach the theme already HTML-escaped.
            page.meta["title"] = html.escape(self._output.page_titles[page.file.src_uri])
        return markdown

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
                        ) -> TemplateContext | None:
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

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._build is not None:
            log.info(f"{self._build.runner.analysed} asset(s) analysed, the rest from the cache; "
                     f"{time.perf_counter() - self._started:.1f} s")
        self._close()
        if self._final_site_dir is not None:
            _swap_into_place(config.site_dir, self._final_site_dir)
            config.site_dir = self._final_site_dir
            self._final_site_dir = None

    def on_build_error(self, *, error: Exception) -> None:
        self._close()
        if self._final_site_dir is not None:
            shutil.rmtree(self._final_site_dir + _NEW_SUFFIX, ignore_errors=True)
            self._final_site_dir = None

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.enabled:
            root = Path(config.config_file_path).resolve().parent
            server.watch(str((root / self.config.brands_dir).resolve()), recursive=True)
        return server

    def on_shutdown(self) -> None:
        self._close()
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False

    def _pin_build_date(self, brands_dir: Path, config_file: Path) -> None:
        """Make the build date (sitemap, gzip headers) a function of the input, not of the clock.

        MkDocs honours ``SOURCE_DATE_EPOCH``; when the user has not set it, we set it to the newest
        modification time among the inputs, so two builds of unchanged input are byte-identical.
        """
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False
        if "SOURCE_DATE_EPOCH" in os.environ:
            return
        newest = config_file.stat().st_mtime
        if brands_dir.is_dir():
            for path in brands_dir.rglob("*"):
                try:
                    newest = max(newest, path.lstat().st_mtime)
                except OSError:
                    continue
        os.environ["SOURCE_DATE_EPOCH"] = str(int(newest))
        self._set_epoch = True

    def _close(self) -> None:
        if self._build is not None:
            self._build.close()
            self._build = None


def _progress(done: int, total: int) -> None:
    step = max(1, total // 10)
    if done == total or done % step == 0:
        log.info(f"analysed {done}/{total} audio files")


def url_of(src_uri: str, config: MkDocsConfig) -> str:
    """The URL MkDocs gives the file ``src_uri`` (which need not exist)."""
    return File(src_uri, None, config.site_dir, config.use_directory_urls).url


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


def _swap_into_place(new_dir: str, final_dir: str) -> None:
    """Replace ``final_dir`` by ``new_dir`` with two renames (the old site survives any failure)."""
    old_dir = Path(final_dir.rstrip("/\\") + _OLD_SUFFIX)
    shutil.rmtree(old_dir, ignore_errors=True)
    if Path(final_dir).is_dir():
        Path(final_dir).replace(old_dir)
    Path(new_dir).replace(final_dir)
    shutil.rmtree(old_dir, ignore_errors=True)
