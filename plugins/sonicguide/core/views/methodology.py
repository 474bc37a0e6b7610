"""The methodology page: the disclosure rules as the code holds them, rendered for people."""

from __future__ import annotations

from sonicguide.core.audio.chains import PlaybackChain, playback_chains
from sonicguide.core.judge.completeness import methodology_rows
from sonicguide.core.judge.rules import BRAND_TIER_RULE, HUMAN_SHARE_METHOD, IPTC_RULES, TIER_RULES
from sonicguide.core.judge.vocabulary import (
    C2PA_STATES,
    CONTENT_STAGES,
    FINISHING_STAGES,
    IPTC_SCHEME,
    IPTC_TERMS,
    MODE_ABBREVIATIONS,
    MODE_LABELS,
    MODE_MEANINGS,
    STAGE_LABELS,
    STAGE_MEANINGS,
    TIER_LABELS,
)
from sonicguide.core.load.model import Mode, Stage
from sonicguide.core.views.render import render


def methodology_context() -> dict[str, object]:
    """The rule tables as plain rows for ``templates/methodology/page.md``."""
    return {
        "stages": [[STAGE_LABELS[s], STAGE_MEANINGS[s]] for s in Stage],
        "content_stages": [STAGE_LABELS[s].lower() for s in CONTENT_STAGES],
        "finishing_stages": [STAGE_LABELS[s].lower() for s in FINISHING_STAGES],
        "modes": [[MODE_LABELS[m], MODE_ABBREVIATIONS[m], MODE_MEANINGS[m]] for m in Mode],
        "required_stages": methodology_rows(),
        "iptc_rules": [[str(i), r.when, f"`{r.term}`" if r.term else "(none)",
                        f"`{IPTC_TERMS[r.term].schema_org}`" if r.term else "(none)", r.why]
                       for i, r in enumerate(IPTC_RULES, start=1)],
        "iptc_scheme": IPTC_SCHEME,
        "tiers": [[TIER_LABELS[r.tier], r.when] for r in TIER_RULES],
        "brand_tier_rule": BRAND_TIER_RULE,
        "human_share_method": HUMAN_SHARE_METHOD,
        "c2pa_states": [[label, meaning] for label, meaning in C2PA_STATES.values()],
        "playback_chains": [chain_row(chain) for chain in playback_chains().values()],
        "playback_sources": [[chain.name, chain.source] for chain in playback_chains().values()],
    }


def chain_row(chain: PlaybackChain) -> list[str]:
    """One playback chain as a row of the methodology table (its source is listed below the table:
    seven columns made the table wider than the page, a scrolling region without a keyboard stop)."""
    rate = f"{chain.sample_rate_hz / 1000:g} kHz" if chain.sample_rate_hz else "the asset's own"
    band = f"{chain.band_label()}, order {chain.filter_order}"
    if chain.codec == "g711-mulaw":
        band += ", G.711 µ-law (8-bit)"
    dynamics = []
    if chain.compression is not None:
        dynamics.append(f"compression {chain.compression.ratio:g}:1 above {chain.compression.threshold_dbfs:g} dBFS")
        if chain.compression.makeup_db:
            dynamics.append(f"make-up gain +{chain.compression.makeup_db:g} dB")
    if chain.limiter_dbfs is not None:
        dynamics.append(f"limiter at {chain.limiter_dbfs:g} dBFS")
    return [f"{chain.name} (`{chain.id}`)", rate, band, "mono" if chain.channels == 1 else "stereo (as given)",
            "; ".join(dynamics) or "none", chain.basis]


def methodology_markdown() -> str:
    """The methodology page (Markdown with tables), generated from the tables the rules use."""
    return render("methodology/page.md", **methodology_context()).rstrip() + "\n"
