"""Hypothesis profiles: derandomised in CI, larger and random for local runs.

``ci`` (the default when the ``CI`` environment variable is set, and the one ``scripts/test.sh``
selects) replays the same examples on every run and keeps no example database, so a run fails only
when the code changes. ``dev`` (``HYPOTHESIS_PROFILE=dev``) draws new random examples each run, four
times as many, and keeps the failures it finds in ``.hypothesis/`` to replay them; use it to hunt.
Outside CI with no profile named, Hypothesis' own defaults apply (``default``).

Tests that set ``max_examples`` write ``examples(n)`` so that the ``dev`` profile scales them too.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: How many more examples the ``dev`` profile runs than a test asks for.
DEV_SCALE = 4

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=400, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])


def chosen_profile() -> str:
    """``HYPOTHESIS_PROFILE`` when set, else ``ci`` under CI, else ``default``."""
    named = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if named:
        return named
    return "ci" if os.environ.get("CI") else "default"


def load() -> str:
    name = chosen_profile()
    settings.load_profile(name)
    return name


def examples(count: int) -> int:
    """``count`` examples, :data:`DEV_SCALE` times as many under the ``dev`` profile."""
    return count * DEV_SCALE if chosen_profile() == "dev" else count
