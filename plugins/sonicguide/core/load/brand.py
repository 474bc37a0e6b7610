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
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from ruamel.yaml import __version__ as ruamel_version

from sonicguide.core.cache import Cache, make_key
from sonicguide.core.errors import BrandError, Problem
from sonicguide.core.judge.targets import standard_targets
from sonicguide.core.load.model import ID_PATTERN, Asset, Brand
from sonicguide.core.load.yamlload import DEFAULT_MAX_BYTES, LOADER_VERSION, Document, Loc, format_loc, load_yaml

BRAND_FILE = "brand.yml"
#: File name endings we accept for audio, and the container each one claims to be.
AUDIO_EXTENSIONS = {".wav": "wav", ".wave": "wav", ".flac": "flac", ".mp3": "mp3", ".ogg": "ogg",
                    ".oga": "ogg", ".opus": "opus", ".aif": "aiff", ".aiff": "aiff"}
DEFAULT_MAX_AUDIO_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Input limits, configurable from the plugin and the CLI."""

    max_yaml_bytes: int = DEFAULT_MAX_BYTES
    max_audio_bytes: int = DEFAULT_MAX_AUDIO_BYTES


@dataclass
class LoadedBrand:
    """A validated brand: its model, where it came from, and its resolved audio files."""

    slug: str
    folder: Path
    source: Path
    brand: Brand
    document: Document
    asset_paths: dict[str, Path] = field(default_factory=dict)

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
                audio_headers: bool = False, cache: Cache | None = None) -> list[LoadedBrand]:
    """Load every brand under ``brands_dir``; raise one :class:`BrandError` for all problems.

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
    try:
        brand = Brand.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, document))
        # Check the asset paths that can be read anyway, so that one run shows those problems too.
        problems.extend(_resolve_raw_assets(document, folder, limits))
        raise BrandError(problems) from None
    loaded = LoadedBrand(slug=slug, folder=folder, source=source, brand=brand, document=document)
    problems.extend(_check_references(loaded))
    problems.extend(_check_required_reasons(loaded))
    problems.extend(_resolve_assets(loaded, limits))
    if audio_headers:
        problems.extend(check_audio_headers(loaded))
    if problems:
        raise BrandError(problems)
    return loaded


def _parse(raw: bytes, shown: str, limits: Limits, cache: Cache | None) -> Document:
    """:func:`load_yaml`, through the cache when there is one (only successful parses are kept)."""
    if cache is None:
        return load_yaml(raw, file=shown, max_bytes=limits.max_yaml_bytes)
    key = make_key("yaml", hashlib.sha256(raw).hexdigest(), shown, limits.max_yaml_bytes, LOADER_VERSION,
                   ruamel_version)
    cached = cache.get_json("yaml", key)
    if isinstance(cached, dict):
        return Document.from_json(cached)
    document = load_yaml(raw, file=shown, max_bytes=limits.max_yaml_bytes)
    cache.put_json("yaml", key, document.to_json())
    return document


# --------------------------------------------------------------------------------------------


def _pydantic_problems(exc: ValidationError, document: Document) -> Iterable[Problem]:
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        if loc and loc[-1] == "[key]":  # a mapping key that is not allowed (an unknown stage name)
            loc = loc[:-1]
            expected = str((error.get("ctx") or {}).get("expected", "another key"))
            suggestion = _suggest(loc[-1], re.findall(r"'([^']*)'", expected))
            yield document.problem(loc, f"{loc[-1]!r} is not a valid key here; use {expected}{suggestion}.",
                                   key=True)
        elif kind == "extra_forbidden":
            yield document.problem(loc, _unknown_key(loc), key=True)
        elif kind == "missing":
            parent = format_loc(loc[:-1]) or "the top level"
            yield document.problem(loc, f"required field {loc[-1]!r} is missing under {parent}; add it"
                                   f"{_example_hint(loc)}.", key=True)
        else:
            # A key written with no value: the value's position is wherever the next token starts.
            yield document.problem(loc, _explain(error, loc), key=error.get("input") is None)


#: Human words for the patterns in the model, so that nobody is shown a regular expression.
_PATTERN_WORDS = {
    ID_PATTERN: "an id of lower-case letters, digits and hyphens, at most 64 characters (e.g. sonic-logo)",
    "@": "an email address such as name@example.com",
    "https://": "an https:// link such as https://example.org/certificate (other schemes are refused)",
    "{64}": "a SHA-256 digest: 64 hexadecimal digits",
}


def _explain(error: Any, loc: Loc) -> str:
    """One pydantic error as a sentence: what was expected, what was given, how to fix it."""
    kind: str = error["type"]
    message = str(error["msg"])
    ctx: dict[str, Any] = error.get("ctx") or {}
    given = _describe(error.get("input"))
    if kind == "value_error":
        return message.removeprefix("Value error, ").rstrip(".") + "."
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        words = next((text for key, text in _PATTERN_WORDS.items() if key in pattern), "text in another form")
        return f"expected {words}; got {given}."
    if kind == "string_type":
        return f"expected text; got {given}."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number{_range_hint(loc)}; got {given}."
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"expected a number{_range_hint(loc)}; got {given}."
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false; got {given}."
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date written YYYY-MM-DD (e.g. 2025-03-01); got {given}."
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"expected a list (items starting with '- '); got {given}."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys (key: value); got {given}."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(loc)
        unit = _unit(loc)
        if low is not None and high is not None:
            return f"must be between {low:g} and {high:g}{unit}; got {given}."
        bound = next(iter(ctx.values()), "?")
        word = {"greater_than_equal": "at least", "less_than_equal": "at most",
                "greater_than": "more than", "less_than": "less than"}[kind]
        return f"must be {word} {bound}{unit}; got {given}."
    if kind == "string_too_short":
        return "must not be empty; write the text or remove the key."
    if kind == "string_too_long":
        length = len(error["input"]) if isinstance(error.get("input"), str) else 0
        return f"is {length:,} characters long; the limit is {int(ctx.get('max_length', 0)):,}. Shorten it."
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        plural = "s" if count != 1 else ""
        return f"needs at least {count} item{plural}; it has {ctx.get('actual_length', 0)}."
    if kind == "too_long":
        return f"has {ctx.get('actual_length', '?')} items; the limit is {ctx.get('max_length', '?')}."
    if kind.startswith("literal_error") or kind == "enum":
        expected = str(ctx.get("expected", message.removeprefix("Input should be ")))
        suggestion = _suggest(error.get("input"), re.findall(r"'([^']*)'", expected))
        return f"expected {expected}; got {given}{suggestion}."
    text = message[0].upper() + message[1:] if message else kind
    return f"{text.rstrip('.')}; got {given}."


def _describe(value: Any) -> str:
    """What the author wrote, in words: ``'fast'``, ``a list``, ``nothing (the key has no value)``."""
    if value is None:
        return "nothing (the key has no value)"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _suggest(value: Any, choices: list[str]) -> str:
    if not isinstance(value, str) or not choices:
        return ""
    close = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_key(loc: Loc) -> str:
    key = str(loc[-1])
    allowed = _allowed_keys(loc[:-1])
    hint = ""
    if allowed:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f" Did you mean {close[0]!r}?"
        elif len(allowed) <= 16:
            hint = f" Allowed here: {', '.join(allowed)}."
    else:
        hint = " Check its indentation."
    return f"unknown key {key!r}.{hint}"


def _example_hint(loc: Loc) -> str:
    info = _field_at(loc)
    if info is not None and info.description:
        text = info.description.rstrip(".")
        if len(text) > 1 and text[1].islower():
            text = text[0].lower() + text[1:]
        return f" ({text})"
    return ""


def _model_at(loc: Loc) -> Any:
    """The model class (or container type) that holds the value at ``loc``, or None."""
    current: Any = Brand
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(part, int):
            if origin is not list:
                return None
            current = get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        elif origin is dict:
            current = get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def _field_at(loc: Loc) -> FieldInfo | None:
    if not loc or isinstance(loc[-1], int):
        return None
    parent = _model_at(loc[:-1])
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        return parent.model_fields.get(str(loc[-1]))
    return None


def _allowed_keys(loc: Loc) -> list[str]:
    model = _model_at(loc)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _bounds(loc: Loc) -> tuple[float | None, float | None]:
    info = _field_at(loc)
    low: float | None = None
    high: float | None = None
    for item in info.metadata if info is not None else ():
        low = getattr(item, "ge", getattr(item, "gt", low))
        high = getattr(item, "le", getattr(item, "lt", high))
    return low, high


def _range_hint(loc: Loc) -> str:
    low, high = _bounds(loc)
    if low is not None and high is not None:
        return f" between {low:g} and {high:g}{_unit(loc)}"
    return ""


def _unit(loc: Loc) -> str:
    name = str(loc[-1]) if loc else ""
    units = (("_lufs", " LUFS"), ("_dbtp", " dBTP"), ("_lu", " LU"), ("_hz", " Hz"), ("_s", " s"))
    for suffix, unit in units:
        if name.endswith(suffix):
            return unit
    if name in ("min", "max") and "tempo_bpm" in loc:
        return " BPM"
    return ""


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` -> ``X``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _check_references(loaded: LoadedBrand) -> list[Problem]:
    brand, doc = loaded.brand, loaded.document
    problems: list[Problem] = []
    asset_ids: dict[str, int] = {}
    for index, asset in enumerate(brand.assets):
        if asset.id in asset_ids:
            problems.append(doc.problem(("assets", index, "id"),
                                        f"asset id {asset.id!r} is used twice; ids must be unique."))
        asset_ids.setdefault(asset.id, index)
    touchpoint_ids: dict[str, int] = {}
    for index, touchpoint in enumerate(brand.touchpoints):
        if touchpoint.id in touchpoint_ids:
            problems.append(doc.problem(("touchpoints", index, "id"),
                                        f"touchpoint id {touchpoint.id!r} is used twice; ids must be "
                                        "unique."))
        touchpoint_ids.setdefault(touchpoint.id, index)

    def need_asset(asset_id: str | None, loc: Loc) -> None:
        if asset_id is not None and asset_id not in asset_ids:
            problems.append(doc.problem(loc, f"no asset has the id {asset_id!r}; known ids: "
                                        f"{', '.join(sorted(asset_ids)) or 'none'}."))

    def need_touchpoint(touchpoint_id: str, loc: Loc) -> None:
        if touchpoint_id not in touchpoint_ids:
            problems.append(doc.problem(loc, f"no touchpoint has the id {touchpoint_id!r}; known ids: "
                                        f"{', '.join(sorted(touchpoint_ids)) or 'none'}."))

    if brand.sonic_logo is not None:
        need_asset(brand.sonic_logo.asset, ("sonic_logo", "asset"))
    for index, touchpoint in enumerate(brand.touchpoints):
        for j, asset_id in enumerate(touchpoint.assets):
            need_asset(asset_id, ("touchpoints", index, "assets", j))
        spec = touchpoint.loudness
        if spec is not None and spec.standard is not None and spec.standard not in standard_targets():
            problems.append(doc.problem(("touchpoints", index, "loudness", "standard"),
                                        f"unknown standard {spec.standard!r}; choose one of "
                                        f"{', '.join(standard_targets())}."))
    for section in ("dos", "donts"):
        for index, item in enumerate(getattr(brand, section)):
            need_asset(item.example, (section, index, "example"))
    if brand.ui_sounds is not None:
        for index, sound in enumerate(brand.ui_sounds.sounds):
            need_asset(sound.asset, ("ui_sounds", "sounds", index, "asset"))
    for index, rule in enumerate(brand.disclosure_policy.rules):
        for j, asset_id in enumerate(rule.assets):
            need_asset(asset_id, ("disclosure_policy", "rules", index, "assets", j))
    parents = {asset.id: asset.variant_of for asset in brand.assets}
    for index, asset in enumerate(brand.assets):
        for j, touchpoint_id in enumerate(asset.touchpoints):
            need_touchpoint(touchpoint_id, ("assets", index, "touchpoints", j))
        if asset.variant_of is not None:
            if asset.variant_of == asset.id:
                problems.append(doc.problem(("assets", index, "variant_of"),
                                            "an asset cannot be a variant of itself."))
                continue
            need_asset(asset.variant_of, ("assets", index, "variant_of"))
            seen = {asset.id}
            parent: str | None = asset.variant_of
            while parent is not None and parent in parents:
                if parent in seen:
                    problems.append(doc.problem(("assets", index, "variant_of"),
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


def check_audio_headers(loaded: LoadedBrand) -> list[Problem]:
    """Cheap header check of every resolved asset (no decoding): readable, not mislabelled, not empty.

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
    same_case = [path for path in known if path.casefold() == wanted.casefold()]
    if same_case:
        return same_case[0]
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.8)
    return close[0] if close else None


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
