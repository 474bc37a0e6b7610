"""Render an asset through a playback chain (an "audition") and measure what the chain does.

A :class:`ChainRenderer` takes the asset block by block (shape ``(frames, channels)``, full scale
1.0, float32 all through) and returns the audition at the chain's rate, in this order, as a real
channel would:

1. mono sum (the mean of the channels) when the chain has one channel;
2. resampling to the chain's rate: :func:`scipy.signal.resample_poly` (its anti-alias filter
   removes everything above the new Nyquist frequency), streamed by :class:`Resampler` with the
   same output as one call on the whole signal;
3. the band: Butterworth high-pass and low-pass edges (:func:`scipy.signal.butter`, second-order
   sections), applied causally (:func:`scipy.signal.sosfilt`, its state carried from block to
   block); an edge at or above 0.45 of the rate is left out (the resampler's own filter is the
   edge there);
4. G.711 µ-law companding (8-bit) when the chain names the codec;
5. the device's dynamics: compression of the RMS envelope with the chain's make-up gain (the
   automatic gain control of a phone's or laptop's speaker amplifier keeps a loud master at its
   level and raises quieter passages), then a peak limiter.

So whole files are auditioned in bounded memory, whatever their length.

What the chain does is measured at the chain's rate, on the same pass (:class:`AuditionMeter`):
the share of the asset's energy kept, the shift of the spectral centroid and the share of the
speech band (150–8500 Hz, the band of the ANSI S3.5 Speech Intelligibility Index) kept, all three
on the signal before the dynamics (steps 1–4: what the channel's band keeps; one spectral pass);
and the change of integrated loudness (BS.1770, through
:class:`~sonicguide.core.audio.loudness.LoudnessMeter`, at 32 kHz or above: see
:data:`LOUDNESS_METER_MIN_HZ`) through the whole chain, at the same volume setting. Energies are
per channel, averaged over channels, so a mono sum of uncorrelated stereo keeps about half of it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import scipy.ndimage
import scipy.signal
import soundfile as sf

from sonicguide.core.audio.chains import Compression, PlaybackChain
from sonicguide.core.audio.loudness import MIN_LOUDNESS_RATE_HZ, LoudnessMeter

FloatArray = npt.NDArray[np.float32]
AnyFloat = npt.NDArray[np.floating]

#: The speech band of the ANSI S3.5-1997 Speech Intelligibility Index (its bands span 150–8500 Hz).
SPEECH_BAND_HZ = (150.0, 8500.0)
#: Above this share of the rate a band edge is left to the resampler's anti-alias filter.
_MAX_EDGE_SHARE = 0.45
_MU = 255.0
#: Loudness is metered at this rate or above. The BS.1770 K-weighting filter designed at 8 kHz by
#: the bilinear transform reads a phone-line audition 0.32 LU louder than the same audition played
#: at 48 kHz (0.11 LU at 16 kHz, 0.03 LU at 32 kHz; measured on white noise through the chains), so
#: slower auditions are upsampled by a whole factor for the loudness meter only.
LOUDNESS_METER_MIN_HZ = 32_000


def _empty(channels: int) -> FloatArray:
    return np.zeros((0, channels), dtype=np.float32)


class Resampler:
    """:func:`scipy.signal.resample_poly` over a stream of ``(frames, channels)`` blocks.

    Each call resamples the new frames with ``context`` frames of the signal on either side (the
    reach of resample_poly's filter, rounded up to a whole number of ``down`` steps), so the output
    is that of one call on the whole signal, zero-padded at its ends as resample_poly pads; the
    last ``context`` frames wait for the next block (or :meth:`flush`).
    """

    def __init__(self, from_hz: int, to_hz: int, channels: int) -> None:
        ratio = Fraction(to_hz, from_hz)
        self.up, self.down = ratio.numerator, ratio.denominator
        reach = 10 * max(self.up, self.down) / self.up + 2  # resample_poly's half filter, in input frames
        self.context = math.ceil(reach / self.down) * self.down
        self._pending = np.zeros((self.context, channels), dtype=np.float32)  # history, then unread frames
        self._fed = 0
        self._emitted = 0

    def _resample(self, window: FloatArray, frames: int) -> FloatArray:
        out = scipy.signal.resample_poly(window, self.up, self.down, axis=0)
        start = self.context * self.up // self.down
        return np.asarray(out[start:start + frames], dtype=np.float32)

    def feed(self, block: AnyFloat) -> FloatArray:
        self._pending = np.concatenate((self._pending, np.asarray(block, dtype=np.float32)))
        self._fed += block.shape[0]
        ready = (self._pending.shape[0] - 2 * self.context) // self.down * self.down
        if ready <= 0:
            return _empty(self._pending.shape[1])
        out = self._resample(self._pending[: ready + 2 * self.context], ready * self.up // self.down)
        self._pending = self._pending[ready:]
        self._emitted += out.shape[0]
        return out

    def flush(self) -> FloatArray:
        total = -(-self._fed * self.up // self.down)  # resample_poly's output length: ceil(n * up / down)
        left = total - self._emitted
        if left <= 0:
            return _empty(self._pending.shape[1])
        unread = self._pending.shape[0] - self.context
        pad = (-unread) % self.down + self.context
        window = np.concatenate((self._pending, np.zeros((pad, self._pending.shape[1]), dtype=np.float32)))
        out = self._resample(window, left)
        self._emitted += out.shape[0]
        return out


def band_sos(chain: PlaybackChain, rate_hz: int) -> npt.NDArray[np.float64] | None:
    """The chain's band edges as second-order sections at ``rate_hz`` (``None``: no edge applies)."""
    low = chain.low_hz
    high = chain.high_hz if chain.high_hz is not None and chain.high_hz < _MAX_EDGE_SHARE * rate_hz else None
    if low is not None and high is not None:
        return np.asarray(scipy.signal.butter(chain.filter_order, [low, high], btype="bandpass", fs=rate_hz,
                                              output="sos"))
    if low is not None:
        return np.asarray(scipy.signal.butter(chain.filter_order, low, btype="highpass", fs=rate_hz, output="sos"))
    if high is not None:
        return np.asarray(scipy.signal.butter(chain.filter_order, high, btype="lowpass", fs=rate_hz, output="sos"))
    return None


class Compressor:
    """Feed-forward compression: the gain follows the RMS envelope (one-pole, ``window_ms``) above
    the threshold with the given ratio, then the make-up gain; the same gain on every channel."""

    def __init__(self, rate_hz: int, settings: Compression) -> None:
        alpha = 1.0 - math.exp(-1000.0 / (settings.window_ms * rate_hz))
        self._b = np.array([alpha], dtype=np.float32)
        self._a = np.array([1.0, alpha - 1.0], dtype=np.float32)
        self._state = np.zeros(1, dtype=np.float32)
        self._threshold_power = np.float32(10.0 ** (settings.threshold_dbfs / 10.0))
        # Above the threshold the gain is (power / threshold) ** (-(1 - 1/ratio) / 2): one power per sample.
        self._exponent = np.float32(-(1.0 - 1.0 / settings.ratio) / 2.0)
        self._makeup = np.float32(10.0 ** (settings.makeup_db / 20.0))

    def feed(self, block: FloatArray) -> FloatArray:
        if block.shape[0] == 0:
            return block
        power = block[:, 0] * block[:, 0] if block.shape[1] == 1 else np.mean(block * block, axis=1)
        envelope, self._state = scipy.signal.lfilter(self._b, self._a, power, zi=self._state)
        relative = np.maximum(envelope / self._threshold_power, np.float32(1.0))
        gain = np.power(relative, self._exponent) * self._makeup
        return np.asarray(block * gain[:, None], dtype=np.float32)


class Limiter:
    """A peak limiter: the gain that keeps the 1 ms peak envelope at ``ceiling_dbfs``, smoothed over
    1 ms, then a hard clip at the ceiling for what remains. It looks ``margin`` frames ahead, so
    its output lags its input by that much until :meth:`flush`."""

    def __init__(self, rate_hz: int, ceiling_dbfs: float, channels: int) -> None:
        self.ceiling = np.float32(10.0 ** (ceiling_dbfs / 20.0))
        self.width = max(1, int(rate_hz / 1000))
        self.margin = 2 * self.width + 1  # the reach of the peak hold plus the smoothing
        self._pending = np.zeros((self.margin, channels), dtype=np.float32)

    def _apply(self, window: FloatArray, frames: int) -> FloatArray:
        part = slice(self.margin, self.margin + frames)
        peak = np.abs(window).max(axis=1) if window.shape[1] > 1 else np.abs(window[:, 0])
        if not peak.size or float(peak.max()) <= self.ceiling:
            return window[part]  # nothing reaches the ceiling: the gain is 1 throughout
        held = scipy.ndimage.maximum_filter1d(peak, size=2 * self.width + 1)
        gain = np.minimum(np.float32(1.0), self.ceiling / np.maximum(held, np.float32(1e-12)))
        smooth = scipy.ndimage.uniform_filter1d(gain, size=self.width)  # a 1 ms moving average, O(n)
        limited = window[part] * np.minimum(gain[part], smooth[part])[:, None]
        return np.asarray(np.clip(limited, -self.ceiling, self.ceiling), dtype=np.float32)

    def feed(self, block: FloatArray) -> FloatArray:
        self._pending = np.concatenate((self._pending, block))
        ready = self._pending.shape[0] - 2 * self.margin
        if ready <= 0:
            return _empty(self._pending.shape[1])
        out = self._apply(self._pending, ready)
        self._pending = self._pending[ready:]
        return out

    def flush(self) -> FloatArray:
        ready = self._pending.shape[0] - self.margin
        if ready <= 0:
            return _empty(self._pending.shape[1])
        window = np.concatenate((self._pending, np.zeros((self.margin, self._pending.shape[1]), dtype=np.float32)))
        self._pending = self._pending[:self.margin]
        return self._apply(window, ready)


def mulaw(samples: FloatArray) -> FloatArray:
    """G.711 µ-law companding to 8 bits and back (the continuous µ = 255 law, quantised)."""
    clipped = np.clip(samples, -1.0, 1.0)
    encoded = np.sign(clipped) * np.log1p(_MU * np.abs(clipped)) / math.log1p(_MU)
    quantised = np.round(encoded * 127.0) / 127.0
    return np.asarray(np.sign(quantised) * np.expm1(np.abs(quantised) * math.log1p(_MU)) / _MU, dtype=np.float32)


class ChainRenderer:
    """One playback chain over a stream of blocks at ``rate_hz`` with ``channels`` channels.

    :meth:`feed` and :meth:`flush` return ``(channel, audition)``: the new frames of the signal
    before the dynamics (steps 1–4, see the module docstring) and after them, both at
    :attr:`out_hz` with :attr:`out_channels` channels (the limiter delays the second a little).
    """

    def __init__(self, chain: PlaybackChain, rate_hz: int, channels: int) -> None:
        self.chain = chain
        self.out_hz = chain.sample_rate_hz or rate_hz
        self.out_channels = 1 if chain.channels == 1 else min(channels, 2)
        self._resampler = Resampler(rate_hz, self.out_hz, self.out_channels) if self.out_hz != rate_hz else None
        sos = band_sos(chain, self.out_hz)
        self._sos = None if sos is None else sos.astype(np.float32)
        self._zi = None if sos is None else np.zeros((sos.shape[0], 2, self.out_channels), dtype=np.float32)
        self._compressor = None if chain.compression is None else Compressor(self.out_hz, chain.compression)
        self._limiter = (None if chain.limiter_dbfs is None
                         else Limiter(self.out_hz, chain.limiter_dbfs, self.out_channels))

    def feed(self, block: AnyFloat) -> tuple[FloatArray, FloatArray]:
        signal = np.asarray(block, dtype=np.float32)
        if signal.ndim == 1:
            signal = signal[:, None]
        if self.chain.channels == 1 and signal.shape[1] == 2:
            signal = ((signal[:, 0] + signal[:, 1]) * np.float32(0.5))[:, None]
        elif self.chain.channels == 1 and signal.shape[1] > 2:
            signal = signal.mean(axis=1, keepdims=True, dtype=np.float32)
        elif signal.shape[1] > 2:
            signal = signal[:, :2]
        if self._resampler is not None:
            signal = self._resampler.feed(signal)
        return self._after_rate(signal)

    def flush(self) -> tuple[FloatArray, FloatArray]:
        channel, audition = (self._after_rate(self._resampler.flush()) if self._resampler is not None
                             else (_empty(self.out_channels), _empty(self.out_channels)))
        if self._limiter is not None:
            audition = np.concatenate((audition, self._limiter.flush()))
        return channel, audition

    def _after_rate(self, signal: FloatArray) -> tuple[FloatArray, FloatArray]:
        if signal.shape[0] == 0:
            return signal, signal
        if self._sos is not None:
            signal, self._zi = scipy.signal.sosfilt(self._sos, signal, axis=0, zi=self._zi)
            signal = np.asarray(signal, dtype=np.float32)
        if self.chain.codec == "g711-mulaw":
            signal = mulaw(signal)
        audition = signal
        if self._compressor is not None:
            audition = self._compressor.feed(audition)
        if self._limiter is not None:
            audition = self._limiter.feed(audition)
        return signal, audition


def render_chain(samples: AnyFloat, rate_hz: int, chain: PlaybackChain) -> tuple[FloatArray, int]:
    """The audition of ``samples`` (shape ``(frames, channels)``, full scale 1.0) and its rate."""
    return _render_whole(samples, rate_hz, chain)[1], chain.sample_rate_hz or rate_hz


def channel_only(samples: AnyFloat, rate_hz: int, chain: PlaybackChain) -> tuple[FloatArray, int]:
    """Steps 1–4 of the chain (mono sum, rate, band, codec): what the channel keeps, before its
    dynamics; the energy and speech-band shares and the centroid are measured on this."""
    return _render_whole(samples, rate_hz, chain)[0], chain.sample_rate_hz or rate_hz


def _render_whole(samples: AnyFloat, rate_hz: int, chain: PlaybackChain) -> tuple[FloatArray, FloatArray]:
    signal = np.asarray(samples)
    renderer = ChainRenderer(chain, rate_hz, 1 if signal.ndim == 1 else signal.shape[1])
    head = renderer.feed(signal)
    tail = renderer.flush()
    return np.concatenate((head[0], tail[0])), np.concatenate((head[1], tail[1]))


def pcm16(samples: AnyFloat) -> npt.NDArray[np.int16]:
    """``samples`` as 16-bit PCM (clipped to full scale, rounded)."""
    return np.round(np.clip(samples, -1.0, 32767 / 32768) * 32768.0).astype(np.int16)


def flac_bytes(samples: AnyFloat, rate_hz: int) -> bytes:
    """16-bit FLAC of ``samples`` (clipped to full scale); the same samples give the same bytes."""
    buffer = io.BytesIO()
    sf.write(buffer, pcm16(samples), rate_hz, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


class Spectrum:
    """Long-term power spectrum of a stream, channels averaged: frames of about 85 ms (a power of
    two) with 50 % overlap under a sine window, whose squares overlap-add to exactly 1 (so every
    sample's power counts once, whatever the frame length at each rate), summed; the last partial
    frame is zero-padded, so nothing is left out."""

    def __init__(self, rate_hz: int) -> None:
        self.rate_hz = rate_hz
        self.size = 1 << max(4, round(math.log2(rate_hz * 0.085)))
        self.hop = self.size // 2
        self._window = scipy.signal.get_window("cosine", self.size).astype(np.float32)
        self.power = np.zeros(self.size // 2 + 1)
        self._buffer: FloatArray | None = None
        self._frames = 0

    def feed(self, block: FloatArray) -> None:
        buffer = block if self._buffer is None else np.concatenate((self._buffer, block))
        count = (buffer.shape[0] - self.size) // self.hop + 1 if buffer.shape[0] >= self.size else 0
        if count > 0:
            frames = np.lib.stride_tricks.sliding_window_view(buffer, self.size, axis=0)[::self.hop][:count]
            spectra = np.fft.rfft(frames * self._window, axis=-1)  # (count, channels, bins)
            power = spectra.real * spectra.real
            power += spectra.imag * spectra.imag
            self.power += power.sum(axis=(0, 1), dtype=np.float64) / buffer.shape[1]
            self._frames += count
            buffer = buffer[count * self.hop:]
        self._buffer = buffer

    def finish(self) -> None:
        buffer = self._buffer
        covered = self.hop if self._frames else 0  # the first half of what is left was in the last frame
        if buffer is not None and buffer.shape[0] > covered:
            padded = np.concatenate((buffer, np.zeros((self.size - buffer.shape[0], buffer.shape[1]),
                                                      dtype=np.float32)))
            self._buffer = None
            self.feed(padded)
        self._buffer = None

    def freqs(self) -> npt.NDArray[np.float64]:
        return np.asarray(np.fft.rfftfreq(self.size, 1.0 / self.rate_hz), dtype=np.float64)

    def share(self, low_hz: float, high_hz: float) -> float | None:
        """The share of the power between ``low_hz`` and ``high_hz`` (``None``: no power at all)."""
        total = float(self.power.sum())
        if total <= 0.0:
            return None
        freqs = self.freqs()
        return float(self.power[(freqs >= low_hz) & (freqs <= high_hz)].sum()) / total

    def centroid_hz(self) -> float | None:
        total = float(self.power.sum())
        return None if total <= 0.0 else float((self.freqs() * self.power).sum() / total)


class SignalMeter:
    """Energy (per channel, averaged over channels, in full-scale² × seconds), long-term spectrum
    and integrated loudness of a stream at ``rate_hz``; call :meth:`finish` before reading them.

    Loudness is metered at :data:`LOUDNESS_METER_MIN_HZ` or above: a slower stream is upsampled by
    a whole factor for the loudness meter only (see there)."""

    def __init__(self, rate_hz: int, channels: int, *, spectrum: bool = True, loudness: bool = True) -> None:
        self.rate_hz = rate_hz
        self.frames = 0
        self._sum_squares = 0.0
        self.channels = channels
        self.spectrum = Spectrum(rate_hz) if spectrum else None
        self.loudness: LoudnessMeter | None = None
        self._upsampler: Resampler | None = None
        if loudness and rate_hz >= MIN_LOUDNESS_RATE_HZ:
            factor = -(-LOUDNESS_METER_MIN_HZ // rate_hz)
            self.loudness = LoudnessMeter(rate_hz * factor, channels)
            self._upsampler = Resampler(rate_hz, rate_hz * factor, channels) if factor > 1 else None

    def feed(self, block: FloatArray) -> None:
        if block.shape[0] == 0:
            return
        self.frames += block.shape[0]
        self._sum_squares += float(np.einsum("ij,ij->", block, block, dtype=np.float64))
        if self.spectrum is not None:
            self.spectrum.feed(block)
        if self.loudness is not None:
            self.loudness.feed(block if self._upsampler is None else self._upsampler.feed(block))

    def finish(self) -> None:
        if self.spectrum is not None:
            self.spectrum.finish()
        if self.loudness is not None and self._upsampler is not None:
            self.loudness.feed(self._upsampler.flush())
            self._upsampler = None

    @property
    def energy(self) -> float:
        return self._sum_squares / self.channels / self.rate_hz

    def integrated_lufs(self) -> float | None:
        return None if self.loudness is None else self.loudness.result().integrated_lufs


@dataclass(frozen=True)
class AuditionNumbers:
    """What a chain does to one asset (see the module docstring); ``None`` with a reason where a
    value does not exist (the loudness of silence)."""

    energy_kept_percent: float | None
    loudness_change_lu: float | None
    integrated_lufs: float | None
    centroid_shift_hz: float | None
    speech_band_kept_percent: float | None
    null_reasons: dict[str, str]


def compare(source: SignalMeter, channel: SignalMeter, audition: SignalMeter) -> AuditionNumbers:
    """The numbers of one audition from finished meters of the original (at its rate), of the
    chain's signal before its dynamics and of the audition (both at the chain's rate)."""
    reasons: dict[str, str] = {}
    energy_kept = centroid_shift = speech_kept = None
    if source.energy <= 0.0 or source.frames < 16:
        for name in ("energy_kept_percent", "centroid_shift_hz", "speech_band_kept_percent"):
            reasons[name] = "silent or too short: the original has no energy"
    else:
        energy_kept = 100.0 * channel.energy / source.energy
        assert source.spectrum is not None and channel.spectrum is not None
        before, after = source.spectrum.centroid_hz(), channel.spectrum.centroid_hz()
        if before is not None and after is not None:
            centroid_shift = after - before
        else:
            reasons["centroid_shift_hz"] = "the chain keeps no energy"
        source_speech = source.spectrum.share(*SPEECH_BAND_HZ)
        kept_speech = channel.spectrum.share(*SPEECH_BAND_HZ) or 0.0
        if source_speech:
            speech_kept = 100.0 * (channel.energy * kept_speech) / (source.energy * source_speech)
        else:
            reasons["speech_band_kept_percent"] = "the original has no energy in the speech band (150–8500 Hz)"
    before_lufs = after_lufs = None
    if source.loudness is None or audition.loudness is None:
        reasons["loudness_change_lu"] = reasons["integrated_lufs"] = f"not measured below {MIN_LOUDNESS_RATE_HZ} Hz"
    else:
        before_lufs, after_lufs = source.integrated_lufs(), audition.integrated_lufs()
        if after_lufs is None:
            reasons["integrated_lufs"] = "the audition is silent (below the -70 LUFS gate)"
        if before_lufs is None or after_lufs is None:
            reasons["loudness_change_lu"] = "the original or the audition is silent (below the -70 LUFS gate)"
    return AuditionNumbers(
        energy_kept_percent=_rounded(energy_kept, 1),
        loudness_change_lu=(_rounded(after_lufs - before_lufs, 2)
                            if before_lufs is not None and after_lufs is not None else None),
        integrated_lufs=_rounded(after_lufs, 2),
        centroid_shift_hz=_rounded(centroid_shift, 0),
        speech_band_kept_percent=_rounded(speech_kept, 1),
        null_reasons=reasons,
    )


def measure_audition(original: AnyFloat, rate_hz: int, audition: AnyFloat, audition_hz: int,
                     channel: AnyFloat | None = None) -> AuditionNumbers:
    """Compare ``audition`` (at ``audition_hz``) with ``original`` (at ``rate_hz``), whole arrays.

    ``channel``: the audition before its dynamics (:func:`channel_only`), on which the energy and
    speech-band shares and the centroid are measured (default ``audition``).
    """
    def meter(samples: AnyFloat, rate: int) -> SignalMeter:
        array = np.asarray(samples, dtype=np.float32)
        array = array[:, None] if array.ndim == 1 else array
        result = SignalMeter(rate, array.shape[1])
        result.feed(array)
        result.finish()
        return result

    heard = meter(audition, audition_hz)
    return compare(meter(original, rate_hz), heard if channel is None else meter(channel, audition_hz), heard)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)
