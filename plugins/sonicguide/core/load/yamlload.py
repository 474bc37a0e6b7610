"""Load YAML the way people mean it, with a position for every value.

Scalars are kept as the text the author wrote (``NO``, ``on``, ``1:30``, ``0120`` and ``1.10`` stay
exactly that); the typed schema then converts text to numbers or booleans only where a field asks
for one. This avoids YAML 1.1's surprises and YAML 1.2's ``0120 -> 120`` alike.

Refused outright, with a position: aliases and anchors (an alias bomb expands exponentially),
duplicate keys, explicit tags other than the core ones, non-scalar keys, documents over a size
limit or nested too deeply, and more than one document in a file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    NodeEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sonicguide.core.errors import BrandError, Problem

#: A path to a value: mapping keys and sequence indexes, as pydantic reports ``loc``.
Loc: TypeAlias = tuple[str | int, ...]

#: Bump when the loader's output changes; part of the parse cache's key.
LOADER_VERSION = "1"
DEFAULT_MAX_BYTES = 1_000_000
MAX_DEPTH = 32
#: Parser events (values, starts and ends of lists and mappings) allowed in one file.
MAX_EVENTS = 50_000
_NULLS = {"", "~", "null", "Null", "NULL"}
_CORE_PREFIX = "tag:yaml.org,2002:"
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

    def to_json(self) -> dict[str, Any]:
        """Plain JSON form (for the cache); :meth:`from_json` reverses it."""
        return {"file": self.file, "data": self.data,
                "positions": [[list(loc), *where] for loc, where in self.positions.items()],
                "key_positions": [[list(loc), *where] for loc, where in self.key_positions.items()]}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Document:
        return cls(file=value["file"], data=value["data"],
                   positions={tuple(loc): (line, column) for loc, line, column in value["positions"]},
                   key_positions={tuple(loc): (line, column) for loc, line, column in value["key_positions"]})

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

    ``text`` is the file's content (bytes are decoded as UTF-8, a leading BOM is dropped) and
    ``file`` the name shown in problems. Raises :class:`BrandError` listing what is wrong (at most
    :data:`MAX_PROBLEMS` entries); never returns partial data and never raises anything else for
    any input.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > max_bytes:
        raise BrandError(
            [Problem(file, None, None, "", f"file is {len(raw):,} bytes; the limit is {max_bytes:,}. "
                     "Split long texts or raise the plugin's max_yaml_bytes.")]
        )
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        raise BrandError([Problem(file, line, column, "", f"not UTF-8 text ({exc.reason} at byte "
                                  f"{exc.start}); save the file as UTF-8.")]) from None
    bad = _FORBIDDEN_CHARS.search(source)
    if bad is not None:
        line, column = _text_position(source, bad.start())
        raise BrandError([Problem(file, line, column, "", f"contains the control character "
                                  f"U+{ord(bad.group()):04X}; this is not a text file or was pasted with "
                                  "invisible characters. Delete it.")])
    bidi = _BIDI_CHARS.search(source)
    if bidi is not None:
        line, column = _text_position(source, bidi.start())
        raise BrandError([Problem(file, line, column, "", _bidi_message(bidi.group()) + " Delete it.")])

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # we report duplicates ourselves, with both positions
    problems: list[Problem] = []
    try:
        _check_events(yaml, source, file, problems)
        if problems:
            raise BrandError(problems)
        node = yaml.compose(source)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where: tuple[int | None, int | None] = (None, None)
        if mark is not None:
            where = (mark.line + 1, mark.column + 1)
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem(file, *where, "", f"YAML syntax error: {what}{_hint(what)}"))
        raise BrandError(problems) from None
    except YAMLError as exc:
        problems.append(Problem(file, None, None, "", f"YAML error: {exc}"))
        raise BrandError(problems) from None
    except RecursionError:  # defensive: the depth check above should make this unreachable
        problems.append(Problem(file, None, None, "", "nested too deeply; flatten the structure."))
        raise BrandError(problems) from None

    document = Document(file=file, data=None)
    if node is None:
        document.data = None
        return document
    document.data = _convert(node, (), document, problems, depth=0)
    if problems:
        raise BrandError(problems[:MAX_PROBLEMS])
    return document


#: Characters YAML does not allow in a stream (YAML 1.2 §5.1), plus the NUL that marks binary files.
_FORBIDDEN_CHARS = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Bidirectional controls (embeddings, overrides, isolates, LRM/RLM): they make text display in
#: another order than it is stored ("Trojan Source"), so a name or file name can read as another.
_BIDI_CHARS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _bidi_message(char: str) -> str:
    name = unicodedata.name(char, "bidirectional control")
    return (f"contains the invisible bidirectional control character U+{ord(char):04X} ({name}), which makes "
            "text display in another order than it is written; right-to-left text needs no control "
            "characters, type it as it is.")


#: At most this many problems are reported for one file (a file of 10,000 aliases gives 50 lines).
MAX_PROBLEMS = 50


def _check_events(yaml: YAML, source: str, file: str, problems: list[Problem]) -> None:
    """Walk the parser's events once, before anything is built: refuse anchors, aliases, several
    documents and deep nesting early, so that no hostile input reaches the composer."""
    documents = 0
    depth = 0
    anchors: list[tuple[int, int]] = []
    for count, event in enumerate(yaml.parse(source)):
        mark = event.start_mark
        if count > MAX_EVENTS:
            # ruamel's round-trip parser takes ~30 us per value: 300,000 tiny values in a 1 MB
            # file would cost 20 s before any check. No real brand comes near this bound.
            problems.append(Problem(file, mark.line + 1, mark.column + 1, "",
                                    f"holds more than {MAX_EVENTS:,} YAML values; split the brand or "
                                    "shorten its lists."))
            break
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents == 2:
                problems.append(Problem(file, mark.line + 1, mark.column + 1, "",
                                        "a second YAML document starts here (---); keep one per file."))
        elif isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                # Stop at once: ruamel's scanner costs O(depth) per token inside flow collections,
                # so `[[[[...` 100k deep would run for hours (and then recurse) if we let it go on.
                problems.append(Problem(file, mark.line + 1, mark.column + 1, "",
                                        f"nested deeper than {MAX_DEPTH} levels; flatten the structure."))
                break
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            anchors.append((mark.line + 1, mark.column + 1))
    if anchors:
        lines = sorted({line for line, _column in anchors})
        shown = ", ".join(str(line) for line in lines[:10]) + (", ..." if len(lines) > 10 else "")
        problems.append(Problem(file, *anchors[0], "", "YAML anchors and aliases (&name, *name) are not "
                                f"allowed; write the value out in full ({len(anchors)} found, on line"
                                f"{'s' if len(lines) > 1 else ''} {shown})."))


def _hint(what: str) -> str:
    if "'\\t'" in what or "\t" in what:
        return " (a tab; YAML indents with spaces only)"
    return ""


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


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
    if tag and tag not in _CORE_TAGS:  # local (!foo), verbatim (!<http://...>) and !!python/... alike
        shown = "!!" + tag.removeprefix(_CORE_PREFIX) if tag.startswith(_CORE_PREFIX) else tag
        problems.append(doc.problem(loc, f"the YAML tag {shown!r} is not allowed; remove it."))
        return None
    if isinstance(node, ScalarNode):
        value: str = node.value
        if node.style == ">":
            # ruamel's round-trip scanner marks the fold points of a folded block scalar with BEL
            # characters (to re-emit them); they are not part of the value. A block scalar cannot
            # hold escapes, and the stream check refuses a raw BEL, so none of them is the author's.
            value = value.replace("\a", "")
        if node.style is None and value in _NULLS:
            return None
        # Escapes in double quotes ("\0", "\x07", "\ud800") can smuggle in what the stream check refused.
        bad = _FORBIDDEN_CHARS.search(value)
        if bad is not None:
            problems.append(doc.problem(loc, f"contains the control character U+{ord(bad.group()):04X} "
                                        "(written as an escape); remove it."))
            return None
        bidi = _BIDI_CHARS.search(value)
        if bidi is not None:
            problems.append(doc.problem(loc, _bidi_message(bidi.group()) + " Remove it (it was written as an "
                                        "escape)."))
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
                problems.append(Problem(doc.file, key_line, key_col, format_loc(loc),
                                        "keys must be plain text (no lists, maps or << merges)."))
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
