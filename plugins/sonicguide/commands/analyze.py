"""``sonicguide analyze FILE... [--json]``: measure audio files and print the results.

With ``--logo LOGO_FILE`` it answers another question instead: where does the logo's motif play
in each FILE (time, similarity, transposition, stretch)?

Every file is measured even when another one fails; a file that cannot be decoded is named with
the reason on stderr (and gets an ``error`` field in JSON), and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from sonicguide.core.audio import analyze_file
from sonicguide.core.errors import AudioError
from sonicguide.core.judge.conformance import MIN_ESTIMATE_CONFIDENCE, MIN_TEMPO_CONFIDENCE
from sonicguide.core.views import format as fmt

#: Keys of one JSON object, in order (every key present; ``None`` where no value exists).
JSON_KEYS = (
    "file",
    "container",
    "codec",
    "duration_s",
    "sample_rate_hz",
    "bit_depth",
    "channels",
    "mislabelled",
    "integrated_lufs",
    "loudness_range_lu",
    "true_peak_dbtp",
    "sample_peak_dbfs",
    "max_momentary_lufs",
    "max_short_term_lufs",
    "spectral_centroid_hz",
    "tempo_bpm",
    "tempo_confidence",
    "tempo_uncertain",
    "key",
    "key_confidence",
    "key_uncertain",
    "null_reasons",
    "error",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="measure audio files (loudness, true peak, spectrum, tempo, key)",
        description="Measure audio files: loudness per ITU-R BS.1770-4 / EBU R128, true peak, "
        "spectral centroid, and estimated tempo and key.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="audio files to measure")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of tables")
    parser.add_argument(
        "--max-duration",
        type=seconds_option,
        default=None,
        metavar="SECONDS",
        help="refuse files longer than this (default: 10800, i.e. 3 h; 0: no duration limit)",
    )
    parser.add_argument(
        "--logo",
        type=Path,
        default=None,
        metavar="LOGO_FILE",
        help="instead of measuring, find where this sonic logo's motif occurs in each FILE",
    )
    parser.set_defaults(func=run)


def seconds_option(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more (0: no limit), as ``--max-duration`` takes it."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds, 0 or more (0: no limit), got {text!r}")
    return value


def summarise(file: str, analysis: dict[str, Any]) -> dict[str, Any]:
    """Flatten one :func:`~sonicguide.core.audio.analyze_file` result into the CLI's JSON object."""
    fmt, loudness = analysis["format"], analysis["loudness"]
    null_reasons = dict(analysis["null_reasons"])
    if analysis["tempo"]["bpm"] is None:
        null_reasons["tempo_bpm"] = analysis["tempo"]["reason"]
    if analysis["key"]["name"] is None:
        null_reasons["key"] = analysis["key"]["reason"]
    row: dict[str, Any] = {
        "file": file,
        "container": fmt["container"],
        "codec": fmt["codec"],
        "duration_s": fmt["duration_s"],
        "sample_rate_hz": fmt["sample_rate_hz"],
        "bit_depth": fmt["bit_depth"],
        "channels": fmt["channels"],
        "mislabelled": fmt["mislabelled"],
        **{key: loudness[key] for key in JSON_KEYS if key in loudness},
        "spectral_centroid_hz": analysis["spectral"]["centroid_hz"],
        "tempo_bpm": analysis["tempo"]["bpm"],
        "tempo_confidence": analysis["tempo"]["confidence"],
        "tempo_uncertain": _uncertain(analysis["tempo"]["bpm"], analysis["tempo"]["confidence"],
                                      MIN_TEMPO_CONFIDENCE),
        "key": analysis["key"]["name"],
        "key_confidence": analysis["key"]["confidence"],
        "key_uncertain": _uncertain(analysis["key"]["name"], analysis["key"]["confidence"], MIN_ESTIMATE_CONFIDENCE),
        "null_reasons": null_reasons,
        "error": None,
    }
    return {key: row.get(key) for key in JSON_KEYS}


def _uncertain(value: Any, confidence: float | None, uncertain_below: float) -> bool | None:
    """Whether an estimate is too uncertain to be judged by the site (``None`` when there is none)."""
    if value is None:
        return None
    return confidence is not None and confidence < uncertain_below


def _failed(file: str, message: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(JSON_KEYS)
    row.update(file=file, null_reasons={}, error=message)
    return row


_TABLE = (
    ("integrated_lufs", "integrated loudness", "LUFS"),
    ("loudness_range_lu", "loudness range", "LU"),
    ("true_peak_dbtp", "true peak", "dBTP"),
    ("sample_peak_dbfs", "sample peak", "dBFS"),
    ("max_momentary_lufs", "max momentary", "LUFS"),
    ("max_short_term_lufs", "max short-term", "LUFS"),
    ("spectral_centroid_hz", "spectral centroid", "Hz"),
)


def _value(row: dict[str, Any], key: str, unit: str) -> str:
    value = row[key]
    if value is not None:
        return f"{fmt.signed(value, 1)} Hz" if unit == "Hz" else f"{fmt.signed(value, 2)} {unit}"
    reason = row["null_reasons"].get(key, "not measured")
    # The level of silence is minus infinity, never a number.
    prefix = f"{fmt.MINUS}\u221e {unit}" if reason.startswith("silent") and unit != "Hz" else "none"
    return f"{prefix} ({reason})"


def _certainty(confidence: float | None, uncertain_below: float) -> str:
    """``"confidence 0.82"``, or ``"uncertain, confidence 0.21"`` below the threshold the site uses."""
    if confidence is None:
        return "no confidence given"
    prefix = "uncertain, " if confidence < uncertain_below else ""
    return f"{prefix}confidence {confidence:.2f}"


def render_table(row: dict[str, Any]) -> str:
    """Human-readable block of lines for one file."""
    depth = f", {row['bit_depth']}-bit" if row["bit_depth"] else ""
    lines = [
        row["file"],
        f"  {'format':<26}{row['container'].upper()} ({row['codec']}), {row['sample_rate_hz']} Hz{depth}, "
        f"{row['channels']} ch, {fmt.signed(row['duration_s'], 2)} s",
    ]
    if row["mislabelled"]:
        lines.append(f"  {'warning':<26}{row['mislabelled']}")
    lines += [f"  {label:<26}{_value(row, key, unit)}" for key, label, unit in _TABLE]
    if row["tempo_bpm"] is not None:
        tempo = f"{row['tempo_bpm']:.1f} BPM ({_certainty(row['tempo_confidence'], MIN_TEMPO_CONFIDENCE)})"
    else:
        tempo = f"none ({row['null_reasons'].get('tempo_bpm')})"
    if row["key"] is not None:
        key = f"{row['key']} ({_certainty(row['key_confidence'], MIN_ESTIMATE_CONFIDENCE)})"
    else:
        key = f"none ({row['null_reasons'].get('key')})"
    lines += [f"  {'tempo (estimate)':<26}{tempo}", f"  {'key (estimate)':<26}{key}"]
    return "\n".join(lines)


def _occurrence_rows(logo: Path, files: list[Path], max_duration_s: float | None) -> tuple[list[dict[str, Any]], int]:
    from ..core.audio.motif import THRESHOLD, find_logo_in_file, motif_template, read_mono

    try:
        template = motif_template(*read_mono(logo, max_duration_s=max_duration_s))
    except AudioError as exc:
        print(f"error: logo {exc}", file=sys.stderr)
        return [{"file": str(path), "logo": str(logo), "duration_s": None, "threshold": THRESHOLD,
                 "occurrences": [], "error": f"logo: {exc.message}"} for path in files], len(files)
    rows, failed = [], 0
    for path in files:
        row: dict[str, Any] = {"file": str(path), "logo": str(logo), "duration_s": None, "threshold": THRESHOLD,
                               "occurrences": [], "error": None}
        try:
            search = find_logo_in_file(template, path, max_duration_s=max_duration_s)
        except AudioError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            row["error"] = exc.message
        else:
            row["duration_s"] = search.duration_s
            row["occurrences"] = [
                {"time_s": o.time_s, "similarity": o.similarity,
                 "transposition_semitones": o.transposition_semitones, "stretch": o.stretch}
                for o in search.occurrences
            ]
        rows.append(row)
    return rows, failed


def render_occurrences(row: dict[str, Any]) -> str:
    """Human-readable lines for one file's logo search."""
    lines = [row["file"]]
    if not row["occurrences"]:
        lines.append(f"  no occurrence of {row['logo']} (similarity threshold {row['threshold']:.2f})")
    for o in row["occurrences"]:
        minutes, seconds = divmod(o["time_s"], 60.0)
        lines.append(
            f"  sonic logo at {int(minutes)}:{seconds:04.1f}  similarity {o['similarity']:.2f}  "
            f"transposed {o['transposition_semitones']:+d} st  stretch x{o['stretch']:.2f}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.logo is not None:
        with threadpool_limits(limits=1):
            found, failed_count = _occurrence_rows(args.logo, list(args.files), args.max_duration)
        if args.json:
            print(json.dumps(found, indent=2, allow_nan=False))
        else:
            print("\n\n".join(render_occurrences(row) for row in found if row["error"] is None))
        return 1 if failed_count else 0
    rows: list[dict[str, Any]] = []
    failed = 0
    total = len(args.files)
    show_progress = total > 1 and not args.json and sys.stderr.isatty()
    # One BLAS thread: our matrix products are small, and a build runs several workers at once.
    with threadpool_limits(limits=1):
        for index, path in enumerate(args.files, start=1):
            file = str(path)
            if show_progress:
                print(f"[{index}/{total}] analysing {file}", file=sys.stderr)
            try:
                row = summarise(file, analyze_file(path, max_duration_s=args.max_duration))
            except AudioError as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
                row = _failed(file, exc.advice)
            rows.append(row)
            if not args.json and row["error"] is None:
                print(render_table(row) + ("\n" if index < total else ""))
    if args.json:
        # Strict JSON (RFC 8259): the analysis reports no NaN or infinity, and this would refuse one.
        print(json.dumps(rows, indent=2, allow_nan=False))
    return 1 if failed else 0
