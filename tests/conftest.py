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
