"""The generated navigation of a large catalogue: brands in groups, so that with Material's
``navigation.prune`` a page carries its own group only (issue 16, scale)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitehelpers import brand_yaml, build_site, make_project, sine, soup
from sonicguide.core.views import navigation


def test_small_catalogues_stay_flat() -> None:
    assert navigation.group_sizes(0) == []
    assert navigation.group_sizes(navigation.GROUP_FROM) == [navigation.GROUP_FROM]
    pages = [(f"Brand {i}", f"b{i}/index.md") for i in range(3)]
    assert navigation.brand_entries(pages) == ["b0/index.md", "b1/index.md", "b2/index.md"]


@pytest.mark.parametrize("count", [61, 100, 200, 999, 1000, 5000])
def test_groups_cover_every_brand_once_in_about_square_root_groups(count: int) -> None:
    sizes = navigation.group_sizes(count)
    assert sum(sizes) == count and max(sizes) - min(sizes) <= 1
    assert max(sizes) <= max(navigation.MIN_GROUP, int(count ** 0.5) + 1)
    # Groups and the entries of one group together stay near 2 * sqrt(N): what a pruned page carries.
    assert len(sizes) + max(sizes) <= 2 * max(navigation.MIN_GROUP, int(count ** 0.5) + 1) + 1


def test_group_labels_name_their_ends_shortly_and_escaped() -> None:
    assert navigation.group_label("Alder Rail", "Cedar Health", after="Dune Games") == "Alder – Cedar"
    assert navigation.group_label("Dune Games", "Fir Foods", before="Cedar Health", after="Gale Air") == "Dune – Fir"
    assert navigation.group_label("Acme", "Acme", before="Able") == "Acme"


def test_groups_are_labelled_by_their_first_and_last_brand_escaped() -> None:
    pages = [(f"Brand {i:03d}", f"b{i}/index.md") for i in range(99)] + [("<i>Zed</i> & Co", "zed/index.md")]
    entries = navigation.brand_entries(pages)
    assert [len(next(iter(e.values()))) for e in entries if isinstance(e, dict)] == [25, 25, 25, 25]
    labels = [next(iter(e)) for e in entries if isinstance(e, dict)]
    # Like a dictionary's guide words: the words that tell each end from the next group's.
    assert labels[:2] == ["Brand 000 – 024", "Brand 025 – 049"]
    assert labels[-1] == "Brand 075 – &lt;i&gt;Zed&lt;/i&gt;"
    flat = [uri for e in entries if isinstance(e, dict) for uri in next(iter(e.values()))]
    assert flat == [uri for _name, uri in pages]


def test_a_pruned_page_carries_its_own_group_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Five brands in groups of two (the thresholds lowered: 61 real brands would take minutes).
    monkeypatch.setattr(navigation, "GROUP_FROM", 3)
    monkeypatch.setattr(navigation, "MIN_GROUP", 2)
    names = ["Alpha", "Bravo", "Charlie", "Delta", "Z<i>ulu</i> & Co"]
    slugs = ["alpha", "bravo", "charlie", "delta", "echo"]
    config = make_project(tmp_path, {slug: brand_yaml(name) for slug, name in zip(slugs, names, strict=True)})
    tone = sine(tmp_path / "tone.wav", seconds=1.0)
    for slug in slugs:  # the same bytes everywhere: analysed once
        (tmp_path / "brands" / slug / "audio").mkdir()
        shutil.copyfile(tone, tmp_path / "brands" / slug / "audio" / "logo.wav")
    data = json.loads(config.read_text(encoding="utf-8"))
    data["theme"]["features"] = ["navigation.instant", "navigation.sections", "navigation.prune"]
    config.write_text(json.dumps(data), encoding="utf-8")
    site = build_site(config)

    def nav_links(page: Path) -> list[str]:
        nav = soup(page).select_one("nav.md-nav--primary")
        return [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]

    # Groups of max(2, ceil(sqrt(5))) = 3: Alpha-Charlie and Delta-Echo.
    # On Delta's page: its group (Delta, Echo) in full; the other by one link to its first brand.
    delta = nav_links(site / "delta" / "index.html")
    assert "Delta" in delta and "Z<i>ulu</i> & Co" in delta
    assert "Bravo" not in delta and "Charlie" not in delta
    assert "Alpha – Charlie" in delta
    groups = [label.get_text(" ", strip=True)
              for label in soup(site / "delta" / "index.html").select("nav.md-nav--primary label.md-nav__link")]
    assert "Delta – Z<i>ulu</i>" in groups
    # The gallery is in no group: every group is one link to its first brand; markup in a name is text.
    gallery = soup(site / "index.html").select_one("nav.md-nav--primary")
    links = {a.get_text(" ", strip=True): a["href"] for a in gallery.select("a.md-nav__link[href]")}
    assert links["Alpha – Charlie"] == "alpha/" and links["Delta – Z<i>ulu</i>"] == "delta/"
    assert not {"Bravo", "Charlie", "Z<i>ulu</i> & Co"} & set(links)
    assert gallery.select_one("i") is None
