"""Suite-wide set-up: the Hypothesis profile (see ``profiles.py``), loaded before any test module
is imported (also in xdist workers, which import this file too)."""

from __future__ import annotations

import profiles

PROFILE = profiles.load()


def pytest_report_header() -> str:
    return f"hypothesis profile: {PROFILE}"
