"""The disclosure vocabulary: production stages, modes, tiers, IPTC digital source types, C2PA states.

Labels and meanings only; the rules that use them are in :mod:`sonicguide.core.judge.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sonicguide.core.judge.records import ModeFields
from sonicguide.core.load.model import DerivedTier, Mode, Stage

IPTC_SCHEME: Final = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SCHEMA_ORG: Final = "https://schema.org/"

# --------------------------------------------------------------------------------------------
# Vocabulary: stages, modes and their labels


STAGE_LABELS: Final[dict[Stage, str]] = {
    Stage.creative_direction: "Creative direction",
    Stage.composition: "Composition",
    Stage.lyrics: "Lyrics",
    Stage.arrangement: "Arrangement",
    Stage.instrumental_performance: "Instrumental performance",
    Stage.vocal_performance: "Vocal performance",
    Stage.production: "Production",
    Stage.sound_design: "Sound design",
    Stage.mixing: "Mixing",
    Stage.mastering: "Mastering",
    Stage.variant_generation: "Variant generation",
}

#: What each stage covers, for the methodology page.
STAGE_MEANINGS: Final[dict[Stage, str]] = {
    Stage.creative_direction: "the brief, the choices and the final say; makes no sound itself",
    Stage.composition: "melody, harmony, rhythm: the musical idea",
    Stage.lyrics: "the words, if any",
    Stage.arrangement: "which instruments play what, and when",
    Stage.instrumental_performance: "playing the instruments (recorded or played in)",
    Stage.vocal_performance: "singing or speaking",
    Stage.production: "building the track: programming, sound selection, editing",
    Stage.sound_design: "designed sounds and textures",
    Stage.mixing: "balancing and processing the parts",
    Stage.mastering: "final loudness, tone and delivery files",
    Stage.variant_generation: "making this asset from another one (a cut-down, a re-orchestration)",
}

#: Stages whose output is the audible material itself.
AUTHORSHIP_STAGES: Final = (Stage.composition, Stage.lyrics, Stage.arrangement)
REALISATION_STAGES: Final = (Stage.instrumental_performance, Stage.vocal_performance, Stage.production,
                             Stage.sound_design)
PERFORMANCE_STAGES: Final = (Stage.instrumental_performance, Stage.vocal_performance)
FINISHING_STAGES: Final = (Stage.mixing, Stage.mastering)
#: Stages that make content: authorship, realisation and derivation of a variant.
CONTENT_STAGES: Final = (*AUTHORSHIP_STAGES, *REALISATION_STAGES, Stage.variant_generation)

MODE_LABELS: Final[dict[Mode, str]] = {
    Mode.human: "Human",
    Mode.ai_assisted: "AI-assisted",
    Mode.ai_generated: "AI-generated",
    Mode.not_applicable: "Not applicable",
    Mode.undisclosed: "Undisclosed",
}
#: Short text shown in chart cells so colour is never the only cue.
MODE_ABBREVIATIONS: Final[dict[Mode, str]] = {
    Mode.human: "H",
    Mode.ai_assisted: "AA",
    Mode.ai_generated: "AG",
    Mode.not_applicable: "n/a",
    Mode.undisclosed: "?",
}
MODE_MEANINGS: Final[dict[Mode, str]] = {
    Mode.human: "people did the stage; no AI tool was used for it",
    Mode.ai_assisted: ("people did the stage and stayed in control; AI tools helped (suggestions, "
                       "processing, clean-up) but did not generate material that ends up in the asset"),
    Mode.ai_generated: "an AI model generated the stage's material; people may have prompted, picked or "
                       "edited it",
    Mode.not_applicable: "the stage does not exist for this asset (an instrumental has no lyrics); on a stage "
                         "the asset's role requires, the reason is given",
    Mode.undisclosed: "the brand does not know or may not say how the stage was done; the disclosure is then "
                      "incomplete if the role requires the stage, and nothing can be claimed for it",
}
#: Marker for a stage an asset does not declare at all (shown in the chart, never in the YAML).
UNDECLARED: Final = "undeclared"
_UNDECLARED_DATA: Final[ModeFields] = {"mode": UNDECLARED, "mode_label": "Not declared", "mode_abbr": "–"}

#: How human a mode is, for the estimate: 1 = all people, 0 = all model.
MODE_HUMAN_WEIGHT: Final[dict[Mode, float]] = {Mode.human: 1.0, Mode.ai_assisted: 0.5, Mode.ai_generated: 0.0}
#: Order used to compare modes ("at most ai-assisted"): lower is more human.
MODE_RANK: Final[dict[Mode, int]] = {Mode.not_applicable: -1, Mode.human: 0, Mode.ai_assisted: 1,
                                      Mode.ai_generated: 2, Mode.undisclosed: 3}


# --------------------------------------------------------------------------------------------
# IPTC digital source type


@dataclass(frozen=True)
class IPTCTerm:
    """A term of the IPTC Digital Source Type NewsCodes and its schema.org enumeration member."""

    term: str
    name: str
    schema_org: str
    generative: bool

    @property
    def uri(self) -> str:
        return IPTC_SCHEME + self.term

    @property
    def schema_org_url(self) -> str:
        return SCHEMA_ORG + self.schema_org


#: The IPTC terms we use, with IPTC's English names. schema.org still names two of them after the
#: retired IPTC terms: digitalCreation is ``DigitalArtDigitalSource`` and humanEdits is
#: ``MinorHumanEditsDigitalSource``.
IPTC_TERMS: Final[dict[str, IPTCTerm]] = {t.term: t for t in (
    IPTCTerm("digitalCapture", "Digital capture sampled from real life", "DigitalCaptureDigitalSource",
             False),
    IPTCTerm("digitalCreation", "Digital creation", "DigitalArtDigitalSource", False),
    IPTCTerm("humanEdits", "Human-edited media", "MinorHumanEditsDigitalSource", False),
    IPTCTerm("algorithmicallyEnhanced", "Algorithmically-altered media",
             "AlgorithmicallyEnhancedDigitalSource", False),
    IPTCTerm("compositeWithTrainedAlgorithmicMedia", "Edited using Generative AI",
             "CompositeWithTrainedAlgorithmicMediaDigitalSource", True),
    IPTCTerm("compositeSynthetic", "Composite including generative AI elements",
             "CompositeSyntheticDigitalSource", True),
    IPTCTerm("trainedAlgorithmicMedia", "Created using Generative AI", "TrainedAlgorithmicMediaDigitalSource",
             True),
)}



# --------------------------------------------------------------------------------------------
# Tiers


#: Tiers from most to least known-human. ``incomplete`` comes last: nothing can be claimed for an
#: asset whose required stages are not all declared, so it can meet no target.
TIER_ORDER: Final[tuple[DerivedTier, ...]] = (
    "human-made", "human-directed-ai-assisted", "ai-generated-human-curated", "ai-generated", "incomplete")
TIER_LABELS: Final[dict[DerivedTier, str]] = {
    "human-made": "Human-made",
    "human-directed-ai-assisted": "Human-directed, AI-assisted",
    "ai-generated-human-curated": "AI-generated, human-curated",
    "ai-generated": "AI-generated",
    "incomplete": "Incomplete disclosure",
}


VERIFICATION_LABELS: Final = {"self-declared": "Self-declared", "independently-verified": "Independently "
                                                                                          "verified"}


# --------------------------------------------------------------------------------------------
# Content Credentials states (shown by the page, read by :mod:`sonicguide.core.judge.credentials`)


C2PA_STATES: Final[dict[str, tuple[str, str]]] = {
    "trusted": ("Trusted", "a valid manifest signed by a certificate that chains to a configured trust "
                "anchor"),
    "valid-untrusted": ("Valid, signer not trusted", "the manifest is intact and matches the audio, but "
                                                     "its signer "
                        "does not chain to a trust anchor configured for this site"),
    "invalid": ("Invalid", "the manifest does not match the file (tampered audio or manifest) or cannot be "
                           "read"),
    "none": ("No credentials", "the file carries no C2PA manifest"),
    "unsupported-format": ("Format not supported", "C2PA tools do not read this container (Ogg, Opus)"),
    "not-checked": ("Not checked", "the optional C2PA reader is not installed (pip install "
                                   "'sonicguide[c2pa]')"),
}


