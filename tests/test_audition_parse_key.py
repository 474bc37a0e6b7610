"""A cached brand parse is keyed on the playback-chain table too: a changed table parses again."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitehelpers import brand_yaml, make_project, sine
from sonicguide.core.audio import chains
from sonicguide.core.cache import Cache
from sonicguide.core.load import brand as brand_module


def test_a_changed_chain_table_misses_the_parse_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, {"acme": brand_yaml(extra="touchpoints:\n  - id: phone\n    name: Phone\n"
                                                     "    assets: [logo]\n    playback: phone-narrowband\n")})
    sine(tmp_path / "brands" / "acme" / "audio" / "logo.wav", seconds=1.0)
    cache = Cache(tmp_path / "cache")

    def parses() -> int:
        brand_module.load_brands(tmp_path / "brands", cache=cache)
        return len(list((tmp_path / "cache" / "yaml").rglob("*.json")))

    assert parses() == 1
    assert parses() == 1  # the same table: the cached parse
    table = chains._table_text().replace("name: Phone line (narrowband)", "name: Phone line (G.711)")
    monkeypatch.setattr(chains, "_table_text", lambda: table)
    chains.chains_digest.cache_clear()
    try:
        assert parses() == 2
    finally:
        monkeypatch.undo()
        chains.chains_digest.cache_clear()
