"""The methodology page: the disclosure rules as the code holds them, rendered for people."""

from __future__ import annotations

from collections.abc import Iterable

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

# --------------------------------------------------------------------------------------------
# Methodology page


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows), ""]


def methodology_markdown() -> str:
    """The methodology page, generated from the same tables the derivation uses.

    Markdown with tables (the ``tables`` extension, on in MkDocs by default). Contains only this
    module's text, never brand YAML, so it needs no sanitising.
    """
    lines = [
        "# Disclosure methodology",
        "",
        "Every asset in these guides declares, stage by stage, who or what made it. This page explains how "
        "the "
        "site turns those declarations into an IPTC digital source type, a tier label and a human-share "
        "estimate, and what the Content Credentials states mean. The rules below are the code's own tables.",
        "",
        "## Stages",
        "",
        *_table(["Stage", "Covers"], ([STAGE_LABELS[s], STAGE_MEANINGS[s]] for s in Stage)),
        "Content stages (they make the sound): "
        + ", ".join(STAGE_LABELS[s].lower() for s in CONTENT_STAGES) + ". Finishing stages: "
        + ", ".join(STAGE_LABELS[s].lower() for s in FINISHING_STAGES) + ". Creative direction makes no "
                                                                         "sound "
        "of its own; it counts for the tier, not for the source type.",
        "",
        "## Modes",
        "",
        *_table(["Mode", "Chart", "Meaning"], ([MODE_LABELS[m], MODE_ABBREVIATIONS[m], MODE_MEANINGS[m]]
                                               for m in Mode)),
        "A stage may list time segments done in another mode (\"AI backing vocals 0:12–0:20\"). A segment "
        "counts like a stage in that mode for the source type, the tier and the policy rules.",
        "",
        "## IPTC digital source type",
        "",
        "The [IPTC Digital Source Type](http://cv.iptc.org/newscodes/digitalsourcetype/) vocabulary "
        "describes a "
        "whole file, not production stages. Each asset gets exactly one term: the first rule that holds "
        "wins.",
        "",
        *_table(["#", "When", "IPTC term", "schema.org member", "Why"],
                ([str(i), r.when, f"`{r.term}`" if r.term else "(none)",
                  f"`{IPTC_TERMS[r.term].schema_org}`" if r.term else "(none)", r.why]
                 for i, r in enumerate(IPTC_RULES, start=1))),
        "The IPTC URI of a term is `" + IPTC_SCHEME + "<term>`. schema.org's `digitalSourceType` still "
                                                      "uses names "
        "from before IPTC's 2024 revision: `DigitalArtDigitalSource` stands for `digitalCreation` and "
        "`MinorHumanEditsDigitalSource` for `humanEdits`.",
        "",
        "## Tiers",
        "",
        "Each asset gets the first tier whose rule holds:",
        "",
        *_table(["Tier", "Rule"], ([TIER_LABELS[r.tier], r.when] for r in TIER_RULES)),
        f"The brand's tier is {BRAND_TIER_RULE}. The brand's policy names a target tier; a brand whose "
        "tier is "
        "less human than its target, or an asset that breaks a policy rule, is reported as a warning and "
        "shown on the page.",
        "",
        "## Human share",
        "",
        f"There is no standard percentage of human authorship. The figure shown is {HUMAN_SHARE_METHOD} "
        "It weighs every stage the same (creative direction as much as mastering) and trusts the "
        "declarations.",
        "",
        "## Self-declared and verified",
        "",
        "Everything in a disclosure is **self-declared** by the brand team unless a certification is marked "
        "**independently verified** (a third party such as a certification scheme checked it). Verified "
        "claims are shown as solid badges naming the scheme; self-declared ones as outlined badges. Evidence "
        "(hashes of session files or stems) lets anyone holding the files check them later; the site does "
        "not "
        "check certifications itself.",
        "",
        "## Content Credentials (C2PA)",
        "",
        "With the optional C2PA reader installed, the site reads manifests embedded in WAV, MP3 and FLAC "
        "files. `sonicguide sign` writes signed copies whose manifest carries the derived IPTC term. A "
        "manifest that declares generative AI where the disclosure does not (or the reverse) is reported "
        "as a "
        "contradiction.",
        "",
        *_table(["State", "Meaning"], ([label, meaning] for label, meaning in C2PA_STATES.values())),
    ]
    return "\n".join(lines).rstrip() + "\n"

