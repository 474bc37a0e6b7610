"""Sound maps: a brand's assets (or every brand's) placed by measured tempo and brightness, sized
by loudness, coloured and shaped by origin tier; each point a link that cues that asset's player,
and the same data as a table (the text alternative).

This module shapes reports into map rows and HTML; the picture is drawn by
:mod:`sonicguide.core.audio.soundmap_chart` (matplotlib) only when the cache does not hold it
already: the key is the map's data, so a warm build neither draws nor imports matplotlib.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sonicguide.core.audio.pipeline import library_versions
from sonicguide.core.cache import Cache, make_key, write_entry
from sonicguide.core.judge import conformance
from sonicguide.core.judge.report import BrandReport
from sonicguide.core.judge.vocabulary import TIER_LABELS
from sonicguide.core.views import format as fmt
from sonicguide.core.views import layout
from sonicguide.core.views.render import render

#: Bump when the map's drawing or its rows change.
SOUND_MAP_VERSION = "1"
THEMES = ("light", "dark")
ROLE_WORDS = {"logo": "sonic logo", "theme": "theme", "variant": "variant", "cut-down": "cut-down", "stem": "stem",
              "bed": "bed", "ui": "UI sound", "voice": "voice", "ivr": "IVR / on-hold", "alert": "alert"}


@dataclass(frozen=True)
class MapRow:
    """One asset as the map and its table show it (``key``: unique on the map)."""

    key: str
    slug: str
    brand: str
    asset: str
    title: str
    role: str
    tier: str
    tier_label: str
    bpm: float | None
    uncertain: bool
    tempo_text: str
    centroid_hz: float | None
    brightness_text: str
    integrated_lufs: float | None
    loudness_text: str
    href: str = ""


@dataclass
class SoundMap:
    """A drawn map: its rows, the URIs of its SVG per theme, each point's place, the files to publish."""

    rows: list[MapRow]
    description: str
    images: dict[str, str] = field(default_factory=dict)
    places: dict[str, tuple[float, float]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


def map_rows(report: BrandReport, *, key_prefix: str = "") -> list[MapRow]:
    """One row per measured asset of ``report``, in brand.yml order.

    No tempo is plotted for roles where tempo means nothing (voice, UI sounds, alerts, IVR) or when
    there is no estimate: those rows go to the "no tempo" lane and say why.
    """
    rows = []
    for judged in report.assets:
        measured = judged.measurements
        if measured is None:
            continue
        asset = judged.asset
        tempo = measured.tempo
        if asset.role in conformance.NON_MUSICAL_ROLES:
            bpm, tempo_text = None, f"no tempo (not estimated for a {ROLE_WORDS[asset.role]})"
        elif tempo.bpm is None:
            bpm, tempo_text = None, fmt.estimate(None, "BPM", None, tempo.reason)
        else:
            bpm = float(tempo.bpm)
            tempo_text = fmt.estimate(bpm, "BPM", tempo.confidence, tempo.reason,
                                      uncertain_below=conformance.MIN_TEMPO_CONFIDENCE)
        uncertain = bpm is not None and tempo.confidence is not None and (
            tempo.confidence < conformance.MIN_TEMPO_CONFIDENCE)
        centroid = measured.spectral.centroid_hz
        lufs = measured.loudness.integrated_lufs
        tier = judged.disclosure["tier"]
        rows.append(MapRow(
            key=f"{key_prefix}{asset.id}", slug=report.slug, brand=report.brand.identity.name, asset=asset.id,
            title=asset.title, role=ROLE_WORDS.get(asset.role, asset.role), tier=tier["id"], tier_label=tier["label"],
            bpm=bpm, uncertain=uncertain, tempo_text=tempo_text, centroid_hz=centroid,
            brightness_text=fmt.hertz(centroid) if centroid is not None else "not measured",
            integrated_lufs=lufs,
            loudness_text=fmt.level(lufs, "LUFS", measured.reason("integrated_lufs"))))
    return rows


def describe(rows: Sequence[MapRow], *, what: str) -> str:
    """The map's alt text: how many assets, the ranges, the no-tempo lane."""
    placed = [row for row in rows if row.centroid_hz is not None]
    timed = [row.bpm for row in placed if row.bpm is not None]
    bright = [row.centroid_hz for row in placed if row.centroid_hz is not None]
    parts = [f"Sound map of {what}: {len(placed)} asset{'s' if len(placed) != 1 else ''} placed by estimated "
             f"tempo (across) and spectral centroid (up)"]
    if timed:
        parts.append(f"tempo from {min(timed):.0f} to {max(timed):.0f} BPM")
    if bright:
        parts.append(f"centroid from {fmt.hertz(min(bright))} to {fmt.hertz(max(bright))}")
    lane = len(placed) - len(timed)
    if lane:
        parts.append(f"{lane} without a tempo estimate in the 'no tempo' lane")
    return "; ".join(parts) + ". The table below lists every value."


def draw(rows: Sequence[MapRow], cache: Cache, *, uri_prefix: str, title: str, description: str) -> SoundMap:
    """The map of ``rows`` (only those with a measured centroid are drawn), from the cache when it
    holds it; its SVGs are published at ``<uri_prefix>-<theme>.svg``."""
    placed = [row for row in rows if row.centroid_hz is not None]
    result = SoundMap(rows=list(rows), description=description)
    if not placed:
        return result
    data = [[row.key, row.tier, row.bpm, row.centroid_hz, row.integrated_lufs, row.uncertain] for row in placed]
    key = make_key("sound-map", SOUND_MAP_VERSION, _drawing_code(), library_versions(), data, title, description)
    places = cache.get_json("soundmap", key, load=_places)
    svgs = {theme: cache.verified("charts", f"{key}-map-{theme}", ".svg") for theme in THEMES}
    if places is None or any(path is None for path in svgs.values()):
        from sonicguide.core.audio.soundmap_chart import MapPoint, sound_map_svg  # matplotlib: cold builds only

        points = [MapPoint(key=row.key, label=row.title, tier=row.tier, bpm=row.bpm, centroid_hz=row.centroid_hz or 0.0,
                           integrated_lufs=row.integrated_lufs, uncertain=row.uncertain) for row in placed]
        drawn, places = sound_map_svg(points, title=title, description=description,
                                      tier_labels=dict(TIER_LABELS.items()))
        for theme in THEMES:
            target = cache.entry_path("charts", f"{key}-map-{theme}", ".svg")
            assert target is not None
            write_entry(target, drawn[theme])  # type: ignore[index]
            svgs[theme] = target
        cache.put_json("soundmap", key, {name: list(place) for name, place in places.items()})
    result.places = {name: (float(x), float(y)) for name, (x, y) in places.items()}
    for theme in THEMES:
        path = svgs[theme]
        assert path is not None
        uri = f"{uri_prefix}-{theme}.svg"
        result.images[theme] = uri
        result.files[uri] = path
    return result


def _places(value: Any) -> dict[str, list[float]]:
    if not (isinstance(value, dict) and all(isinstance(v, list) and len(v) == 2 for v in value.values())):
        raise TypeError("not a sound map's places")
    return value


def _drawing_code() -> str:
    digest = hashlib.sha256()
    for name in ("soundmap_chart.py", "charts.py", "svgplot.py"):
        digest.update((Path(__file__).parent.parent / "audio" / name).read_bytes())
    return digest.hexdigest()


def brand_map(report: BrandReport, cache: Cache) -> SoundMap:
    """The sound map of one brand (published as ``<slug>/charts/_sound-map-<theme>.svg``); its
    ``rows`` (without links) also feed :func:`cross_brand_map`."""
    rows = [_with_href(row, f"?t=0#{row.asset}") for row in map_rows(report)]
    return draw(rows, cache, uri_prefix=f"{report.slug}/charts/_sound-map",
                title=f"Sound map of {report.brand.identity.name}",
                description=describe(rows, what=report.brand.identity.name))


def cross_brand_map(rows_by_brand: Sequence[Sequence[MapRow]], cache: Cache,
                    link: Callable[[str], str]) -> SoundMap:
    """Every brand's assets on one map (for the comparison page), from each brand's
    :func:`map_rows`; ``link`` makes a brand page's URI relative to the page that shows the map."""
    rows: list[MapRow] = []
    for brand_rows in rows_by_brand:
        for row in brand_rows:
            page = link(layout.brand_page(row.slug))
            rows.append(replace(row, key=f"{row.slug}/{row.asset}", href=f"{page}?t=0#{row.asset}"))
    return draw(rows, cache, uri_prefix="compare/_sound-map", title="Sound map of every brand",
                description=describe(rows, what="every brand"))


def _with_href(row: MapRow, href: str) -> MapRow:
    return replace(row, href=href)


#: The narrowest plot (px) on which points are links (a CSS container query hides them below),
#: the size of a point's target (px, WCAG 2.2 2.5.8) and the plot's aspect (the SVG's height / width).
LINKED_PLOT_MIN_PX = 600
POINT_TARGET_PX = 24
PLOT_ASPECT = 460 / 700


def linked_points(places: Sequence[tuple[float, float]]) -> list[bool]:
    """Which points (``(x %, y %)`` of the plot, in table order) get a link target: a point whose
    target would overlap an earlier linked one's on the narrowest linked plot gets none (the table
    still links every asset), so no target is obscured."""
    width, height = LINKED_PLOT_MIN_PX, LINKED_PLOT_MIN_PX * PLOT_ASPECT
    kept: list[tuple[float, float]] = []
    linked = []
    for x, y in places:
        px, py = x / 100.0 * width, y / 100.0 * height
        free = all(abs(px - kx) >= POINT_TARGET_PX or abs(py - ky) >= POINT_TARGET_PX for kx, ky in kept)
        if free:
            kept.append((px, py))
        linked.append(free)
    return linked


def section_html(sound_map: SoundMap, link: Callable[[str], str], *, heading_id: str, cross_brand: bool) -> str:
    """The map as HTML: the two images, a link over each point and the table, all escaped by Jinja."""
    rows = []
    for row in sound_map.rows:
        place = sound_map.places.get(row.key)
        rows.append({**row.__dict__, "x": place[0] if place else None, "y": place[1] if place else None})
    placed = [r for r in rows if r["x"] is not None]
    for r, linked in zip(placed, linked_points([(r["x"], r["y"]) for r in placed]), strict=True):
        r["linked"] = linked
    return render("soundmap/map.html", rows=rows, images={t: link(u) for t, u in sound_map.images.items()},
                  heading_id=heading_id, cross_brand=cross_brand, description=sound_map.description)


#: The brand page's sound-map heading id; map.html adds ``<id>-map`` (collisions.py reserves both).
BRAND_MAP_ID = "sg-sound-map"
BRAND_MAP_IDS = (BRAND_MAP_ID, f"{BRAND_MAP_ID}-map")
#: Attribute-list entry that leaves a section out of Material's search index (Material removes the
#: attribute from the page once indexed). A sound map's table repeats each asset's measured facts,
#: which its asset section (or, across brands, its brand page) holds, and its caption is the same on
#: every page: 7 % of the index at 1,000 brands on brand pages, and 110 KiB in one entry on the
#: comparison page, where Material's highlighting of a long entry made every keystroke slow.
NOT_SEARCHED = 'data-search-exclude="true"'


def brand_section_markdown(sound_map: SoundMap, link: Callable[[str], str]) -> str:
    """The brand page's "Sound map" section (empty when no asset was measured)."""
    if not sound_map.rows:
        return ""
    return (f"\n## Sound map {{: #{BRAND_MAP_ID} {NOT_SEARCHED} }}\n\n"
            + section_html(sound_map, link, heading_id=BRAND_MAP_ID, cross_brand=False) + "\n")


def compare_section_markdown(sound_map: SoundMap, link: Callable[[str], str]) -> str:
    """The comparison page's "Sound map of every brand" section (one block, appended to the page)."""
    if not sound_map.rows:
        return ""
    return (f"\n## Sound map of every brand {{: #sg-sound-map-all {NOT_SEARCHED} }}\n\n"
            + section_html(sound_map, link, heading_id="sg-sound-map-all", cross_brand=True) + "\n")
