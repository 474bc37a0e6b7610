"""Audio analysis: loudness (BS.1770-4 / EBU R128), true peak, spectra, tempo, key, peaks.

The public entry point is :func:`analyze_file`; :data:`ANALYSIS_VERSION` changes whenever results
change, so caches keyed on it stay correct. :func:`probe` reads only the header (container, codec,
rate, channels, declared length) and :func:`measure_loudness` only the loudness and peaks.
"""

from __future__ import annotations

from .decode import AudioFormat, probe
from .report import ANALYSIS_VERSION, analyze_file, measure_loudness

__all__ = ["ANALYSIS_VERSION", "AudioFormat", "analyze_file", "measure_loudness", "probe"]
