"""Typed configuration of the ``sonicguide`` MkDocs plugin."""

from __future__ import annotations

import os

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from sonicguide.core.audio.limits import DEFAULT_MAX_DURATION_S
from sonicguide.core.cacheprune import parse_size
from sonicguide.core.load.brand import DEFAULT_MAX_ASSETS_PER_BRAND
from sonicguide.core.media import DEFAULT_MAX_SITE_BYTES


class _Seconds(c.Type[float]):
    """A duration in seconds: a whole or decimal number, zero or more."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> float:
        seconds = super().run_validation(value)
        if isinstance(seconds, bool) or seconds < 0:
            raise ValidationError(f"expected a number of seconds, 0 or more (0: no limit), got {value!r}")
        return float(seconds)


class _Size(base.BaseConfigOption[int]):
    """A size in bytes, or with a unit: ``2G``, ``500 MiB``, ``2GB`` (see ``cacheprune.parse_size``)."""

    def run_validation(self, value: object) -> int:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValidationError(f"expected a size such as 2G or 500MiB, got {value!r}")
        try:
            return parse_size(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class SonicGuideConfig(base.Config):
    """Options of ``plugins: - sonicguide: ...`` in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (e.g. ``enabled: !ENV [SONICGUIDE, true]``)."""

    brands_dir = c.Type(str, default="brands")
    """Folder holding one sub-folder per brand (``<slug>/brand.yml`` plus audio), relative to
    ``mkdocs.yml``."""

    cache = c.Type(bool, default=True)
    """Keep analysis results and charts between builds, keyed by content hash."""

    cache_dir = c.Type(str, default=".cache/sonicguide")
    """Where the cache lives, relative to ``mkdocs.yml``. Safe to delete at any time; ``sonicguide cache
    info`` and ``sonicguide cache prune`` inspect and trim it."""

    cache_max_size = c.Optional(_Size())
    """Off by default. A size (``2G``, ``500MiB``): at the end of a successful build whose cache folder
    is larger, the least recently used entries are removed until it fits, never one this build used
    (skipped while another build uses the cache). Costs one ``stat`` per cache file per build."""

    concurrency = c.Type(int, default=max(1, os.cpu_count() or 1))
    """Worker processes for audio analysis and charts (default: one per CPU core)."""

    max_yaml_bytes = c.Type(int, default=1_000_000)
    """Largest ``brand.yml`` accepted, in bytes."""

    max_audio_bytes = c.Type(int, default=512 * 1024 * 1024)
    """Largest audio file accepted, in bytes."""

    max_duration_s = _Seconds(default=DEFAULT_MAX_DURATION_S)
    """Longest audio accepted, in seconds: default 10800 (3 h), also when set to ``null``; ``0`` turns
    the duration limit off (the other limits of one file still apply: see the README)."""

    max_assets_per_brand = c.Type(int, default=DEFAULT_MAX_ASSETS_PER_BRAND)
    """Most assets one brand may list (default 500; 0: no cap). More is an error at the brand's
    ``assets:`` naming the limit."""

    max_site_bytes = c.Type(int, default=DEFAULT_MAX_SITE_BYTES)
    """Cap on the site's files besides its HTML pages (audio, delivery packs, cards, charts, peaks,
    ``brand.json``), in bytes, each unique content counted once (default 10 GiB; 0: no cap). A site
    over it is refused, naming its largest brands."""

    link_media = c.Type(bool, default=True)
    """Publish audio, packs, cards, peaks and charts by hard link from the content-addressed cache
    (copied where the file system cannot link). ``false`` copies every file on every build."""

    fail_on_conformance = c.Type(bool, default=False)
    """Turn conformance failures (loudness, true peak, duration, format, musical DNA) into build
    errors instead of warnings."""

    trust_anchors = c.Optional(c.File(exists=True))
    """PEM file of root certificates trusted for Content Credentials (C2PA); without it, valid
    manifests show as "valid, untrusted"."""

    atomic = c.Type(bool, default=True)
    """Build into a sibling folder and swap it into ``site_dir`` only when the build succeeds, so a
    failed build never leaves a half-written site."""
