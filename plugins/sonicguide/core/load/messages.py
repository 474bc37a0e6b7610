"""The English wording of pydantic's validation errors for ``brand.yml``.

:func:`pydantic_problems` turns a :class:`pydantic.ValidationError` raised by
``Brand.model_validate`` into :class:`~sonicguide.core.errors.Problem` objects: each says what was
expected, what the author wrote and how to fix it, in words (never a regular expression), at the
YAML position of the field. ``tests/bad_inputs`` pins the exact sentences.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from sonicguide.core.errors import Problem
from sonicguide.core.load.model import ID_PATTERN, Brand
from sonicguide.core.load.yamlload import Document, Loc, format_loc


def pydantic_problems(exc: ValidationError, document: Document) -> Iterable[Problem]:
    """Every error of ``exc`` as a problem at its position in ``document``."""
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
