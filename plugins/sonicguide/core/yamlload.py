"""Load YAML the way people mean it, with a position for every value.

Scalars are kept as the text the author wrote (``NO``, ``on``, ``1:30``, ``0120`` and ``1.10`` stay
exactly that); the typed schema then converts text to numbers or booleans only where a field asks
for one. This avoids YAML 1.1's surprises and YAML 1.2's ``0120 -> 120`` alike.

Refused outright, with a position: aliases and anchors (an alias bomb expands exponentially),
duplicate keys, explicit tags other than the core ones, non-scalar keys, documents over a size
limit or nested too deeply, and more than one document in a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, DocumentStartEvent, NodeEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import BrandError, Problem

#: A path to a value: mapping keys and sequence indexes, as pydantic reports ``loc``.
Loc: TypeAlias = tuple[str | int, ...]

DEFAULT_MAX_BYTES = 1_000_000
MAX_DEPTH = 32
_NULLS = {"", "~", "null", "Null", "NULL"}
_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Document:
    """Plain data loaded from YAML and where each value stands in the file.

    ``data`` holds only ``dict``, ``list``, ``str`` and ``None``. ``positions`` maps a location to
    the (line, column) of its value and ``key_positions`` to that of its key, both 1-based.
    """

    file: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of ``loc``, or of its nearest ancestor that exists in the file."""
        probe = tuple(loc)
        while True:
            if key and probe in self.key_positions:
                return self.key_positions[probe]
            if probe in self.positions:
                return self.positions[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, column = self.where(loc, key=key)
        return Problem(self.file, line, column, format_loc(loc), message)


def format_loc(loc: Loc) -> str:
    """``("assets", 2, "file")`` -> ``"assets[2].file"``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def load_yaml(text: str | bytes, *, file: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Parse one YAML document into a :class:`Document`.

    Raises :class:`BrandError` listing what is wrong; never returns partial data.
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > max_bytes:
        raise BrandError(
            [Problem(file, None, None, "", f"file is {len(raw):,} bytes; the limit is {max_bytes:,}. "
                     "Split long texts or raise the plugin's max_yaml_bytes.")]
        )
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BrandError([Problem(file, None, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                  "save the file as UTF-8.")]) from None
    if "\x00" in source:
        raise BrandError([Problem(file, None, None, "", "contains a NUL character; this is not a text file.")])

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # we report duplicates ourselves, with both positions
    problems: list[Problem] = []
    try:
        documents = 0
        for event in yaml.parse(source):
            if isinstance(event, DocumentStartEvent):
                documents += 1
            if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
                mark = event.start_mark
                problems.append(Problem(file, mark.line + 1, mark.column + 1, "",
                                        "YAML anchors and aliases (&name, *name) are not allowed; "
                                        "write the value out in full."))
        if documents > 1:
            problems.append(Problem(file, None, None, "", "holds several YAML documents (---); keep one."))
        if problems:
            raise BrandError(problems)
        node = yaml.compose(source)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise BrandError([Problem(file, line, column, "", f"YAML syntax error: {what}")]) from None
    except YAMLError as exc:
        raise BrandError([Problem(file, None, None, "", f"YAML error: {exc}")]) from None

    document = Document(file=file, data=None)
    if node is None:
        document.data = None
        return document
    document.data = _convert(node, (), document, problems, depth=0)
    if problems:
        raise BrandError(problems)
    return document


def _tag(node: Node) -> str:
    tag = node.tag
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) else ""


def _convert(node: Node, loc: Loc, doc: Document, problems: list[Problem], *, depth: int) -> Any:
    doc.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        problems.append(doc.problem(loc, f"nested deeper than {MAX_DEPTH} levels."))
        return None
    tag = _tag(node)
    if tag and tag.startswith("!") or (tag and tag.startswith("tag:") and tag not in _CORE_TAGS):
        problems.append(doc.problem(loc, f"the YAML tag {tag!r} is not allowed; remove it."))
        return None
    if isinstance(node, ScalarNode):
        value: str = node.value
        if node.style is None and value in _NULLS:
            return None
        return value
    if isinstance(node, SequenceNode):
        return [_convert(item, (*loc, index), doc, problems, depth=depth + 1)
                for index, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line, key_col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, ScalarNode) or _tag(key_node) == "tag:yaml.org,2002:merge":
                problems.append(doc.problem(loc, "keys must be plain text (no lists, maps or << merges)."))
                continue
            key = key_node.value
            child: Loc = (*loc, key)
            if key in result:
                first = doc.key_positions[child]
                problems.append(Problem(doc.file, key_line, key_col, format_loc(child),
                                        f"duplicate key {key!r} (first at line {first[0]}); keep one."))
                continue
            doc.key_positions[child] = (key_line, key_col)
            result[key] = _convert(value_node, child, doc, problems, depth=depth + 1)
        return result
    problems.append(doc.problem(loc, "unsupported YAML node."))
    return None
