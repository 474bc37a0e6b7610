"""Outputs that depend on sonicguide's code alone, made once per version of the code.

The JSON Schemas of ``brand.yml`` and ``brand.json`` and the methodology page are the same on every
build of the same code, yet generating them (pydantic's schema generation, the methodology's
tables) cost about half a second of every rebuild. :func:`made_once` keeps each in the
content-addressed cache under the package's code fingerprint (sources, templates and data files,
see :func:`~sonicguide.core.rendercache.code_fingerprint`) and the versions of the libraries that
shape them, so a changed model, template or library makes them again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sonicguide.core.cache import Cache, make_key
from sonicguide.core.rendercache import code_fingerprint

KIND = "code-output"
#: Bump when the meaning of an entry changes.
VERSION = "1"
#: Libraries whose output is part of these texts (schema generation, Markdown fields, templates).
_LIBRARIES = ("pydantic", "markdown-it-py", "nh3", "Jinja2")


@functools.cache
def _versions() -> tuple[str, ...]:
    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} absent")
    return tuple(found)


def made_once(store: Cache, name: str, make: Callable[[], str]) -> str:
    """The text ``make()`` returns, from ``store`` when this code made it before (``name`` tells
    the outputs apart)."""
    key = make_key(KIND, VERSION, code_fingerprint(), _versions(), name)
    cached = store.get_json(KIND, key, load=_text)
    if cached is not None:
        return str(cached)
    text = make()
    store.put_json(KIND, key, {"text": text})
    return text


def _text(value: Any) -> str:
    if not isinstance(value, dict) or set(value) != {"text"} or not isinstance(value["text"], str):
        raise TypeError("not a code output")
    return value["text"]
