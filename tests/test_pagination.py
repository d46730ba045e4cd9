"""Long lists split into plain-HTML pages: addresses, links between pages, and every
program on exactly one page of the directory and of each facet page."""

from __future__ import annotations

import datetime
import json
import posixpath
import re
from pathlib import Path

import pytest
from peerdir import render
from peerdir.pagination import page_url, paginate, relative_url
from peerdir.project import Project
from peerdir.records import Directory, load_directory
from peerdir.render import SiteInputs, SiteSettings, render_site

TODAY = datetime.date(2026, 11, 22)


def test_pages_have_addresses_beside_the_first_and_link_to_each_other() -> None:
    pages = paginate(list(range(25)), 3, "for/doctors.md")
    assert [page.path for page in pages[:3]] == ["for/doctors.md", "for/doctors/page/2.md", "for/doctors/page/3.md"]
    assert [page.url for page in pages[:2]] == ["for/doctors/", "for/doctors/page/2/"]
    assert [len(page.items) for page in pages] == [3] * 8 + [1]
    assert (pages[0].previous, pages[0].next) == (None, "page/2/")
    assert (pages[1].previous, pages[1].next) == ("../../", "../3/")
    assert (pages[-1].previous, pages[-1].next) == ("../8/", None)
    fifth = [(link.number, link.current) if link else None for link in pages[4].links]
    assert fifth == [(1, False), None, (3, False), (4, False), (5, True), (6, False), (7, False), None, (9, False)]
    for page in pages:
        for link in filter(None, page.links):
            assert posixpath.normpath(posixpath.join(page.url, link.href)) + "/" == pages[link.number - 1].url


def test_a_short_list_is_one_page_without_links() -> None:
    (page,) = paginate(["a", "b"], 3, "programs/index.md")
    assert (page.url, page.links, page.previous, page.next) == ("programs/", (), None, None)
    (empty,) = paginate([], 3, "in/nl.md")
    assert empty.items == ()


def test_addresses_and_relative_links() -> None:
    assert page_url("programs/index.md") == "programs/"
    assert page_url("index.md") == ""
    assert page_url("in/au.md") == "in/au/"
    assert relative_url("for/doctors/page/2/", "programs/") == "../../../../programs/"
    assert relative_url("programs/", "programs/") == "./"


@pytest.fixture
def split(tree: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Directory, dict[str, str]]:
    """The checkout's records rendered two cards to a page."""
    monkeypatch.setattr(render, "LISTING_PAGE", 2)
    directory, problems = load_directory(Project(tree), TODAY)
    assert problems == []
    return directory, render_site(SiteInputs(directory, SiteSettings(), TODAY))


def card_links(page: str) -> list[str]:
    return re.findall(r'<li class="pd-card" id="[^"]+"[^>]*>\n<h2 class="pd-card__title"><a href="([^"]+)"', page)


def follow(pages: dict[str, str], first: str) -> list[str]:
    """Every card link from ``first`` on, through the "Next" links, as docs-relative paths."""
    found: list[str] = []
    path: str | None = first
    while path:
        text = pages[path]
        here = page_url(path)
        found += [posixpath.normpath(posixpath.join(here, link)) for link in card_links(text)]
        after = re.search(r'<a href="([^"]+)" rel="next">', text)
        path = (posixpath.normpath(posixpath.join(here, after.group(1))) + ".md") if after else None
    return found


def test_every_program_is_on_exactly_one_page_of_the_directory(split: tuple[Directory, dict[str, str]]) -> None:
    directory, pages = split
    ids = [p.id for p in directory.programs]
    count = -(-len(ids) // 2)
    assert f"programs/page/{count}.md" in pages and f"programs/page/{count + 1}.md" not in pages
    assert follow(pages, "programs/index.md") == [f"programs/{record_id}" for record_id in ids]
    first = pages["programs/index.md"]
    assert '<nav class="pd-pages" aria-label="Pages of the directory"' in first
    assert '<a href="./" aria-current="page"><span class="pd-visually-hidden">Page </span>1</a>' in first
    assert f'data-pd-total="{len(ids)}"' in first and 'data-pd-cards="cards.json"' in first
    second = pages["programs/page/2.md"]
    assert second.startswith('---\ntitle: "Find peer support, page 2 of')
    assert "[Search and filter the whole directory](../index.md)" in second
    assert "pd-filters" not in second and "<template" not in second
    assert '<a href="./" aria-current="page"><span class="pd-visually-hidden">Page </span>2</a>' in second


def test_facet_pages_are_split_the_same_way(split: tuple[Directory, dict[str, str]]) -> None:
    directory, pages = split
    doctors = follow(pages, "for/doctors.md")
    assert len(doctors) > 4 and "for/doctors/page/2.md" in pages
    assert doctors == [f"programs/{p.id}" for p in directory.programs if "doctors" in p.professions]
    second = pages["for/doctors/page/2.md"]
    assert "[search and filter the whole directory](../../../programs/index.md)" in second
    assert '<nav class="pd-pages" aria-label="Pages of this list"' in second
    assert "search:\n  exclude: true" in second and "search:" not in pages["for/doctors.md"]


def test_the_cards_file_holds_every_program_compactly(split: tuple[Directory, dict[str, str]]) -> None:
    directory, pages = split
    ids = [p.id for p in directory.programs]
    data = json.loads(pages["programs/cards.json"])
    assert [row[0] for row in data["cards"]] == ids
    assert data["facets"] == ["profession", "country", "format", "delivery", "access", "evaluation"]
    first = data["cards"][0]
    assert [data["texts"][n] for n in first[1]][data["fields"].index("name")]
    assert len(data["texts"]) == len(set(data["texts"])), "each text is written once"
