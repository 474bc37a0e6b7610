"""Check every asset against the specs of the touchpoints it is used at and of its brand.

:func:`check_brand` takes a validated :class:`~sonicguide.core.load.model.Brand` and the analysis
report of each asset and returns plain data (dicts, lists, str, numbers) for the page's
conformance matrix, for ``brand.json`` and for build warnings. It measures nothing itself.

The report of an asset (``None`` when its analysis failed) is read at these keys; any value may
be ``None`` when it does not exist for the file (the loudness of silence, the bit depth of an MP3):

* ``report["loudness"]``: ``integrated_lufs``, ``true_peak_dbtp``
* ``report["format"]``: ``container`` (``"wav"``, ``"flac"``, ...), optionally ``codec``,
  ``duration_s``, ``sample_rate_hz``, ``bit_depth``, ``channels``
* ``report["tempo"]``: ``bpm``, ``confidence``; ``report["key"]``: ``name`` (``"F# minor"``),
  ``confidence``
* why a value is ``None``, repeated in the "unknown" result: ``report["null_reasons"][field]``
  (e.g. ``"integrated_lufs"``), else the section's ``reason`` (tempo, key), else the section's
  ``reasons[field]``.

Rules, stated once (and repeated in each result's message):

* Loudness and true peak are compared as shown, rounded to 0.1 LU / 0.1 dB (one decimal, like
  the meters people check against), so a shown value and its verdict never disagree. Integrated
  loudness passes within target ± tolerance (inclusive); true peak passes at or below the ceiling.
  Duration is compared rounded to 0.01 s.
* Tempo, compared in whole BPM as shown, passes inside the brand's ``tempo_bpm`` range
  (inclusive), or when half or double the estimate is inside it (tempo estimators often report
  the half- or double-time pulse); the message says which was used.
* Keys are compared by tonic pitch class and mode: ``F#``, ``F♯`` and ``Gb`` are the same note;
  ``minor``/``min``/``m``/``aeolian`` are one mode, ``major``/``maj``/``ionian``/``M`` another.
  A key written without a mode matches either mode. A church-mode key (D dorian) matches an
  estimate with the same notes (C major, A minor), since estimators only report major and minor.
  Relative, parallel and fifth-related keys do not match.
* A tempo or key estimate whose confidence is below :data:`MIN_ESTIMATE_CONFIDENCE` is neither
  passed nor failed: its check is "unknown" and says the estimate is too uncertain. Tempo needs
  at least :data:`MIN_TEMPO_CONFIDENCE`: beatless material (ambient beds, pads) still shows weak
  periodicity in its onsets (0.31 and 0.43 on the example beds, against 0.64 to 0.93 on material
  with a beat), and a made-up tempo must not fail a brand.
* Musical-DNA checks apply to the roles in :data:`DNA_ROLES` only (not to UI sounds, alerts, voice,
  IVR audio or stems: tempo and key mean nothing there); delivery checks apply to every asset.
* A touchpoint's technical profile is what its playback channel carries: the asset's sample rate
  and channel count must equal the profile's, and at most ``max_energy_outside_percent`` of its
  energy may lie outside the profile's band (from the stored average spectrum, see
  :mod:`sonicguide.core.judge.bands`; compared in whole percent as shown). A touchpoint's
  ``max_duration_s`` is one limit for every role or a limit per role (roles not named: none).
* Lossy formats (MP3, Ogg Vorbis, Opus) have no bit depth and get no bit-depth check; the format
  check says whether they are allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from sonicguide.core.audio.measurements import Measurements
from sonicguide.core.judge.bands import energy_outside_share
from sonicguide.core.judge.records import AssetRow, CheckResult, ConformanceMatrix, LoudnessTarget, TouchpointRow
from sonicguide.core.judge.targets import standard_targets
from sonicguide.core.load.model import Asset, Brand, LoudnessSpec, MusicalDNA, Touchpoint
from sonicguide.core.views import format as display

Status = Literal["pass", "fail", "unknown"]
Check = CheckResult
Report = Mapping[str, Any]

#: Tolerance when neither the standard nor the touchpoint gives one, LU.
DEFAULT_TOLERANCE_LU = 1.0
#: Tempo and key estimates below this confidence (0–1, as the analysis reports it) are too
#: uncertain to pass or fail a brand: their check is "unknown" and says so.
MIN_ESTIMATE_CONFIDENCE = 0.3
#: Tempo estimates below this confidence are "unknown" (see the module docstring).
MIN_TEMPO_CONFIDENCE = 0.5
#: Roles whose speech band is judged through a playback chain.
SPEECH_ROLES = frozenset({"voice", "ivr"})
#: Containers and codecs that store no bit depth.
LOSSY_FORMATS = frozenset({"mp3", "ogg", "vorbis", "opus", "m4a", "aac"})
#: Roles the brand's musical DNA (tempo, keys) applies to; tempo and key estimates of other roles
#: (voice, UI sounds, alerts, IVR prompts, stems) are neither judged nor shown as facts.
DNA_ROLES = frozenset({"logo", "theme", "variant", "cut-down", "bed"})
#: Roles for which a tempo or key means nothing (not judged, not shown as a fact).
NON_MUSICAL_ROLES = frozenset({"voice", "ui", "alert", "ivr"})

#: Container names as the analysis may spell them, mapped to the names used in brand.yml.
_CONTAINER_ALIASES = {
    "wave": "wav",
    "aif": "aiff",
    "aifc": "aiff",
    "oga": "ogg",
    "vorbis": "ogg",
    "mp4": "m4a",
    "mpeg": "mp3",
    "mpeg layer iii": "mp3",
}


# --------------------------------------------------------------------------------------------
# Loudness targets


def resolve_loudness(spec: LoudnessSpec) -> LoudnessTarget:
    """The effective loudness target of a touchpoint.

    The named standard's numbers, each replaced by the touchpoint's own value where it gives one.
    Returns ``{"standard": id | None, "standard_name": str | None, "source": str | None,
    "checked": "YYYY-MM-DD" | None, "integrated_lufs": float | None, "tolerance_lu": float,
    "true_peak_dbtp": float | None, "overridden": [field names set by the touchpoint over the
    standard]}``. ``tolerance_lu`` is :data:`DEFAULT_TOLERANCE_LU` when neither gives one.

    Raises :class:`KeyError` for a standard that is not shipped (load_brand reports that as a
    brand problem before this is ever called).
    """
    target = standard_targets()[spec.standard] if spec.standard is not None else None
    own = {
        "integrated_lufs": spec.integrated_lufs,
        "tolerance_lu": spec.tolerance_lu,
        "true_peak_dbtp": spec.true_peak_dbtp,
    }
    base: dict[str, float | None] = {
        "integrated_lufs": target.integrated_lufs if target else None,
        "tolerance_lu": target.tolerance_lu if target else None,
        "true_peak_dbtp": target.true_peak_dbtp if target else None,
    }
    effective = {name: own[name] if own[name] is not None else base[name] for name in own}
    tolerance = effective["tolerance_lu"]
    return {
        "standard": target.id if target else None,
        "standard_name": target.name if target else None,
        "source": target.source if target else None,
        "checked": target.checked if target else None,
        "integrated_lufs": effective["integrated_lufs"],
        "tolerance_lu": DEFAULT_TOLERANCE_LU if tolerance is None else tolerance,
        "true_peak_dbtp": effective["true_peak_dbtp"],
        "overridden": [name for name, value in own.items() if target is not None and value is not None],
    }


# --------------------------------------------------------------------------------------------
# The whole brand


def check_brand(
    brand: Brand,
    reports: Mapping[str, Measurements | Report | None],
    *,
    slug: str | None = None,
    min_confidence: float = MIN_ESTIMATE_CONFIDENCE,
) -> ConformanceMatrix:
    """Check every asset of ``brand`` against its touchpoints, musical DNA and delivery specs.

    ``reports`` maps asset id -> analysis report (see the module docstring), ``None`` when the
    analysis failed; an asset missing from it counts as not analysed. ``slug`` names the brand
    in failure messages (default: the brand's name). Tempo and key estimates below
    ``min_confidence`` give "unknown" (0 judges every estimate).

    Returns::

        {"rows": [{"asset": id, "asset_title": str, "touchpoint": id, "touchpoint_name": str,
                   "target": resolve_loudness(...) | None, "checks": [check, ...], "status": ...}],
         "assets": [{"asset": id, "asset_title": str, "role": str, "checks": [...], "status": ...}],
         "summary": {"passed": n, "failed": n, "unknown": n},
         "failures": ["aurora/logo at app-launch: integrated -18.2 LUFS, expected -14 ±1 LUFS (spotify)",
                      ...]}

    ``rows`` holds one row per asset × touchpoint it is used at (the asset's ``touchpoints`` and
    every touchpoint whose ``assets`` lists it), assets and touchpoints in brand order. ``assets``
    holds one row per asset with its musical-DNA and delivery checks. Each check is
    ``{"check": id, "label": str, "expected": str, "measured": str, "status": "pass" | "fail" |
    "unknown", "message": str}``. A row's ``status`` is ``"fail"`` if any check fails, else
    ``"unknown"`` if any is unknown, else ``"advisory"`` if a delivery-spec check differs (see
    :func:`_advisory`), else ``"pass"``; ``"none"`` when it has no checks.
    """
    name = slug or brand.identity.name
    rows: list[TouchpointRow] = []
    asset_rows: list[AssetRow] = []
    failures: list[str] = []
    for asset in brand.assets:
        given = reports.get(asset.id)
        report = given.model_dump() if isinstance(given, Measurements) else given
        missing = "analysis failed" if asset.id in reports else "not analysed"
        for touchpoint in brand.touchpoints_of(asset):
            target = resolve_loudness(touchpoint.loudness) if touchpoint.loudness is not None else None
            checks = touchpoint_checks(touchpoint, target, report, missing=missing, role=asset.role)
            rows.append(
                {
                    "asset": asset.id,
                    "asset_title": asset.title,
                    "touchpoint": touchpoint.id,
                    "touchpoint_name": touchpoint.name,
                    "target": target,
                    "checks": checks,
                    "status": _row_status(checks),
                }
            )
            failures += [
                f"{name}/{asset.id} at {touchpoint.id}: {check['message']}"
                for check in checks
                if check["status"] == "fail"
            ]
        checks = asset_checks(asset, brand, report, missing=missing, min_confidence=min_confidence)
        asset_rows.append(
            {
                "asset": asset.id,
                "asset_title": asset.title,
                "role": asset.role,
                "checks": checks,
                "status": _row_status(checks),
            }
        )
        failures += [
            f"{name}/{asset.id}: {check['message']}" for check in checks if check["status"] == "fail"
        ]
    every = [check for row in [*rows, *asset_rows] for check in row["checks"]]
    summary = {
        status: sum(1 for check in every if check["status"] == key)
        for status, key in (("passed", "pass"), ("failed", "fail"), ("unknown", "unknown"),
                            ("advisory", "advisory"))
    }
    return {"rows": rows, "assets": asset_rows, "summary": summary, "failures": failures}


def touchpoint_checks(
    touchpoint: Touchpoint,
    target: Mapping[str, Any] | None,
    report: Report | None,
    *,
    missing: str = "analysis failed",
    role: str | None = None,
) -> list[Check]:
    """The checks of one asset (of ``role``) at one touchpoint: integrated loudness, true peak,
    maximum duration (the role's own limit when the touchpoint gives one per role), format and the
    technical profile (sample rate, channels, energy outside the band), each only when the
    touchpoint specifies it. ``target`` is :func:`resolve_loudness` of the touchpoint's loudness
    spec (or ``None``)."""
    checks: list[Check] = []
    loudness = _section(report, "loudness")
    fmt = _section(report, "format")
    if target is not None and target["integrated_lufs"] is not None:
        wanted, tolerance = float(target["integrated_lufs"]), float(target["tolerance_lu"])
        expected = f"{display.number(wanted)} ±{display.number(tolerance)} LUFS{_standard_note(target)}"
        checks.append(_measured_check(
            "loudness.integrated", "Integrated loudness", expected,
            report, loudness, "integrated_lufs", missing, digits=1, noun="integrated",
            show=lambda value: f"{display.signed(value)} LUFS",
            passes=lambda value: abs(value - wanted) <= tolerance + 1e-9))
    if target is not None and target["true_peak_dbtp"] is not None:
        ceiling = float(target["true_peak_dbtp"])
        checks.append(_measured_check(
            "loudness.true_peak", "True peak", f"≤ {display.number(ceiling)} dBTP{_standard_note(target)}",
            report, loudness, "true_peak_dbtp", missing, digits=1, noun="true peak",
            show=lambda value: f"{display.signed(value)} dBTP", passes=lambda value: value <= ceiling + 1e-9))
    limit = touchpoint.max_duration_for(role) if role is not None else (
        touchpoint.max_duration_s if isinstance(touchpoint.max_duration_s, float) else None)
    if limit is not None:
        per_role = f" for {role}" if isinstance(touchpoint.max_duration_s, dict) else ""
        checks.append(_measured_check(
            "duration.max", "Duration", f"≤ {display.seconds(limit)}{per_role}", report, fmt, "duration_s",
            missing, digits=2, noun="duration", show=display.seconds, passes=lambda value: value <= limit + 1e-9))
    if touchpoint.formats:
        checks.append(
            _format_check("format.touchpoint", "Format", list(touchpoint.formats), report, fmt, missing)
        )
    if touchpoint.profile is not None:
        checks += _profile_checks(touchpoint, report, missing)
    if touchpoint.playback is not None:
        checks += _playback_checks(touchpoint, report, missing, role)
    return checks


def _playback_checks(touchpoint: Touchpoint, report: Report | None, missing: str, role: str | None) -> list[Check]:
    """The minimum shares the touchpoint's playback chain must keep: of the energy, and of the
    speech band for voice and IVR assets (compared in whole percent, as shown)."""
    playback = touchpoint.playback
    assert playback is not None
    auditions = _section(report, "auditions")
    audition = auditions.get(playback.chain) if auditions is not None else None
    section = audition if isinstance(audition, Mapping) else None
    checks: list[Check] = []
    wanted: list[tuple[str, str, str, float | None, str]] = [
        ("playback.energy_kept", "Energy kept", "energy_kept_percent", playback.min_energy_kept_percent,
         "of the energy"),
    ]
    if role in SPEECH_ROLES:
        wanted.append(("playback.speech_kept", "Speech band kept", "speech_band_kept_percent",
                       playback.min_speech_band_kept_percent, "of the speech band"))
    for check_id, label, key, minimum, what in wanted:
        if minimum is None:
            continue
        expected = f"≥ {display.number(minimum)} % {what} through {playback.chain}"
        measured = _value(section, key)
        if measured is None:
            reason = missing if report is None else _reason(section, section, key, "no audition was rendered")
            checks.append(_unknown(check_id, label, expected, reason))
            continue
        percent = round(measured)
        checks.append(_check(check_id, label, expected, f"{percent} %", percent >= minimum - 1e-9,
                             f"keeps {percent} % {what} through {playback.chain}, expected at least "
                             f"{display.number(minimum)} %"))
    return checks


def _profile_checks(touchpoint: Touchpoint, report: Report | None, missing: str) -> list[Check]:
    """Sample rate, channels and bandwidth of the touchpoint's playback channel (see the module docstring)."""
    profile = touchpoint.profile
    assert profile is not None
    checks: list[Check] = []
    fmt = _section(report, "format")
    for check_id, label, key, wanted, unit in (
        ("profile.sample_rate", "Sample rate", "sample_rate_hz", profile.sample_rate_hz, "Hz"),
        ("profile.channels", "Channels", "channels", profile.channels, ""),
    ):
        if wanted is None:
            continue
        expected = f"{wanted} {unit}".strip() + " (channel profile)"
        measured = _value(fmt, key)
        if measured is None:
            checks.append(_unknown(check_id, label, expected, _reason(report, fmt, key, missing)))
            continue
        shown = f"{display.number(measured)} {unit}".strip()
        checks.append(_check(check_id, label, expected, shown, measured == wanted,
                             f"{label.lower()} {shown}, expected {expected}"))
    band = profile.band()
    if band is not None:
        low, high = band
        limit = profile.max_energy_outside_percent
        expected = f"≤ {display.number(limit)} % of the energy outside {profile.band_label()}"
        spectrum = _section(report, "spectrum")
        share = None
        if spectrum is not None:
            share = energy_outside_share(list(spectrum.get("freqs_hz") or []), list(spectrum.get("db") or []),
                                         low_hz=low, high_hz=high)
        if share is None:
            reason = missing if report is None else "no spectrum (silent or too short)"
            checks.append(_unknown("profile.bandwidth", "Bandwidth", expected, reason))
        else:
            percent = round(share * 100)
            shown = f"{percent} % outside"
            checks.append(_check("profile.bandwidth", "Bandwidth", expected, shown, percent <= limit + 1e-9,
                                 f"{percent} % of the energy lies outside {profile.band_label()}, expected "
                                 f"≤ {display.number(limit)} % (the channel drops it)"))
    return checks


def asset_checks(
    asset: Asset,
    brand: Brand,
    report: Report | None,
    *,
    missing: str = "analysis failed",
    min_confidence: float = MIN_ESTIMATE_CONFIDENCE,
) -> list[Check]:
    """The checks of one asset against the brand: musical DNA (tempo, keys; roles in
    :data:`DNA_ROLES` only; an estimate below ``min_confidence`` is "unknown") and delivery specs
    (format, sample rate, bit depth, channels; no bit-depth check for lossy formats, which have
    none)."""
    checks: list[Check] = []
    dna = brand.strategy.musical_dna
    if asset.role in DNA_ROLES:
        checks += _dna_checks(dna, report, missing, min_confidence)
    delivery = brand.delivery
    if delivery is None:
        return checks
    checks += [_advisory(check) for check in _delivery_checks(delivery, report, missing)]
    return checks


def _advisory(check: Check) -> Check:
    """Delivery specs say what vendors deliver as masters; the files in a guide may be previews
    (smaller, lossy), so a difference is shown as advice, never counted as a failure."""
    if check["status"] != "fail":
        return check
    return {**check, "status": "advisory",
            "message": check["message"] + "; the delivery spec applies to masters, this file may be a preview"}


def _delivery_checks(delivery: Any, report: Report | None, missing: str) -> list[Check]:
    checks: list[Check] = []
    fmt = _section(report, "format")
    if delivery.formats:
        checks.append(
            _format_check("delivery.format", "Delivery format", list(delivery.formats), report, fmt, missing)
        )
    for check_id, label, key, wanted, unit in (
        ("delivery.sample_rate", "Sample rate", "sample_rate_hz", delivery.sample_rate_hz, "Hz"),
        ("delivery.bit_depth", "Bit depth", "bit_depth", delivery.bit_depth, "bit"),
        ("delivery.channels", "Channels", "channels", delivery.channels, ""),
    ):
        if wanted is None:
            continue
        measured = _value(fmt, key)
        if key == "bit_depth" and measured is None and _is_lossy(fmt):
            continue
        expected = f"{wanted} {unit}".strip()
        if measured is None:
            checks.append(_unknown(check_id, label, expected, _reason(report, fmt, key, missing)))
            continue
        shown = f"{display.number(measured)} {unit}".strip()
        checks.append(
            _check(
                check_id,
                label,
                expected,
                shown,
                measured == wanted,
                f"{label.lower()} {shown}, expected {expected} (delivery spec)",
            )
        )
    return checks


# --------------------------------------------------------------------------------------------
# Musical DNA


def _dna_checks(dna: MusicalDNA, report: Report | None, missing: str, min_confidence: float) -> list[Check]:
    checks: list[Check] = []
    if dna.tempo_bpm is not None:
        tempo_confidence = max(min_confidence, MIN_TEMPO_CONFIDENCE) if min_confidence > 0 else 0.0
        checks.append(_tempo_check(dna.tempo_bpm.min, dna.tempo_bpm.max, report, missing, tempo_confidence))
    if dna.keys:
        checks.append(_key_check(dna.keys, report, missing, min_confidence))
    return checks


def _tempo_check(
    low: float, high: float, report: Report | None, missing: str, min_confidence: float
) -> Check:
    """Tempo in the range, or at half or double time in it; compared in whole BPM as shown."""
    expected = f"{display.number(low)}–{display.number(high)} BPM (half/double time accepted)"
    tempo = _section(report, "tempo")
    bpm = _value(tempo, "bpm")
    if bpm is None or bpm <= 0:
        return _unknown("dna.tempo", "Tempo", expected, _reason(report, tempo, "bpm", missing))
    shown = float(round(bpm))
    measured = f"{display.number(shown)} BPM{_confidence(tempo, min_confidence or MIN_TEMPO_CONFIDENCE)}"
    uncertain = _uncertain(tempo, min_confidence)
    if uncertain is not None:
        return _unknown("dna.tempo", "Tempo", expected, f"estimated {display.number(shown)} BPM, {uncertain}", measured)
    if low <= shown <= high:
        ok, how = True, "is within the range"
    elif low <= shown / 2 <= high:
        ok, how = True, f"is within the range at half time ({display.number(shown / 2)} BPM)"
    elif low <= shown * 2 <= high:
        ok, how = True, f"is within the range at double time ({display.number(shown * 2)} BPM)"
    else:
        ok, how = False, "is outside the range, also at half and double time"
    message = (f"estimated tempo {display.number(shown)} BPM {how}; "
               f"expected {display.number(low)}–{display.number(high)} BPM")
    return _check("dna.tempo", "Tempo", expected, measured, ok, message)


def _key_check(keys: list[str], report: Report | None, missing: str, min_confidence: float) -> Check:
    expected = ", ".join(keys) + " (relative major/minor accepted)"
    section = _section(report, "key")
    name = section.get("name") if section is not None else None
    if not isinstance(name, str) or not name.strip():
        return _unknown("dna.key", "Key", expected, _reason(report, section, "name", missing))
    name = name.strip()
    estimate = parse_key(name)
    if estimate is None:
        return _unknown("dna.key", "Key", expected, f"the estimate {name!r} is not a key")
    measured = f"{name}{_confidence(section, min_confidence or MIN_ESTIMATE_CONFIDENCE)}"
    uncertain = _uncertain(section, min_confidence)
    if uncertain is not None:
        return _unknown("dna.key", "Key", expected, f"estimated {name}, {uncertain}", measured)
    match = next((key for key in keys if _key_matches(parse_key(key), estimate)), None)
    if match is not None:
        return _check("dna.key", "Key", expected, measured, True, f"estimated key {name} matches {match}")
    # Like half and double time for tempo: a relative major or minor has the same notes, and key
    # estimators confuse the two more than any other pair (MIREX scores it 0.3, not 0).
    relative = _relative_key(estimate)
    match = next((key for key in keys if relative is not None and _key_matches(parse_key(key), relative)), None)
    if match is not None:
        return _check("dna.key", "Key", expected, measured, True,
                      f"estimated key {name} is the relative {estimate[1]} of {match} (the same notes; "
                      "an estimate cannot always tell the two apart)")
    return _check("dna.key", "Key", expected, measured, False,
                  f"estimated key {name} is not one of {', '.join(keys)}, nor their relative major or minor")


def _uncertain(section: Mapping[str, Any] | None, min_confidence: float) -> str | None:
    """Why an estimate is too uncertain to judge, or ``None`` when it may be judged (a missing
    confidence counts as certain)."""
    confidence = _value(section, "confidence")
    if confidence is None or confidence >= min_confidence:
        return None
    return f"too uncertain to judge (confidence {confidence:.2f} < {min_confidence:.2f})"


_NOTE = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTAL = {"": 0, "#": 1, "♯": 1, "b": -1, "♭": -1}
#: Each mode as semitones from its tonic down to the tonic of the major key with the same notes.
_MODES = {
    "major": 0,
    "ionian": 0,
    "maj": 0,
    "minor": 9,
    "min": 9,
    "m": 9,
    "aeolian": 9,
    "dorian": 2,
    "phrygian": 4,
    "lydian": 5,
    "mixolydian": 7,
    "locrian": 11,
}
_KEY = re.compile(r"^\s*([A-Ga-g])\s*([#b♯♭]?)\s*(?:-\s*)?([A-Za-z]*)\s*$")


def parse_key(text: str) -> tuple[int, str | None] | None:
    """``(tonic pitch class 0–11, mode)`` of a key name, or ``None`` if it is not one.

    The mode is normalised: ``"major"`` (major, maj, ionian), ``"minor"`` (minor, min, m,
    aeolian), a church mode's name, or ``None`` when the text gives none. ``"F# minor"``,
    ``"F♯m"`` and ``"Gb min"`` give ``(6, "minor")``.
    """
    match = _KEY.match(text)
    if match is None:
        return None
    letter, accidental, mode_text = match.groups()
    pitch = (_NOTE[letter.upper()] + _ACCIDENTAL[accidental]) % 12
    if not mode_text:
        return pitch, None
    # "m" is minor and "M" major (chord-symbol style); any other spelling is case-insensitive.
    mode = {"m": "minor", "M": "major"}.get(mode_text, mode_text.lower())
    if mode not in _MODES:
        return None
    normal = {"ionian": "major", "maj": "major", "min": "minor", "m": "minor", "aeolian": "minor"}
    return pitch, normal.get(mode, mode)


def _relative_key(key: tuple[int, str | None]) -> tuple[int, str] | None:
    """The relative minor of a major key, or the relative major of a minor one (else ``None``)."""
    pitch, mode = key
    if mode == "major":
        return (pitch + 9) % 12, "minor"
    if mode == "minor":
        return (pitch + 3) % 12, "major"
    return None


def _key_matches(wanted: tuple[int, str | None] | None, estimate: tuple[int, str | None]) -> bool:
    if wanted is None:
        return False
    (wanted_pitch, wanted_mode), (pitch, mode) = wanted, estimate
    if wanted_mode is None or mode is None:
        return wanted_pitch == pitch
    if wanted_mode in ("major", "minor") and mode in ("major", "minor"):
        return (wanted_pitch, wanted_mode) == (pitch, mode)
    # A church mode: compare the notes (the parent major key).
    return (wanted_pitch - _MODES[wanted_mode]) % 12 == (pitch - _MODES[mode]) % 12


# --------------------------------------------------------------------------------------------
# Helpers


def _measured_check(
    check_id: str,
    label: str,
    expected: str,
    report: Report | None,
    section: Mapping[str, Any] | None,
    key: str,
    missing: str,
    *,
    digits: int,
    noun: str,
    show: Callable[[float], str],
    passes: Callable[[float], bool],
) -> Check:
    """A check of one measured number: "unknown" (with the reason) when the analysis has none,
    else judged on the value rounded to ``digits`` as shown, so a shown value and its verdict agree."""
    measured = _value(section, key)
    if measured is None:
        return _unknown(check_id, label, expected, _reason(report, section, key, missing))
    shown = round(measured, digits)
    return _check(check_id, label, expected, show(shown), passes(shown),
                  f"{noun} {show(shown)}, expected {expected}")


def _format_check(
    check_id: str,
    label: str,
    allowed: list[str],
    report: Report | None,
    fmt: Mapping[str, Any] | None,
    missing: str,
) -> Check:
    expected = " or ".join(allowed)
    container = _container(fmt.get("container")) if fmt is not None else None
    codec = _container(fmt.get("codec")) if fmt is not None else None
    if container is None:
        return _unknown(check_id, label, expected, _reason(report, fmt, "container", missing))
    measured = container if codec in (None, container) else f"{container} ({codec})"
    ok = container in allowed or (codec is not None and codec in allowed)
    where = "delivery spec" if check_id.startswith("delivery") else "touchpoint"
    return _check(
        check_id, label, expected, measured, ok, f"format {measured}, expected {expected} ({where})"
    )


def _is_lossy(fmt: Mapping[str, Any] | None) -> bool:
    """Whether the format stores no bit depth: a lossy container, unless its codec is lossless
    (FLAC in Ogg)."""
    if fmt is None:
        return False
    codec = fmt.get("codec")
    codec_name = codec.strip().lower() if isinstance(codec, str) else ""
    if codec_name in ("flac", "alac") or codec_name.startswith("pcm"):
        return False
    return _container(fmt.get("container")) in LOSSY_FORMATS


def _container(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    name = value.strip().lower()
    return _CONTAINER_ALIASES.get(name, name)


def _section(report: Report | None, name: str) -> Mapping[str, Any] | None:
    if report is None:
        return None
    section = report.get(name)
    return section if isinstance(section, Mapping) else None


def _value(section: Mapping[str, Any] | None, key: str) -> float | None:
    """A finite number from ``section[key]``, else ``None``."""
    if section is None:
        return None
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _reason(report: Report | None, section: Mapping[str, Any] | None, key: str, missing: str) -> str:
    """Why a measurement is missing: the analysis' own reason when it gives one, looked up in
    ``report["null_reasons"][key]``, then ``section["reason"]`` (tempo, key), then
    ``section["reasons"][key]``."""
    if report is None:
        return missing
    null_reasons = report.get("null_reasons")
    if isinstance(null_reasons, Mapping) and isinstance(null_reasons.get(key), str):
        return str(null_reasons[key])
    if section is None:
        return "not measured"
    if isinstance(section.get("reason"), str) and section["reason"]:
        return str(section["reason"])
    reasons = section.get("reasons")
    if isinstance(reasons, Mapping) and isinstance(reasons.get(key), str):
        return str(reasons[key])
    return "not measurable for this file"


def _check(check_id: str, label: str, expected: str, measured: str, ok: bool, message: str) -> Check:
    return {
        "check": check_id,
        "label": label,
        "expected": expected,
        "measured": measured,
        "status": "pass" if ok else "fail",
        "message": message,
    }


def _unknown(check_id: str, label: str, expected: str, reason: str, measured: str = "unknown") -> Check:
    return {
        "check": check_id,
        "label": label,
        "expected": expected,
        "measured": measured,
        "status": "unknown",
        "message": f"{label.lower()} unknown ({reason}), expected {expected}",
    }


def _row_status(checks: list[Check]) -> str:
    statuses = {check["status"] for check in checks}
    if not statuses:
        return "none"
    for status in ("fail", "unknown", "advisory"):
        if status in statuses:
            return status
    return "pass"


def _standard_note(target: Mapping[str, Any]) -> str:
    if target.get("standard") is None:
        return ""
    overridden = target.get("overridden") or []
    return f" ({target['standard']}{', adjusted' if overridden else ''})"


def _confidence(section: Mapping[str, Any] | None, uncertain_below: float) -> str:
    """`` (estimate, confidence 0.82)``; below ``uncertain_below`` ``(uncertain estimate, ...)``."""
    confidence = _value(section, "confidence")
    if confidence is None:
        return ""
    kind = "uncertain estimate" if confidence < uncertain_below else "estimate"
    return f" ({kind}, confidence {confidence:.2f})"
