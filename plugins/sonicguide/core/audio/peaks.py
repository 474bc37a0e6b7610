"""Waveform peaks in the JSON layout of BBC's audiowaveform (version 2, 8-bit, one channel).

Each column holds the minimum and maximum over all channels of ``samples_per_pixel`` frames, so a
page can draw the waveform without decoding the audio. Values are 8-bit: full scale maps to
-128..127.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

#: Most columns a waveform gets.
MAX_COLUMNS = 1000


def samples_per_pixel(frames: int, max_columns: int = MAX_COLUMNS) -> int:
    """Frames per column so that ``frames`` fit in at most ``max_columns`` columns."""
    return max(1, math.ceil(frames / max_columns))


def _to_8bit(values: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    return np.clip(np.floor(values.astype(np.float64) * 128.0), -128, 127).astype(np.int64)


class PeakAccumulator:
    """Min/max per column of a stream of ``(frames, channels)`` blocks."""

    def __init__(self, sample_rate_hz: int, samples_per_pixel: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self.samples_per_pixel = samples_per_pixel
        self._low: list[npt.NDArray[np.int64]] = []
        self._high: list[npt.NDArray[np.int64]] = []
        self._pending_low = np.zeros(0, dtype=np.float32)
        self._pending_high = np.zeros(0, dtype=np.float32)

    def feed(self, block: npt.NDArray[np.float32]) -> None:
        """Add a block of shape ``(frames, channels)``."""
        # Column-wise loops: numpy reduces a short inner axis (axis=1) very slowly.
        block_low, block_high = block[:, 0].copy(), block[:, 0].copy()
        for channel in range(1, block.shape[1]):
            np.minimum(block_low, block[:, channel], out=block_low)
            np.maximum(block_high, block[:, channel], out=block_high)
        low = np.concatenate((self._pending_low, block_low))
        high = np.concatenate((self._pending_high, block_high))
        spp = self.samples_per_pixel
        whole = (low.size // spp) * spp
        if whole:
            self._low.append(_to_8bit(low[:whole].reshape(-1, spp).min(axis=1)))
            self._high.append(_to_8bit(high[:whole].reshape(-1, spp).max(axis=1)))
        self._pending_low, self._pending_high = low[whole:], high[whole:]

    def result(self) -> dict[str, object]:
        """The audiowaveform JSON object (``data`` interleaves min and max per column)."""
        low = list(self._low)
        high = list(self._high)
        if self._pending_low.size:
            low.append(_to_8bit(self._pending_low.min(keepdims=True)))
            high.append(_to_8bit(self._pending_high.max(keepdims=True)))
        lows = np.concatenate(low) if low else np.zeros(0, dtype=np.int64)
        highs = np.concatenate(high) if high else np.zeros(0, dtype=np.int64)
        data = np.empty(2 * lows.size, dtype=np.int64)
        data[0::2], data[1::2] = lows, highs
        return {
            "version": 2,
            "channels": 1,
            "sample_rate": self.sample_rate_hz,
            "samples_per_pixel": self.samples_per_pixel,
            "bits": 8,
            "length": int(lows.size),
            "data": [int(v) for v in data.tolist()],
        }
