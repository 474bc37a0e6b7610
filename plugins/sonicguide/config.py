"""Typed configuration of the ``sonicguide`` MkDocs plugin."""

from __future__ import annotations

import os

from mkdocs.config import base
from mkdocs.config import config_options as c


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
    """Where the cache lives, relative to ``mkdocs.yml``. Safe to delete at any time."""

    concurrency = c.Type(int, default=max(1, os.cpu_count() or 1))
    """Worker processes for audio analysis and charts (default: one per CPU core)."""

    max_yaml_bytes = c.Type(int, default=1_000_000)
    """Largest ``brand.yml`` accepted, in bytes."""

    max_audio_bytes = c.Type(int, default=512 * 1024 * 1024)
    """Largest audio file accepted, in bytes."""

    max_duration_s = c.Optional(c.Type((int, float)))
    """Longest audio accepted, in seconds (no limit when unset)."""

    fail_on_conformance = c.Type(bool, default=False)
    """Turn conformance failures (loudness, true peak, duration, format, musical DNA) into build
    errors instead of warnings."""

    trust_anchors = c.Optional(c.File(exists=True))
    """PEM file of root certificates trusted for Content Credentials (C2PA); without it, valid
    manifests show as "valid, untrusted"."""

    atomic = c.Type(bool, default=True)
    """Build into a sibling folder and swap it into ``site_dir`` only when the build succeeds, so a
    failed build never leaves a half-written site."""
