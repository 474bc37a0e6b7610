"""Streaming loudness meter per ITU-R BS.1770-4 and EBU R128 (Tech 3341, Tech 3342).

The meters take the signal block by block (``feed``), so memory stays bounded whatever the file
length: the loudness meter keeps one number per 100 ms hop, the true-peak meter a few samples of
history.

- K-weighting: the two biquads of BS.1770 (high shelf and high-pass), designed for any sample rate
  by the bilinear transform. The analog prototype parameters are the ones libebur128 derived so
  that the 48 kHz coefficients equal the table in BS.1770-4 exactly.
- Gating: 400 ms blocks with 75 % overlap (built from 100 ms hops), absolute gate -70 LUFS,
  relative gate -10 LU (integrated); 3 s short-term windows every 100 ms, absolute gate -70 LUFS,
  relative gate -20 LU, 10th to 95th percentile (loudness range, EBU Tech 3342).
- True peak: polyphase FIR oversampling (4x below 96 kHz, 2x below 192 kHz, none above) as
  BS.1770-4 Annex 2 describes, evaluated as two matrix products per block, skipping rows of
  samples whose bound ``sum|h| * max|x|`` cannot beat the running maximum (exact, not an
  approximation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.signal

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]

#: Absolute gate of BS.1770-4 and EBU Tech 3342, LUFS.
ABSOLUTE_GATE_LUFS = -70.0
#: Relative gate for integrated loudness, LU below the absolute-gated mean.
RELATIVE_GATE_LU = -10.0
#: Relative gate for loudness range (EBU Tech 3342), LU.
LRA_RELATIVE_GATE_LU = -20.0
#: Hop between successive momentary / short-term measurements, seconds (10 Hz).
HOP_S = 0.1
#: Hops in one momentary block (400 ms) and one short-term window (3 s).
MOMENTARY_HOPS = 4
SHORT_TERM_HOPS = 30
#: Lowest sample rate at which loudness is measured, Hz. BS.1770 gives the K-weighting filter at
#: 48 kHz only; designed for lower rates by the bilinear transform, its 1.7 kHz shelf moves: against
#: the 48 kHz meter, tones from 100 Hz to 1.5 kHz read within 0.22 LU at 8 kHz, but up to 0.33 LU
#: off at 5.5 kHz and 0.8 LU at 4 kHz, and below 3.4 kHz (the shelf above Nyquist) the filter is
#: unstable. Below this rate loudness is ``None`` with the reason.
MIN_LOUDNESS_RATE_HZ = 8_000


def k_weighting_sos(sample_rate_hz: float) -> FloatArray:
    """Second-order sections (shape ``(2, 6)``) of the BS.1770 K-weighting filter at any rate.

    Stage 1 is the high-shelf "pre-filter" (+4 dB above ~1.7 kHz), stage 2 the RLB high-pass
    (~38 Hz). Prototype values from libebur128 (``ebur128_init_filter``), which reproduce the
    48 kHz coefficients of BS.1770-4 Table 1 and 2.
    """
    fs = float(sample_rate_hz)
    f0 = 1681.974450955533
    gain_db = 3.999843853973347
    q = 0.7071752369554196
    k = math.tan(math.pi * f0 / fs)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / q + k * k) / a0,
    ]
    f0 = 38.13547087602444
    q = 0.5003270373238773
    k = math.tan(math.pi * f0 / fs)
    a0 = 1.0 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, highpass], dtype=np.float64)


def channel_weights(channels: int) -> FloatArray:
    """BS.1770 channel weights, shape ``(channels,)``.

    Five channels are read as L R C Ls Rs and six as L R C LFE Ls Rs (the WAV/SMPTE order):
    surround channels weigh 1.41 and the LFE is excluded. Every other layout weighs 1.0.
    """
    if channels == 6:
        return np.array([1.0, 1.0, 1.0, 0.0, 1.41, 1.41])
    if channels == 5:
        return np.array([1.0, 1.0, 1.0, 1.41, 1.41])
    return np.ones(channels)


def energy_to_lufs(energy: FloatArray) -> FloatArray:
    """Weighted mean-square energy to loudness, LUFS (``-inf`` for zero energy)."""
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10.0 * np.log10(energy), dtype=np.float64)


@dataclass(frozen=True)
class LoudnessResult:
    """What :class:`LoudnessMeter` measured.

    Scalars are ``None`` when they do not exist, with the reason in ``null_reasons`` (keyed by
    field name). ``momentary_lufs`` / ``short_term_lufs`` hold one value per 100 ms hop (``None``
    for silent windows); the value at index ``i`` is the window ending at ``(i + n) * 0.1`` s,
    ``n`` being 4 (momentary) or 30 (short-term).
    """

    integrated_lufs: float | None
    loudness_range_lu: float | None
    max_momentary_lufs: float | None
    max_short_term_lufs: float | None
    null_reasons: dict[str, str]
    momentary_times_s: list[float]
    momentary_lufs: list[float | None]
    short_term_times_s: list[float]
    short_term_lufs: list[float | None]


class LoudnessMeter:
    """K-weighted, gated loudness of a stream of blocks.

    Feed blocks of shape ``(frames, channels)`` (any float dtype, full scale 1.0) with
    :meth:`feed`, then call :meth:`result`.
    """

    def __init__(self, sample_rate_hz: int, channels: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self.channels = channels
        #: Why this meter measures nothing at this rate (``None``: it measures).
        self.unmeasurable: str | None = None
        if sample_rate_hz < MIN_LOUDNESS_RATE_HZ:
            self.unmeasurable = (
                f"sample rate {sample_rate_hz:,} Hz is below {MIN_LOUDNESS_RATE_HZ // 1000} kHz, where the "
                "BS.1770 K-weighting filter cannot be applied faithfully; resample to 48 kHz to measure loudness"
            )
            sample_rate_hz = 48_000  # a valid filter that is never used
        self._sos = k_weighting_sos(sample_rate_hz)
        self._weights = channel_weights(channels)
        self._zi = np.zeros((self._sos.shape[0], channels, 2))
        self._position = 0  # samples fed so far
        self._next_hop = 1  # index k of the next hop boundary floor(k * fs / 10)
        self._partial_energy = 0.0
        self._hop_energy: list[FloatArray] = []  # weighted sum of squares per completed hop
        self._hop_samples: list[npt.NDArray[np.int64]] = []

    def _boundary(self, k: int) -> int:
        # Exact hop boundaries even when fs / 10 is not an integer (e.g. 11025 Hz).
        return (k * self.sample_rate_hz) // 10

    def feed(self, block: npt.NDArray[np.floating]) -> None:
        """Add a block of shape ``(frames, channels)``."""
        frames = block.shape[0]
        if frames == 0 or self.unmeasurable:
            return
        # sosfilt makes its own float64, channel-major copy of the block (it filters in place), so
        # the transposed view goes in as it is: converting it first would copy the block twice.
        filtered, self._zi = scipy.signal.sosfilt(self._sos, block.T, axis=-1, zi=self._zi)
        squares = np.square(filtered, out=filtered)  # (channels, frames)
        start, end = self._position, self._position + frames
        # Hop k ends at floor(k * fs / 10); the first hop that ends after this block:
        stop = (10 * (end + 1) + self.sample_rate_hz - 1) // self.sample_rate_hz
        edges = np.arange(self._next_hop - 1, stop, dtype=np.int64) * self.sample_rate_hz // 10
        bounds = edges[1:] - start  # hop ends inside this block, 1..frames
        # Sum each channel's squares over the pieces the hop ends cut the block into, then weigh
        # the channels: per piece, not per sample.
        cuts = np.concatenate(([0], bounds[bounds < frames]))
        pieces = self._weights @ np.add.reduceat(squares, cuts, axis=1)
        if bounds.size:
            sums = pieces[: bounds.size].copy()
            sums[0] += self._partial_energy
            self._hop_energy.append(sums)
            self._hop_samples.append(np.diff(edges))
            self._partial_energy = float(pieces[bounds.size]) if bounds[-1] < frames else 0.0
        else:
            self._partial_energy += float(pieces[0])
        self._next_hop = stop
        self._position = end

    def _window_energy(self, hops: int) -> FloatArray:
        """Mean weighted energy of every complete window of ``hops`` hops, shape ``(n,)``."""
        if not self._hop_energy:
            return np.zeros(0)
        energy = np.concatenate(self._hop_energy)
        samples = np.concatenate(self._hop_samples).astype(np.float64)
        if energy.size < hops:
            return np.zeros(0)
        kernel = np.ones(hops)
        return np.convolve(energy, kernel, "valid") / np.convolve(samples, kernel, "valid")

    def result(self) -> LoudnessResult:
        """Gate and summarise everything fed so far."""
        if self.unmeasurable:
            fields = ("integrated_lufs", "loudness_range_lu", "max_momentary_lufs", "max_short_term_lufs")
            return LoudnessResult(None, None, None, None, dict.fromkeys(fields, self.unmeasurable), [], [], [], [])
        reasons: dict[str, str] = {}
        momentary = self._window_energy(MOMENTARY_HOPS)
        short_term = self._window_energy(SHORT_TERM_HOPS)
        momentary_lufs = energy_to_lufs(momentary)
        short_term_lufs = energy_to_lufs(short_term)

        integrated: float | None = None
        max_momentary: float | None = None
        if momentary.size == 0:
            reasons["integrated_lufs"] = reasons["max_momentary_lufs"] = "shorter than one 400 ms block"
        else:
            above = momentary_lufs > ABSOLUTE_GATE_LUFS
            if np.isfinite(momentary_lufs).any():
                max_momentary = float(momentary_lufs.max())
            else:
                reasons["max_momentary_lufs"] = "silent: every 400 ms block has zero energy"
            if above.any():
                threshold = float(energy_to_lufs(np.array([momentary[above].mean()]))[0]) + RELATIVE_GATE_LU
                gated = momentary[above & (momentary_lufs > threshold)]
                if gated.size:
                    integrated = float(energy_to_lufs(np.array([gated.mean()]))[0])
                else:  # only when the energies are not finite numbers
                    reasons["integrated_lufs"] = "not measurable: no block passes the relative gate"
            else:
                reasons["integrated_lufs"] = "silent: no block above the -70 LUFS absolute gate"

        loudness_range: float | None = None
        max_short_term: float | None = None
        if short_term.size == 0:
            reasons["loudness_range_lu"] = reasons["max_short_term_lufs"] = (
                "shorter than one 3 s short-term window"
            )
        else:
            if np.isfinite(short_term_lufs).any():
                max_short_term = float(short_term_lufs.max())
            else:
                reasons["max_short_term_lufs"] = "silent: every 3 s window has zero energy"
            above = short_term_lufs > ABSOLUTE_GATE_LUFS
            if above.any():
                threshold = (
                    float(energy_to_lufs(np.array([short_term[above].mean()]))[0]) + LRA_RELATIVE_GATE_LU
                )
                gated_lufs = short_term_lufs[above & (short_term_lufs > threshold)]
                if gated_lufs.size:
                    low, high = np.percentile(gated_lufs, [10.0, 95.0])
                    loudness_range = float(high - low)
                else:  # only when the energies are not finite numbers
                    reasons["loudness_range_lu"] = "not measurable: no 3 s window passes the relative gate"
            else:
                reasons["loudness_range_lu"] = "silent: no 3 s window above the -70 LUFS absolute gate"

        return LoudnessResult(
            integrated_lufs=integrated,
            loudness_range_lu=loudness_range,
            max_momentary_lufs=max_momentary,
            max_short_term_lufs=max_short_term,
            null_reasons=reasons,
            momentary_times_s=[(i + MOMENTARY_HOPS) * HOP_S for i in range(momentary.size)],
            momentary_lufs=_finite_or_none(momentary_lufs),
            short_term_times_s=[(i + SHORT_TERM_HOPS) * HOP_S for i in range(short_term.size)],
            short_term_lufs=_finite_or_none(short_term_lufs),
        )


def _finite_or_none(values: FloatArray) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in values.tolist()]


def oversampling_factor(sample_rate_hz: int) -> int:
    """Oversampling for true peak per BS.1770-4 Annex 2: 4x below 96 kHz, 2x below 192 kHz, else 1x."""
    if sample_rate_hz < 96_000:
        return 4
    if sample_rate_hz < 192_000:
        return 2
    return 1


#: Taps per polyphase branch of the interpolation filter, and its Kaiser window beta / cutoff
#: (fraction of the input Nyquist frequency). Flat within 0.01 dB to 0.5 x Nyquist, -0.3 dB at
#: 0.8 x Nyquist; images attenuated by >= 30 dB from 1.15 x Nyquist.
TRUE_PEAK_TAPS_PER_PHASE = 24
TRUE_PEAK_KAISER_BETA = 9.0
TRUE_PEAK_CUTOFF = 0.97
#: Rows of samples oversampled per matrix product (bounds the temporary output to ~3 MB).
_TRUE_PEAK_BATCH_ROWS = 8192


class TruePeakMeter:
    """Sample peak and true peak (oversampled) of a stream of ``(frames, channels)`` blocks."""

    def __init__(self, sample_rate_hz: int, channels: int) -> None:
        self.channels = channels
        self.factor = oversampling_factor(sample_rate_hz)
        taps = TRUE_PEAK_TAPS_PER_PHASE
        self._taps = taps
        up = self.factor
        self.sample_peak = 0.0
        self.true_peak = 0.0
        if up == 1:
            return
        # Odd length, so one polyphase branch sits on the original sample instants (the
        # oversampled grid contains them); padded with a zero to fill `taps` rows per branch.
        h = np.zeros(up * taps)
        h[:-1] = (
            scipy.signal.firwin(
                up * taps - 1, TRUE_PEAK_CUTOFF / up, window=("kaiser", TRUE_PEAK_KAISER_BETA)
            )
            * up
        )
        # phase_matrix[j, p]: weight of input x[n + j] in output phase p of row position n.
        phase_matrix = np.empty((taps, up))
        for j in range(taps):
            for p in range(up):
                phase_matrix[j, p] = h[p + up * (taps - 1 - j)]
        # Outputs of one row of `taps` samples depend on that row and the next one:
        # y_row = x_row @ a + x_next @ b, with y_row laid out as (position, phase) flattened.
        a = np.zeros((taps, taps * up))
        b = np.zeros((taps, taps * up))
        for i in range(taps):  # output position within the row
            for j in range(taps):  # filter tap
                source = i + j
                target = a if source < taps else b
                target[source % taps, i * up : (i + 1) * up] = phase_matrix[j]
        self._a = a.astype(np.float32)
        self._b = b.astype(np.float32)
        self._gain_bound = float(max(np.abs(h[p::up]).sum() for p in range(up)))
        # History: a row of zeros before the signal so the first outputs see the filter's start.
        self._carry = np.zeros((taps, channels), dtype=np.float32)

    def feed(self, block: npt.NDArray[np.floating]) -> None:
        """Add a block of shape ``(frames, channels)``."""
        if block.shape[0] == 0:
            return
        block_peak = float(np.abs(block).max())
        self.sample_peak = max(self.sample_peak, block_peak)
        if self.factor == 1:
            self.true_peak = self.sample_peak
            return
        self._oversample(block.astype(np.float32, copy=False))

    def finish(self) -> None:
        """Flush the filter's tail (two rows of zeros after the last sample)."""
        if self.factor > 1:
            self._oversample(np.zeros((2 * self._taps, self.channels), dtype=np.float32))
        self.true_peak = max(self.true_peak, self.sample_peak)

    def _oversample(self, block: Float32Array) -> None:
        taps, channels = self._taps, self.channels
        data = np.concatenate((self._carry, block))
        rows = data.shape[0] // taps
        if rows < 2:
            self._carry = data
            return
        self._carry = data[(rows - 1) * taps :]
        # Row r holds `taps` frames of every channel, interleaved and contiguous: one row peak for
        # all channels is one reduceat over the flat block (a per-channel peak needed a transposed
        # copy and a reduction over a 24-sample axis, four times as long).
        magnitudes = np.abs(data[: rows * taps]).reshape(-1)
        row_peak = np.maximum.reduceat(magnitudes, np.arange(0, magnitudes.size, taps * channels))
        pair_bound = np.maximum(row_peak[:-1], row_peak[1:]) * self._gain_bound
        # Rows whose every oversampled output is provably below the running maximum are skipped.
        candidates = np.flatnonzero(pair_bound > max(self.true_peak, self.sample_peak))
        if candidates.size == 0:
            return
        # (rows, taps, channels): the candidates' rows and the rows after them, gathered.
        frames = data[: rows * taps].reshape(rows, taps, channels)
        # The same bound per channel, on the candidates only, prunes the channels that stay low.
        current = np.abs(frames[candidates]).max(axis=1)
        following = np.abs(frames[candidates + 1]).max(axis=1)
        channel_bound = np.maximum(current, following) * self._gain_bound  # (candidates, channels)
        row_index, channel_index = np.nonzero(channel_bound > max(self.true_peak, self.sample_peak))
        bound = channel_bound[row_index, channel_index]
        row_index = candidates[row_index]
        # Evaluate the most promising rows first so the bound prunes the rest.
        order = np.argsort(-bound, kind="stable")
        row_index, channel_index, bound = row_index[order], channel_index[order], bound[order]
        # A small first batch sets a high running maximum; later batches are re-pruned against it
        # and bounded in size (memory stays a few MB whatever the block size).
        start = 0
        while start < row_index.size:
            stop = start + (64 if start == 0 else _TRUE_PEAK_BATCH_ROWS)
            rw, ch = row_index[start:stop], channel_index[start:stop]
            # The reported true peak is at least the sample peak, so that also prunes exactly.
            keep = bound[start:stop] > max(self.true_peak, self.sample_peak)
            start = stop
            if not keep.any():
                break  # sorted by bound: no later row can beat the maximum either
            rw, ch = rw[keep], ch[keep]
            outputs = frames[rw, :, ch] @ self._a
            outputs += frames[rw + 1, :, ch] @ self._b
            self.true_peak = max(self.true_peak, float(outputs.max()), float(-outputs.min()))
