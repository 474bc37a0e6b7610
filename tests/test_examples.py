"""The example brands: they validate, span the disclosure spectrum, and their audio is what it claims.

The audio is checked against the brand data (durations, formats, touchpoint loudness and true-peak
targets, markers, keys, tempi) and against the generator script that made it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import math
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from scipy import signal

from sonicguide.core.judge.targets import standard_targets
from sonicguide.core.load.brand import LoadedBrand, load_brands
from sonicguide.core.load.model import Mode, Stage

REPO = Path(__file__).resolve().parent.parent
BRANDS_DIR = REPO / "brands"
GENERATOR_PATH = REPO / "scripts" / "make_example_audio.py"
HUMAN = "calder-valley-railway"
HYBRID = "kestrel-health"
MOSTLY_AI = "glitchwave"
SF_FORMATS = {"WAV": "wav", "FLAC": "flac", "OGG": "ogg", "MP3": "mp3"}


@cache
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example_audio", GENERATOR_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@cache
def brands() -> dict[str, LoadedBrand]:
    return {loaded.slug: loaded for loaded in load_brands(BRANDS_DIR)}


@cache
def decoded(path: Path) -> tuple[np.ndarray, int]:
    audio, sr = sf.read(path, dtype="float64", always_2d=True)
    return audio, sr


def true_peak_dbtp(audio: np.ndarray) -> float:
    """4x oversampled peak (ITU-R BS.1770-4 Annex 2 recommends at least 4x)."""
    peak = float(np.max(np.abs(signal.resample_poly(audio, 4, 1, axis=0))))
    return 20 * math.log10(peak)


def integrated_lufs(path: Path) -> float:
    audio, sr = decoded(path)
    return float(pyloudnorm.Meter(sr).integrated_loudness(audio))


def stage_modes(loaded: LoadedBrand) -> list[Mode]:
    return [stage.mode for asset in loaded.brand.assets for stage in asset.disclosure.stages.values()]


def all_assets() -> list[tuple[str, str]]:
    return [(slug, asset.id) for slug, loaded in sorted(brands().items()) for asset in loaded.brand.assets]


# --------------------------------------------------------------------------------------------
# The brands and their disclosures


def test_three_example_brands_validate() -> None:
    assert sorted(brands()) == [HUMAN, MOSTLY_AI, HYBRID]
    for loaded in brands().values():
        assert 6 <= len(loaded.brand.assets) <= 9
        assert 4 <= len(loaded.brand.touchpoints) <= 6
        assert loaded.source.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../../schema/brand.schema.json\n")


def test_human_brand_is_human_at_every_stage() -> None:
    loaded = brands()[HUMAN]
    assert loaded.brand.disclosure_policy.target_tier == "human-made"
    assert set(stage_modes(loaded)) == {Mode.human, Mode.not_applicable}
    for asset in loaded.brand.assets:
        for stage in asset.disclosure.stages.values():
            if stage.mode is Mode.human:
                assert stage.contributors and not stage.tools


def test_hybrid_brand_has_a_human_logo_and_approved_ai_variants() -> None:
    loaded = brands()[HYBRID]
    assert loaded.brand.disclosure_policy.target_tier == "human-directed-ai-assisted"
    assert {Mode.human, Mode.ai_assisted, Mode.ai_generated} <= set(stage_modes(loaded))
    logo = loaded.assets_by_id["sonic-logo"]
    assert {stage.mode for stage in logo.disclosure.stages.values()} <= {Mode.human, Mode.not_applicable}
    generated = [asset for asset in loaded.brand.assets
                 if any(stage.mode is Mode.ai_generated for stage in asset.disclosure.stages.values())]
    assert {asset.role for asset in generated} >= {"variant", "bed"}
    for asset in generated:
        assert asset.disclosure.approval is not None, asset.id
        assert asset.variant_of == "main-theme"
        for stage in asset.disclosure.stages.values():
            if stage.mode is Mode.ai_generated:
                assert all(tool.vendor and tool.version for tool in stage.tools)
    theme = loaded.assets_by_id["main-theme"]
    segments = [segment for stage in theme.disclosure.stages.values() for segment in stage.segments]
    assert [(s.start_s, s.end_s, s.mode) for s in segments] == [(12.0, 20.0, Mode.ai_generated)]


def test_mostly_ai_brand_is_generated_and_curated() -> None:
    loaded = brands()[MOSTLY_AI]
    assert loaded.brand.disclosure_policy.target_tier == "ai-generated-human-curated"
    modes = [mode for mode in stage_modes(loaded) if mode is not Mode.not_applicable]
    assert modes.count(Mode.ai_generated) > len(modes) / 2
    for asset in loaded.brand.assets:
        assert asset.disclosure.stages[Stage.creative_direction].mode is Mode.human
        generated = any(stage.mode is Mode.ai_generated for stage in asset.disclosure.stages.values())
        assert not generated or asset.disclosure.approval is not None, asset.id


def test_policy_rules_hold_for_the_examples() -> None:
    """Each rule's least-human allowed mode is respected by the assets it covers."""
    order = [Mode.human, Mode.ai_assisted, Mode.ai_generated]
    for loaded in brands().values():
        for rule in loaded.brand.disclosure_policy.rules:
            for asset in loaded.brand.assets:
                covered = (asset.id in rule.assets or asset.role in rule.roles
                           or (not rule.assets and not rule.roles))
                if not covered:
                    continue
                for stage_name, stage in asset.disclosure.stages.items():
                    if (rule.stages and stage_name not in rule.stages) or stage.mode is Mode.not_applicable:
                        continue
                    assert order.index(stage.mode) <= order.index(rule.at_most), (
                        loaded.slug, rule.statement, asset.id, stage_name)


def test_evidence_hashes_match_files_in_the_brand_folder() -> None:
    checked = 0
    for loaded in brands().values():
        for asset in loaded.brand.assets:
            for evidence in asset.disclosure.evidence:
                path = loaded.folder / evidence.name
                if evidence.sha256 and path.is_file():
                    assert hashlib.sha256(path.read_bytes()).hexdigest() == evidence.sha256.lower()
                    checked += 1
    assert checked >= 1


# --------------------------------------------------------------------------------------------
# The audio files


def test_every_audio_file_is_an_asset_and_decodes() -> None:
    for loaded in brands().values():
        on_disk = {path.resolve() for path in (loaded.folder / "audio").iterdir() if path.is_file()}
        assert on_disk == set(loaded.asset_paths.values()), loaded.slug
        for path in on_disk:
            audio, sr = decoded(path)
            assert audio.shape[0] > 0.05 * sr
            assert np.all(np.isfinite(audio)) and np.max(np.abs(audio)) < 1.0


def test_formats_and_rates_span_the_range() -> None:
    infos = [sf.info(str(path)) for loaded in brands().values() for path in loaded.asset_paths.values()]
    assert {SF_FORMATS[info.format] for info in infos} == {"wav", "flac", "ogg", "mp3"}
    assert {info.samplerate for info in infos} == {44100, 48000, 96000}
    assert {info.subtype for info in infos} >= {"PCM_16", "PCM_24", "VORBIS", "MPEG_LAYER_III"}
    assert {info.channels for info in infos} == {1, 2}
    total_bytes = sum(path.stat().st_size for loaded in brands().values()
                      for path in loaded.asset_paths.values())
    assert total_bytes < 12_000_000


def test_generator_specs_cover_exactly_the_assets() -> None:
    specs = {(spec.brand, spec.asset_id): spec for spec in generator().ASSETS}
    assert set(specs) == set(all_assets())
    for (slug, asset_id), spec in specs.items():
        assert brands()[slug].assets_by_id[asset_id].file == spec.file
        assert sf.info(str(brands()[slug].asset_paths[asset_id])).samplerate == spec.sr


@pytest.mark.parametrize("spec", generator().ASSETS, ids=lambda spec: f"{spec.brand}/{spec.asset_id}")
def test_measured_loudness_and_peak_are_what_the_generator_intended(spec: object) -> None:
    path = BRANDS_DIR / spec.path  # type: ignore[attr-defined]
    audio, _ = decoded(path)
    assert true_peak_dbtp(audio) <= spec.ceiling_dbtp + 0.05  # type: ignore[attr-defined]
    if spec.target_lufs is None:  # type: ignore[attr-defined]
        assert len(audio) < 0.45 * spec.sr  # type: ignore[attr-defined]  # only sub-block UI sounds
    else:
        assert abs(integrated_lufs(path) - spec.target_lufs) <= 1.0  # type: ignore[attr-defined]


def test_assets_conform_to_their_touchpoints() -> None:
    """Loudness, true peak, duration and format of every asset meet every touchpoint it serves."""
    targets = standard_targets()
    for loaded in brands().values():
        for touchpoint in loaded.brand.touchpoints:
            users = {asset.id for asset in loaded.brand.assets if touchpoint.id in asset.touchpoints}
            assert users == set(touchpoint.assets), (loaded.slug, touchpoint.id)
            spec = touchpoint.loudness
            standard = targets[spec.standard] if spec and spec.standard else None
            lufs = spec.integrated_lufs if spec and spec.integrated_lufs is not None else (
                standard.integrated_lufs if standard else None)
            tolerance = spec.tolerance_lu if spec and spec.tolerance_lu is not None else (
                standard.tolerance_lu if standard else 1.0)
            ceiling = spec.true_peak_dbtp if spec and spec.true_peak_dbtp is not None else (
                standard.true_peak_dbtp if standard else None)
            for asset_id in touchpoint.assets:
                path = loaded.asset_paths[asset_id]
                audio, sr = decoded(path)
                where = (loaded.slug, touchpoint.id, asset_id)
                if touchpoint.max_duration_s is not None:
                    assert len(audio) / sr <= touchpoint.max_duration_s, where
                if touchpoint.formats:
                    assert SF_FORMATS[sf.info(str(path)).format] in touchpoint.formats, where
                if ceiling is not None:
                    assert true_peak_dbtp(audio) <= ceiling - 0.3, where  # margin for other meters
                if lufs is not None:
                    assert abs(integrated_lufs(path) - lufs) <= min(0.3, tolerance), where


def test_times_in_the_yaml_fall_inside_the_audio() -> None:
    for loaded in brands().values():
        for asset in loaded.brand.assets:
            audio, sr = decoded(loaded.asset_paths[asset.id])
            duration_s = len(audio) / sr
            for marker in asset.markers:
                assert marker.at_s <= duration_s + 0.01, (loaded.slug, asset.id, marker.label)
            for stage in asset.disclosure.stages.values():
                for segment in stage.segments:
                    assert segment.end_s <= duration_s
        logo = loaded.brand.sonic_logo
        assert logo is not None and logo.duration_s is not None and logo.sync_point_s is not None
        audio, sr = decoded(loaded.asset_paths[logo.asset])
        assert abs(len(audio) / sr - logo.duration_s) < 0.05
        assert logo.sync_point_s < logo.duration_s


def test_touchpoint_standards_are_named_in_the_examples() -> None:
    named = {tp.loudness.standard for loaded in brands().values() for tp in loaded.brand.touchpoints
             if tp.loudness is not None and tp.loudness.standard is not None}
    assert {"ebu-r128", "youtube", "spotify", "apple-podcasts"} <= named


# --------------------------------------------------------------------------------------------
# The music matches the declared key and tempo

MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
PITCH_CLASSES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def major_scale_root(key: str) -> int:
    """Pitch class of the major scale holding ``key``'s notes ("A minor" -> C = 0)."""
    note, mode = key.split()
    root = PITCH_CLASSES[note[0]] + (1 if note[1:] in ("#", "♯") else -1 if note[1:] in ("b", "♭") else 0)
    return (root + (3 if mode.lower() in ("minor", "aeolian") else 0)) % 12


def pitch_class_energy(audio: np.ndarray, sr: int) -> np.ndarray:
    """Share of spectral power in each of the 12 pitch classes, 100 Hz to 2 kHz (Welch PSD)."""
    freqs, power = signal.welch(audio.mean(axis=1), sr, nperseg=16384)
    keep = (freqs > 100) & (freqs < 2000)
    classes = np.round(69 + 12 * np.log2(freqs[keep] / 440)).astype(int) % 12
    energy = np.bincount(classes, weights=power[keep], minlength=12)
    return energy / energy.sum()


def onset_tempo_bpm(audio: np.ndarray, sr: int) -> float:
    """Strongest periodicity (60-180 BPM) of the spectral-flux onset curve, by autocorrelation."""
    hop = 512
    _, _, spectrum = signal.stft(audio.mean(axis=1), sr, nperseg=1024, noverlap=1024 - hop)
    flux = np.maximum(np.diff(np.log1p(100 * np.abs(spectrum)), axis=1), 0).sum(axis=0)
    flux -= flux.mean()
    autocorrelation = signal.correlate(flux, flux, mode="full", method="fft")[len(flux):]
    bpm = 60 * sr / hop / np.arange(1, len(autocorrelation) + 1)
    window = (bpm > 60) & (bpm < 180)
    return float(bpm[window][np.argmax(autocorrelation[window])])


THEMES = {  # asset: generator constant for its tempo
    (HUMAN, "main-theme"): "CALDER_BPM",
    (HYBRID, "main-theme"): "KESTREL_BPM",
    (HYBRID, "theme-lofi"): "KESTREL_LOFI_BPM",
    (MOSTLY_AI, "main-theme"): "GLITCH_BPM",
    (MOSTLY_AI, "theme-chiptune"): "GLITCH_CHIP_BPM",
}


@pytest.mark.parametrize(("slug", "asset_id"), sorted(THEMES))
def test_theme_key_and_tempo_match_the_yaml(slug: str, asset_id: str) -> None:
    loaded = brands()[slug]
    dna = loaded.brand.strategy.musical_dna
    audio, sr = decoded(loaded.asset_paths[asset_id])
    energy = pitch_class_energy(audio, sr)
    scale_share = [energy[[(root + step) % 12 for step in MAJOR_STEPS]].sum() for root in range(12)]
    assert int(np.argmax(scale_share)) == major_scale_root(dna.keys[0])
    assert max(scale_share) > 0.8
    bpm = getattr(generator(), THEMES[(slug, asset_id)])
    assert dna.tempo_bpm is not None and dna.tempo_bpm.min <= bpm <= dna.tempo_bpm.max
    measured = onset_tempo_bpm(audio, sr)
    # Onset autocorrelation cannot tell a tempo from its double or half; accept those octaves.
    assert min(abs(measured * factor / bpm - 1) for factor in (0.5, 1, 2)) < 0.03, measured


# --------------------------------------------------------------------------------------------
# The generator


def spec_for(slug: str, asset_id: str) -> object:
    return next(spec for spec in generator().ASSETS if (spec.brand, spec.asset_id) == (slug, asset_id))


def test_generator_is_deterministic_for_wav_and_flac() -> None:
    make = generator()
    for slug, asset_id in ((HUMAN, "logo-bell-stem"), (MOSTLY_AI, "ui-level-up")):
        spec = spec_for(slug, asset_id)
        assert np.array_equal(make.synthesise(spec), make.synthesise(spec))
        assert make.build(spec) == make.build(spec)


def test_generator_reproduces_a_committed_file() -> None:
    """Re-rendering gives the committed audio (within 2 LSB, allowing other float libraries)."""
    spec = spec_for(HYBRID, "ui-booked")
    fresh, sr = sf.read(io.BytesIO(generator().build(spec)), dtype="float64", always_2d=True)
    committed, committed_sr = decoded(BRANDS_DIR / spec.path)  # type: ignore[attr-defined]
    assert sr == committed_sr and fresh.shape == committed.shape
    assert np.max(np.abs(fresh - committed)) <= 2 / 32768


def test_ogg_output_is_deterministic_and_valid() -> None:
    """libsndfile picks a random Ogg serial number; the generator fixes it and the page checksums."""
    make = generator()
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(48000) / 48000)
    first = make.encode(tone, 48000, make.OGG, name="test.ogg")
    second = make.encode(tone, 48000, make.OGG, name="test.ogg")
    assert first == second
    audio, sr = sf.read(io.BytesIO(first))
    assert sr == 48000 and abs(len(audio) - 48000) < 100
    corrupted = bytearray(first)
    corrupted[22] ^= 0xFF  # the first page's checksum field
    with pytest.raises(sf.LibsndfileError):
        sf.read(io.BytesIO(bytes(corrupted)))


def test_limiter_holds_the_ceiling_without_touching_quiet_audio() -> None:
    make = generator()
    sr = 48000
    t = np.arange(sr) / sr
    loud = np.stack([np.sin(2 * np.pi * 997 * t), 0.5 * np.sin(2 * np.pi * 60 * t)], axis=1)
    limited = make.limit(loud, sr, ceiling_dbtp=-3.0)
    assert true_peak_dbtp(limited) <= -3.0 + 0.05
    quiet = 0.1 * loud
    assert np.allclose(make.limit(quiet, sr, ceiling_dbtp=-3.0), quiet)


FFMPEG_CASES = [(HUMAN, "sonic-logo"), (HUMAN, "logo-bell-stem"), (HYBRID, "main-theme"),
                (MOSTLY_AI, "main-theme")]


@pytest.mark.ffmpeg
@pytest.mark.parametrize(("slug", "asset_id"), FFMPEG_CASES)
def test_loudness_agrees_with_ffmpeg_ebur128(slug: str, asset_id: str) -> None:
    """An independent BS.1770 meter (ffmpeg's ebur128 filter) reads the intended loudness and peak."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed")
    spec = spec_for(slug, asset_id)
    result = subprocess.run([ffmpeg, "-hide_banner", "-nostats", "-i", str(BRANDS_DIR / spec.path),
                             "-af", "ebur128=peak=true", "-f", "null", "-"],
                            capture_output=True, text=True, check=True)
    summary = result.stderr[result.stderr.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    assert abs(integrated - spec.target_lufs) <= 0.15  # ffmpeg prints one decimal
    assert peak <= spec.ceiling_dbtp + 0.1
