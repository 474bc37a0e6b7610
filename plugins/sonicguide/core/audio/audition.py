"""Render an asset through a playback chain (an "audition") and measure what the chain does.

:func:`render_chain` takes samples and a :class:`~sonicguide.core.audio.chains.PlaybackChain` and
returns the audition at the chain's rate, in this order, as a real channel would:

1. mono sum (the mean of the channels) when the chain has one channel;
2. resampling to the chain's rate with :func:`scipy.signal.resample_poly` (its anti-alias filter
   removes everything above the new Nyquist frequency);
3. the band: Butterworth high-pass and low-pass edges (:func:`scipy.signal.butter`, second-order
   sections), applied causally (:func:`scipy.signal.sosfilt`); an edge at or above 0.45 of the
   rate is left out (the resampler's own filter is the edge there);
4. G.711 µ-law companding (8-bit) when the chain names the codec;
5. compression of the RMS envelope (no make-up gain), then a peak limiter.

:func:`measure_audition` compares the audition with the original, both at the original's rate
(the audition resampled back, as a browser plays it): the share of energy kept, the change of
integrated loudness (BS.1770, through :class:`~sonicguide.core.audio.loudness.LoudnessMeter`), the
shift of the spectral centroid, and the share of the speech band (150–8500 Hz, the band of the
ANSI S3.5 Speech Intelligibility Index) kept. The two shares are measured before the chain's
dynamics (steps 1–4: what the channel's band keeps); loudness and centroid on the whole chain.
Energies are per channel, averaged over channels, so a mono sum of uncorrelated stereo keeps about
half of it.
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

FloatArray = npt.NDArray[np.float64]

#: The speech band of the ANSI S3.5-1997 Speech Intelligibility Index (its bands span 150–8500 Hz).
SPEECH_BAND_HZ = (150.0, 8500.0)
#: Above this share of the rate a band edge is left to the resampler's anti-alias filter.
_MAX_EDGE_SHARE = 0.45
_MU = 255.0


def _resample(samples: FloatArray, from_hz: int, to_hz: int) -> FloatArray:
    if from_hz == to_hz:
        return samples
    ratio = Fraction(to_hz, from_hz)
    return np.asarray(scipy.signal.resample_poly(samples, ratio.numerator, ratio.denominator, axis=0),
                      dtype=np.float64)


def band_sos(chain: PlaybackChain, rate_hz: int) -> FloatArray | None:
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


def compress(samples: FloatArray, rate_hz: int, settings: Compression) -> FloatArray:
    """Feed-forward compression: the gain follows the RMS envelope (one-pole, ``window_ms``) above
    the threshold with the given ratio; the same gain is applied to every channel."""
    power = np.mean(samples * samples, axis=1)
    alpha = 1.0 - math.exp(-1000.0 / (settings.window_ms * rate_hz))
    envelope = scipy.signal.lfilter([alpha], [1.0, alpha - 1.0], power)
    level_db = 10.0 * np.log10(np.maximum(envelope, 1e-12))
    over_db = np.maximum(level_db - settings.threshold_dbfs, 0.0)
    gain = 10.0 ** (-over_db * (1.0 - 1.0 / settings.ratio) / 20.0)
    return np.asarray(samples * gain[:, None], dtype=np.float64)


def limit(samples: FloatArray, rate_hz: int, ceiling_dbfs: float) -> FloatArray:
    """A peak limiter: the gain that keeps the 1 ms peak envelope at ``ceiling_dbfs``, smoothed over
    1 ms, then a hard clip at the ceiling for what remains."""
    ceiling = 10.0 ** (ceiling_dbfs / 20.0)
    peak = np.max(np.abs(samples), axis=1)
    width = max(1, int(rate_hz / 1000))
    held = scipy.ndimage.maximum_filter1d(peak, size=2 * width + 1) if peak.size else peak
    gain = np.minimum(1.0, ceiling / np.maximum(held, 1e-12))
    smooth = np.convolve(gain, np.ones(width) / width, mode="same") if gain.size >= width else gain
    return np.asarray(np.clip(samples * np.minimum(gain, smooth)[:, None], -ceiling, ceiling), dtype=np.float64)


def mulaw(samples: FloatArray) -> FloatArray:
    """G.711 µ-law companding to 8 bits and back (the continuous µ = 255 law, quantised)."""
    clipped = np.clip(samples, -1.0, 1.0)
    encoded = np.sign(clipped) * np.log1p(_MU * np.abs(clipped)) / math.log1p(_MU)
    quantised = np.round(encoded * 127.0) / 127.0
    return np.sign(quantised) * np.expm1(np.abs(quantised) * math.log1p(_MU)) / _MU


def render_chain(samples: npt.NDArray[np.floating], rate_hz: int, chain: PlaybackChain) -> tuple[FloatArray, int]:
    """The audition of ``samples`` (shape ``(frames, channels)``, full scale 1.0) and its rate."""
    signal, out_hz = channel_only(samples, rate_hz, chain)
    return dynamics(signal, out_hz, chain), out_hz


def channel_only(samples: npt.NDArray[np.floating], rate_hz: int, chain: PlaybackChain) -> tuple[FloatArray, int]:
    """Steps 1–4 of the chain (mono sum, rate, band, codec): what the channel keeps, before its
    dynamics; the energy and speech-band shares are measured on this."""
    signal = np.asarray(samples, dtype=np.float64)
    if signal.ndim == 1:
        signal = signal[:, None]
    if chain.channels == 1 and signal.shape[1] > 1:
        signal = signal.mean(axis=1, keepdims=True)
    elif signal.shape[1] > 2:
        signal = signal[:, :2]
    out_hz = chain.sample_rate_hz or rate_hz
    signal = _resample(signal, rate_hz, out_hz)
    sos = band_sos(chain, out_hz)
    if sos is not None and signal.shape[0]:
        signal = scipy.signal.sosfilt(sos, signal, axis=0)
    if chain.codec == "g711-mulaw":
        signal = mulaw(signal)
    return signal, out_hz


def dynamics(signal: FloatArray, out_hz: int, chain: PlaybackChain) -> FloatArray:
    """Step 5 of the chain: compression, then the limiter."""
    if chain.compression is not None and signal.shape[0]:
        signal = compress(signal, out_hz, chain.compression)
    if chain.limiter_dbfs is not None and signal.shape[0]:
        signal = limit(signal, out_hz, chain.limiter_dbfs)
    return signal


def flac_bytes(samples: FloatArray, rate_hz: int) -> bytes:
    """16-bit FLAC of ``samples`` (clipped to full scale); the same samples give the same bytes."""
    buffer = io.BytesIO()
    pcm = np.round(np.clip(samples, -1.0, 32767 / 32768) * 32768.0).astype(np.int16)
    sf.write(buffer, pcm, rate_hz, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


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


def _power_spectrum(signal: FloatArray, rate_hz: int) -> tuple[FloatArray, FloatArray]:
    """Welch power spectral density of the channels' mean power (Hann, 4096 points or fewer)."""
    size = min(4096, signal.shape[0])
    freqs, psd = scipy.signal.welch(signal, fs=rate_hz, nperseg=size, axis=0, detrend=False)
    return np.asarray(freqs), np.asarray(psd).mean(axis=1)


def _loudness(signal: FloatArray, rate_hz: int) -> float | None:
    meter = LoudnessMeter(rate_hz, signal.shape[1])
    meter.feed(signal)
    return meter.result().integrated_lufs


def measure_audition(original: npt.NDArray[np.floating], rate_hz: int, audition: FloatArray,
                     audition_hz: int, channel: FloatArray | None = None) -> AuditionNumbers:
    """Compare ``audition`` (at ``audition_hz``) with ``original`` (at ``rate_hz``).

    ``channel``: the audition before its dynamics (:func:`channel_only`), on which the energy and
    speech-band shares are measured, so that they say what the channel's band keeps and the
    loudness change says what the whole chain does; default ``audition``.
    """
    source = np.asarray(original, dtype=np.float64)
    if source.ndim == 1:
        source = source[:, None]
    full = _resample(audition, audition_hz, rate_hz)[: source.shape[0]]
    heard = full if channel is None else _resample(channel, audition_hz, rate_hz)[: source.shape[0]]
    reasons: dict[str, str] = {}
    source_energy = float(np.mean(source * source)) if source.size else 0.0
    heard_energy = float(np.mean(heard * heard)) if heard.size else 0.0
    energy_kept = None
    centroid_shift = None
    speech_kept = None
    if source_energy <= 0.0 or source.shape[0] < 16:
        for name in ("energy_kept_percent", "centroid_shift_hz", "speech_band_kept_percent"):
            reasons[name] = "silent or too short: the original has no energy"
    else:
        energy_kept = 100.0 * heard_energy * heard.shape[0] / (source_energy * source.shape[0])
        freqs, source_psd = _power_spectrum(source, rate_hz)
        _, heard_psd = _power_spectrum(heard, rate_hz)
        _, full_psd = _power_spectrum(full, rate_hz)
        if full_psd.sum() > 0:
            centroid_shift = float((freqs * full_psd).sum() / full_psd.sum()
                                   - (freqs * source_psd).sum() / source_psd.sum())
        else:
            reasons["centroid_shift_hz"] = "the chain keeps no energy"
        speech = (freqs >= SPEECH_BAND_HZ[0]) & (freqs <= SPEECH_BAND_HZ[1])
        if source_psd[speech].sum() > 0:
            speech_kept = 100.0 * float(heard_psd[speech].sum() / source_psd[speech].sum())
        else:
            reasons["speech_band_kept_percent"] = "the original has no energy in the speech band (150–8500 Hz)"
    before = after = None
    if rate_hz < MIN_LOUDNESS_RATE_HZ:
        reasons["loudness_change_lu"] = reasons["integrated_lufs"] = f"not measured below {MIN_LOUDNESS_RATE_HZ} Hz"
    else:
        before, after = _loudness(source, rate_hz), _loudness(full, rate_hz)
        if after is None:
            reasons["integrated_lufs"] = "the audition is silent (below the -70 LUFS gate)"
        if before is None or after is None:
            reasons["loudness_change_lu"] = "the original or the audition is silent (below the -70 LUFS gate)"
    return AuditionNumbers(
        energy_kept_percent=_rounded(energy_kept, 1),
        loudness_change_lu=_rounded(after - before, 2) if before is not None and after is not None else None,
        integrated_lufs=_rounded(after, 2),
        centroid_shift_hz=_rounded(centroid_shift, 0),
        speech_band_kept_percent=_rounded(speech_kept, 1),
        null_reasons=reasons,
    )


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)
