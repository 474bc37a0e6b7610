"""The analysis report's series are rounded as Python's round() rounds, value for value, whether
vectorised or not (hypothesis; the half-way cases are drawn on purpose)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from profiles import examples
from sonicguide.core.audio.report import _finite_series


def _reference(values: list[float], digits: int) -> list[float | None]:
    return [round(v, digits) if math.isfinite(v) else None for v in values]


halves = st.builds(lambda k, digits: (k + 0.5) / 10 ** digits, st.integers(-10**6, 10**6), st.integers(1, 3))


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | halves, max_size=50), st.integers(1, 3))
def test_series_round_as_round_does(values: list[float], digits: int) -> None:
    rounded = _finite_series(np.array(values, dtype=np.float64), digits)
    # repr tells -0.0 from 0.0 and shows every digit.
    assert [repr(v) for v in rounded] == [repr(v) for v in _reference(values, digits)]


def test_a_spectrogram_keeps_its_rows_and_gaps() -> None:
    grid = np.random.default_rng(0).normal(-60.0, 20.0, (6, 4))
    grid[2, 1] = np.nan
    grid[3, 3] = -np.inf
    assert _finite_series(grid, 1) == [_reference(row, 1) for row in grid.tolist()]
    assert _finite_series(grid, 1)[2][1] is None
