"""Properties of the published rules over every combination of stage modes (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_factory import asset, stage
from profiles import examples
from sonicguide.core.judge import rules, vocabulary
from sonicguide.core.load.model import Stage

MODES = ["human", "ai-assisted", "ai-generated", "not-applicable"]
LESS_HUMAN = {"human": "ai-assisted", "ai-assisted": "ai-generated"}

stage_modes = st.dictionaries(st.sampled_from([s.value for s in Stage]), st.sampled_from(MODES), min_size=1)


def _derive(modes: dict[str, str], approved: bool) -> dict[str, Any]:
    extra = {"approval": {"by": "Ada Moreau", "date": "2026-01-01"}} if approved else {}
    return rules.derive_asset(asset(stages={k: stage(v) for k, v in modes.items()}, **extra))


@settings(max_examples=examples(300), deadline=None)
@given(stage_modes, st.booleans())
def test_generative_term_iff_a_content_stage_is_generated(modes: dict[str, str], approved: bool) -> None:
    derived = _derive(modes, approved)
    content = {s.value for s in vocabulary.CONTENT_STAGES}
    generated = any(m == "ai-generated" and s in content for s, m in modes.items())
    if derived["iptc"]["term"] is None:
        # No source type only for an incomplete disclosure (every content stage not applicable, or a
        # required stage not applicable without a reason), and never a source type for one.
        assert derived["tier"]["id"] == "incomplete"
    else:
        assert derived["tier"]["id"] != "incomplete"
        assert derived["iptc"]["generative"] == generated
        assert (derived["tier"]["id"] == "human-made") == all(
            m in ("human", "not-applicable") for m in modes.values()
        )
    share = derived["human_share"]
    assert share is None or 0.0 <= share <= 1.0


@settings(max_examples=examples(300), deadline=None)
@given(stage_modes, st.booleans(), st.data())
def test_a_less_human_stage_never_gives_a_more_human_tier(
    modes: dict[str, str], approved: bool, data: st.DataObject
) -> None:
    changeable = sorted(s for s, m in modes.items() if m in LESS_HUMAN)
    if not changeable:
        return
    target = data.draw(st.sampled_from(changeable))
    before = _derive(modes, approved)
    after = _derive(modes | {target: LESS_HUMAN[modes[target]]}, approved)
    assert after["tier"]["rank"] >= before["tier"]["rank"]
    if before["human_share"] is not None:  # None: an incomplete disclosure has no estimate
        assert after["human_share"] < before["human_share"]
