"""What the analysis of one file says, as types: the part of :func:`analyze_file`'s result that the
site, ``brand.json`` and the judging read.

The worker (:func:`sonicguide.core.audio.pipeline.analyse_asset`) makes a :class:`Measurements`
from the analysis result, checks it against this model and caches its JSON form; a build reads it
back through :meth:`Measurements.model_validate`, so a cache entry of the wrong shape is noticed.
Units are in the field names (``_lufs``, ``_lu``, ``_dbtp``, ``_dbfs``, ``_hz``, ``_s``); a value
that does not exist for the file (the loudness of silence, the bit depth of an MP3) is ``None``
and :attr:`Measurements.null_reasons` says why. This module imports neither numpy nor scipy.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Facts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FormatFacts(_Facts):
    """The file as stored: container (``wav``, ``flac``, ``mp3``, ``ogg``), codec, rate, depth."""

    container: str | None = None
    codec: str | None = None
    sample_rate_hz: int | None = None
    #: ``None`` for lossy codecs, which store no bit depth.
    bit_depth: int | None = None
    channels: int | None = None
    frames: int | None = None
    duration_s: float | None = None
    #: Set when the file's extension names another format than its content (the text says which).
    mislabelled: str | None = None


class LoudnessFacts(_Facts):
    """ITU-R BS.1770-4 / EBU R128 loudness (EBU Tech 3341/3342) and peaks."""

    integrated_lufs: float | None = None
    loudness_range_lu: float | None = None
    max_momentary_lufs: float | None = None
    max_short_term_lufs: float | None = None
    true_peak_dbtp: float | None = None
    sample_peak_dbfs: float | None = None
    #: Oversampling factor used for the true peak (4, 2 or 1 depending on the sample rate).
    true_peak_oversampling: int | None = None


class SpectralFacts(_Facts):
    centroid_hz: float | None = None


class Estimate(BaseModel):
    """A musical estimate with its confidence (0–1) and method; ``reason`` when there is none.

    Estimators may add details of their own (alternative tempi, the key profile's runner-up), kept
    as extra fields.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    confidence: float | None = None
    method: str | None = None
    reason: str | None = None


class TempoEstimate(Estimate):
    bpm: float | None = None


class KeyEstimate(Estimate):
    #: ``"F# minor"``, ``"Bb major"``.
    name: str | None = None


class Spectrum(_Facts):
    """Average spectrum: level in dB (relative, ``None`` below the floor) per frequency in Hz."""

    freqs_hz: list[float] = Field(default_factory=list)
    db: list[float | None] = Field(default_factory=list)


class LogoOccurrence(_Facts):
    """One place where the sonic logo's motif plays (see :mod:`sonicguide.core.audio.motif`).

    ``similarity`` is the normalised cross-correlation of chroma (0-1): an estimate of how clearly
    the motif is heard there, not a probability.
    """

    time_s: float
    similarity: float
    #: How far the occurrence is above the logo, in semitones (pitch class only: -5..+6).
    transposition_semitones: int
    #: How many times longer it lasts than the logo (1.1 = 10 % slower).
    stretch: float


class LogoFacts(_Facts):
    """Where the brand's sonic logo plays in this asset (searched for assets that should carry it).

    ``best_similarity``: the highest similarity anywhere in the asset, also when it stays below
    ``threshold`` (how nearly a missing logo was found).
    """

    logo_asset: str
    occurrences: list[LogoOccurrence] = Field(default_factory=list)
    best_similarity: float | None = None
    threshold: float
    method: str
    #: Why the asset could not be searched (the logo or the asset could not be decoded).
    error: str | None = None


class AuditionFacts(_Facts):
    """What one playback chain does to the asset (see :mod:`sonicguide.core.audio.audition`):
    measured on the audition against the original, both at the original's rate."""

    chain: str
    #: The chain's display name ("Phone line (narrowband)").
    chain_name: str
    #: Energy of the audition as a share of the original's, in %.
    energy_kept_percent: float | None = None
    #: Integrated loudness of the audition minus the original's, LU (negative: quieter).
    loudness_change_lu: float | None = None
    #: Integrated loudness of the audition, LUFS (what loudness-matched playback uses).
    integrated_lufs: float | None = None
    #: Spectral centroid of the audition minus the original's, Hz (negative: duller).
    centroid_shift_hz: float | None = None
    #: Energy in the speech band (150–8500 Hz) kept, in %; measured for voice and IVR assets only.
    speech_band_kept_percent: float | None = None
    #: The audition file: its sample rate and channels.
    sample_rate_hz: int | None = None
    channels: int | None = None
    null_reasons: dict[str, str] = Field(default_factory=dict)


class Measurements(_Facts):
    """One file's measurements (see the module docstring)."""

    file_bytes: int | None = None
    format: FormatFacts = Field(default_factory=FormatFacts)
    loudness: LoudnessFacts = Field(default_factory=LoudnessFacts)
    #: Why a value is ``None``, by field name (``integrated_lufs``, ``true_peak_dbtp``, ...).
    null_reasons: dict[str, str] = Field(default_factory=dict)
    spectral: SpectralFacts = Field(default_factory=SpectralFacts)
    tempo: TempoEstimate = Field(default_factory=TempoEstimate)
    key: KeyEstimate = Field(default_factory=KeyEstimate)
    spectrum: Spectrum | None = None
    #: Where the sonic logo plays; ``None`` when the asset was not searched (see ``carries_logo``).
    logo: LogoFacts | None = None
    #: What each playback chain the asset is heard through does to it, by chain id (see
    #: :class:`AuditionFacts`); empty when no touchpoint of the asset names a chain.
    auditions: dict[str, AuditionFacts] = Field(default_factory=dict)
    #: Waveform overview for the player: at most 400 ``[min, max]`` pairs in −1..1.
    peaks_columns: list[list[float]] = Field(default_factory=list, exclude=True)

    def reason(self, name: str) -> str | None:
        """Why the value ``name`` is missing, if the analysis said."""
        return self.null_reasons.get(name)
