"""``sonicguide pack SITE BRAND [TOUCHPOINT] -o OUT.zip``: a delivery pack's zip, put together from a
built site (a folder or an http(s) address) exactly as the brand page's download button does.

The site publishes each pack as a plan (``<brand>/packs/<name>.pack.json``, see
:mod:`sonicguide.core.views.packs`): header bytes and the files the zip is made of, each published
once. This command reads the plan, fetches every part, checks each file's size and SHA-256 and the
whole zip's, and only then moves the zip into place; on any failure it writes nothing.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import posixpath
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urljoin

from sonicguide.core.views import layout
from sonicguide.core.views.packs import PLAN_FORMAT, PLAN_VERSION

_CHUNK = 1 << 20
_TIMEOUT_S = 60


class PackError(Exception):
    """A pack that cannot be put together; the message says why and what to do."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("pack", help="put a delivery pack's zip together from a built site",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", help="the built site: a folder (site/) or its address (https://...)")
    parser.add_argument("brand", help="the brand's slug (its folder name under brands/)")
    parser.add_argument("touchpoint", nargs="?", default=None,
                        help="a touchpoint id: that touchpoint's pack (default: the pack of every asset)")
    parser.add_argument("--output", "-o", type=Path, default=None,
                        help="the zip to write (default: the pack's own name in the current folder)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        name, sha256, size = assemble(args.site, args.brand, args.touchpoint, args.output)
    except PackError as error:
        print(f"sonicguide pack: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {name} ({size} bytes, SHA-256 {sha256}, as published).", file=sys.stderr)
    return 0


def assemble(site: str, brand: str, touchpoint: str | None, output: Path | None) -> tuple[str, str, int]:
    """Put the pack together into ``output`` (default: its name in the current folder).

    Returns ``(path written, SHA-256, size in bytes)``; raises :class:`PackError`.
    """
    source = _Site(site)
    plan_uri = layout.pack_plan(brand, touchpoint)
    plan = _plan(source, plan_uri, brand)
    target = output if output is not None else Path(plan["name"])
    target = target.absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise PackError(f"cannot write {target}: {error.strerror or error}; choose another --output") from None
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as sink:
            for chunk in _parts(source, plan_uri, plan):
                digest.update(chunk)
                size += len(chunk)
                sink.write(chunk)
        if size != plan["size_bytes"] or digest.hexdigest() != plan["sha256"]:
            raise PackError(f"the zip came to {size} bytes with SHA-256 {digest.hexdigest()}, not the published "
                            f"{plan['size_bytes']} bytes and {plan['sha256']}; the site changed while it was read: "
                            "try again")
        Path(temp_name).replace(target)
    except OSError as error:
        raise PackError(f"cannot write {target}: {error.strerror or error}; choose another --output") from None
    finally:
        Path(temp_name).unlink(missing_ok=True)
    return str(target), digest.hexdigest(), size


def _plan(source: _Site, plan_uri: str, brand: str) -> dict[str, Any]:
    try:
        with source.open(plan_uri) as stream:
            plan = json.loads(stream.read())
    except FileNotFoundError:
        known = source.listing(posixpath.dirname(plan_uri))
        touchpoints = [name.removeprefix(f"{brand}-") for name in known if name != f"{brand}-all"]
        touchpoints = ["all" if name == "touchpoint-all" else name for name in touchpoints]
        hint = (f" Touchpoints of {brand!r} with a pack: " + (", ".join(touchpoints) or "none")
                + " (leave TOUCHPOINT out for the pack of every asset)." if known
                else f" Is it a site built by sonicguide, and {brand!r} the slug of one of its brands?")
        raise PackError(f"{source.describe(plan_uri)} does not exist.{hint}") from None
    except (ValueError, UnicodeDecodeError):
        raise PackError(f"{source.describe(plan_uri)} is not a pack plan (not JSON); rebuild the site") from None
    if (not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT or plan.get("format_version") != PLAN_VERSION
            or not isinstance(plan.get("parts"), list)):
        raise PackError(f"{source.describe(plan_uri)} is not a pack plan of version {PLAN_VERSION}; "
                        "use the sonicguide that built the site, or rebuild it")
    return plan


def _parts(source: _Site, plan_uri: str, plan: dict[str, Any]) -> Iterator[bytes]:
    folder = posixpath.dirname(plan_uri)
    for part in plan["parts"]:
        if "base64" in part:
            yield base64.b64decode(part["base64"], validate=True)
            continue
        uri = posixpath.normpath(posixpath.join(folder, unquote(str(part["url"]))))
        if uri.startswith("../") or uri == ".." or posixpath.isabs(uri):
            raise PackError(f"the plan names {part['url']!r}, outside the site; rebuild the site")
        digest = hashlib.sha256()
        size = 0
        try:
            with source.open(uri) as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    yield chunk
        except FileNotFoundError:
            raise PackError(f"{source.describe(uri)}, a file of the pack, is missing from the site; the site is "
                            "incomplete: publish it again (or rebuild it)") from None
        if size != part["size_bytes"] or digest.hexdigest() != part["sha256"]:
            raise PackError(f"{source.describe(uri)} is not the file the pack was made with ({size} bytes, "
                            f"expected {part['size_bytes']} with SHA-256 {part['sha256']}); rebuild the site")


class _Site:
    """A built site: a folder, or an ``http(s)://`` address."""

    def __init__(self, where: str) -> None:
        self.url = where if where.startswith(("http://", "https://")) else None
        self.folder = None if self.url else Path(where)
        if self.url is not None and not self.url.endswith("/"):
            self.url += "/"
        if self.folder is not None and not self.folder.is_dir():
            raise PackError(f"{where} is not a folder; give the built site's folder (site/) or its address")

    def describe(self, uri: str) -> str:
        return urljoin(self.url, uri) if self.url is not None else str(self._path(uri))

    def _path(self, uri: str) -> Path:
        assert self.folder is not None
        return self.folder.joinpath(*uri.split("/"))

    def open(self, uri: str) -> IO[bytes]:
        if self.url is None:
            try:
                return self._path(uri).open("rb")
            except IsADirectoryError:
                raise FileNotFoundError(uri) from None
            except OSError as error:
                if isinstance(error, FileNotFoundError):
                    raise
                raise PackError(f"cannot read {self._path(uri)}: {error.strerror or error}") from None
        address = urljoin(self.url, urllib.request.pathname2url(uri))
        try:
            response: IO[bytes] = urllib.request.urlopen(address, timeout=_TIMEOUT_S)  # noqa: S310 - http(s) only
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise FileNotFoundError(uri) from None
            raise PackError(f"{address} answered HTTP {error.code}; try again later") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PackError(f"cannot reach {address}: {reason}; check the address and the network") from None
        return response

    def listing(self, folder: str) -> list[str]:
        if self.url is not None:
            return []
        path = self._path(folder)
        if not path.is_dir():
            return []
        return sorted(p.name.removesuffix(".pack.json") for p in path.glob("*.pack.json"))
