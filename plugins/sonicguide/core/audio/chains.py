"""The playback chains a touchpoint may name (``core/data/playback_chains.yml``), as a typed table.

A chain says how a listener at a touchpoint hears an asset: the sample rate and band of the
channel, mono summing, a codec's quantisation, compression and limiting. Every chain states its
``basis`` (a ``standard``, or an ``assumption``) and its ``source``. This module imports neither
numpy nor scipy (it is read when brands are validated); :mod:`sonicguide.core.audio.audition`
renders audio through a chain.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from ruamel.yaml import YAML


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Compression(_Row):
    """A feed-forward compressor on the signal's RMS envelope (one-pole smoothing over ``window_ms``),
    then ``makeup_db`` of gain: a device's automatic gain control keeps a loud master at its level
    and raises quieter passages (see ``playback_chains.yml`` for the rule the shipped chains follow)."""

    threshold_dbfs: float = Field(le=0, ge=-60)
    ratio: float = Field(ge=1, le=100)
    window_ms: float = Field(gt=0, le=1000)
    makeup_db: float = Field(0.0, ge=0, le=30)


class PlaybackChain(_Row):
    """One playback chain (see the module docstring). Frequencies in Hz, levels in dB re full scale."""

    id: str = Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
    name: str
    #: The channel's sample rate; ``None`` keeps the asset's own rate (a loudspeaker resamples nothing).
    sample_rate_hz: int | None = Field(None, ge=8000, le=192000)
    low_hz: float | None = Field(None, gt=0)
    high_hz: float | None = Field(None, gt=0)
    #: Butterworth order of each band edge.
    filter_order: int = Field(2, ge=1, le=8)
    #: 1: the channels are summed to mono (their mean); 2: stereo is kept (mono stays mono).
    channels: Literal[1, 2]
    codec: Literal["g711-mulaw"] | None = None
    compression: Compression | None = None
    limiter_dbfs: float | None = Field(None, le=0, ge=-20)
    basis: Literal["standard", "assumption"]
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _band(self) -> PlaybackChain:
        if self.low_hz is not None and self.high_hz is not None and self.low_hz >= self.high_hz:
            raise ValueError(f"low_hz ({self.low_hz:g}) must be below high_hz ({self.high_hz:g})")
        if self.sample_rate_hz is not None and self.high_hz is not None and self.high_hz >= self.sample_rate_hz / 2:
            raise ValueError(f"high_hz ({self.high_hz:g}) must be below half the sample rate "
                             f"({self.sample_rate_hz / 2:g} Hz)")
        return self

    def band_label(self) -> str:
        """``"300–3400 Hz"``, ``"from 500 Hz"`` or ``"full band"``."""
        if self.low_hz is not None and self.high_hz is not None:
            return f"{self.low_hz:g}–{self.high_hz:g} Hz"
        if self.low_hz is not None:
            return f"from {self.low_hz:g} Hz"
        if self.high_hz is not None:
            return f"up to {self.high_hz:g} Hz"
        return "full band"


_TABLE = TypeAdapter(list[PlaybackChain])


def _table_text() -> str:
    return resources.files("sonicguide.core").joinpath("data/playback_chains.yml").read_text(encoding="utf-8")


@cache
def chains_digest() -> str:
    """SHA-256 of the shipped chain table's text: part of the key of every cached brand parse, so a
    changed table re-checks every brand's ``playback`` against it."""
    return hashlib.sha256(_table_text().encode("utf-8")).hexdigest()


@cache
def playback_chains() -> dict[str, PlaybackChain]:
    """Every shipped chain by id, in file order (validated; a broken table is a bug, raised here)."""
    text = _table_text()
    chains = _TABLE.validate_python(YAML(typ="safe", pure=True).load(text))
    by_id = {chain.id: chain for chain in chains}
    if len(by_id) != len(chains):
        raise ValueError("playback_chains.yml names a chain twice")
    return by_id
