"""Audio analysis: loudness (BS.1770-4 / EBU R128), true peak, spectra, tempo, key, peaks.

The public entry point is :func:`analyze_file`; :data:`ANALYSIS_VERSION` changes whenever results
change, so caches keyed on it stay correct. :func:`probe` reads only the header (container, codec,
rate, channels, declared length) and :func:`measure_loudness` only the loudness and peaks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sonicguide.core.audio.version import ANALYSIS_VERSION

if TYPE_CHECKING:
    from sonicguide.core.audio.decode import AudioFormat, probe
    from sonicguide.core.audio.report import analyze_file, measure_loudness

__all__ = ["ANALYSIS_VERSION", "AudioFormat", "analyze_file", "measure_loudness", "probe"]

# numpy and scipy take about a second to import; a warm build that measures nothing must not pay
# for them, so the heavy modules load on first use (PEP 562).
_LAZY = {"AudioFormat": "decode", "probe": "decode", "analyze_file": "report", "measure_loudness": "report"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
