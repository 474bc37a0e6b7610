"""A brand's logo image (``identity.look.logo``): a PNG checked by its bytes, or an SVG rebuilt from
an allow-list.

No maintained SVG sanitiser is published on PyPI (nh3 and bleach clean HTML, not SVG; Cloudflare's
svg-hush is a Rust crate): this module is a strict allow-list on the standard library's
ElementTree, parsed through defusedxml with DTDs forbidden (so no entity expansion, no external
entities, no billion laughs). What is published is never the file as given but the tree rebuilt
from allowed elements and attributes, so anything the checks below miss is dropped too.

Active or outward-reaching content is refused with the reason, so the brand team knows to fix the
file: ``<script>``, ``<foreignObject>``, ``<image>``, animation elements (``<set>``,
``<animate*>``, which can rewrite attributes), event-handler attributes (``onload``, ...), links
and ``url(...)`` references to anything but an element of the same file, ``@import`` and CSS
escapes in styles, and elements of other XML vocabularies in the SVG namespace's place (XHTML).
Editors' private data (Inkscape, Illustrator, RDF metadata, comments) is dropped silently.
"""

from __future__ import annotations

import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree as ET  # only to build and write trees: parsing goes through defusedxml

#: Logo image file endings and their kind.
IMAGE_EXTENSIONS = {".svg": "svg", ".png": "png"}
#: A logo is a small picture: larger files are refused.
MAX_SVG_BYTES = 256 * 1024
MAX_PNG_BYTES = 1024 * 1024
#: Largest PNG side in pixels (a header-height logo needs a few hundred).
MAX_PNG_SIDE = 4096
#: Most elements and deepest nesting of an SVG logo.
MAX_SVG_ELEMENTS = 5000
MAX_SVG_DEPTH = 32

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

#: SVG elements kept (static drawing, text, paint servers, clipping, masks and simple filters).
ALLOWED_ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feFlood",
    "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "feDropShadow",
})
#: Elements that make a logo active or reach outside the file: refused with the reason.
REFUSED_ELEMENTS = {
    "script": "a <script> element (a logo must be a still picture)",
    "foreignObject": "a <foreignObject> element (it embeds HTML)",
    "image": "an <image> element (it loads another picture; give a PNG logo instead)",
    "feImage": "an <feImage> element (it loads another picture)",
    "a": "an <a> link",
    "set": "a <set> animation element (it can rewrite attributes)",
    "animate": "an <animate> element (a logo must be a still picture)",
    "animateTransform": "an <animateTransform> element (a logo must be a still picture)",
    "animateMotion": "an <animateMotion> element (a logo must be a still picture)",
    "discard": "a <discard> animation element",
    "iframe": "an <iframe> element",
    "embed": "an <embed> element",
    "object": "an <object> element",
    "audio": "an <audio> element",
    "video": "a <video> element",
    "font-face-uri": "a <font-face-uri> element (it loads a font)",
}
#: Attributes kept (geometry, presentation, text, paint servers, filters, accessibility).
ALLOWED_ATTRIBUTES = frozenset({
    "id", "class", "style", "lang", "role", "aria-label", "aria-hidden", "version",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "dx", "dy",
    "width", "height", "viewBox", "preserveAspectRatio", "d", "points", "pathLength", "transform",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity",
    "color", "display", "visibility", "overflow", "clip-path", "clip-rule", "clip", "mask", "filter",
    "vector-effect", "paint-order", "shape-rendering", "text-rendering", "color-interpolation",
    "color-interpolation-filters", "mix-blend-mode", "isolation",
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
    "marker-start", "marker-mid", "marker-end",
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "rotate", "textLength", "lengthAdjust",
    "startOffset", "xml:space",
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "operator",
    "k1", "k2", "k3", "k4", "values", "type", "tableValues", "slope", "intercept", "amplitude",
    "exponent", "flood-color", "flood-opacity", "radius", "edgeMode",
    "href",
})
#: Attributes whose value may point at an element of the same file only.
_REFERENCE_ATTRIBUTES = frozenset({"href"})
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


class ImageRefused(ValueError):
    """A logo image that cannot be published, with the reason and the fix in its message."""


@dataclass(frozen=True)
class LogoImage:
    """A checked logo image: ``data`` is what is published (for an SVG, the rebuilt tree)."""

    kind: Literal["svg", "png"]
    data: bytes
    #: Pixel size of a PNG; for an SVG its width and height attributes when they are plain numbers.
    width: float | None
    height: float | None

    @property
    def extension(self) -> str:
        return f".{self.kind}"


def check_logo(data: bytes, kind: str) -> LogoImage:
    """Check a logo image's bytes; raise :class:`ImageRefused` with every problem found."""
    if kind == "png":
        return check_png(data)
    if kind == "svg":
        return sanitise_svg(data)
    raise ImageRefused(f"a logo must be an SVG or PNG file, not {kind!r}")


def check_png(data: bytes) -> LogoImage:
    """A PNG by its signature and header: size, dimensions (the pixels are not decoded)."""
    if len(data) > MAX_PNG_BYTES:
        raise ImageRefused(f"the PNG is {len(data):,} bytes; a logo may have {MAX_PNG_BYTES:,}: "
                           "export it smaller (a few hundred pixels high is enough)")
    if not data.startswith(PNG_MAGIC) or len(data) < 33 or data[12:16] != b"IHDR":
        raise ImageRefused("the file is not a PNG (its first bytes are not a PNG signature and header); "
                           "export the logo as PNG or SVG")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE):
        raise ImageRefused(f"the PNG is {width} × {height} pixels; each side must be 1 to {MAX_PNG_SIDE}: "
                           "export it smaller")
    return LogoImage(kind="png", data=data, width=float(width), height=float(height))


def sanitise_svg(data: bytes) -> LogoImage:
    """The SVG rebuilt from allowed elements and attributes; raise :class:`ImageRefused` naming
    every element or attribute that makes it active or reach outside the file."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_SVG_BYTES:
        raise ImageRefused(f"the SVG is {len(data):,} bytes; a logo may have {MAX_SVG_BYTES:,}: "
                           "simplify it or export it with fewer points")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImageRefused("the SVG declares a DTD or entities (<!DOCTYPE ...>, <!ENTITY ...>); "
                           "remove the declaration: a logo needs none") from None
    except ET.ParseError as exc:
        raise ImageRefused(f"the SVG is not well-formed XML ({exc}); export it again") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageRefused(f'the root element must be <svg xmlns="{SVG_NS}">, not <{_local(root.tag)}>')
    problems: list[str] = []
    count = [0]
    clean = _rebuild(root, problems, depth=0, count=count)
    if count[0] > MAX_SVG_ELEMENTS:
        problems.append(f"it has {count[0]:,} elements; a logo may have {MAX_SVG_ELEMENTS:,}")
    if problems:
        unique = list(dict.fromkeys(problems))
        raise ImageRefused("the SVG has " + "; ".join(unique) + ": remove them (a logo is a still picture "
                           "that refers to nothing outside its file)")
    assert clean is not None
    text = ET.tostring(clean, encoding="unicode", short_empty_elements=True)
    return LogoImage(kind="svg", data=(text + "\n").encode("utf-8"), width=_length(root.get("width")),
                     height=_length(root.get("height")))


def _rebuild(element: ET.Element, problems: list[str], *, depth: int, count: list[int]) -> ET.Element | None:
    """An allowed copy of ``element`` (None when it is dropped); refusals go to ``problems``."""
    count[0] += 1
    if depth > MAX_SVG_DEPTH:
        problems.append(f"elements nested more than {MAX_SVG_DEPTH} deep")
        return None
    if count[0] > MAX_SVG_ELEMENTS:
        return None
    tag = element.tag if isinstance(element.tag, str) else ""  # comments and processing instructions
    namespace, name = _split(tag)
    if name in REFUSED_ELEMENTS and namespace in (SVG_NS, "http://www.w3.org/1999/xhtml", ""):
        problems.append(REFUSED_ELEMENTS[name])
        return None
    if namespace == "http://www.w3.org/1999/xhtml":
        problems.append(f"an HTML <{name}> element")
        return None
    if namespace != SVG_NS or name not in ALLOWED_ELEMENTS:
        return None  # an editor's private data, metadata, a comment: dropped
    # Written with plain names, the root carrying xmlns (ElementTree's default_namespace option
    # refuses attributes without a namespace).
    copy = ET.Element(name)
    if depth == 0:
        copy.set("xmlns", SVG_NS)
    for key, value in element.attrib.items():
        attribute = _attribute_name(key)
        if attribute is None:
            continue
        if attribute.lower().startswith("on"):
            problems.append(f"an event handler ({attribute}=...)")
            continue
        if attribute not in ALLOWED_ATTRIBUTES:
            continue
        refusal = _value_problem(attribute, value)
        if refusal:
            problems.append(refusal)
            continue
        copy.set(attribute, value)
    if name == "style":
        refusal = _css_problem(element.text or "", "a <style> element")
        if refusal:
            problems.append(refusal)
    copy.text = element.text
    for child in element:
        kept = _rebuild(child, problems, depth=depth + 1, count=count)
        if kept is not None:
            copy.append(kept)
            kept.tail = child.tail
    return copy


def _attribute_name(key: str) -> str | None:
    """The attribute's name as published: SVG attributes by name, ``xlink:href`` as ``href``,
    ``xml:space`` kept; every other namespace (editors' data) None."""
    namespace, name = _split(key)
    if namespace == "":
        return name
    if namespace == XLINK_NS and name == "href":
        return "href"
    if namespace == "http://www.w3.org/XML/1998/namespace" and name == "space":
        return "xml:space"
    return None


def _value_problem(attribute: str, value: str) -> str | None:
    lowered = re.sub(r"\s+", "", value).lower()
    if "javascript:" in lowered or "vbscript:" in lowered:
        return f"a script address in {attribute}="
    if attribute in _REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
        return f"a reference outside the file ({attribute}=\"{_short(value)}\")"
    if attribute == "style":
        return _css_problem(value, "a style attribute")
    for match in _URL.finditer(value):
        if not match.group(2).strip().startswith("#"):
            return f"a reference outside the file ({attribute}=\"{_short(value)}\")"
    return None


def _css_problem(css: str, where: str) -> str | None:
    """Why a style sheet or style attribute reaches outside the file, or None."""
    lowered = css.lower()
    if "\\" in css:
        return f"CSS escapes in {where} (they can hide a reference)"
    if "@import" in lowered or "@font-face" in lowered:
        return f"an @import or @font-face rule in {where}"
    if "expression(" in lowered or "javascript:" in lowered or "behavior:" in lowered:
        return f"script in {where}"
    if "image-set(" in lowered or "src(" in lowered:
        return f"an image-set() or src() reference in {where}"
    for match in _URL.finditer(css):
        if not match.group(2).strip().startswith("#"):
            return f"a reference outside the file in {where} (url({_short(match.group(2))}))"
    return None


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _local(tag: object) -> str:
    return _split(tag)[1] if isinstance(tag, str) else "?"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _length(value: str | None) -> float | None:
    """``"120"`` or ``"120px"`` -> 120.0; other units and percentages -> None."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*", value)
    return float(match.group(1)) if match else None


def resolve_image_path(relative: str, folder: Path, *, max_bytes: int | None = None) -> tuple[Path | None, str | None]:
    """A logo image's path inside ``folder``: ``(path, None)`` or ``(None, reason it is refused)``.

    Stricter than audio paths: no URL, absolute path, ``..``, backslash or control character, and
    no link at all (not even one inside the folder), a regular file ending in .svg or .png.
    """
    text = relative.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) or text.startswith("//"):
        return None, f"{text!r} is a URL or drive path; give a path inside the brand folder, e.g. images/logo.svg."
    if "\\" in text or any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        return None, f"{text!r} uses backslashes or control characters; write paths with '/'."
    if text.startswith("/"):
        return None, f"{text!r} is absolute; give a path relative to the brand folder, e.g. images/logo.svg."
    if ".." in text.split("/"):
        return None, f"{text!r} leaves the brand folder ('..'); keep the logo inside the brand folder."
    if Path(text).suffix.lower() not in IMAGE_EXTENSIONS:
        return None, f"{text!r} is not an SVG or PNG file; give the logo as .svg or .png."
    candidate = folder / text
    # Every component, not only the last, must be a real folder or file: no links anywhere.
    current = folder
    for part in Path(text).parts:
        current = current / part
        if current.is_symlink():
            return None, f"{text!r} is (or goes through) a link; copy the logo into the brand folder instead."
    if not os.path.lexists(candidate):
        return None, f"{text!r} does not exist in {folder.name}/; check the file name and its case."
    real = os.path.realpath(candidate)
    root = os.path.realpath(folder)
    if not real.startswith(root.rstrip(os.sep) + os.sep):
        return None, f"{text!r} points outside the brand folder; copy the logo into it."
    try:
        info = Path(real).stat()
    except OSError as exc:
        return None, f"{text!r} cannot be read ({exc.strerror})."
    if not stat.S_ISREG(info.st_mode):
        return None, f"{text!r} is not a regular file (a device, FIFO or folder); point at the logo file."
    limit = max_bytes if max_bytes is not None else max(MAX_SVG_BYTES, MAX_PNG_BYTES)
    if info.st_size > limit:
        return None, f"{text!r} is {info.st_size:,} bytes; a logo may have {limit:,}: export it smaller."
    return Path(real), None


def load_logo(relative: str, folder: Path) -> tuple[LogoImage | None, str | None]:
    """Resolve and check a logo image: ``(image, None)`` or ``(None, the message for brand.yml)``."""
    path, message = resolve_image_path(relative, folder)
    if path is None:
        return None, message
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"{relative.strip()!r} cannot be read ({exc.strerror})."
    try:
        return check_logo(data, IMAGE_EXTENSIONS[path.suffix.lower()]), None
    except ImageRefused as refused:
        return None, f"{relative.strip()!r}: {refused}."
