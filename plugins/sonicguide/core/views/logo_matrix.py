"""The sonic logo on the brand page: automatic markers on each asset's waveform where the logo
plays, and the brand's consistency matrix (which assets carry it, where, how clearly).

Both only shape :class:`~sonicguide.core.judge.logo.LogoConsistency` and each asset's
:class:`~sonicguide.core.audio.measurements.LogoFacts`; the judging is in
:mod:`sonicguide.core.judge.logo`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sonicguide.core.audio.measurements import Measurements
from sonicguide.core.judge.logo import LogoConsistency
from sonicguide.core.load.model import Brand, Marker
from sonicguide.core.views import format as fmt

_ROLE_WORDS = {"theme": "Theme", "variant": "Variant", "cut-down": "Cut-down", "stem": "Stem", "bed": "Bed",
               "ui": "UI sound", "voice": "Voice", "ivr": "IVR / on-hold", "alert": "Notification or alert",
               "logo": "Sonic logo"}


def _transposition(semitones: int) -> str:
    if semitones == 0:
        return "in the logo's key"
    return f"{fmt.plus_signed(semitones, 0)} semitone{'s' if abs(semitones) != 1 else ''}"


def occurrence_words(similarity: float, semitones: int, stretch: float) -> str:
    """``"estimated similarity 0.77, in the logo's key, 6 % faster"``."""
    parts = [f"estimated similarity {similarity:.2f}", _transposition(semitones)]
    change = round((stretch - 1.0) * 100)
    if change:
        parts.append(f"{abs(change)} % {'slower' if change > 0 else 'faster'}")
    return ", ".join(parts)


#: A marker of the brand's own this close to an occurrence is taken to mark it (seconds).
SAME_PLACE_S = 0.5


def logo_markers(measured: Measurements | None, markers: Sequence[Marker] = ()) -> list[dict[str, Any]]:
    """Player markers (``templates/player/macros.html``): the asset's own ``markers`` (kind
    ``marker``) and one where the sonic logo plays (kind ``logo``), in time order.

    An occurrence within :data:`SAME_PLACE_S` of a marker of the brand's own is said on that marker
    instead of making a second one a few milliseconds away.
    """
    own: list[dict[str, Any]] = [{"at_s": m.at_s, "label": m.label, "kind": "marker"} for m in markers]
    found = measured.logo.occurrences if measured is not None and measured.logo is not None else []
    for occurrence in found:
        words = occurrence_words(occurrence.similarity, occurrence.transposition_semitones, occurrence.stretch)
        near = [m for m in own if abs(m["at_s"] - occurrence.time_s) <= SAME_PLACE_S]
        if near:
            mark = min(near, key=lambda m: abs(m["at_s"] - occurrence.time_s))
            mark["label"] = f"{mark['label']}; sonic logo found at {fmt.time_of_day(occurrence.time_s, 1)} ({words})"
        else:
            own.append({"at_s": occurrence.time_s, "kind": "logo",
                        "label": f"Sonic logo at {fmt.time_of_day(occurrence.time_s, 1)}: {words}"})
    return sorted(own, key=lambda m: (m["at_s"], m["kind"] != "marker"))


def logo_matrix_context(matrix: LogoConsistency | None, brand: Brand) -> dict[str, Any] | None:
    """The consistency matrix as the brand page shows it, or None when nothing was to be searched."""
    if matrix is None or not matrix["rows"]:
        return None
    threshold = matrix["threshold"]
    rows = []
    for row in matrix["rows"]:
        occurrences = [{"href": f"?t={o['time_s']:g}#{row['asset']}", "when": fmt.time_of_day(o["time_s"], 1),
                        "clarity": o["clarity"], "similarity": f"{o['similarity']:.2f}",
                        "words": occurrence_words(o["similarity"], o["transposition_semitones"], o["stretch"])}
                       for o in row["occurrences"]]
        best = row["best_similarity"]
        if row["status"] == "carries":
            status = f"{len(occurrences)} time{'s' if len(occurrences) != 1 else ''}"
        elif row["status"] == "missing":
            status = ("not found" + (f" (best match {best:.2f}, below {threshold:.2f})"
                                     if best is not None and threshold is not None else ""))
        else:
            status = f"not searched: {row['reason']}"
        rows.append({"asset": row["asset"], "title": row["title"], "role": _ROLE_WORDS.get(row["role"], row["role"]),
                     "required": row["required"], "status": row["status"], "status_text": status,
                     "occurrences": occurrences})
    carrying = sum(1 for row in rows if row["status"] == "carries")
    words = [_ROLE_WORDS.get(role, role).lower() for role in matrix["required_in"]]
    required = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)
    return {
        "rows": rows,
        "summary": f"{carrying} of {len(rows)} asset{'s' if len(rows) != 1 else ''} carry the logo",
        "required": required,
        "threshold": f"{threshold:.2f}" if threshold is not None else None,
        "clear_from": f"{matrix['clear_from']:.2f}",
        "method": matrix["method"],
        "logo_asset": matrix["logo_asset"],
        "logo_title": next((a.title for a in brand.assets if a.id == matrix["logo_asset"]), matrix["logo_asset"]),
    }
