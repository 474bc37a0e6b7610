"""The generated navigation's list of brands: flat for a small catalogue, in groups for a large one.

Material renders the whole navigation into every page, so a flat list of N brands costs N links on
each of the site's ~2N pages: N² in build time and in bytes (1,000 brands: about 2 million links).
Above :data:`GROUP_FROM` brands the list is cut into about √N groups of about √N brands each, in
alphabetical order, each labelled like a dictionary's guide words: as many leading words of its first
and last brand as tell them from the neighbouring groups ("Acme – Bolt", "Brand 000 – 031"). With
Material's
``navigation.prune`` feature a page then carries the group labels and its own group only (about
2√N links); without it every link is still rendered, inside collapsed groups.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

#: Catalogues larger than this get a grouped brand list.
GROUP_FROM = 60
#: No group is made smaller than this (a catalogue of 61 brands gets three groups, not eight).
MIN_GROUP = 25

#: One nav entry as MkDocs' ``nav`` setting takes it: a page URI or ``{title: [entries]}``.
NavEntry = str | dict[str, list[str]]


def group_sizes(count: int) -> list[int]:
    """Sizes of the groups ``count`` brands are cut into (one group when no grouping is needed).

    As many groups as groups of ``max(MIN_GROUP, ⌈√count⌉)`` brands need, filled as equally as
    possible (sizes differ by at most one, the larger first): 1,000 brands make 32 groups of 31-32.
    """
    if count <= GROUP_FROM:
        return [count] if count else []
    size = max(MIN_GROUP, math.ceil(math.sqrt(count)))
    groups = math.ceil(count / size)
    small, extra = divmod(count, groups)
    return [small + 1] * extra + [small] * (groups - extra)


def brand_entries(brands: Sequence[tuple[str, str]]) -> list[NavEntry]:
    """The "Brands" section's entries for ``brands``, ``(name, page_uri)`` pairs already in nav order.

    Up to :data:`GROUP_FROM` brands: their page URIs. Beyond: ``{"First – Last": [uris]}`` groups
    (see :func:`group_label`).
    Labels are HTML-escaped: Material prints section titles unescaped (MkDocs' theme environment has
    autoescape off), and a brand name comes from YAML.
    """
    sizes = group_sizes(len(brands))
    if len(sizes) <= 1:
        return [uri for _name, uri in brands]
    entries: list[NavEntry] = []
    start = 0
    for size in sizes:
        members = brands[start:start + size]
        before = brands[start - 1][0] if start else ""
        after = brands[start + size][0] if start + size < len(brands) else ""
        start += size
        label = group_label(members[0][0], members[-1][0], before=before, after=after)
        entries.append({html.escape(label): [uri for _name, uri in members]})
    return entries


def group_label(first: str, last: str, *, before: str = "", after: str = "") -> str:
    """A group's label from its first and last brand names and their neighbours in the other groups.

    Each end keeps as many leading words as tell it from its neighbour across the group's edge
    (``before`` the first, ``after`` the last; at least one word) and from the other end, and the last end drops the
    leading words it shares with the first: "Alder Rail" … "Cedar Health" next to "Birch Bank" …
    "Dune Games" gives "Alder – Cedar"; "Brand 000" … "Brand 031" gives "Brand 000 – 031". Short
    labels fit the phone's navigation drawer, which cuts a long one off.
    """
    if first == last:
        return " ".join(_telling_words(first, before))
    # Each end also tells itself from the other end, so the label never reads "Brand – Brand 031".
    head = max(_telling_words(first, before), _telling_words(first, last), key=len)
    tail = max(_telling_words(last, after), _telling_words(last, first), key=len)
    shared = 0
    while shared < min(len(head), len(tail)) - 1 and head[shared].casefold() == tail[shared].casefold():
        shared += 1
    return f"{' '.join(head)} – {' '.join(tail[shared:])}"


def _telling_words(name: str, neighbour: str) -> list[str]:
    """The fewest leading words of ``name`` (at least one) that ``neighbour`` does not start with."""
    words, other = name.split(), neighbour.casefold().split()
    for count in range(1, len(words) + 1):
        if [word.casefold() for word in words[:count]] != other[:count]:
            return words[:count]
    return words
