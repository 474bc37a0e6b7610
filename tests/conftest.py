"""Shared test set-up: the Hypothesis profile and which site generator the site-build tests run under.

The Hypothesis profile (see ``profiles.py``) is loaded before any test module is imported (also in
xdist workers, which import this file too).

``SONICGUIDE_GENERATOR=properdocs`` (set by ``scripts/test.sh`` for its second run, in a virtual
environment with ProperDocs installed) runs every in-process site build under ProperDocs: importing
``properdocs.replacement`` makes every ``mkdocs.*`` import resolve to ``properdocs.*``, exactly as the
``properdocs`` command does. It must happen before anything imports MkDocs, hence here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import profiles

GENERATOR = os.environ.get("SONICGUIDE_GENERATOR", "mkdocs")
if GENERATOR == "properdocs":
    import properdocs.replacement  # noqa: F401
elif GENERATOR != "mkdocs":
    raise pytest.UsageError(f"SONICGUIDE_GENERATOR={GENERATOR!r}: use mkdocs or properdocs")

#: Helper modules whose use makes a test module a site-build one (its tests are marked ``sitebuild``).
_SITE_HELPERS = {"sitehelpers", "sharingsite"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        if module is None:
            continue
        used = {getattr(value, "__module__", None) for value in vars(module).values() if callable(value)}
        if used & _SITE_HELPERS:
            item.add_marker(pytest.mark.sitebuild)


PROFILE = profiles.load()


def pytest_report_header() -> str:
    return f"hypothesis profile: {PROFILE}; site generator: {GENERATOR}"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Which brands each build renders (their slugs) and which files it analyses (paths relative to
    the project's ``brands`` folder, the cache being ``.cache/sonicguide`` beside it), for builds
    whose work runs in this process (concurrency 1)."""
    from sonicguide.core import site as site_module  # imported here: MkDocs or ProperDocs is chosen above
    from sonicguide.core.audio import pipeline

    calls: dict[str, list[str]] = {"rendered": [], "analysed": []}
    render_brand, analyse_asset = site_module.render_brand, pipeline.analyse_asset

    def counting_render(report, link, cache):  # type: ignore[no-untyped-def]
        calls["rendered"].append(report.loaded.slug)
        return render_brand(report, link, cache)

    def counting_analyse(path, key, cache_root, max_duration_s):  # type: ignore[no-untyped-def]
        calls["analysed"].append(Path(path).relative_to(Path(cache_root).parent.parent / "brands").as_posix())
        return analyse_asset(path, key, cache_root, max_duration_s)

    monkeypatch.setattr(site_module, "render_brand", counting_render)
    monkeypatch.setattr(pipeline, "analyse_asset", counting_analyse)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return calls


@pytest.fixture(autouse=True)
def fresh_plugin_instances() -> Iterator[None]:
    """Every test starts with new plugin instances (see ``sitehelpers.fresh_plugin_instances``), also
    for builds that call ``load_config`` themselves."""
    from sitehelpers import fresh_plugin_instances as clear  # imports MkDocs: after the choice above

    clear()
    yield
