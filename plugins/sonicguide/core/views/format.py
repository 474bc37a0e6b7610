"""Display strings for measurements: units, signs and the honest absence of a value."""

from __future__ import annotations

import math
from typing import Any

MINUS = "\u2212"


def signed(value: float, digits: int = 1) -> str:
    """``-14.03`` -> ``"−14.0"`` (a real minus sign)."""
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        stripped = text[1:]
        return stripped if float(stripped) == 0 else MINUS + stripped
    return text


def level(value: float | None, unit: str, reason: str | None = None) -> str:
    """A level in ``unit`` (LUFS, dBTP, dBFS, LU); silence shows as −∞, other gaps say why."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if reason and "silen" in reason.lower() and unit != "LU":
            return f"{MINUS}\u221e {unit} (silent)"
        return f"not measurable ({reason})" if reason else "not measured"
    if math.isinf(value):
        return f"{MINUS}\u221e {unit}" if value < 0 else f"+\u221e {unit}"
    return f"{signed(value)} {unit}"


def duration(seconds: float | None) -> str:
    """``93.5`` -> ``"1:33.5"``; under a minute ``"0:04.2"``."""
    if seconds is None:
        return "unknown"
    minutes, rest = divmod(max(0.0, seconds), 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{int(hours)}:{int(minutes):02d}:{rest:04.1f}"
    return f"{int(minutes)}:{rest:04.1f}"


def clock(seconds: float) -> str:
    """``12.7`` -> ``"0:12"`` (whole seconds, for labels)."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def hertz(value: float | None) -> str:
    if value is None:
        return "not measured"
    if value >= 1000:
        return f"{value / 1000:.1f} kHz"
    return f"{value:.0f} Hz"


def sample_rate(value: int | None) -> str:
    if not value:
        return "unknown"
    khz = value / 1000
    return f"{khz:g} kHz"


def channels(count: int | None) -> str:
    return {None: "unknown", 1: "mono", 2: "stereo"}.get(count, f"{count} channels")


def estimate(value: Any, unit: str, confidence: float | None, reason: str | None, *,
             uncertain_below: float = 0.0) -> str:
    """An estimate with its confidence: ``"≈ 120 BPM (estimate, confidence 0.82)"``; below
    ``uncertain_below`` it says ``"uncertain estimate"`` so nobody takes it as a fact."""
    if value is None:
        return f"no estimate ({reason})" if reason else "no estimate"
    shown = f"{value:.0f}" if isinstance(value, float) else str(value)
    conf = f", confidence {confidence:.2f}" if confidence is not None else ""
    kind = "uncertain estimate" if confidence is not None and confidence < uncertain_below else "estimate"
    return f"\u2248 {shown}{(' ' + unit) if unit else ''} ({kind}{conf})"


def file_size(size: int | None) -> str:
    if size is None:
        return "unknown"
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MiB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KiB"
    return f"{size} bytes"
