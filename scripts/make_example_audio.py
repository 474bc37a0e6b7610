"""Synthesise the example brands' audio: sonic logos, themes, variants, beds and UI sounds.

Run ``python scripts/make_example_audio.py`` to regenerate every file under ``brands/*/audio/`` in
place, or ``--check`` to render into a temporary folder and report files whose bytes differ.

Everything is made from numpy/scipy synthesis (additive bells, marimba and plucks, FM electric
piano, detuned saws, noise drums, a source-filter vowel) with fixed random seeds, mixed with a
convolution reverb (decaying-noise impulse response), then mastered: gain to an integrated
loudness target (ITU-R BS.1770 via pyloudnorm) and a look-ahead peak limiter that keeps the 4x
oversampled true peak under a ceiling. Lossy files are decoded again after encoding and the
mastering is repeated until the decoded file meets its loudness and true-peak targets.

Determinism: WAV, FLAC and MP3 bytes are identical from run to run on one machine. libsndfile
gives every Ogg stream a random serial number, so Ogg files are rewritten with a serial number
derived from the file name (and page checksums recomputed); the Vorbis data itself is
deterministic. Floating-point results can differ in the last bits between machines (FFT and BLAS
builds), which may change some PCM bytes elsewhere; the music does not change.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf
from numpy.typing import NDArray
from scipy import ndimage, signal

Audio = NDArray[np.float64]
"""Mono audio is shape ``(n_samples,)``; stereo is ``(n_samples, 2)``; float, full scale = 1.0."""

REPO = Path(__file__).resolve().parent.parent
BRANDS_DIR = REPO / "brands"

# --------------------------------------------------------------------------------------------
# Pitch and time


def hz(midi: float) -> float:
    """Frequency in Hz of a MIDI note number (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((midi - 69.0) / 12.0)


def seconds_per_beat(bpm: float) -> float:
    return 60.0 / bpm


def times(duration_s: float, sr: int) -> Audio:
    """Sample times in seconds for ``duration_s`` at ``sr`` Hz."""
    return np.arange(round(duration_s * sr), dtype=np.float64) / sr


def fade(x: Audio, sr: int, in_s: float = 0.002, out_s: float = 0.01) -> Audio:
    """Short linear fades so no note starts or stops with a click."""
    y = x.copy()
    n_in = min(len(y), max(1, round(in_s * sr)))
    n_out = min(len(y), max(1, round(out_s * sr)))
    y[:n_in] *= np.linspace(0.0, 1.0, n_in)
    y[len(y) - n_out:] *= np.linspace(1.0, 0.0, n_out)
    return y


def adsr(duration_s: float, sr: int, *, attack_s: float, decay_s: float, sustain: float,
         release_s: float) -> Audio:
    """Envelope for a note held ``duration_s`` then released; length ``duration_s + release_s``."""
    n_gate = max(1, round(duration_s * sr))
    t = np.arange(n_gate) / sr
    attack = np.clip(t / max(attack_s, 1e-4), 0.0, 1.0)
    decay = sustain + (1.0 - sustain) * np.exp(-np.maximum(t - attack_s, 0.0) / max(decay_s, 1e-4))
    gate = attack * np.where(t < attack_s, 1.0, decay)
    n_release = max(1, round(release_s * sr))
    release = gate[-1] * np.exp(-np.arange(n_release) / sr / max(release_s / 5.0, 1e-4))
    return np.concatenate([gate, release])


# --------------------------------------------------------------------------------------------
# Instruments: each returns mono audio of a note starting at sample 0


def partials(freq_hz: float, duration_s: float, sr: int, ratios: Sequence[float],
             amps: Sequence[float], decays_s: Sequence[float]) -> Audio:
    """Sum of exponentially decaying sine partials at ``freq_hz * ratio`` (skips those above Nyquist)."""
    t = times(duration_s, sr)
    out = np.zeros_like(t)
    for ratio, amp, decay in zip(ratios, amps, decays_s, strict=True):
        f = freq_hz * ratio
        if f < 0.45 * sr:
            out += amp * np.exp(-t / decay) * np.sin(2 * np.pi * f * t)
    return fade(out, sr, 0.001, 0.02)


def bell(freq_hz: float, duration_s: float, sr: int) -> Audio:
    """Struck bell: hum, prime, soft tierce, quint and nominal partials, longer for lower notes."""
    scale = duration_s
    return partials(freq_hz, duration_s, sr,
                    ratios=[0.5, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0],
                    amps=[0.25, 1.0, 0.12, 0.3, 0.55, 0.2, 0.15, 0.08],
                    decays_s=[0.5 * scale, 0.35 * scale, 0.2 * scale, 0.18 * scale, 0.16 * scale,
                              0.08 * scale, 0.06 * scale, 0.03 * scale])


def marimba(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    """Marimba bar: fundamental plus the tuned 4th and 10th partials, with a felt-mallet thump."""
    body = partials(freq_hz, duration_s, sr, ratios=[1.0, 3.93, 9.54], amps=[1.0, 0.28, 0.06],
                    decays_s=[0.45, 0.1, 0.03])
    n = round(0.006 * sr)
    click = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.0015 * sr))
    click = signal.sosfilt(signal.butter(2, 3000, "low", fs=sr, output="sos"), click)
    body[:n] += 0.15 * click
    return body


def pluck(freq_hz: float, duration_s: float, sr: int) -> Audio:
    """Nylon-string pluck: harmonics shaped by the pluck position, upper ones dying faster."""
    ks = np.arange(1, 16)
    amps = np.abs(np.sin(np.pi * ks * 0.18)) / ks
    decays = 0.9 / (1.0 + 0.45 * (ks - 1))
    return partials(freq_hz, duration_s, sr, ratios=ks.tolist(), amps=amps.tolist(), decays_s=decays.tolist())


def fm_piano(freq_hz: float, duration_s: float, sr: int, *, wow_hz: float = 0.0) -> Audio:
    """FM electric piano (1:1 carrier/modulator, decaying index) with an optional tape wow."""
    t = times(duration_s + 0.3, sr)
    wow = 1.0 + 0.004 * np.sin(2 * np.pi * wow_hz * t) if wow_hz else 1.0
    phase = 2 * np.pi * np.cumsum(freq_hz * wow * np.ones_like(t)) / sr
    index = 0.3 + 1.8 * np.exp(-t / 0.25)
    tine = 0.08 * np.exp(-t / 0.03) * np.sin(14 * phase)
    tone = np.sin(phase + index * np.sin(phase)) + tine
    env = adsr(duration_s, sr, attack_s=0.004, decay_s=0.9, sustain=0.25, release_s=0.3)[: len(t)]
    return fade(tone[: len(env)] * env, sr)


def saw_stack(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator, *, voices: int = 3,
              detune_cents: float = 8.0, cutoff_hz: float = 2000.0) -> Audio:
    """Detuned sawtooth voices through a low-pass filter (strings, brass and synth leads)."""
    t = times(duration_s, sr)
    out = np.zeros_like(t)
    for v in range(voices):
        cents = detune_cents * (v - (voices - 1) / 2) / max(1, (voices - 1) / 2)
        out += signal.sawtooth(2 * np.pi * freq_hz * 2 ** (cents / 1200) * t + rng.uniform(0, 2 * np.pi))
    sos = signal.butter(2, min(cutoff_hz, 0.45 * sr), "low", fs=sr, output="sos")
    return signal.sosfilt(sos, out / voices)


def brass(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    """Brass-like swell: a dark saw stack with a brighter layer that blooms with the attack."""
    env = adsr(duration_s, sr, attack_s=0.06, decay_s=0.3, sustain=0.75, release_s=0.15)
    n = len(env)
    dark = saw_stack(freq_hz, n / sr, sr, rng, voices=2, detune_cents=4, cutoff_hz=900)
    bright = saw_stack(freq_hz, n / sr, sr, rng, voices=2, detune_cents=4, cutoff_hz=3500)
    bloom = np.exp(-np.arange(n) / sr / 0.25)
    return fade((dark + 0.6 * bright * bloom) * env, sr)


def pad(freqs_hz: Sequence[float], duration_s: float, sr: int, rng: np.random.Generator, *,
        attack_s: float = 1.0, release_s: float = 1.5, cutoff_hz: float = 1600.0) -> Audio:
    """Slow-attack chord of detuned saws (string or synth pad)."""
    env = adsr(duration_s, sr, attack_s=attack_s, decay_s=1.0, sustain=0.9, release_s=release_s)
    total = len(env) / sr
    chord = sum(saw_stack(f, total, sr, rng, voices=3, detune_cents=10, cutoff_hz=cutoff_hz)
                for f in freqs_hz)
    return fade(np.asarray(chord) * env / max(1, len(freqs_hz)), sr, 0.01, 0.05)


def square(freq_hz: float, duration_s: float, sr: int, *, duty: float = 0.5, decay_s: float = 0.0) -> Audio:
    """Naive pulse wave, as 8-bit consoles made it (their aliasing is part of the sound)."""
    t = times(duration_s, sr)
    out = signal.square(2 * np.pi * freq_hz * t, duty=duty)
    if decay_s:
        out = out * np.exp(-t / decay_s)
    return fade(out, sr, 0.001, 0.005)


def bass(freq_hz: float, duration_s: float, sr: int, *, drive: float = 1.5) -> Audio:
    """Round bass: sine with a little second harmonic, softly saturated."""
    t = times(duration_s, sr)
    tone = np.sin(2 * np.pi * freq_hz * t) + 0.25 * np.sin(4 * np.pi * freq_hz * t)
    env = adsr(duration_s, sr, attack_s=0.01, decay_s=0.4, sustain=0.7, release_s=0.08)[: len(t)]
    return fade(np.tanh(drive * tone * env) / np.tanh(drive), sr)


def kick(sr: int, *, start_hz: float = 130.0, end_hz: float = 45.0, decay_s: float = 0.3) -> Audio:
    """Kick drum: a sine sweeping down in pitch with a fast click."""
    t = times(decay_s * 2, sr)
    freq = end_hz + (start_hz - end_hz) * np.exp(-t / 0.04)
    body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t / decay_s * 2.5)
    return fade(body + 0.2 * np.exp(-t / 0.003), sr, 0.0005, 0.02)


def noise_hit(sr: int, rng: np.random.Generator, *, low_hz: float, high_hz: float, attack_s: float,
              decay_s: float) -> Audio:
    """Band-passed noise burst (snare wires, brushes, hats, shakers)."""
    t = times(attack_s + decay_s * 5, sr)
    burst = rng.standard_normal(len(t))
    sos = signal.butter(2, [low_hz, min(high_hz, 0.45 * sr)], "band", fs=sr, output="sos")
    env = np.minimum(t / max(attack_s, 1e-4), 1.0) * np.exp(-np.maximum(t - attack_s, 0) / decay_s)
    return fade(signal.sosfilt(sos, burst) * env, sr, 0.0005, 0.01)


def snare(sr: int, rng: np.random.Generator, *, decay_s: float = 0.12) -> Audio:
    t = times(0.1, sr)
    tone = np.sin(2 * np.pi * 190 * t) * np.exp(-t / 0.03)
    wires = noise_hit(sr, rng, low_hz=1200, high_hz=8000, attack_s=0.001, decay_s=decay_s)
    wires[: len(tone)] += 0.6 * tone
    return wires


def formant_vowel(f0_hz: float, duration_s: float, sr: int, formants: Sequence[tuple[float, float]],
                  rng: np.random.Generator) -> Audio:
    """A sung vowel without words: a glottal-like pulse train through formant resonators.

    ``formants`` is a sequence of ``(centre_hz, bandwidth_hz)``.
    """
    t = times(duration_s, sr)
    vibrato = 1.0 + 0.012 * np.sin(2 * np.pi * 5.5 * t) * np.minimum(t / 0.4, 1.0)
    phase = np.cumsum(f0_hz * vibrato) / sr
    source = signal.sawtooth(2 * np.pi * phase) + 0.02 * rng.standard_normal(len(t))
    out = np.zeros_like(t)
    for index, (centre, bandwidth) in enumerate(formants):
        sos = signal.butter(2, [centre - bandwidth / 2, centre + bandwidth / 2], "band", fs=sr, output="sos")
        out += signal.sosfilt(sos, source) / (1 + index)
    env = adsr(duration_s - 0.15, sr, attack_s=0.05, decay_s=0.3, sustain=0.85, release_s=0.15)
    return fade(out[: len(env)] * env[: len(out)], sr)


# --------------------------------------------------------------------------------------------
# Mixing


class Mix:
    """A stereo buffer that notes are placed into at times in seconds, with gain and pan."""

    def __init__(self, duration_s: float, sr: int) -> None:
        self.sr = sr
        self.buffer = np.zeros((round(duration_s * sr), 2))

    def add(self, sound: Audio, at_s: float, *, gain_db: float = 0.0, pan: float = 0.0) -> None:
        """Add mono ``sound`` at ``at_s`` seconds; ``pan`` from -1 (left) to 1 (right), equal power."""
        start = round(at_s * self.sr)
        if start >= len(self.buffer):
            return
        n = min(len(sound), len(self.buffer) - start)
        angle = (pan + 1.0) * np.pi / 4.0
        gain = 10 ** (gain_db / 20)
        self.buffer[start:start + n, 0] += gain * math.cos(angle) * sound[:n]
        self.buffer[start:start + n, 1] += gain * math.sin(angle) * sound[:n]

    def add_stereo(self, sound: Audio, at_s: float = 0.0, *, gain_db: float = 0.0) -> None:
        start = round(at_s * self.sr)
        n = min(len(sound), len(self.buffer) - start)
        self.buffer[start:start + n] += 10 ** (gain_db / 20) * sound[:n]


def reverb(dry: Audio, sr: int, rng: np.random.Generator, *, rt60_s: float = 1.8, wet: float = 0.25,
           predelay_s: float = 0.02, damping_hz: float = 6000.0) -> Audio:
    """Convolve with exponentially decaying, low-passed noise (one independent IR per channel).

    ``dry`` is ``(n, 2)``; the result has the same shape (the tail is cut at the end of ``dry``).
    """
    n_ir = round((rt60_s + predelay_s) * sr)
    t = np.arange(n_ir) / sr
    envelope = np.where(t < predelay_s, 0.0, np.exp(-6.91 * (t - predelay_s) / rt60_s))
    sos = signal.butter(1, damping_hz, "low", fs=sr, output="sos")
    out = dry.copy()
    for channel in range(2):
        ir = signal.sosfilt(sos, rng.standard_normal(n_ir)) * envelope
        ir /= np.sqrt(np.sum(ir**2))
        out[:, channel] += wet * signal.fftconvolve(dry[:, channel], ir)[: len(dry)]
    return out


def duck(sr: int, n_samples: int, beat_s: float, *, depth: float = 0.6, recover_s: float = 0.12) -> Audio:
    """Side-chain style gain that dips on every beat and recovers (the pumping of dance music)."""
    t = np.arange(n_samples) / sr
    since_beat = np.mod(t, beat_s)
    return 1.0 - depth * np.exp(-since_beat / recover_s)


# --------------------------------------------------------------------------------------------
# Mastering


def true_peak_dbtp(x: Audio, *, oversample: int = 4) -> float:
    """Peak of the ``oversample``-times up-sampled signal in dBTP (ITU-R BS.1770 Annex 2 style)."""
    up = signal.resample_poly(x, oversample, 1, axis=0)
    peak = float(np.max(np.abs(up)))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def integrated_lufs(x: Audio, sr: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4, pyloudnorm)."""
    return float(pyloudnorm.Meter(sr).integrated_loudness(x))


def limit(x: Audio, sr: int, *, ceiling_dbtp: float, lookahead_s: float = 0.003) -> Audio:
    """Look-ahead peak limiter on the 4x oversampled envelope.

    The gain each sample needs is min-filtered then averaged over the same window, so the smoothed
    gain never exceeds what any sample in reach needs: no overshoot, no clicks.
    """
    ceiling = 10 ** (ceiling_dbtp / 20)
    up = np.abs(signal.resample_poly(x, 4, 1, axis=0))
    # the largest oversampled magnitude within each input sample, across channels
    envelope = up.reshape(len(x), 4, -1).max(axis=(1, 2))
    need = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    width = 2 * round(lookahead_s * sr) + 1
    floor = ndimage.minimum_filter1d(need, width, mode="nearest")
    gain = ndimage.uniform_filter1d(floor, width, mode="nearest")
    return x * (gain[:, None] if x.ndim == 2 else gain)


@dataclass(frozen=True)
class Encoding:
    """How a file is written: soundfile ``format`` and ``subtype``."""

    format: str
    subtype: str

    @property
    def lossy(self) -> bool:
        return self.format in ("OGG", "MP3")


WAV16 = Encoding("WAV", "PCM_16")
WAV24 = Encoding("WAV", "PCM_24")
FLAC16 = Encoding("FLAC", "PCM_16")
FLAC24 = Encoding("FLAC", "PCM_24")
OGG = Encoding("OGG", "VORBIS")
MP3 = Encoding("MP3", "MPEG_LAYER_III")


def encode(x: Audio, sr: int, encoding: Encoding, *, name: str) -> bytes:
    """File bytes of ``x``; 16-bit PCM gets TPDF dither from a seed derived from ``name``."""
    if encoding.subtype == "PCM_16":
        rng = np.random.default_rng(_seed(name, "dither"))
        lsb = 1.0 / 32768
        x = x + lsb * (rng.uniform(-0.5, 0.5, x.shape) + rng.uniform(-0.5, 0.5, x.shape))
    buffer = io.BytesIO()
    buffer.name = name  # libsndfile wants a name for some containers
    sf.write(buffer, x, sr, format=encoding.format, subtype=encoding.subtype)
    data = buffer.getvalue()
    if encoding.format == "OGG":
        data = fix_ogg_serial(data, serial=_seed(name, "ogg") & 0x7FFFFFFF)
    return data


def decode(data: bytes) -> tuple[Audio, int]:
    audio, sr = sf.read(io.BytesIO(data), dtype="float64", always_2d=False)
    return audio, sr


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:4], "big")


# The Ogg page checksum is CRC-32 with polynomial 0x04C11DB7, MSB first, no reflection and no final
# XOR, which zlib.crc32 (reflected) does not compute; this small table does. mutagen would do it too,
# but it is not a dependency of the project.
_OGG_CRC_TABLE = []
for _byte in range(256):
    _crc = _byte << 24
    for _ in range(8):
        _crc = ((_crc << 1) ^ 0x04C11DB7) if _crc & 0x80000000 else (_crc << 1)
    _OGG_CRC_TABLE.append(_crc & 0xFFFFFFFF)


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC_TABLE[((crc >> 24) ^ byte) & 0xFF]
    return crc


def fix_ogg_serial(data: bytes, *, serial: int) -> bytes:
    """Rewrite every Ogg page's stream serial number (libsndfile picks a random one) and its CRC.

    Only valid for single-stream files, which is what libsndfile writes.
    """
    out = bytearray(data)
    position = 0
    while position < len(out):
        if out[position:position + 4] != b"OggS":
            raise ValueError(f"no Ogg page at byte {position}")
        n_segments = out[position + 26]
        body = sum(out[position + 27:position + 27 + n_segments])
        end = position + 27 + n_segments + body
        out[position + 14:position + 18] = serial.to_bytes(4, "little")
        out[position + 22:position + 26] = b"\0\0\0\0"
        out[position + 22:position + 26] = _ogg_crc(bytes(out[position:end])).to_bytes(4, "little")
        position = end
    return bytes(out)


def master(x: Audio, sr: int, *, target_lufs: float | None, ceiling_dbtp: float, encoding: Encoding,
           name: str) -> bytes:
    """Encoded bytes whose decoded audio meets ``target_lufs`` (±0.1 LU) and ``ceiling_dbtp``.

    With ``target_lufs`` None (sounds shorter than a 400 ms loudness block) the sound is
    normalised so its true peak sits at ``ceiling_dbtp``.
    """
    sos = signal.butter(2, 25, "high", fs=sr, output="sos")
    x = signal.sosfilt(sos, x, axis=0)
    gain_db = 0.0
    ceiling = ceiling_dbtp
    for _ in range(8):
        y = x * 10 ** (gain_db / 20)
        if target_lufs is None:
            y = y * 10 ** ((ceiling - 0.05 - true_peak_dbtp(y)) / 20)
        else:
            y = limit(y, sr, ceiling_dbtp=ceiling)
        data = encode(y, sr, encoding, name=name)
        decoded, _ = decode(data)
        peak = true_peak_dbtp(decoded)
        loudness = integrated_lufs(decoded, sr) if target_lufs is not None else None
        loud_ok = loudness is None or abs(loudness - target_lufs) <= 0.1  # type: ignore[operator]
        if loud_ok and peak <= ceiling_dbtp:
            return data
        if peak > ceiling_dbtp:
            ceiling -= peak - ceiling_dbtp + 0.05
        if loudness is not None and target_lufs is not None:
            gain_db += target_lufs - loudness
    raise RuntimeError(f"{name}: could not reach {target_lufs} LUFS under {ceiling_dbtp} dBTP "
                       f"(last {loudness} LUFS, {peak:.2f} dBTP); lower the target or the "
                       "arrangement's crest")


# --------------------------------------------------------------------------------------------
# Brand 1: Calder Valley Railway, fully human-made. D major, 92 BPM, 4/4, 48 kHz.

CALDER_BPM = 92.0
CALDER_CHORDS = {  # pad voicing, bass note
    "D": ([62, 66, 69], 38), "Bm": ([59, 62, 66], 35), "G": ([59, 62, 67], 43), "A": ([61, 64, 69], 45),
}
# The logo motif: D5, a rising fifth to A5, resolving down a third onto F#5 over a D major chord.
CALDER_LOGO = [(0.0, 74, 0.5), (0.5, 81, 1.0), (1.5, 78, 2.5)]  # (beat, midi, beats)
CALDER_MELODY = [  # (bar, beat, midi, beats)
    *[(0, b, m, d) for b, m, d in CALDER_LOGO],
    (1, 0, 76, 1), (1, 1, 78, 1), (1, 2, 74, 2), (2, 0, 71, 1), (2, 1, 74, 1), (2, 2, 79, 2),
    (3, 0, 76, 2), (3, 2, 73, 1), (3, 3, 76, 1),
    *[(4, b, m, d) for b, m, d in CALDER_LOGO],
    (5, 0, 83, 1), (5, 1, 81, 1), (5, 2, 78, 2), (6, 0, 79, 1), (6, 1, 78, 1), (6, 2, 76, 1), (6, 3, 74, 1),
    (7, 0, 76, 3), (7, 3, 73, 1),
    *[(8, b, m, d) for b, m, d in CALDER_LOGO],
    (9, 0, 78, 1), (9, 1, 79, 1), (9, 2, 81, 2), (10, 0, 83, 2), (10, 2, 79, 2),
    (11, 0, 81, 2), (11, 2, 76, 1), (11, 3, 73, 1),
]
CALDER_PROGRESSION = ["D", "Bm", "G", "A"]


def calder_logo(sr: int, *, bell_only: bool = False) -> Audio:
    """3.5 s: bells D5-A5-F#5 with brass and strings arriving on the F#5 (the sync point, 0.98 s)."""
    rng = np.random.default_rng(101)
    beat = seconds_per_beat(CALDER_BPM)
    mix = Mix(3.5, sr)
    for start, midi, _ in CALDER_LOGO:
        mix.add(bell(hz(midi), 2.6, sr), start * beat, gain_db=-4, pan=-0.15)
    if bell_only:
        return mix.buffer.mean(axis=1)
    chord_at = 1.5 * beat
    mix.add(brass(hz(78), 1.7, sr, rng), chord_at, gain_db=-12, pan=0.1)
    mix.add(brass(hz(50), 1.7, sr, rng), chord_at, gain_db=-13)
    mix.add(pad([hz(62), hz(66), hz(69)], 1.4, sr, rng, attack_s=0.15, release_s=1.0), chord_at, gain_db=-8)
    mix.add(bass(hz(38), 1.6, sr), chord_at, gain_db=-10)
    return reverb(mix.buffer, sr, rng, rt60_s=2.2, wet=0.3)


def calder_theme(sr: int, *, bars: int = 12, tail_s: float = 2.6) -> Audio:
    """The main theme: 12 bars (3 phrases over D-Bm-G-A) and a final D chord; drums from bar 5.

    ``bars`` shorter than 12 makes the cut-down (the logo phrase, then the ending chord).
    """
    rng = np.random.default_rng(102)
    beat = seconds_per_beat(CALDER_BPM)
    bar = 4 * beat
    mix = Mix((bars + 1) * bar + tail_s, sr)
    for index in range(bars):
        chord, root = CALDER_CHORDS[CALDER_PROGRESSION[index % 4]]
        at = index * bar
        mix.add(pad([hz(m) for m in chord], bar, sr, rng, attack_s=0.4, release_s=0.6), at,
                gain_db=-9, pan=0.2)
        for half in (0, 2):
            mix.add(bass(hz(root), 1.8 * beat, sr), at + half * beat, gain_db=-9)
        if index >= 4 or bars < 12:
            for b in range(4):
                if b in (0, 2):
                    mix.add(kick(sr, start_hz=110, end_hz=55, decay_s=0.35), at + b * beat, gain_db=-9)
                else:
                    mix.add(noise_hit(sr, rng, low_hz=600, high_hz=7000, attack_s=0.012, decay_s=0.09),
                            at + b * beat, gain_db=-15, pan=0.25)
                # the rail-joint figure: two close clicks on every beat, the second softer
                for offset, gain in ((0.0, -22.0), (0.25, -26.0)):
                    mix.add(noise_hit(sr, rng, low_hz=5000, high_hz=14000, attack_s=0.001, decay_s=0.03),
                            at + (b + 0.5 + offset) * beat, gain_db=gain, pan=-0.3)
    for bar_index, beat_index, midi, beats in CALDER_MELODY:
        if bar_index >= bars:
            continue
        at = bar_index * bar + beat_index * beat
        mix.add(brass(hz(midi), beats * beat * 0.95, sr, rng), at, gain_db=-10, pan=-0.1)
        if bar_index % 4 == 0 and beat_index < 2:  # the bells double the logo motif
            mix.add(bell(hz(midi), 2.2, sr), at, gain_db=-8, pan=-0.3)
    end = bars * bar
    chord, root = CALDER_CHORDS["D"]
    mix.add(pad([hz(m) for m in chord], 1.5, sr, rng, attack_s=0.05, release_s=1.5), end, gain_db=-8, pan=0.2)
    mix.add(brass(hz(74), 1.8, sr, rng), end, gain_db=-10)
    mix.add(bell(hz(74), 2.5, sr), end, gain_db=-6, pan=-0.3)
    mix.add(bass(hz(root), 1.8, sr), end, gain_db=-8)
    mix.add(kick(sr, start_hz=110, end_hz=55, decay_s=0.5), end, gain_db=-8)
    return reverb(mix.buffer[: round((end + tail_s) * sr)], sr, rng, rt60_s=2.0, wet=0.25)


def calder_bed(sr: int) -> Audio:
    """30 s of strings holding D - G/D - D - A/D over a D pedal, with two distant bells."""
    rng = np.random.default_rng(103)
    mix = Mix(30.0, sr)
    for index, chord in enumerate(([62, 66, 69], [62, 67, 71], [62, 66, 69], [61, 64, 69])):
        mix.add(pad([hz(m) for m in chord], 7.0, sr, rng, attack_s=2.5, release_s=2.5, cutoff_hz=1000),
                index * 7.0, gain_db=-6)
    mix.add(pad([hz(38), hz(50)], 27.0, sr, rng, attack_s=3.0, release_s=2.5, cutoff_hz=400), 0.0, gain_db=-8)
    for at, midi in ((4.0, 74), (18.0, 81)):
        mix.add(bell(hz(midi), 3.0, sr), at, gain_db=-16, pan=0.5)
    return reverb(mix.buffer, sr, rng, rt60_s=3.0, wet=0.35)


def calder_ui(sr: int, notes: Sequence[tuple[float, int]], length_s: float) -> Audio:
    """Short bell figure: ``notes`` as (start_s, midi)."""
    rng = np.random.default_rng(104)
    mix = Mix(length_s, sr)
    for at, midi in notes:
        mix.add(bell(hz(midi), 0.5, sr), at)
    out = reverb(mix.buffer, sr, rng, rt60_s=0.4, wet=0.15)
    envelope = np.ones(len(out))
    tail = round(0.06 * sr)
    envelope[-tail:] = np.linspace(1.0, 0.0, tail)
    return out * envelope[:, None]


# --------------------------------------------------------------------------------------------
# Brand 2: Kestrel Health, hybrid. F major, 84 BPM (lo-fi variant 72 BPM), 4/4, 44.1 kHz.

KESTREL_BPM = 84.0
KESTREL_LOFI_BPM = 72.0
KESTREL_CHORDS = {"F": ([65, 69, 72], 41), "Dm": ([62, 65, 69], 38), "Bb": ([62, 65, 70], 34),
                  "C": ([64, 67, 72], 36)}
KESTREL_PROGRESSION = ["F", "Dm", "Bb", "C"]
# The logo motif: F4 rises a fifth to C5, lifts to the leading note E5 and resolves to F5.
KESTREL_LOGO = [(0.0, 65, 0.5), (0.5, 72, 1.0), (1.5, 76, 0.5), (2.0, 77, 2.0)]
KESTREL_MELODY = [
    *[(0, b, m, d) for b, m, d in KESTREL_LOGO],
    (1, 0, 74, 1), (1, 1, 72, 1), (1, 2, 69, 2), (2, 0, 70, 1.5), (2, 1.5, 72, 0.5), (2, 2, 74, 2),
    (3, 0, 72, 2), (3, 2, 76, 2),
    *[(4, b, m, d) for b, m, d in KESTREL_LOGO],
    (5, 0, 81, 1), (5, 1, 79, 1), (5, 2, 77, 2), (6, 0, 74, 1), (6, 1, 77, 1), (6, 2, 79, 2),
    (7, 0, 76, 2), (7, 2, 72, 2),
    *[(8, b, m, d) for b, m, d in KESTREL_LOGO],
    (9, 0, 74, 1), (9, 1, 72, 1), (9, 2, 70, 2),
]


def kestrel_logo(sr: int) -> Audio:
    """3 s: marimba F4-C5-E5-F5 doubled an octave down by a nylon pluck; F major bloom at 1.43 s."""
    rng = np.random.default_rng(201)
    beat = seconds_per_beat(KESTREL_BPM)
    mix = Mix(3.0, sr)
    for start, midi, _ in KESTREL_LOGO:
        mix.add(marimba(hz(midi), 1.2, sr, rng), start * beat, gain_db=-3, pan=-0.2)
        mix.add(pluck(hz(midi - 12), 1.2, sr), start * beat + 0.01, gain_db=-9, pan=0.25)
    resolve = 2.0 * beat
    mix.add(pad([hz(m) for m in (65, 69, 72)], 0.8, sr, rng, attack_s=0.2, release_s=0.9, cutoff_hz=1200),
            resolve, gain_db=-12)
    mix.add(bass(hz(41), 1.0, sr), resolve, gain_db=-12)
    return reverb(mix.buffer, sr, rng, rt60_s=1.4, wet=0.22)


def kestrel_theme(sr: int, *, bars: int = 10, tail_s: float = 2.0, backing_pad: tuple[float, float] | None
                  = (12.0, 20.0)) -> Audio:
    """The theme: marimba melody, pluck arpeggios, bass and soft percussion over F-Dm-Bb-C.

    ``backing_pad`` is the (start_s, end_s) of the AI-generated backing pad disclosed as a segment.
    """
    rng = np.random.default_rng(202)
    beat = seconds_per_beat(KESTREL_BPM)
    bar = 4 * beat
    mix = Mix((bars + 1) * bar + tail_s, sr)
    for index in range(bars):
        chord, root = KESTREL_CHORDS[KESTREL_PROGRESSION[index % 4]]
        at = index * bar
        for step in range(8):  # guitar arpeggio in eighths, an octave below the chord
            midi = chord[(0, 1, 2, 1)[step % 4]] - 12 + (12 if step in (3, 7) else 0)
            mix.add(pluck(hz(midi), 0.9, sr), at + step * beat / 2, gain_db=-14, pan=0.35)
        mix.add(bass(hz(root), 1.8 * beat, sr), at, gain_db=-9)
        mix.add(bass(hz(root), 0.9 * beat, sr), at + 2.5 * beat, gain_db=-11)
        if index >= 2 or bars < 10:
            mix.add(kick(sr, start_hz=100, end_hz=50, decay_s=0.25), at, gain_db=-10)
            mix.add(kick(sr, start_hz=100, end_hz=50, decay_s=0.25), at + 2.5 * beat, gain_db=-13)
            for b in (1, 3):
                mix.add(noise_hit(sr, rng, low_hz=1500, high_hz=5000, attack_s=0.001, decay_s=0.02),
                        at + b * beat, gain_db=-16, pan=-0.1)
            for step in range(8):
                mix.add(noise_hit(sr, rng, low_hz=5000, high_hz=12000, attack_s=0.015, decay_s=0.04),
                        at + step * beat / 2, gain_db=-24 if step % 2 else -21, pan=-0.4)
    for bar_index, beat_index, midi, beats in KESTREL_MELODY:
        if bar_index < bars:
            mix.add(marimba(hz(midi), max(0.6, beats * beat), sr, rng), bar_index * bar + beat_index * beat,
                    gain_db=-5, pan=-0.15)
    if backing_pad is not None:
        start_s, end_s = backing_pad
        for index in range(math.floor(start_s / bar), math.ceil(end_s / bar)):
            chord, _ = KESTREL_CHORDS[KESTREL_PROGRESSION[index % 4]]
            at = max(start_s, index * bar)
            length = min(end_s, (index + 1) * bar) - at
            mix.add(pad([hz(m) for m in chord], length, sr, rng, attack_s=0.8 if at == start_s else 0.1,
                        release_s=0.8, cutoff_hz=1400), at, gain_db=-11, pan=-0.3)
    end = bars * bar
    mix.add(marimba(hz(77), 1.5, sr, rng), end, gain_db=-5)
    mix.add(pluck(hz(65), 1.5, sr), end, gain_db=-10, pan=0.3)
    mix.add(pad([hz(m) for m in (65, 69, 72)], 1.0, sr, rng, attack_s=0.1, release_s=1.2), end, gain_db=-12)
    mix.add(bass(hz(41), 1.4, sr), end, gain_db=-9)
    return reverb(mix.buffer[: round((end + tail_s) * sr)], sr, rng, rt60_s=1.5, wet=0.2)


def kestrel_lofi(sr: int) -> Audio:
    """The AI lo-fi variant: FM electric piano with tape wow, boom-bap drums, vinyl crackle, 72 BPM."""
    rng = np.random.default_rng(203)
    beat = seconds_per_beat(KESTREL_LOFI_BPM)
    bar = 4 * beat
    bars = 7
    chords = [[65, 69, 72, 76], [62, 65, 69, 72], [58, 62, 65, 69], [60, 64, 67, 70]]
    roots = [41, 38, 34, 36]
    mix = Mix(bars * bar + 2.5, sr)
    swing = 0.08 * beat
    for index in range(bars):
        at = index * bar
        chord = chords[index % 4]
        for m in chord:
            mix.add(fm_piano(hz(m), 1.8 * beat, sr, wow_hz=0.6), at, gain_db=-15, pan=0.2)
            mix.add(fm_piano(hz(m), 0.9 * beat, sr, wow_hz=0.6), at + 2.5 * beat + swing,
                    gain_db=-18, pan=0.2)
        mix.add(bass(hz(roots[index % 4]), 2.5 * beat, sr, drive=1.0), at, gain_db=-8)
        for b, is_kick in ((0, True), (1, False), (1.75, True), (2.5, True), (3, False)):
            if is_kick:
                mix.add(kick(sr, start_hz=90, end_hz=48, decay_s=0.3), at + b * beat, gain_db=-8)
            else:
                mix.add(snare(sr, rng, decay_s=0.09), at + b * beat, gain_db=-13, pan=0.05)
        for step in range(8):
            mix.add(noise_hit(sr, rng, low_hz=4000, high_hz=9000, attack_s=0.001, decay_s=0.025),
                    at + step * beat / 2 + (swing if step % 2 else 0.0), gain_db=-22, pan=-0.3)
    for bar_index, beat_index, midi, beats in KESTREL_MELODY:
        if bar_index < bars and bar_index % 4 == 0:
            mix.add(fm_piano(hz(midi), beats * beat, sr, wow_hz=0.6), bar_index * bar + beat_index * beat
                    + swing, gain_db=-10, pan=-0.2)
    n = len(mix.buffer)
    crackle = np.zeros(n)
    crackle[rng.integers(0, n, size=int(n / sr * 25))] = rng.uniform(-0.3, 0.3, size=int(n / sr * 25))
    hiss = 0.003 * rng.standard_normal(n)
    noise = signal.sosfilt(signal.butter(2, 3500, "low", fs=sr, output="sos"), crackle + hiss)
    mix.buffer += noise[:, None] * 0.5
    tone = signal.sosfilt(signal.butter(2, 4500, "low", fs=sr, output="sos"), mix.buffer, axis=0)
    return reverb(tone, sr, rng, rt60_s=1.0, wet=0.15)


def kestrel_bed(sr: int) -> Audio:
    """30 s ambient bed: Fadd9 - Bbadd9/F - Fadd9 - Csus/F pads over an F pedal, soft air noise."""
    rng = np.random.default_rng(204)
    mix = Mix(30.0, sr)
    for index, chord in enumerate(([65, 67, 69, 72], [65, 70, 72, 74], [65, 67, 69, 72], [65, 67, 72, 74])):
        mix.add(pad([hz(m) for m in chord], 7.0, sr, rng, attack_s=2.0, release_s=2.5, cutoff_hz=900),
                index * 7.0, gain_db=-6)
    mix.add(pad([hz(41), hz(53)], 27.0, sr, rng, attack_s=3.0, release_s=2.5, cutoff_hz=350), 0.0, gain_db=-9)
    air = signal.sosfilt(signal.butter(2, [300, 2500], "band", fs=sr, output="sos"),
                         rng.standard_normal((len(mix.buffer), 2)), axis=0)
    mix.add_stereo(air, gain_db=-40)
    return reverb(mix.buffer, sr, rng, rt60_s=3.5, wet=0.4)


def kestrel_ui(sr: int, notes: Sequence[tuple[float, int, str]], length_s: float) -> Audio:
    """Short figures of marimba (``"m"``) or pluck (``"p"``) notes as (start_s, midi, kind)."""
    rng = np.random.default_rng(205)
    mix = Mix(length_s, sr)
    for at, midi, kind in notes:
        sound = marimba(hz(midi), 0.4, sr, rng) if kind == "m" else pluck(hz(midi), 0.4, sr)
        mix.add(sound, at)
    envelope = np.ones(len(mix.buffer))
    tail = round(0.05 * sr)
    envelope[-tail:] = np.linspace(1.0, 0.0, tail)
    return mix.buffer * envelope[:, None]


# --------------------------------------------------------------------------------------------
# Brand 3: Glitchwave, mostly AI-generated. A minor, 128 BPM (chiptune 140 BPM), 4/4, 48 kHz.

GLITCH_BPM = 128.0
GLITCH_CHIP_BPM = 140.0
GLITCH_CHORDS = {"Am": ([57, 60, 64], 33), "F": ([57, 60, 65], 29), "C": ([55, 60, 64], 36),
                 "G": ([55, 59, 62], 31)}
GLITCH_PROGRESSION = ["Am", "F", "C", "G"]
# The logo motif: A4 leaps a fifth to E5, climbs through G5 and lands on A5, which stutters.
GLITCH_LOGO = [(0.0, 69, 0.5), (0.5, 76, 0.5), (1.0, 79, 0.5), (1.5, 81, 2.0)]
GLITCH_MELODY = [
    *[(4, b, m, d) for b, m, d in GLITCH_LOGO],
    (5, 0, 79, 1), (5, 1, 77, 1), (5, 2, 76, 2), (6, 0, 72, 1), (6, 1, 74, 1), (6, 2, 76, 2),
    (7, 0, 74, 2), (7, 2, 71, 2),
    *[(8, b, m, d) for b, m, d in GLITCH_LOGO],
    (9, 0, 84, 1), (9, 1, 83, 1), (9, 2, 81, 2), (10, 0, 79, 1), (10, 1, 76, 1), (10, 2, 79, 2),
    (11, 0, 83, 3), (11, 3, 74, 1),
    *[(12, b, m, d) for b, m, d in GLITCH_LOGO],
    (13, 0, 77, 2), (13, 2, 76, 2), (14, 0, 72, 2), (14, 2, 76, 2), (15, 0, 74, 2), (15, 2, 71, 2),
]


def glitch_lead(freq_hz: float, duration_s: float, sr: int, rng: np.random.Generator) -> Audio:
    env = adsr(duration_s, sr, attack_s=0.01, decay_s=0.3, sustain=0.7, release_s=0.12)
    saws = saw_stack(freq_hz, len(env) / sr, sr, rng, voices=5, detune_cents=14, cutoff_hz=4200)
    return fade(saws * env, sr)


def stutter(sound: Audio, sr: int, *, slice_s: float, repeats: int) -> Audio:
    """Repeat the first ``slice_s`` of ``sound`` ``repeats`` times, then let the rest play (a glitch)."""
    n = round(slice_s * sr)
    piece = fade(sound[:n], sr, 0.001, 0.004)
    return np.concatenate([np.tile(piece, repeats), sound[n:]])


def glitch_logo(sr: int) -> Audio:
    """2.5 s: FM-bell and supersaw A4-E5-G5-A5, the A5 stuttering in 32nds; sync point 0.70 s."""
    rng = np.random.default_rng(301)
    beat = seconds_per_beat(GLITCH_BPM)
    mix = Mix(2.5, sr)
    for start, midi, beats in GLITCH_LOGO:
        at = start * beat
        lead = glitch_lead(hz(midi), beats * beat, sr, rng)
        chime = fm_piano(hz(midi + 12), 0.6, sr)
        if midi == 81:
            lead = stutter(lead, sr, slice_s=beat / 8, repeats=3)
        mix.add(lead, at, gain_db=-8, pan=-0.1)
        mix.add(chime, at, gain_db=-14, pan=0.3)
    land = 1.5 * beat
    mix.add(kick(sr, start_hz=160, end_hz=42, decay_s=0.45), land, gain_db=-4)
    mix.add(pad([hz(m) for m in (57, 60, 64)], 1.0, sr, rng, attack_s=0.05, release_s=0.8, cutoff_hz=2500),
            land, gain_db=-10)
    mix.add(bass(hz(33), 1.0, sr, drive=2.5), land, gain_db=-8)
    return reverb(mix.buffer, sr, rng, rt60_s=1.6, wet=0.25)


def glitch_theme(sr: int, *, bars: int = 16, first_bar: int = 0, tail_s: float = 1.5) -> Audio:
    """Synthwave theme: arpeggio and ducked pad (intro), then four-on-the-floor, bass and lead.

    ``first_bar``/``bars`` choose the excerpt; the cut-down plays bars 4-7 and a final hit.
    """
    rng = np.random.default_rng(302)
    beat = seconds_per_beat(GLITCH_BPM)
    bar = 4 * beat
    count = bars - first_bar
    mix = Mix((count + 1) * bar + tail_s, sr)
    pads = Mix((count + 1) * bar + tail_s, sr)
    for index in range(first_bar, bars):
        chord, root = GLITCH_CHORDS[GLITCH_PROGRESSION[index % 4]]
        at = (index - first_bar) * bar
        pads.add(pad([hz(m) for m in chord], bar, sr, rng, attack_s=0.2, release_s=0.4, cutoff_hz=2200), at,
                 gain_db=-8, pan=0.1)
        for step in range(16):
            midi = chord[(0, 1, 2, 1)[step % 4]] + 12 + (12 if step % 8 == 6 else 0)
            mix.add(square(hz(midi), beat / 4 * 0.9, sr, duty=0.25, decay_s=0.08), at + step * beat / 4,
                    gain_db=-24, pan=0.4 if step % 2 else -0.4)
        full = 4 <= index < 12 or first_bar > 0
        if index >= 4:
            for step in range(8):
                mix.add(bass(hz(root), beat / 2 * 0.85, sr, drive=2.5), at + step * beat / 2, gain_db=-10)
        if full:
            for b in range(4):
                mix.add(kick(sr, start_hz=150, end_hz=45, decay_s=0.3), at + b * beat, gain_db=-5)
                if b in (1, 3):
                    mix.add(snare(sr, rng, decay_s=0.15), at + b * beat, gain_db=-10, pan=0.05)
                mix.add(noise_hit(sr, rng, low_hz=7000, high_hz=16000, attack_s=0.001, decay_s=0.09),
                        at + (b + 0.5) * beat, gain_db=-20, pan=-0.25)
            for step in range(16):
                mix.add(noise_hit(sr, rng, low_hz=8000, high_hz=16000, attack_s=0.001, decay_s=0.015),
                        at + step * beat / 4, gain_db=-27, pan=0.25)
    for bar_index, beat_index, midi, beats in GLITCH_MELODY:
        if first_bar <= bar_index < bars:
            mix.add(glitch_lead(hz(midi), beats * beat * 0.9, sr, rng),
                    (bar_index - first_bar) * bar + beat_index * beat, gain_db=-13, pan=-0.05)
    end = count * bar
    mix.add(kick(sr, start_hz=160, end_hz=42, decay_s=0.5), end, gain_db=-4)
    mix.add(glitch_lead(hz(81), 1.0, sr, rng), end, gain_db=-12)
    pads.add(pad([hz(m) for m in (57, 60, 64)], 1.0, sr, rng, attack_s=0.05, release_s=1.0), end, gain_db=-8)
    mix.add(bass(hz(33), 1.2, sr, drive=2.5), end, gain_db=-8)
    ducked = pads.buffer * duck(sr, len(pads.buffer), beat)[:, None]
    length = round((end + tail_s) * sr)
    return reverb((mix.buffer + ducked)[:length], sr, rng, rt60_s=1.8, wet=0.22)


def glitch_chiptune(sr: int) -> Audio:
    """The AI chiptune variant: pulse lead, triangle-ish bass, noise drums, 140 BPM, 12 bars."""
    rng = np.random.default_rng(303)
    beat = seconds_per_beat(GLITCH_CHIP_BPM)
    bar = 4 * beat
    bars = 12
    mix = Mix(bars * bar + 1.0, sr)
    for index in range(bars):
        chord, root = GLITCH_CHORDS[GLITCH_PROGRESSION[index % 4]]
        at = index * bar
        for step in range(8):
            octave = 12 if step % 2 else 0
            tri = signal.sawtooth(2 * np.pi * hz(root + 12 + octave) * times(beat / 2 * 0.9, sr), 0.5)
            mix.add(fade(tri, sr), at + step * beat / 2, gain_db=-9)
        for step in range(16):
            midi = chord[step % 3] + 12
            mix.add(square(hz(midi), beat / 4 * 0.8, sr, duty=0.125), at + step * beat / 4,
                    gain_db=-27, pan=0.3)
        for b in range(4):
            drum = (noise_hit(sr, rng, low_hz=100, high_hz=1200, attack_s=0.001, decay_s=0.04) if b % 2 == 0
                    else noise_hit(sr, rng, low_hz=1500, high_hz=9000, attack_s=0.001, decay_s=0.07))
            mix.add(drum, at + b * beat, gain_db=-12)
    for bar_index, beat_index, midi, beats in GLITCH_MELODY:
        shifted = bar_index - 4
        if 0 <= shifted < bars:
            mix.add(square(hz(midi), beats * beat * 0.85, sr, duty=0.5), shifted * bar + beat_index * beat,
                    gain_db=-19, pan=-0.2)
    # 8-bit flavour: sample-and-hold to 16 kHz and quantise to 7 bits of the peak before the room.
    hold = max(1, round(sr / 16000))
    held = np.repeat(mix.buffer[::hold], hold, axis=0)[: len(mix.buffer)]
    peak = float(np.max(np.abs(held)))
    crushed = np.round(held / peak * 64) / 64 * peak
    return reverb(crushed, sr, rng, rt60_s=0.6, wet=0.1)


def glitch_bed(sr: int) -> Audio:
    """30 s menu ambience: dark Am - Fmaj7 - Dm9 - Am pads, filtered wind and sparse echoing pings."""
    rng = np.random.default_rng(304)
    mix = Mix(30.0, sr)
    for index, chord in enumerate(([57, 60, 64, 69], [53, 57, 60, 64], [50, 57, 60, 64], [57, 60, 64, 71])):
        mix.add(pad([hz(m) for m in chord], 7.0, sr, rng, attack_s=2.0, release_s=2.5, cutoff_hz=800),
                index * 7.0, gain_db=-6)
    mix.add(pad([hz(33), hz(45)], 27.0, sr, rng, attack_s=3.0, release_s=2.5, cutoff_hz=300), 0.0, gain_db=-8)
    wind = signal.sosfilt(signal.butter(2, [400, 1800], "band", fs=sr, output="sos"),
                          rng.standard_normal((len(mix.buffer), 2)), axis=0)
    swell = 0.5 + 0.5 * np.sin(2 * np.pi * np.arange(len(wind)) / sr / 9.0)
    mix.add_stereo(wind * swell[:, None], gain_db=-30)
    for at, midi in ((3.0, 81), (11.0, 76), (19.5, 84), (25.0, 81)):
        for echo in range(4):
            mix.add(fm_piano(hz(midi), 0.2, sr), at + echo * 0.352, gain_db=-18 - 6 * echo,
                    pan=(-0.5, 0.5)[echo % 2])
    return reverb(mix.buffer, sr, rng, rt60_s=4.0, wet=0.4)


def glitch_ui(sr: int, kind: str) -> Audio:
    """In-game UI: ``level-up`` (rising A-minor arpeggio), ``select`` (one blip) or ``error`` (low buzz)."""
    if kind == "level-up":
        length, notes = 0.36, [(0.0, 81), (0.06, 84), (0.12, 88), (0.18, 93)]
        sounds = [(at, square(hz(m), 0.18, sr, duty=0.25, decay_s=0.06)) for at, m in notes]
    elif kind == "select":
        length = 0.08
        t = times(length, sr)
        sounds = [(0.0, fade(np.sin(2 * np.pi * hz(88) * t) * np.exp(-t / 0.025), sr, 0.001, 0.01))]
    else:
        length = 0.22
        low = square(hz(52), 0.2, sr, duty=0.5, decay_s=0.1) + square(hz(46), 0.2, sr, duty=0.5, decay_s=0.1)
        sounds = [(0.0, signal.sosfilt(signal.butter(2, 1500, "low", fs=sr, output="sos"), low))]
    mix = Mix(length, sr)
    for at, sound in sounds:
        mix.add(sound, at)
    out = mix.buffer
    tail = round(0.02 * sr)
    out[-tail:] *= np.linspace(1.0, 0.0, tail)[:, None]
    return out


def glitch_voice(sr: int) -> Audio:
    """Placeholder for the AI voice tag: a sung "ah" gliding into "oh" on A3 (no words), mono."""
    rng = np.random.default_rng(305)
    ah = formant_vowel(hz(57), 1.3, sr, [(730, 90), (1090, 110), (2440, 170)], rng)
    oh = formant_vowel(hz(57), 1.3, sr, [(570, 80), (840, 100), (2410, 170)], rng)
    crossfade = np.clip((times(1.3, sr)[: len(ah)] - 0.5) / 0.3, 0.0, 1.0)
    voice = ah * (1 - crossfade) + oh[: len(ah)] * crossfade
    stereo = np.stack([voice, voice], axis=1)
    return reverb(stereo, sr, rng, rt60_s=0.8, wet=0.12).mean(axis=1)


# --------------------------------------------------------------------------------------------
# What to make


@dataclass(frozen=True)
class AssetSpec:
    """One audio file of an example brand and how it is mastered.

    ``target_lufs`` is the integrated loudness the decoded file meets within 0.1 LU, or None for
    sounds shorter than a 400 ms loudness block (those are normalised to ``ceiling_dbtp``).
    ``ceiling_dbtp`` is the true-peak ceiling (4x oversampled) of the decoded file.
    """

    brand: str
    asset_id: str
    file: str
    sr: int
    encoding: Encoding
    target_lufs: float | None
    ceiling_dbtp: float
    render: Callable[[int], Audio]

    @property
    def path(self) -> Path:
        """Path relative to the brands folder."""
        return Path(self.brand) / self.file


CALDER = "calder-valley-railway"
KESTREL = "kestrel-health"
GLITCH = "glitchwave"

ASSETS: tuple[AssetSpec, ...] = (
    # Calder Valley Railway: touchpoint targets: station PA -20 LUFS / -2 dBTP, broadcast EBU R128,
    # web YouTube (-14 / -1), visitor centre -28 / -3, booking app -3 dBTP.
    AssetSpec(CALDER, "sonic-logo", "audio/calder-sonic-logo.wav", 48000, WAV24, -20.0, -2.5, calder_logo),
    AssetSpec(CALDER, "main-theme", "audio/calder-main-theme.ogg", 48000, OGG, -14.0, -1.5, calder_theme),
    AssetSpec(CALDER, "theme-cutdown-15", "audio/calder-theme-cutdown-15s.flac", 48000, FLAC16, -23.0, -1.5,
              lambda sr: calder_theme(sr, bars=4, tail_s=1.9)),
    AssetSpec(CALDER, "platform-bed", "audio/calder-platform-bed.ogg", 48000, OGG, -28.0, -3.5, calder_bed),
    AssetSpec(CALDER, "ui-ticket-confirmed", "audio/calder-ui-ticket-confirmed.wav", 48000, WAV16, None, -6.0,
              lambda sr: calder_ui(sr, [(0.0, 81), (0.09, 86)], 0.35)),
    AssetSpec(CALDER, "ui-ticket-error", "audio/calder-ui-ticket-error.wav", 48000, WAV16, None, -6.0,
              lambda sr: calder_ui(sr, [(0.0, 73), (0.12, 73)], 0.3)),
    AssetSpec(CALDER, "logo-bell-stem", "audio/calder-logo-bell-stem-96k.flac", 96000, FLAC24, -22.0, -3.0,
              lambda sr: calder_logo(sr, bell_only=True)),
    # Kestrel Health: app launch -18 / -2, podcasts Apple (-16 / -1), radio EBU R128, waiting room -26 / -3.
    AssetSpec(KESTREL, "sonic-logo", "audio/kestrel-sonic-logo.wav", 44100, WAV16, -18.0, -2.5, kestrel_logo),
    AssetSpec(KESTREL, "main-theme", "audio/kestrel-main-theme.mp3", 44100, MP3, -16.0, -1.5, kestrel_theme),
    AssetSpec(KESTREL, "theme-lofi", "audio/kestrel-theme-lofi.mp3", 44100, MP3, -16.0, -1.5, kestrel_lofi),
    AssetSpec(KESTREL, "theme-cutdown-10", "audio/kestrel-theme-cutdown-10s.flac", 44100, FLAC16, -23.0, -1.5,
              lambda sr: kestrel_theme(sr, bars=3, tail_s=1.5, backing_pad=None)),
    AssetSpec(KESTREL, "waiting-room-bed", "audio/kestrel-waiting-room-bed.ogg", 44100, OGG, -26.0, -3.5,
              kestrel_bed),
    AssetSpec(KESTREL, "ui-message", "audio/kestrel-ui-message.wav", 44100, WAV16, None, -6.0,
              lambda sr: kestrel_ui(sr, [(0.0, 84, "m"), (0.1, 89, "m")], 0.4)),
    AssetSpec(KESTREL, "ui-booked", "audio/kestrel-ui-booked.wav", 44100, WAV16, None, -6.0,
              lambda sr: kestrel_ui(sr, [(0.0, 77, "p"), (0.05, 81, "p"), (0.1, 84, "p")], 0.4)),
    # Glitchwave: boot -16 / -1, trailers YouTube (-14 / -1), soundtrack Spotify (-14 / -1),
    # main menu -20 / -2, in-game UI -3 dBTP.
    AssetSpec(GLITCH, "sonic-logo", "audio/glitchwave-sonic-logo.wav", 48000, WAV16, -16.0, -1.5,
              glitch_logo),
    AssetSpec(GLITCH, "main-theme", "audio/glitchwave-main-theme.ogg", 48000, OGG, -14.0, -1.5, glitch_theme),
    AssetSpec(GLITCH, "theme-chiptune", "audio/glitchwave-theme-chiptune.mp3", 48000, MP3, -14.0, -1.5,
              glitch_chiptune),
    AssetSpec(GLITCH, "trailer-sting-10", "audio/glitchwave-trailer-sting-10s.mp3", 48000, MP3, -14.0, -1.5,
              lambda sr: glitch_theme(sr, first_bar=4, bars=8, tail_s=1.5)),
    AssetSpec(GLITCH, "menu-bed", "audio/glitchwave-menu-bed.ogg", 48000, OGG, -20.0, -2.5, glitch_bed),
    AssetSpec(GLITCH, "ui-level-up", "audio/glitchwave-ui-level-up.wav", 48000, WAV16, None, -6.0,
              lambda sr: glitch_ui(sr, "level-up")),
    AssetSpec(GLITCH, "ui-select", "audio/glitchwave-ui-select.wav", 48000, WAV16, None, -8.0,
              lambda sr: glitch_ui(sr, "select")),
    AssetSpec(GLITCH, "ui-error", "audio/glitchwave-ui-error.wav", 48000, WAV16, None, -6.0,
              lambda sr: glitch_ui(sr, "error")),
    AssetSpec(GLITCH, "voice-tag", "audio/glitchwave-voice-tag.wav", 48000, WAV16, -16.0, -1.5, glitch_voice),
)


def synthesise(spec: AssetSpec) -> Audio:
    """The unmastered audio of ``spec`` (deterministic: same array on every call)."""
    return spec.render(spec.sr)


def build(spec: AssetSpec) -> bytes:
    """The finished file bytes of ``spec``: synthesised, mastered and encoded."""
    return master(synthesise(spec), spec.sr, target_lufs=spec.target_lufs, ceiling_dbtp=spec.ceiling_dbtp,
                  encoding=spec.encoding, name=spec.path.as_posix())


def write_all(root: Path, specs: Sequence[AssetSpec] = ASSETS) -> dict[Path, bytes]:
    """Build every spec into ``root/<brand>/<file>``; return the bytes by relative path."""
    written: dict[Path, bytes] = {}
    for spec in specs:
        data = build(spec)
        target = root / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[spec.path] = data
        audio, sr = decode(data)
        loudness = f"{integrated_lufs(audio, sr):6.1f} LUFS" if spec.target_lufs is not None else "   (short)"
        print(f"{spec.path.as_posix():55s} {len(audio) / sr:5.2f} s {loudness} "
              f"{true_peak_dbtp(audio):5.1f} dBTP {len(data) / 1024:7.0f} KiB", flush=True)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="render into a temporary folder and report files that differ from brands/")
    parser.add_argument("--only", metavar="BRAND", help="only this brand's files")
    args = parser.parse_args(argv)
    specs = [spec for spec in ASSETS if args.only in (None, spec.brand)]
    if not args.check:
        write_all(BRANDS_DIR, specs)
        return 0
    with tempfile.TemporaryDirectory() as temp:
        written = write_all(Path(temp), specs)
    differing = [path for path, data in written.items()
                 if not (BRANDS_DIR / path).is_file() or (BRANDS_DIR / path).read_bytes() != data]
    for path in differing:
        print(f"differs: brands/{path.as_posix()}")
    print(f"{len(written) - len(differing)} of {len(written)} files identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
