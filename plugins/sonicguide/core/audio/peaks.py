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
        # The column being filled: how many frames it has, and their minimum and maximum.
        self._pending_frames = 0
        self._pending_low = math.inf
        self._pending_high = -math.inf

    def feed(self, block: npt.NDArray[np.float32]) -> None:
        """Add a block of shape ``(frames, channels)``."""
        spp = self.samples_per_pixel
        if self._pending_frames:
            head = block[: spp - self._pending_frames]
            if head.size:
                self._pending_low = min(self._pending_low, float(head.min()))
                self._pending_high = max(self._pending_high, float(head.max()))
            self._pending_frames += head.shape[0]
            if self._pending_frames < spp:
                return
            self._low.append(_to_8bit(np.array([self._pending_low], dtype=np.float32)))
            self._high.append(_to_8bit(np.array([self._pending_high], dtype=np.float32)))
            self._pending_frames, self._pending_low, self._pending_high = 0, math.inf, -math.inf
            block = block[head.shape[0] :]
        whole = (block.shape[0] // spp) * spp
        if whole:
            # A column's frames of every channel are one contiguous run of the (frames, channels)
            # block: its minimum and maximum are one reduction over a long axis each.
            columns = block[:whole].reshape(-1, spp * block.shape[1])
            self._low.append(_to_8bit(columns.min(axis=1)))
            self._high.append(_to_8bit(columns.max(axis=1)))
        rest = block[whole:]
        if rest.size:
            self._pending_frames = rest.shape[0]
            self._pending_low, self._pending_high = float(rest.min()), float(rest.max())

    def result(self) -> dict[str, object]:
        """The audiowaveform JSON object (``data`` interleaves min and max per column)."""
        low = list(self._low)
        high = list(self._high)
        if self._pending_frames:
            low.append(_to_8bit(np.array([self._pending_low], dtype=np.float32)))
            high.append(_to_8bit(np.array([self._pending_high], dtype=np.float32)))
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
            "data": data.tolist(),  # Python ints
        }
