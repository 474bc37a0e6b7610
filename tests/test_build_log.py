"""The log of a build, line by line: one truthful summary, the real site_dir, no line per file.

Numbers that depend on the clock are replaced by ``<s>`` and the temporary folder by ``<tmp>``.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from sitehelpers import build_site
from sonicguide import plugin
from sonicguide.commands.init import init_project

COLD = [
    "INFO Cleaning site directory",
    "INFO Building documentation to directory: <tmp>/site",
    "INFO sonicguide: 1 audio file analysed, 0 from the cache; 1 brand; <s> s",
    "INFO Documentation built in <s> seconds",
]
WARM = [*COLD[:2], "INFO sonicguide: 0 audio files analysed, 1 from the cache; 1 brand; <s> s", COLD[3]]


def _log_lines(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> list[str]:
    lines = []
    for record in caplog.records:
        if record.name.split(".")[0] not in {"mkdocs", "properdocs"}:
            continue
        message = record.getMessage().replace(str(tmp_path), "<tmp>")
        message = re.sub(r"\b\d+\.\d+ (s|seconds)$", r"<s> \1", message)
        lines.append(f"{record.levelname} {message}")
    return lines


def test_build_log_is_a_summary_naming_the_real_site_dir(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    init_project(tmp_path, slug="acme")
    with caplog.at_level(logging.INFO):
        build_site(tmp_path / "mkdocs.yml")
    assert _log_lines(caplog, tmp_path) == COLD
    caplog.clear()
    with caplog.at_level(logging.INFO):
        build_site(tmp_path / "mkdocs.yml")
    assert _log_lines(caplog, tmp_path) == WARM
    assert not any("sonicguide-new" in line for line in _log_lines(caplog, tmp_path))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_rewritten_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    for done in range(1, 4):
        plugin._progress(done, 3)
    written = terminal.getvalue()
    assert "\n" not in written
    assert written.split("\r")[1:3] == ["sonicguide: analysing audio 1/3", "sonicguide: analysing audio 2/3"]
    assert written.endswith("\r") and written.split("\r")[-2].strip() == ""  # erased at the end


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    for done in range(1, 4):
        plugin._progress(done, 3)
    assert pipe.getvalue() == ""


def test_summary_wording() -> None:
    assert plugin.build_summary(analysed=23, from_cache=0, brands=3, seconds=12.34) == (
        "23 audio files analysed, 0 from the cache; 3 brands; 12.3 s")


def test_a_build_freezes_the_collector_for_its_exit_and_the_next_build_thaws_it(tmp_path: Path) -> None:
    """``mkdocs build`` exits after on_shutdown: its objects are frozen so that the interpreter's last
    collections skip them; another build in the same process makes them collectable again."""
    import gc

    init_project(tmp_path, slug="acme")
    try:
        build_site(tmp_path / "mkdocs.yml")
        assert gc.get_freeze_count() > 0
        plugin.SonicGuidePlugin().on_startup(command="build", dirty=False)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        plugin._FROZE_AT_SHUTDOWN.clear()
