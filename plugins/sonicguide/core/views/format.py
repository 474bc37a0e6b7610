"""Every number, unit, sign, time and joined sentence the site, the brief, the cards, the player
and the CLI show: one place, so that they all read the same.

Rules:

* Negative numbers carry a true minus sign (U+2212), never an ASCII hyphen; a value that rounds to
  zero never shows as "−0".
* Durations of a second or more read ``m:ss.s`` (:func:`duration`) or ``m:ss`` on running clocks
  (:func:`clock`); anything under a second reads in seconds with two decimals (``0.45 s``), since
  "0:00" says nothing. ``assets/js/player.js`` follows the same rules for its running clock.
* Marker times get as many decimals as it takes for the markers of one asset to read differently
  (:func:`distinct_times`).
* Texts from YAML joined with our punctuation go through :func:`sentence` / :func:`join_clauses`,
  which never double or clash punctuation ("bars 5-7..", "blooms.; 0:03").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

MINUS = "\u2212"
#: Marks that end a sentence (an ellipsis too): nothing is added after them.
SENTENCE_ENDS = (".", "!", "?", "\u2026")
#: Marks that only continue a sentence: dropped where our own punctuation follows.
CONTINUATIONS = (",", ";", ":")


def signed(value: float, digits: int = 1) -> str:
    """``-14.03`` -> ``"−14.0"`` (a real minus sign, never "−0.0")."""
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        stripped = text[1:]
        return stripped if float(stripped) == 0 else MINUS + stripped
    return text


def plus_signed(value: float, digits: int = 1) -> str:
    """``3.04`` -> ``"+3.0"``, ``-3.04`` -> ``"−3.0"``, ``0`` -> ``"0.0"`` (differences)."""
    text = signed(value, digits)
    return text if text.startswith(MINUS) or float(text) == 0 else "+" + text


def number(value: float, digits: int = 2) -> str:
    """A number as people write it, at most ``digits`` decimals and no trailing zeros: ``-14`` ->
    ``"−14"``, ``-18.25`` -> ``"−18.25"``, ``0.5`` -> ``"0.5"``; never "−0"."""
    text = signed(value, digits)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", MINUS + "0") else text


def seconds(value: float, digits: int = 2) -> str:
    """``0.45`` -> ``"0.45 s"``; trailing zeros dropped (``30`` -> ``"30 s"``)."""
    return f"{number(value, digits)} s"


def level(value: float | None, unit: str, reason: str | None = None) -> str:
    """A level in ``unit`` (LUFS, dBTP, dBFS, LU); silence shows as −∞, other gaps say why."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if reason and "silen" in reason.lower() and unit != "LU":
            return f"{MINUS}\u221e {unit} (silent)"
        return f"not measurable ({reason})" if reason else "not measured"
    if math.isinf(value):
        return f"{MINUS}\u221e {unit}" if value < 0 else f"+\u221e {unit}"
    return f"{signed(value)} {unit}"


def duration(value_s: float | None) -> str:
    """``93.5`` -> ``"1:33.5"``; under a minute ``"0:04.2"``; under a second ``"0.45 s"``."""
    if value_s is None:
        return "unknown"
    value_s = max(0.0, value_s)
    if round(value_s, 2) < 1.0:
        return f"{value_s:.2f} s"
    return time_of_day(value_s, 1)


def time_of_day(value_s: float, decimals: int) -> str:
    """``m:ss`` with ``decimals`` decimals of a second (``h:mm:ss`` from an hour): ``72.5, 1`` ->
    ``"1:12.5"``. Rounds first, so 59.96 s reads "1:00.0", never "0:60.0"."""
    scale = 10 ** decimals
    ticks = round(max(0.0, value_s) * scale)
    whole, fraction = divmod(ticks, scale)
    minutes, secs = divmod(whole, 60)
    text = f"{secs:02d}" + (f".{fraction:0{decimals}d}" if decimals > 0 else "")
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{text}"
    return f"{minutes}:{text}"


def time_label(value_s: float) -> str:
    """A point in time for segment and text labels: ``72.5`` -> ``"1:12.5"``; whole seconds lose
    the fraction (``12`` -> ``"0:12"``)."""
    decimals = 0 if round(value_s, 1) == int(round(value_s, 1)) else 1
    return time_of_day(value_s, decimals)


def clock(value_s: float, total_s: float | None = None) -> str:
    """A running clock: ``12.7`` -> ``"0:12"`` (whole seconds, floored). When the whole sound
    (``total_s``, default ``value_s``) is shorter than a second, seconds with two decimals
    (``"0.12 s"``): a clock that reads "0:00 / 0:00" tells nothing. player.js does the same."""
    total = value_s if total_s is None else total_s
    if total < 1.0:
        return f"{max(0.0, value_s):.2f} s"
    whole = int(max(0.0, value_s))
    return f"{whole // 60}:{whole % 60:02d}"


def distinct_times(values_s: Sequence[float], total_s: float | None = None) -> list[str]:
    """Labels for the times of one asset's markers: whole seconds (``"0:12"``) when they all read
    differently so, else as few decimals as it takes (up to 3) for distinct times to read
    differently (``"0:00.2"``, ``"0:00.8"``). In a sound shorter than a second, seconds with two
    or more decimals (``"0.25 s"``)."""
    distinct = len(set(values_s))
    if total_s is not None and total_s < 1.0:
        for decimals in (2, 3):
            labels = [f"{max(0.0, v):.{decimals}f} s" for v in values_s]
            if len(set(labels)) == distinct:
                break
        return labels
    for decimals in (0, 1, 2, 3):
        labels = [clock(v, max(1.0, total_s or 1.0)) if decimals == 0 else time_of_day(v, decimals)
                  for v in values_s]
        if len(set(labels)) == distinct:
            break
    return labels


def sentence(text: str) -> str:
    """``text`` as a sentence: ``"Approved"`` -> ``"Approved."``; one that already ends a sentence
    (``.``, ``!``, ``?``, ``…``) stays as it is; a trailing ``,`` ``;`` ``:`` becomes the full stop."""
    return join_clauses([text])


def join_clauses(parts: Iterable[str | None], *, separator: str = "; ", end: str = ".") -> str:
    """Texts joined with ``separator`` and closed with ``end``, without doubled or clashing
    punctuation: a part's own full stop or trailing ``,`` ``;`` ``:`` gives way to the separator
    (or to ``end``); a part that ends with ``!``, ``?`` or an ellipsis keeps it and is followed by
    a space instead of the separator, and needs no ``end``. Empty parts are skipped; runs of
    white space become one space."""
    pieces = [" ".join(str(part).split()) for part in parts if part is not None and str(part).strip()]
    out: list[str] = []
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        ellipsis = piece.endswith(("...", "\u2026"))
        if piece.endswith(CONTINUATIONS) or (piece.endswith(".") and not ellipsis):
            out.append(piece[:-1].rstrip() + (end if last else separator))
        elif piece.endswith(SENTENCE_ENDS) or ellipsis:
            out.append(piece if last else piece + " ")
        else:
            out.append(piece + (end if last else separator))
    return "".join(out)


def hertz(value: float | None) -> str:
    """A measured frequency for fact lists: ``1234`` -> ``"1.2 kHz"``, ``440`` -> ``"440 Hz"``."""
    if value is None:
        return "not measured"
    if value >= 1000:
        return f"{value / 1000:.1f} kHz"
    return f"{value:.0f} Hz"


def frequency(frequency_hz: float) -> str:
    """A frequency for chart descriptions: ``440 Hz``, ``2.1 kHz``, ``12.5 kHz`` (three
    significant digits)."""
    if frequency_hz >= 1000.0:
        return f"{float(f'{frequency_hz / 1000.0:.3g}'):g} kHz"
    return f"{float(f'{frequency_hz:.3g}'):g} Hz"


def level_number(value: float) -> str:
    """A level for chart descriptions: one decimal, dropped when it is 0 (``-20.0`` ->
    ``"−20"``, ``-0.04`` -> ``"0"``)."""
    return number(round(value, 1), 1)


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
        return f"not estimated ({reason})" if reason else "not estimated"
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


def data_size(size: int) -> str:
    """Bytes for people, in powers of 1024 up to TiB (``3.9 MiB``, ``1.2 GiB``, ``512 bytes``)."""
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(size) >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def player_labels(player: dict[str, Any]) -> dict[str, Any]:
    """The player data (``templates/player/macros.html``) with every time and level it shows
    formatted here: ``duration_label`` (:func:`clock` of the whole), ``elapsed_label`` (the clock
    at 0), ``lufs_label`` (or None), ``when`` on each region (``"0:02–0:05"``) and each marker
    (:func:`distinct_times`, so no two markers of the asset read the same)."""
    total = float(player.get("duration_s") or 0.0)
    lufs = player.get("integrated_lufs")
    markers = list(player.get("markers") or [])
    marker_labels = distinct_times([float(m["at_s"]) for m in markers], total)
    regions = list(player.get("regions") or [])
    region_labels = distinct_times([float(t) for r in regions for t in (r["start_s"], r["end_s"])], total)
    return {
        **player,
        "duration_label": clock(total, total),
        "elapsed_label": clock(0.0, total),
        "lufs_label": None if lufs is None else level(float(lufs), "LUFS"),
        "regions": [{**r, "when": f"{region_labels[2 * i]}\u2013{region_labels[2 * i + 1]}"}
                    for i, r in enumerate(regions)],
        "markers": [{**m, "when": label} for m, label in zip(markers, marker_labels, strict=True)],
    }


def comparison_labels(comparison: dict[str, Any]) -> dict[str, Any]:
    """The comparison data with ``lufs_label`` on each item (or None when unmeasured)."""
    return {**comparison, "items": [
        {**item, "lufs_label": None if item.get("integrated_lufs") is None
         else level(float(item["integrated_lufs"]), "LUFS")} for item in comparison.get("items") or []]}


def audition_effect(facts: Any) -> str:
    """What a playback chain does, in words: ``"keeps 48 % of the energy; 3.1 LU quieter;
    brightness −1.2 kHz"`` (and the speech band kept, when measured). ``facts`` is an
    :class:`~sonicguide.core.audio.measurements.AuditionFacts`."""
    parts: list[str] = []
    if facts.energy_kept_percent is not None:
        parts.append(f"keeps {facts.energy_kept_percent:.0f} % of the energy")
    if facts.speech_band_kept_percent is not None:
        parts.append(f"{facts.speech_band_kept_percent:.0f} % of the speech band")
    change = facts.loudness_change_lu
    if change is not None:
        parts.append("as loud" if abs(change) < 0.05 else
                     f"{abs(change):.1f} LU {'quieter' if change < 0 else 'louder'}")
    if facts.centroid_shift_hz is not None:
        shift = float(facts.centroid_shift_hz)
        size = f"{number(shift / 1000, 1)} kHz" if abs(shift) >= 1000 else f"{number(shift, 0)} Hz"
        parts.append(f"brightness {'+' if shift > 0 else ''}{size}")
    return "; ".join(parts) if parts else "not measured"
