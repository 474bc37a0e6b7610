"""Load and validate brand folders: ``<brands_dir>/<slug>/brand.yml`` plus its audio.

:func:`load_brands` validates every brand and raises one :class:`BrandError` with every problem
found, each naming the file, line, column and field. Asset paths are resolved here and only here:
a path that leaves the brand folder (``..``, absolute, a URL, a symlink pointing out) or that is not
a regular file (a device, a FIFO) is refused, so later stages only ever see safe, real files.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import __version__ as ruamel_version

from sonicguide.core.audio.chains import chains_digest, playback_chains
from sonicguide.core.audio.limits import DEFAULT_LIMITS, AudioLimits, HeaderFacts, header_problem
from sonicguide.core.audio.sniff import sniff_file
from sonicguide.core.cache import Cache, make_key
from sonicguide.core.errors import BrandError, Problem
from sonicguide.core.judge.targets import standard_targets
from sonicguide.core.load.images import LogoImage, load_logo
from sonicguide.core.load.messages import pydantic_problems
from sonicguide.core.load.model import ID_PATTERN, Asset, Brand
from sonicguide.core.load.yamlload import DEFAULT_MAX_BYTES, LOADER_VERSION, Document, Loc, load_yaml

BRAND_FILE = "brand.yml"
#: File name endings we accept for audio, and the container each one claims to be.
AUDIO_EXTENSIONS = {".wav": "wav", ".wave": "wav", ".flac": "flac", ".mp3": "mp3", ".ogg": "ogg",
                    ".oga": "ogg", ".opus": "opus", ".aif": "aiff", ".aiff": "aiff"}
DEFAULT_MAX_AUDIO_BYTES = 512 * 1024 * 1024
#: Most assets one brand may list: far more than any sonic identity we know of has (tens to a few
#: hundred), few enough that one page, its packs and its memory stay bounded (1,500 assets of one
#: file made a 16 MB page and took 1.3 GB of memory).
DEFAULT_MAX_ASSETS_PER_BRAND = 500


@dataclass(frozen=True)
class Limits:
    """Input limits, configurable from the plugin and the CLI."""

    max_yaml_bytes: int = DEFAULT_MAX_BYTES
    max_audio_bytes: int = DEFAULT_MAX_AUDIO_BYTES
    #: Most assets one brand may list (0: no cap).
    max_assets_per_brand: int = DEFAULT_MAX_ASSETS_PER_BRAND
    #: What one audio file may cost (sample rate, channels, duration, budgets): checked by
    #: :func:`check_audio_headers` as the analysis checks it.
    audio: AudioLimits = DEFAULT_LIMITS


@dataclass
class LoadedBrand:
    """A validated brand: its model, where it came from, and its resolved audio files."""

    slug: str
    folder: Path
    source: Path
    brand: Brand
    document: Document
    asset_paths: dict[str, Path] = field(default_factory=dict)
    #: The checked logo images (``identity.look.logo`` and ``logo_dark``), by field name.
    images: dict[str, LogoImage] = field(default_factory=dict)

    @property
    def assets_by_id(self) -> dict[str, Asset]:
        return {asset.id: asset for asset in self.brand.assets}


def discover_brand_folders(brands_dir: Path) -> list[Path]:
    """Brand folders under ``brands_dir`` (those holding a ``brand.yml``), sorted by name."""
    try:
        children = list(brands_dir.iterdir()) if brands_dir.is_dir() else []
    except OSError:
        return []  # unreadable: load_brands then says that no brand was found there
    return sorted(child for child in children
                  if child.is_dir() and not child.name.startswith((".", "_"))
                  and os.path.lexists(child / BRAND_FILE))


def load_brands(brands_dir: Path, *, limits: Limits | None = None, display_root: Path | None = None,
                audio_headers: bool = False, cache: Cache | None = None,
                across: Callable[[list[LoadedBrand]], list[Problem]] | None = None) -> list[LoadedBrand]:
    """Load every brand under ``brands_dir``; raise one :class:`BrandError` for all problems.

    ``across`` checks the brands that loaded against each other (clashes, see ``collisions``); its
    problems are reported with the others, so one broken brand does not hide another's clash.

    ``audio_headers`` also runs :func:`check_audio_headers` on every brand (used by
    ``sonicguide validate``; the build decodes the audio anyway). With a ``cache``, a
    ``brand.yml`` whose bytes were parsed before is not parsed again (parsing is the slow part of
    a warm build); validation always runs.
    """
    limits = limits or Limits()
    problems: list[Problem] = []
    loaded: list[LoadedBrand] = []
    folders = discover_brand_folders(brands_dir)
    if not folders:
        problems.append(Problem(_display(brands_dir, display_root), None, None, "",
                                f"no brand found: expected folders holding a {BRAND_FILE}. "
                                "Create one with `sonicguide new SLUG`."))
    for folder in folders:
        try:
            loaded.append(load_brand(folder, limits=limits, display_root=display_root,
                                     brands_root=brands_dir, audio_headers=audio_headers, cache=cache))
        except BrandError as error:
            problems.extend(error.problems)
    if across is not None:
        problems.extend(across(loaded))
    if problems:
        raise BrandError(problems)
    return loaded


def load_brand(folder: Path, *, limits: Limits | None = None, display_root: Path | None = None,
               brands_root: Path | None = None, audio_headers: bool = False, cache: Cache | None = None
               ) -> LoadedBrand:
    """Load and validate one brand folder (see :func:`load_brands` for ``audio_headers``)."""
    limits = limits or Limits()
    source = folder / BRAND_FILE
    shown = _display(source, display_root)
    slug = folder.name
    problems: list[Problem] = []
    if not re.match(ID_PATTERN, slug):
        problems.append(Problem(shown, None, None, "", f"the folder name {slug!r} is not a valid slug; use "
                                "lower-case letters, digits and hyphens (e.g. aurora-rail)."))
    if brands_root is not None and not _inside(folder, brands_root):
        raise BrandError([Problem(shown, None, None, "", "the brand folder is a link that leaves the brands "
                                  "folder; move the brand inside it.")])
    if source.is_symlink() or not source.is_file():
        raise BrandError([Problem(shown, None, None, "", f"{BRAND_FILE} must be a regular file "
                                  "(not a link, a folder or a FIFO).")])
    try:
        size = source.stat().st_size
        if size > limits.max_yaml_bytes:
            raise BrandError([Problem(shown, None, None, "", f"file is {size:,} bytes; the limit is "
                                      f"{limits.max_yaml_bytes:,}.")])
        raw = source.read_bytes()
    except OSError as exc:
        raise BrandError([Problem(shown, None, None, "", f"cannot be read ({exc.strerror or exc}); "
                                  "check its permissions.")]) from None
    document = _parse(raw, shown, limits, cache)
    if document.data is None:
        raise BrandError([Problem(shown, 1, 1, "", "the file is empty (or only comments); fill in identity:, "
                                  "strategy:, disclosure_policy: and assets:, or start from "
                                  "`sonicguide new SLUG`.")])
    if not isinstance(document.data, dict):
        raise BrandError([Problem(shown, 1, 1, "", "the file must be a mapping of sections "
                                  "(identity:, strategy:, assets: ...).")])
    # References and logo images are checked on the raw data, valid or not, so that one run shows
    # every problem.
    problems.extend(_check_references(document))
    problems.extend(_check_asset_count(document, limits))
    images, image_problems = _load_logos(document, folder)
    problems.extend(image_problems)
    try:
        brand = Brand.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, document))
        # Check the asset paths that can be read anyway, so that one run shows those problems too.
        problems.extend(_resolve_raw_assets(document, folder, limits))
        raise BrandError(problems) from None
    loaded = LoadedBrand(slug=slug, folder=folder, source=source, brand=brand, document=document, images=images)
    problems.extend(_check_required_reasons(loaded))
    problems.extend(_resolve_assets(loaded, limits))
    if audio_headers:
        problems.extend(check_audio_headers(loaded, limits.audio))
    if problems:
        raise BrandError(problems)
    return loaded


def _parse(raw: bytes, shown: str, limits: Limits, cache: Cache | None) -> Document:
    """:func:`load_yaml`, through the cache when there is one (only successful parses are kept)."""
    if cache is None:
        return load_yaml(raw, file=shown, max_bytes=limits.max_yaml_bytes)
    key = make_key("yaml", hashlib.sha256(raw).hexdigest(), shown, limits.max_yaml_bytes, LOADER_VERSION,
                   ruamel_version, chains_digest())
    cached = cache.get_json("yaml", key, load=Document.from_json)
    if isinstance(cached, Document):
        return cached
    document = load_yaml(raw, file=shown, max_bytes=limits.max_yaml_bytes)
    cache.put_json("yaml", key, document.to_json())
    return document


# --------------------------------------------------------------------------------------------


def _check_references(document: Document) -> list[Problem]:
    """Ids used twice, ids that point at no asset or touchpoint, unknown loudness standards and
    ``variant_of`` loops, read from the raw YAML (``document.data``).

    Reading the raw data rather than the validated model lets this run whether or not the model
    validates, so a type error elsewhere never hides a reference error. Values of the wrong type
    or shape (and ids that are not ids) are skipped here: model validation reports those.
    """
    data = document.data
    problems: list[Problem] = []
    asset_ids: dict[str, int] = {}
    for index, asset in _items(data, "assets"):
        asset_id = _ident(_get(asset, "id"))
        if asset_id is None:
            continue
        if asset_id in asset_ids:
            problems.append(document.problem(("assets", index, "id"),
                                             f"asset id {asset_id!r} is used twice; ids must be unique."))
        asset_ids.setdefault(asset_id, index)
    touchpoint_ids: dict[str, int] = {}
    for index, touchpoint in _items(data, "touchpoints"):
        touchpoint_id = _ident(_get(touchpoint, "id"))
        if touchpoint_id is None:
            continue
        if touchpoint_id in touchpoint_ids:
            problems.append(document.problem(("touchpoints", index, "id"),
                                             f"touchpoint id {touchpoint_id!r} is used twice; ids must be "
                                             "unique."))
        touchpoint_ids.setdefault(touchpoint_id, index)

    def need_asset(value: object, loc: Loc) -> None:
        asset_id = _ident(value)
        if asset_id is not None and asset_id not in asset_ids:
            problems.append(document.problem(loc, f"no asset has the id {asset_id!r}; known ids: "
                                             f"{', '.join(sorted(asset_ids)) or 'none'}."))

    def need_touchpoint(value: object, loc: Loc) -> None:
        touchpoint_id = _ident(value)
        if touchpoint_id is not None and touchpoint_id not in touchpoint_ids:
            problems.append(document.problem(loc, f"no touchpoint has the id {touchpoint_id!r}; known ids: "
                                             f"{', '.join(sorted(touchpoint_ids)) or 'none'}."))

    need_asset(_get(_get(data, "sonic_logo"), "asset"), ("sonic_logo", "asset"))
    for index, touchpoint in _items(data, "touchpoints"):
        for j, listed in _items(touchpoint, "assets"):
            need_asset(listed, ("touchpoints", index, "assets", j))
        standard = _ident(_get(_get(touchpoint, "loudness"), "standard"))
        if standard is not None and standard not in standard_targets():
            problems.append(document.problem(("touchpoints", index, "loudness", "standard"),
                                             f"unknown standard {standard!r}; choose one of "
                                             f"{', '.join(standard_targets())}."))
        playback = _get(touchpoint, "playback")
        chain_loc: Loc = ("touchpoints", index, "playback")
        if isinstance(_get(playback, "chain"), str):
            playback, chain_loc = _get(playback, "chain"), (*chain_loc, "chain")
        chain = _ident(playback)
        if chain is not None and chain not in playback_chains():
            close = difflib.get_close_matches(chain, list(playback_chains()), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(document.problem(chain_loc, f"unknown playback chain {chain!r}{hint}; choose one of "
                                             f"{', '.join(playback_chains())}."))
    for section in ("dos", "donts"):
        for index, item in _items(data, section):
            need_asset(_get(item, "example"), (section, index, "example"))
    for index, sound in _items(_get(data, "ui_sounds"), "sounds"):
        need_asset(_get(sound, "asset"), ("ui_sounds", "sounds", index, "asset"))
    for index, rule in _items(_get(data, "disclosure_policy"), "rules"):
        for j, listed in _items(rule, "assets"):
            need_asset(listed, ("disclosure_policy", "rules", index, "assets", j))
    parents: dict[str, str | None] = {}
    for _index, asset in _items(data, "assets"):
        asset_id = _ident(_get(asset, "id"))
        if asset_id is not None:
            parents[asset_id] = _ident(_get(asset, "variant_of"))
    for index, asset in _items(data, "assets"):
        for j, listed in _items(asset, "touchpoints"):
            need_touchpoint(listed, ("assets", index, "touchpoints", j))
        asset_id, variant_of = _ident(_get(asset, "id")), _ident(_get(asset, "variant_of"))
        if variant_of is None:
            continue
        if variant_of == asset_id:
            problems.append(document.problem(("assets", index, "variant_of"),
                                             "an asset cannot be a variant of itself."))
            continue
        need_asset(variant_of, ("assets", index, "variant_of"))
        seen = {asset_id}
        parent: str | None = variant_of
        while parent is not None and parent in parents:
            if parent in seen:
                problems.append(document.problem(("assets", index, "variant_of"),
                                                 "variant_of forms a loop; one asset must be the original."))
                break
            seen.add(parent)
            parent = parents[parent]
    return problems


def _check_required_reasons(loaded: LoadedBrand) -> list[Problem]:
    """``not-applicable`` on a stage the asset's role requires needs a reason (see
    :mod:`sonicguide.core.judge.completeness`)."""
    from sonicguide.core.judge.completeness import unexplained_not_applicable

    return [loaded.document.problem(("assets", index, "disclosure", "stages", stage.value, "mode"), message)
            for index, asset in enumerate(loaded.brand.assets)
            for stage, message in unexplained_not_applicable(asset)]


def _check_asset_count(document: Document, limits: Limits) -> list[Problem]:
    """More assets than ``limits.max_assets_per_brand``: one problem at the ``assets:`` key."""
    count = len(_items(document.data, "assets"))
    cap = limits.max_assets_per_brand
    if cap <= 0 or count <= cap:
        return []
    return [document.problem(("assets",), f"the brand lists {count:,} assets; the limit is {cap:,} per brand "
                             "(plugin option max_assets_per_brand). Split it into several brands, remove assets "
                             "it does not need, or raise max_assets_per_brand.", key=True)]


def _get(container: object, key: str) -> object:
    """``container[key]`` of raw YAML data, or ``None`` when it is not a mapping or lacks the key."""
    return container.get(key) if isinstance(container, dict) else None


def _items(container: object, key: str) -> list[tuple[int, object]]:
    """The indexed items of the list at ``container[key]``; none when there is no such list."""
    value = _get(container, key)
    return list(enumerate(value)) if isinstance(value, list) else []


def _ident(value: object) -> str | None:
    """An id as the model reads it (surrounding spaces stripped), or ``None`` for anything that is
    not a valid id (the model's validation reports it)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if re.fullmatch(ID_PATTERN, text) else None


def _load_logos(document: Document, folder: Path) -> tuple[dict[str, LogoImage], list[Problem]]:
    """The logo images named in ``identity.look`` (read from the raw YAML), checked and sanitised
    (:mod:`sonicguide.core.load.images`), and the problems of those that are refused."""
    identity = _get(document.data, "identity")
    look = _get(identity, "look")
    images: dict[str, LogoImage] = {}
    problems: list[Problem] = []
    for name in ("logo", "logo_dark"):
        relative = _get(look, name)
        if not isinstance(relative, str) or not relative.strip():
            continue
        image, message = load_logo(relative, folder)
        if image is not None:
            images[name] = image
        else:
            problems.append(document.problem(("identity", "look", name), message or "cannot be used"))
    return images, problems


def _resolve_assets(loaded: LoadedBrand, limits: Limits) -> list[Problem]:
    problems: list[Problem] = []
    folder_real = Path(os.path.realpath(loaded.folder))
    for index, asset in enumerate(loaded.brand.assets):
        loc: Loc = ("assets", index, "file")
        path, message = resolve_asset_path(asset.file, loaded.folder, folder_real, limits)
        if message is not None:
            problems.append(loaded.document.problem(loc, message))
        elif path is not None:
            loaded.asset_paths[asset.id] = path
    return problems


def _resolve_raw_assets(document: Document, folder: Path, limits: Limits) -> list[Problem]:
    """Path problems of ``assets[*].file`` read from the raw YAML, when the model did not validate."""
    assets = document.data.get("assets") if isinstance(document.data, dict) else None
    if not isinstance(assets, list):
        return []
    folder_real = Path(os.path.realpath(folder))
    problems: list[Problem] = []
    for index, asset in enumerate(assets):
        relative = asset.get("file") if isinstance(asset, dict) else None
        if isinstance(relative, str) and relative.strip():
            _path, message = resolve_asset_path(relative, folder, folder_real, limits)
            if message is not None:
                problems.append(document.problem(("assets", index, "file"), message))
    return problems


def resolve_asset_path(relative: str, folder: Path, folder_real: Path, limits: Limits
                       ) -> tuple[Path | None, str | None]:
    """Resolve an asset path safely: ``(path, None)`` or ``(None, reason it is refused)``."""
    text = relative.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) or text.startswith("//"):
        return None, (f"{text!r} is a URL or drive path; give a path inside the brand folder, "
                      "e.g. audio/logo.wav.")
    if "\\" in text or any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        return None, f"{text!r} uses backslashes or control characters; write paths with '/'."
    if text.startswith("/"):
        return None, f"{text!r} is absolute; give a path relative to the brand folder, e.g. audio/logo.wav."
    parts = text.split("/")
    if ".." in parts:
        return None, f"{text!r} leaves the brand folder ('..'); keep audio inside the brand folder."
    suffix = Path(text).suffix.lower()
    if suffix not in AUDIO_EXTENSIONS:
        return None, (f"{text!r} is not an audio file we read; use one of "
                      f"{', '.join(sorted(set(AUDIO_EXTENSIONS)))}.")
    candidate = folder / text
    if not os.path.lexists(candidate):
        near = _near_file(folder, text)
        hint = f"did you mean {near!r}?" if near else "check the file name and its case."
        if near and near != text.removeprefix("./") and _nfc(near) == _nfc(text.removeprefix("./")):
            # The two names look identical: say how they differ, or "did you mean" repeats the name.
            hint = (f"a file of the same name exists, but its name is stored in another Unicode "
                    f"normalisation ({_normal_form(near)} on disk: {_code_points(near)}; "
                    f"{_normal_form(text)} in brand.yml: {_code_points(text)}); rename the file so that "
                    "its name is in NFC (e.g. `convmv -f utf8 -t utf8 --nfc -r --notest .`) or copy its "
                    "name from the folder listing into brand.yml.")
        return None, f"{text!r} does not exist in {folder.name}/; {hint}"
    real = Path(os.path.realpath(candidate))
    if not _inside(real, folder_real):
        return None, f"{text!r} is a link that points outside the brand folder; copy the file in instead."
    try:
        info = real.stat()
    except OSError as exc:
        return None, f"{text!r} cannot be read ({exc.strerror})."
    if not stat.S_ISREG(info.st_mode):
        return None, f"{text!r} is not a regular file (a device, FIFO or folder); point at an audio file."
    if info.st_size == 0:
        return None, f"{text!r} is empty (0 bytes); export the audio again."
    if info.st_size > limits.max_audio_bytes:
        return None, (f"{text!r} is {info.st_size:,} bytes; the limit is {limits.max_audio_bytes:,} "
                      "(plugin option max_audio_bytes).")
    return real, None


#: The libsndfile containers (``soundfile.info(...).format``) each claimed container may really be.
_CONTAINERS = {"wav": {"WAV", "WAVEX", "RF64", "W64"}, "flac": {"FLAC"}, "mp3": {"MP3", "MPEG"},
               "ogg": {"OGG"}, "opus": {"OGG"}, "aiff": {"AIFF", "AIFC"}}
#: A few words for each libsndfile container, for messages.
_CONTAINER_WORDS = {"WAV": "a WAV", "WAVEX": "a WAV", "RF64": "an RF64 WAV", "W64": "a Wave64",
                    "FLAC": "a FLAC", "MP3": "an MP3", "MPEG": "an MP3", "OGG": "an Ogg", "AIFF": "an AIFF",
                    "AIFC": "an AIFF"}


def check_audio_headers(loaded: LoadedBrand, limits: AudioLimits = DEFAULT_LIMITS) -> list[Problem]:
    """Cheap header check of every resolved asset (no decoding): audio at all (a ZIP archive named
    ``.mp3`` is named as one), readable, not mislabelled, not empty, and within ``limits`` (the
    same :func:`~sonicguide.core.audio.limits.header_problem` the analysis applies).

    Each problem points at the asset's ``file:`` value. Reads only file headers through
    ``soundfile.info`` (a few kB per file); measuring the audio stays the analysis' job.
    """
    import soundfile  # imported here so that builds which check no header never load numpy

    problems: list[Problem] = []
    for index, asset in enumerate(loaded.brand.assets):
        path = loaded.asset_paths.get(asset.id)
        if path is None:
            continue
        loc: Loc = ("assets", index, "file")
        claimed = AUDIO_EXTENSIONS.get(Path(asset.file.strip()).suffix.lower(), "")
        sniffed = sniff_file(path)
        if sniffed is not None:
            problems.append(loaded.document.problem(loc, f"{asset.file!r} is {sniffed.what}, not audio; "
                                                    f"{sniffed.fix}."))
            continue
        try:
            info = soundfile.info(str(path))
        except (soundfile.SoundFileError, RuntimeError, TypeError, OSError) as exc:
            reason = str(exc).split(":")[-1].strip().rstrip(".") or type(exc).__name__
            problems.append(loaded.document.problem(loc, f"{asset.file!r} cannot be read as audio "
                                                    f"({reason}); export it again as WAV, FLAC, MP3 or Ogg."))
            continue
        container = str(info.format)
        if claimed and container not in _CONTAINERS.get(claimed, {container}):
            real = _CONTAINER_WORDS.get(container, f"a {container}")
            problems.append(loaded.document.problem(
                loc, f"{asset.file!r} is {real} file but its name ends in "
                     f"{Path(asset.file.strip()).suffix}; rename it or export it again."))
        elif info.frames <= 0 or info.samplerate <= 0 or info.channels <= 0:
            problems.append(loaded.document.problem(loc, f"{asset.file!r} holds no audio samples; "
                                                    "export it again."))
        else:
            refused = header_problem(HeaderFacts(sample_rate_hz=int(info.samplerate), channels=int(info.channels),
                                                 frames=int(info.frames), file_bytes=path.stat().st_size), limits)
            if refused is not None:
                problems.append(loaded.document.problem(loc, f"{asset.file!r}: {refused.reason}; {refused.fix}."))
    return problems


def _near_file(folder: Path, text: str, *, limit: int = 2000) -> str | None:
    """The audio file in ``folder`` the author probably meant: same name in another case, or a close
    spelling. Walks at most ``limit`` entries and never follows links."""
    known: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if Path(name).suffix.lower() in AUDIO_EXTENSIONS:
                known.append((Path(root) / name).relative_to(folder).as_posix())
        if len(known) >= limit:
            break
    wanted = text.removeprefix("./")
    # Same name in another Unicode normalisation (macOS writes NFD), then in another case.
    same_name = [path for path in known if _nfc(path) == _nfc(wanted)]
    if same_name:
        return same_name[0]
    same_case = [path for path in known if _nfc(path).casefold() == _nfc(wanted).casefold()]
    if same_case:
        return same_case[0]
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.8)
    return close[0] if close else None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _normal_form(text: str) -> str:
    return "NFC" if unicodedata.is_normalized("NFC", text) else "NFD" if unicodedata.is_normalized("NFD", text) \
        else "mixed"


def _code_points(text: str) -> str:
    """The non-ASCII characters of ``text`` as code points, e.g. ``e U+0301``."""
    return " ".join(f"U+{ord(char):04X}" for char in text if ord(char) > 127) or "ASCII only"


def _inside(path: Path, root: Path) -> bool:
    real = os.path.realpath(path)
    root_real = os.path.realpath(root)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()
