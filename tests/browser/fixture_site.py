"""Builds the player fixture site: synthesised WAV files, peaks, Material's stylesheets, the
player's JS and CSS, and pages rendered from ``fixtures/players.html`` with our macros."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jinja2
import material
import numpy as np
import soundfile as sf

from sonicguide.core.views import format as fmt

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "plugins" / "sonicguide"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_RATE_HZ = 22050
PEAK_COLUMNS = 300


def synthesise(duration_s: float, frequency_hz: float, amplitude: float) -> np.ndarray:
    """A mono tone with a slow tremolo (so the waveform has shape), float32, shape (n,)."""
    t = np.arange(int(duration_s * SAMPLE_RATE_HZ)) / SAMPLE_RATE_HZ
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 0.5 * t)
    return (amplitude * envelope * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)


def peaks(samples: np.ndarray, columns: int = PEAK_COLUMNS) -> list[list[float]]:
    """[min, max] per column, in -1..1, as plain floats."""
    return [[float(chunk.min()), float(chunk.max())] for chunk in np.array_split(samples, columns)]


def environment() -> jinja2.Environment:
    """A Jinja environment configured like the core's: autoescape on, StrictUndefined."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([PACKAGE / "templates", FIXTURES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _asset(out: Path, asset_id: str, title: str, samples: np.ndarray, **extra: Any) -> dict[str, Any]:
    sf.write(out / "audio" / f"{asset_id}.wav", samples, SAMPLE_RATE_HZ, subtype="PCM_16")
    data: dict[str, Any] = {
        "id": asset_id,
        "title": title,
        "src": f"audio/{asset_id}.wav",
        "mime": "audio/wav",
        "duration_s": len(samples) / SAMPLE_RATE_HZ,
        "integrated_lufs": None,
        "peaks": peaks(samples),
        "regions": [],
        "markers": [],
        "downloadable": True,
        "text_alternative": None,
        "transcript": None,
    }
    data.update(extra)
    return fmt.player_labels(data)


def build_fixture_site(out: Path) -> dict[str, Any]:
    """Write the fixture site into ``out``; return the data the pages were rendered from."""
    (out / "audio").mkdir(parents=True, exist_ok=True)
    shutil.copytree(PACKAGE / "assets", out / "assets", dirs_exist_ok=True)
    stylesheets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    (out / "material").mkdir(exist_ok=True)
    main_css = next(stylesheets.glob("main.*.min.css"))
    palette_css = next(stylesheets.glob("palette.*.min.css"))
    for css in (main_css, palette_css):
        shutil.copy(css, out / "material" / css.name)

    anthem = _asset(
        out,
        "anthem",
        "Brand anthem <full>",
        synthesise(12.0, 220.0, 0.5),
        integrated_lufs=-14.0,
        regions=[
            {"start_s": 2.0, "end_s": 3.0, "label": "Generated bridge", "kind": "ai-generated"},
            {"start_s": 6.0, "end_s": 9.0, "label": "Human outro & tag", "kind": "human"},
        ],
        markers=[{"at_s": 10.5, "label": "sonic logo"}],
        text_alternative="A warm, rising string motif that resolves on a bright chord.",
        transcript="(no words)\nHummed melody only.",
    )
    logo = _asset(
        out,
        "logo",
        "Sonic logo",
        synthesise(4.0, 440.0, 0.3),
        integrated_lufs=-18.5,
        downloadable=False,
        text_alternative="Three rising notes.",
        markers=[{"at_s": 1.0, "label": "last note"}],
    )
    chime = _asset(out, "chime", "UI chime", synthesise(2.0, 880.0, 0.2), peaks=[])
    # Shorter than a second: its clocks read in seconds with two decimals, never "0:00 / 0:00";
    # its two markers 0.1 s apart read differently.
    click = _asset(out, "click", "UI click", synthesise(0.45, 1320.0, 0.3),
                   markers=[{"at_s": 0.1, "label": "attack"}, {"at_s": 0.2, "label": "tail"}])
    anthem_ai = _asset(
        out, "anthem-ai", "Brand anthem, AI variant", synthesise(12.0, 330.0, 0.25), integrated_lufs=-20.0
    )
    jingle = _asset(
        out,
        "jingle",
        "Next-page jingle",
        synthesise(6.0, 523.0, 0.3),
        integrated_lufs=-16.0,
        text_alternative="A short jingle.",
    )
    compare = fmt.comparison_labels({
        "id": "anthems",
        "items": [
            {key: a[key] for key in ("id", "title", "src", "mime", "integrated_lufs")}
            for a in (anthem, anthem_ai, chime)
        ],
    })
    data = {
        "players": [anthem, logo, chime, click],
        "compare": compare,
        "next_player": jingle,
        "material_css": main_css.name,
        "palette_css": palette_css.name,
    }
    template = environment().get_template("players.html")
    (out / "players.html").write_text(template.render(material_like=True, **data), encoding="utf-8")
    (out / "plain.html").write_text(template.render(material_like=False, **data), encoding="utf-8")
    return data
