"""The generated navigation's list of brands: flat for a small catalogue, in groups for a large one.

Material renders the whole navigation into every page, so a flat list of N brands costs N links on
each of the site's ~2N pages: N² in build time and in bytes (1,000 brands: about 2 million links).
Above :data:`GROUP_FROM` brands the list is cut into about √N groups of about √N brands each, in
alphabetical order, each labelled by its first and last brand ("Acme – Bolt"). With Material's
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

    Up to :data:`GROUP_FROM` brands: their page URIs. Beyond: ``{"First – Last": [uris]}`` groups.
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
        start += size
        first, last = members[0][0], members[-1][0]
        label = first if first == last else f"{first} – {last}"
        entries.append({html.escape(label): [uri for _name, uri in members]})
    return entries
