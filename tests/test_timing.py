"""Stage timings: a stage inside another is taken out of it (each second counted once), and the
work of a file measured apart does not count in the stages around it."""

from __future__ import annotations

import time

import pytest

from sonicguide.core import timing


@pytest.fixture(autouse=True)
def _timings_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(timing.ENV, "1")
    timing.take_all()


def test_a_nested_stage_is_taken_out_of_its_parent() -> None:
    with timing.stage("outer"):
        time.sleep(0.02)
        with timing.stage("inner"):
            time.sleep(0.03)
    stages, work, _ = timing.take_all()
    assert stages["inner"] >= 0.03
    assert 0.02 <= stages["outer"] < 0.03  # without the inner stage's 0.03 s
    assert work == {}


def test_work_measured_apart_goes_to_its_own_table_not_to_the_stage_around_it() -> None:
    with timing.stage("waiting"):
        with timing.apart() as worker:
            with timing.stage("charts"):
                time.sleep(0.01)
            timing.add("decode", 0.5)
        timing.merge(worker)
    stages, work, _ = timing.take_all()
    assert set(stages) == {"waiting"}
    assert stages["waiting"] >= 0.01  # the wall time stays with the stage that waited
    assert work["decode"] == 0.5 and work["charts"] >= 0.01


def test_facts_are_kept_apart_and_the_last_value_wins() -> None:
    timing.fact("analysis workers", 2)
    timing.fact("analysis workers", 3)
    assert timing.take_all()[2] == {"analysis workers": 3.0}
