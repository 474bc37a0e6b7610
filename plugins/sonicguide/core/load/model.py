"""The brand definition (``brand.yml``) as a typed schema.

Every model forbids unknown keys. Values arrive as the text the author wrote (see
:mod:`sonicguide.core.load.yamlload`) and pydantic converts them where a field asks for a number, a
boolean or a date. Fields documented as Markdown are rendered and sanitised before they reach a
page; every other text is escaped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

SCHEMA_VERSION = 1

#: Identifiers of brands, assets and touchpoints: lower-case letters, digits and hyphens.
ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
#: Markdown text: rendered, then sanitised with nh3.
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000),
                     Field(json_schema_extra={"format": "markdown"})]

_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$|^(?:(\d+):)?(\d+(?:\.\d+)?)$")


def parse_seconds(value: Any) -> float:
    """Read a time as seconds: ``12.5``, ``"0:12"``, ``"1:02.5"`` or ``"1:00:03"``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        parts = text.split(":")
        if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(?:\.\d+)?", part) for part in parts):
            raise ValueError(f"{value!r} is not a time; write seconds (12.5) or minutes:seconds (0:12.5)")
        if any(float(part) >= 60 for part in parts[1:]):
            raise ValueError(f"{value!r} is not a time; minutes and seconds after a ':' must be below 60")
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + float(part)
    else:
        raise ValueError("expected a time in seconds or minutes:seconds")
    if seconds < 0 or seconds > 86400:
        raise ValueError("time must be between 0 and 24 hours")
    return seconds


Seconds = Annotated[float, Field(ge=0, le=86400)]


class Strict(BaseModel):
    """Base of every section: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------------------------
# Identity and strategy


class Person(Strict):
    """A person or organisation named in the guide."""

    name: Text
    role: Text | None = None
    organisation: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")] | None = None


#: A colour as ``#RRGGBB``.
HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"),
                      Field(json_schema_extra={"format": "color"})]


class Look(Strict):
    """The brand's own colours on its pages and gallery card (both palettes).

    Each colour is checked against WCAG 2.2 AA (4.5:1 for text) where it is used: ``primary``
    under white header text, ``accent`` on the light page, ``accent_dark`` on the dark page; where
    one fails, the site uses the nearest darker or lighter variant that passes and warns. Without
    ``accent_dark`` the dark palette uses a lightened variant of ``accent``, without a warning (no
    colour reaches 4.5:1 on both Material backgrounds).
    """

    primary: HexColour | None = Field(None, description="Main brand colour, #RRGGBB (headings' rules, buttons).")
    accent: HexColour | None = Field(None, description="Second brand colour, #RRGGBB (links, highlights) on the "
                                                        "light palette.")
    accent_dark: HexColour | None = Field(None, description="The accent on the dark palette, #RRGGBB; derived from "
                                                             "accent when absent (no colour reads on both).")
    logo: Text | None = Field(None, description="The brand's logo image, an SVG or PNG file inside the brand folder "
                                                "(e.g. images/logo.svg), shown on the brand page and gallery card. "
                                                "SVGs are published rebuilt from an allow-list (no scripts, event "
                                                "handlers or outside references).")
    logo_dark: Text | None = Field(None, description="The logo for the dark palette (SVG or PNG in the brand folder); "
                                                     "without it, the dark palette shows the logo on a light plate.")


class Identity(Strict):
    name: Text = Field(description="The brand's name as it should appear.")
    tagline: Text | None = None
    industry: Text = Field(description="Industry or sector, used to filter the gallery.")
    summary: Markdown | None = Field(None, description="What the sonic identity is for (Markdown).")
    owners: list[Person] = Field(default_factory=list, description="Who owns and answers for the guide.")
    version: Text | None = Field(None, description="Version of the guideline, as text (1.10 stays 1.10).")
    date: dt.date | None = Field(None, description="Date of this version, YYYY-MM-DD.")
    look: Look | None = Field(None, description="The brand's colours on its pages and gallery card.")


class Attribute(Strict):
    name: Text
    meaning: Text


class EmotionalBoundary(Strict):
    """A quality the sound has and the excess it must never become: confident, never aggressive."""

    be: Text
    never: Text


class Range(Strict):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is greater than max ({self.max:g})")
        return self


class TempoRange(Range):
    min: float = Field(ge=20, le=400)
    max: float = Field(ge=20, le=400)


class Instrumentation(Strict):
    use: list[Text] = Field(default_factory=list)
    avoid: list[Text] = Field(default_factory=list)


_KEY = re.compile(r"^([A-G])([#b♯♭]?)\s*(major|minor|maj|min|m|dorian|phrygian|lydian|mixolydian|aeolian|"
                  r"locrian|ionian)?$", re.IGNORECASE)


class MusicalDNA(Strict):
    tempo_bpm: TempoRange | None = None
    keys: list[Text] = Field(default_factory=list, description='Keys or modes, e.g. "D major", "B minor".')
    meter: Text | None = Field(None, description='Time signature, e.g. "4/4" or "6/8".')
    instrumentation: Instrumentation = Field(default_factory=lambda: Instrumentation())
    production_aesthetic: Text | None = None

    @field_validator("keys")
    @classmethod
    def _keys(cls, keys: list[str]) -> list[str]:
        for key in keys:
            if not _KEY.match(key.strip()):
                raise ValueError(f"{key!r} is not a key; write a note and a mode, e.g. 'D major' or 'F# minor'")
        return keys


class Reference(Strict):
    description: Text = Field(description="A reference described in words (no links to copyrighted audio).")
    why: Text | None = None


class Strategy(Strict):
    essence: Text
    attributes: list[Attribute] = Field(min_length=1)
    emotional_range: list[EmotionalBoundary] = Field(default_factory=list)
    musical_dna: MusicalDNA = Field(default_factory=lambda: MusicalDNA())
    references: list[Reference] = Field(default_factory=list)


class SonicLogo(Strict):
    asset: Ident
    motif: Text = Field(description="The notes or motif, described.")
    duration_s: Seconds | None = None
    sync_point: Text | None = Field(None, description="How the sound meets the visual logo.")
    sync_point_s: Seconds | None = Field(None, description="Where, in seconds, the sound meets the visual logo.")
    required_in: list[Role] = Field(
        default_factory=list,
        description="Roles whose assets must carry the logo's motif (e.g. [theme, variant]): each asset of these "
                    "roles that is searched (see an asset's carries_logo) and where the motif is not found is a "
                    "warning naming it. Empty: the search is reported but nothing is required.")

    @field_validator("duration_s", "sync_point_s", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return None if value is None else parse_seconds(value)


# --------------------------------------------------------------------------------------------
# Touchpoints and specifications


class LoudnessSpec(Strict):
    """A loudness target: a named standard, explicit numbers, or a standard with overrides."""

    standard: Ident | None = Field(None, description="A shipped delivery target by name, e.g. 'ebu-r128'.")
    integrated_lufs: float | None = Field(None, ge=-70, le=0)
    tolerance_lu: float | None = Field(None, ge=0, le=20)
    true_peak_dbtp: float | None = Field(None, ge=-30, le=6)

    @model_validator(mode="after")
    def _something(self) -> LoudnessSpec:
        if self.standard is None and self.integrated_lufs is None and self.true_peak_dbtp is None:
            raise ValueError("name a standard or give integrated_lufs and/or true_peak_dbtp")
        return self


AudioFormat = Literal["wav", "flac", "mp3", "ogg", "opus", "aiff", "m4a"]

#: What an asset is for. ``ivr``: IVR prompts and on-hold audio; ``alert``: notifications and alerts.
Role = Literal["logo", "theme", "variant", "cut-down", "stem", "bed", "ui", "voice", "ivr", "alert"]

#: Named audio bands of telephone lines (ITU-T G.711 narrowband, G.722 wideband), in Hz.
BANDS: dict[str, tuple[float, float]] = {"telephone-narrowband": (300.0, 3400.0),
                                         "telephone-wideband": (50.0, 7000.0)}


class Band(Strict):
    """An audio band in Hz: what a playback channel carries."""

    low_hz: float = Field(ge=0, le=96000)
    high_hz: float = Field(ge=1, le=96000)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.low_hz >= self.high_hz:
            raise ValueError(f"low_hz ({self.low_hz:g}) must be below high_hz ({self.high_hz:g})")
        return self


class TechnicalProfile(Strict):
    """What the playback channel of a touchpoint carries (a phone line, a device speaker)."""

    sample_rate_hz: int | None = Field(None, ge=8000, le=384000,
                                       description="The sample rate the channel plays, e.g. 8000 for a phone line.")
    channels: int | None = Field(None, ge=1, le=32, description="Channels the channel plays: 1 for mono.")
    bandwidth: Literal["telephone-narrowband", "telephone-wideband"] | Band | None = Field(
        None, description="The band the channel carries: telephone-narrowband (300–3400 Hz), "
                          "telephone-wideband (50–7000 Hz) or {low_hz, high_hz}.")
    max_energy_outside_percent: float = Field(
        10.0, ge=0, le=100, description="The most of an asset's energy that may lie outside the band, in %.")

    @field_validator("bandwidth", mode="before")
    @classmethod
    def _bandwidth(cls, value: Any) -> Any:
        # Checked here so that a mistake gets one message, not one per member of the union.
        if value is None or isinstance(value, Band):
            return value
        if isinstance(value, str):
            name = value.strip()
            if name not in BANDS:
                close = difflib.get_close_matches(name, list(BANDS), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(f"{value!r} is not a band{hint}; write telephone-narrowband (300–3400 Hz), "
                                 "telephone-wideband (50–7000 Hz) or {low_hz: 300, high_hz: 3400}")
            return name
        if isinstance(value, dict):
            if set(value) != {"low_hz", "high_hz"}:
                raise ValueError("write the band as {low_hz: 300, high_hz: 3400} (both, in Hz)")
            try:
                low, high = float(value["low_hz"]), float(value["high_hz"])
            except (TypeError, ValueError):
                raise ValueError("low_hz and high_hz must be numbers in Hz") from None
            if not 0 <= low < high <= 96000:
                raise ValueError(f"the band {low:g}–{high:g} Hz must have 0 ≤ low_hz < high_hz ≤ 96000")
            return Band(low_hz=low, high_hz=high)
        raise ValueError("expected a band name (telephone-narrowband, telephone-wideband) or "
                         "{low_hz: ..., high_hz: ...}")

    def band(self) -> tuple[float, float] | None:
        """The band in Hz, or ``None`` when the profile states none."""
        if self.bandwidth is None:
            return None
        if isinstance(self.bandwidth, Band):
            return self.bandwidth.low_hz, self.bandwidth.high_hz
        return BANDS[self.bandwidth]

    def band_label(self) -> str | None:
        band = self.band()
        if band is None:
            return None
        name = f"{self.bandwidth} " if isinstance(self.bandwidth, str) else ""
        return f"{name}{band[0]:g}–{band[1]:g} Hz"


class Playback(Strict):
    """The playback chain a touchpoint's listeners hear (a phone line, a smartphone speaker), and
    what an asset must keep through it."""

    chain: Ident = Field(description="A shipped playback chain by id: phone-narrowband, phone-wideband, "
                                     "smartphone-speaker, laptop-speakers, tv-speakers, car-cabin, in-store-pa "
                                     "(the methodology page lists them with their sources).")
    min_energy_kept_percent: float | None = Field(
        None, ge=0, le=100, description="The least share of an asset's energy the chain must keep, in % "
                                        "(e.g. 60: the logo keeps at least 60 % of its energy on the phone line).")
    min_speech_band_kept_percent: float | None = Field(
        None, ge=0, le=100, description="For voice and IVR assets: the least share of their speech-band energy "
                                        "(150–8500 Hz) the chain must keep, in %.")

    @model_validator(mode="before")
    @classmethod
    def _name_alone(cls, value: Any) -> Any:
        # `playback: phone-narrowband` is short for `playback: {chain: phone-narrowband}`.
        return {"chain": value} if isinstance(value, str) else value


class Touchpoint(Strict):
    id: Ident
    name: Text
    description: Text | None = None
    assets: list[Ident] = Field(default_factory=list)
    loudness: LoudnessSpec | None = None
    max_duration_s: Seconds | dict[Role, Seconds] | None = Field(
        None, description="Longest allowed asset in seconds: one number for every role, or per role "
                          "({ui: 1, logo: 4}); roles not named have no limit.")
    formats: list[AudioFormat] = Field(default_factory=list)
    required: bool = Field(False, description="Whether the sound is mandatory at this touchpoint.")
    profile: TechnicalProfile | None = Field(
        None, description="What the touchpoint's playback channel carries: sample rate, channels, bandwidth.")
    playback: Playback | None = Field(
        None, description="How listeners here hear the sound: a playback chain by id (playback: phone-narrowband) "
                          "or {chain, min_energy_kept_percent, min_speech_band_kept_percent}. The site renders "
                          "every asset used here through it and measures what it keeps.")

    @field_validator("max_duration_s", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        if isinstance(value, dict):
            roles = get_args(Role)
            for role in value:
                if role not in roles:
                    raise ValueError(f"{role!r} is not a role; per-role limits use {', '.join(roles)} "
                                     "(e.g. {ui: 1, logo: 4})")
            return {role: parse_seconds(seconds) for role, seconds in value.items()}
        return None if value is None else parse_seconds(value)

    def max_duration_for(self, role: str) -> float | None:
        """The longest an asset of ``role`` may be here, in seconds (``None``: no limit)."""
        if isinstance(self.max_duration_s, dict):
            return next((seconds for name, seconds in self.max_duration_s.items() if name == role), None)
        return self.max_duration_s

    def uses(self, asset: Asset) -> bool:
        """Whether ``asset`` is used here: either side may name the other in brand.yml."""
        return self.id in asset.touchpoints or asset.id in self.assets


class Voice(Strict):
    summary: Markdown | None = None
    persona: Text | None = None
    tone: list[Text] = Field(default_factory=list)
    pace: Text | None = None
    languages: list[Text] = Field(default_factory=list)
    talent: list[Person] = Field(default_factory=list)


class UISound(Strict):
    name: Text
    trigger: Text
    asset: Ident | None = None


class UISounds(Strict):
    summary: Markdown | None = None
    principles: list[Text] = Field(default_factory=list)
    sounds: list[UISound] = Field(default_factory=list)


class Guideline(Strict):
    """A do or a don't, optionally with an asset as an audible example."""

    text: Text
    example: Ident | None = None


class DeliverySpec(Strict):
    formats: list[AudioFormat] = Field(default_factory=list)
    sample_rate_hz: int | None = Field(None, ge=8000, le=384000)
    bit_depth: Literal[8, 16, 24, 32] | None = None
    channels: int | None = Field(None, ge=1, le=32)
    naming: Text | None = None
    notes: Text | None = None

    @field_validator("bit_depth", mode="before")
    @classmethod
    def _bit_depth(cls, value: Any) -> Any:
        # YAML scalars arrive as text and a Literal of ints does not convert "24" by itself.
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value


class UsageRights(Strict):
    owner: Text | None = None
    license: Text | None = None
    territories: list[Text] = Field(default_factory=list)
    term: Text | None = None
    restrictions: list[Text] = Field(default_factory=list)
    contact: Text | None = None
    summary: Text | None = None


# --------------------------------------------------------------------------------------------
# Contribution disclosure


class Stage(StrEnum):
    """Production stages a disclosure covers, in production order."""

    creative_direction = "creative_direction"
    composition = "composition"
    lyrics = "lyrics"
    arrangement = "arrangement"
    instrumental_performance = "instrumental_performance"
    vocal_performance = "vocal_performance"
    production = "production"
    sound_design = "sound_design"
    mixing = "mixing"
    mastering = "mastering"
    variant_generation = "variant_generation"


class Mode(StrEnum):
    """How a stage was done, from most to least human; ``undisclosed`` when the brand cannot say."""

    human = "human"
    ai_assisted = "ai-assisted"
    ai_generated = "ai-generated"
    not_applicable = "not-applicable"
    undisclosed = "undisclosed"


#: Names people write when they do not know or may not say who it was; a contributor is then
#: given by role alone.
PLACEHOLDER_NAMES = frozenset({"unknown", "anonymous", "anon", "n/a", "na", "tbd", "tba", "tbc", "none", "-",
                               "--", "?", "??", "unnamed", "not named", "no name", "placeholder", "redacted",
                               "somebody", "someone", "xxx", "x"})


class Contributor(Strict):
    """Who did a stage: a name and a role, or the role alone when the person is not named."""

    name: Text | None = Field(None, description="The person's name; leave it out when they are not named.")
    role: Text = Field(description="What they did, e.g. composer, voice actor.")

    @field_validator("name")
    @classmethod
    def _not_a_placeholder(cls, name: str | None) -> str | None:
        if name is not None and name.strip().casefold() in PLACEHOLDER_NAMES:
            raise ValueError(f"{name!r} is a placeholder, not a name; leave name: out and give the role alone "
                             "(e.g. '- role: composer'), which the page shows as 'Composer (not named)'")
        return name

    @property
    def label(self) -> str:
        """``"Ada Moreau (composer)"``, or ``"Composer (not named)"``."""
        if self.name is None:
            return f"{self.role[:1].upper()}{self.role[1:]} (not named)"
        return f"{self.name} ({self.role})"


class AITool(Strict):
    name: Text
    version: Text | None = None
    vendor: Text | None = None
    training_data: Text | None = Field(None, description="What the vendor states about its training data.")
    certification: Text | None = Field(None, description="e.g. 'Fairly Trained (Licensed Model)'.")


class Segment(Strict):
    """A time range of the asset where a stage was done differently (AI backing vocals 0:12–0:20)."""

    start_s: Seconds
    end_s: Seconds
    mode: Mode
    description: Text

    @field_validator("start_s", "end_s", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return parse_seconds(value)

    @field_validator("mode")
    @classmethod
    def _disclosed(cls, mode: Mode) -> Mode:
        if mode is Mode.undisclosed:
            raise ValueError("a time segment cannot be 'undisclosed'; leave the segment out and write the "
                             "stage's mode: undisclosed")
        return mode

    @model_validator(mode="after")
    def _ordered(self) -> Segment:
        if self.end_s <= self.start_s:
            raise ValueError("end_s must come after start_s")
        return self


class StageDisclosure(Strict):
    mode: Mode
    contributors: list[Contributor] = Field(default_factory=list)
    tools: list[AITool] = Field(default_factory=list)
    notes: Text | None = None
    reason: Text | None = Field(None, description="Why the stage is not-applicable or undisclosed (shown on the "
                                                  "page; required for not-applicable on a required stage).")
    segments: list[Segment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> StageDisclosure:
        if self.mode in (Mode.ai_assisted, Mode.ai_generated) and not self.tools:
            raise ValueError(f"mode {self.mode.value!r} needs the AI tools used (tools: - name: ...)")
        if self.mode is Mode.human and self.tools:
            raise ValueError("mode 'human' lists AI tools; say 'ai-assisted' or remove the tools")
        if self.mode is Mode.human and not self.contributors:
            raise ValueError("mode 'human' needs the people who did it (contributors: - role: composer, with "
                             "name: when they may be named); if you cannot say who, write mode: undisclosed")
        if self.reason is not None and self.mode not in (Mode.not_applicable, Mode.undisclosed):
            raise ValueError(f"reason is for not-applicable or undisclosed stages; this one is "
                             f"{self.mode.value!r}: write notes: instead")
        if self.mode is Mode.undisclosed and (self.contributors or self.tools or self.segments):
            raise ValueError("mode 'undisclosed' says nothing is known; remove contributors, tools and segments, "
                             "or write the mode they show")
        return self


class Approval(Strict):
    """Who selected or approved generated output, and when."""

    by: Text
    role: Text | None = None
    date: dt.date
    note: Text | None = None


class Evidence(Strict):
    kind: Literal["session-file", "stem", "project-file", "recording", "log", "other"]
    name: Text
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")] | None = None
    description: Text | None = None


class Certification(Strict):
    scheme: Text
    id: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"']+$")] | None = None
    status: Literal["self-declared", "independently-verified"] = "self-declared"


class Disclosure(Strict):
    stages: dict[Stage, StageDisclosure] = Field(min_length=1)
    approval: Approval | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    ai_training: Literal["allowed", "not-allowed"] = Field(
        "not-allowed", description="Permission to use this asset for AI training and data mining.")

    @field_validator("stages")
    @classmethod
    def _production_order(cls, stages: dict[Stage, StageDisclosure]) -> dict[Stage, StageDisclosure]:
        # One order whatever the YAML (or a cached parse) gives: outputs must not depend on key order.
        return {stage: stages[stage] for stage in Stage if stage in stages}


TierName = Literal["human-made", "human-directed-ai-assisted", "ai-generated-human-curated", "ai-generated"]


#: A derived tier: one of :data:`TierName`, or ``incomplete`` when a required stage is missing.
DerivedTier = Literal["human-made", "human-directed-ai-assisted", "ai-generated-human-curated", "ai-generated",
                      "incomplete"]


class PolicyRule(Strict):
    """A promise about some assets, e.g. the sonic logo is human-made end to end."""

    statement: Text
    assets: list[Ident] = Field(default_factory=list, description="Asset ids; empty with no roles = all.")
    roles: list[Role] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list, description="Stages covered; empty = every declared stage "
                                                                  "and every stage the asset's role requires.")
    at_most: Mode = Field(description="The least human mode allowed: human, ai-assisted or ai-generated.")

    @field_validator("at_most")
    @classmethod
    def _promise(cls, mode: Mode) -> Mode:
        if mode is Mode.undisclosed:
            raise ValueError("undisclosed promises nothing; write human, ai-assisted or ai-generated")
        return mode


class DisclosurePolicy(Strict):
    statement: Text
    target_tier: TierName | None = Field(None, description="The least human tier the brand may have (optional).")
    rules: list[PolicyRule] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Assets


class Marker(Strict):
    at_s: Seconds
    label: Text

    @field_validator("at_s", mode="before")
    @classmethod
    def _time(cls, value: Any) -> Any:
        return parse_seconds(value)


class Asset(Strict):
    id: Ident
    title: Text
    file: Annotated[str, StringConstraints(min_length=1, max_length=400)] = Field(
        description="Path of the audio file, relative to the brand folder.")
    role: Role
    variant_of: Ident | None = None
    touchpoints: list[Ident] = Field(default_factory=list)
    description: Markdown | None = None
    text_alternative: Text | None = Field(
        None, description="What the asset sounds like, for people who cannot hear it.")
    transcript: LongText | None = None
    credits: list[Contributor] = Field(default_factory=list)
    markers: list[Marker] = Field(default_factory=list)
    carries_logo: bool | None = Field(
        None, description="Whether the build searches this asset for the sonic logo's motif and shows where it "
                          "plays. Default: yes for themes, variants and cut-downs, no for other roles.")
    downloadable: bool = True
    disclosure: Disclosure


class Brand(Strict):
    """A whole ``brand.yml``."""

    schema_version: Literal[1] = Field(1, description="Version of this schema; 1 for now.")
    identity: Identity
    strategy: Strategy
    sonic_logo: SonicLogo | None = None
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    voice: Voice | None = None
    ui_sounds: UISounds | None = None
    dos: list[Guideline] = Field(default_factory=list)
    donts: list[Guideline] = Field(default_factory=list)
    delivery: DeliverySpec | None = None
    usage_rights: UsageRights | None = None
    disclosure_policy: DisclosurePolicy
    assets: list[Asset] = Field(min_length=1)

    def touchpoints_of(self, asset: Asset) -> list[Touchpoint]:
        """The touchpoints ``asset`` is used at (see :meth:`Touchpoint.uses`), in brand.yml order."""
        return [touchpoint for touchpoint in self.touchpoints if touchpoint.uses(asset)]

    @field_validator("schema_version", mode="before")
    @classmethod
    def _schema_version(cls, value: Any) -> Any:
        # YAML scalars arrive as text; a Literal of ints does not convert "1" by itself.
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value
