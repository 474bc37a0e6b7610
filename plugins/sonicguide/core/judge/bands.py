"""How much of an asset's energy a band-limited channel (a phone line) would lose.

Computed from the long-term average spectrum the analysis already stores
(:attr:`sonicguide.core.audio.measurements.Measurements.spectrum`): log-spaced bands from 20 Hz
to min(20 kHz, Nyquist), each the *mean power per FFT bin* over its band, in dB. A band's energy
is that mean times its width, so the share outside ``[low_hz, high_hz]`` is exact for the stored
resolution; a band that straddles an edge is split in proportion to its width in Hz (the
spectrum is piecewise constant within a band). Energy below 20 Hz and above 20 kHz is not in
the stored spectrum and is not counted. Pure Python: no numpy in a warm build.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def energy_outside_share(freqs_hz: Sequence[float], db: Sequence[float | None], *, low_hz: float,
                         high_hz: float) -> float | None:
    """Share (0–1) of the spectrum's energy outside ``[low_hz, high_hz]``.

    ``freqs_hz``: geometric centres of log-spaced bands (shape ``(n,)``, n ≥ 2, increasing);
    ``db``: mean power per bin of each band in dB (``None`` counts as no energy). Returns ``None``
    when there is no energy at all (silence) or the spectrum is not log-spaced as described.
    """
    count = len(freqs_hz)
    if count < 2 or len(db) != count or freqs_hz[0] <= 0:
        return None
    ratio = (freqs_hz[-1] / freqs_hz[0]) ** (1.0 / (count - 1))
    if not ratio > 1.0:
        return None
    half = math.sqrt(ratio)
    total = 0.0
    inside = 0.0
    for centre, level in zip(freqs_hz, db, strict=True):
        if level is None:
            continue
        lower, upper = centre / half, centre * half
        energy = 10.0 ** (level / 10.0) * (upper - lower)
        total += energy
        overlap = max(0.0, min(upper, high_hz) - max(lower, low_hz))
        inside += energy * overlap / (upper - lower)
    if total <= 0.0:
        return None
    return max(0.0, min(1.0, 1.0 - inside / total))
