"""The whole site in a real browser: search, privacy, urgent help, small screens."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import ARTIFACTS, Requests, Site

pytestmark = pytest.mark.browser

PAGES = ["", "programs/", "programs/listening-friends/", "guides/what-is-peer-support/", "urgent-help/", "for/nurses/", "in/au/"]


def search(page: Any, words: str) -> list[str]:
    """Program ids among the results of the search box in the header (Material's markup,
    run by theme/assets/search.js on Pagefind's index)."""
    page.click(".md-search__input")
    page.fill(".md-search__input", words)
    page.wait_for_selector('.md-search-result__item a[href*="/programs/"]')
    links = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(link => link.href)")
    return [match.group(1) for link in links if (match := re.search(r"/programs/([a-z0-9-]+)/", link))]


@pytest.mark.parametrize(("words", "profession"), [("paramedics", "paramedics"), ("pharmacists", "pharmacists"), ("nurses", "nurses")])
def test_search_finds_programs_by_profession(site: Site, page: Any, words: str, profession: str) -> None:
    serving = {p.id for p in site.directory.programs if profession in p.professions}
    page.goto(site.at(""))
    found = search(page, words)
    assert found and set(found) <= serving | {p.id for p in site.directory.programs if words in p.support.lower()}
    assert set(found) & serving


def crawl_targets(site: Site) -> list[str]:
    return sorted(path.parent.relative_to(site.root).as_posix() + "/" for path in site.root.rglob("index.html"))


def test_no_page_contacts_any_host_but_this_one(site: Site, page: Any, requests: Requests) -> None:
    pages = [path.removeprefix("./") for path in crawl_targets(site)]
    assert len(pages) > 30
    for path in pages:
        page.goto(site.at(path), wait_until="load")
    for path in [*PAGES, "programs/?profession=nurses&words=peer&sort=reviewed"]:
        page.goto(site.at(path), wait_until="networkidle")
    assert any(url.endswith("assets/search.js") for url in requests.urls), "no search script: was JavaScript on?"
    # Search costs nothing until a visitor uses it, and Material's whole-site index is gone.
    assert not [url for url in requests.urls if "/pagefind/" in url or "search_index" in url]
    assert requests.foreign() == []


def test_nothing_is_stored_about_what_a_visitor_filtered(site: Site, page: Any) -> None:
    page.goto(site.at("programs/"))
    page.fill("#pd-words", "zz-private-words")
    page.click("[data-pd-facets] > summary")
    page.check('input[name="profession"][value="nurses"]')
    page.goto(site.at("urgent-help/"))
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
    assert "zz-private-words" not in stored and "nurses" not in stored
    assert page.context.cookies() == []


@pytest.mark.parametrize("path", PAGES)
def test_urgent_help_is_one_tap_and_two_tabs_away(site: Site, phone: Any, path: str) -> None:
    phone.goto(site.at(path))
    link = phone.locator(".md-banner a", has_text="Need urgent help?")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["y"] < 100 and box["height"] >= 24
    names = []
    for _ in range(2):
        phone.keyboard.press("Tab")
        names.append(phone.evaluate("() => document.activeElement.textContent.trim()"))
    assert any(name.startswith("Need urgent help?") for name in names), names
    link.click()
    phone.wait_for_selector("h1:text-is('Need urgent help?')")
    assert phone.url == site.at("urgent-help/")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_360_pixel_screen(site: Site, phone: Any, path: str) -> None:
    phone.goto(site.at(path))
    if path == "programs/":
        phone.click("[data-pd-facets] > summary")
        phone.check('input[name="access"][value="anonymous"]')
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_screenshots_of_the_directory(site: Site, page: Any, phone: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(site.at("programs/listening-friends/"))
    phone.screenshot(path=str(ARTIFACTS / "program-360px.png"), full_page=True)
    for shown, name in ((page, "directory-desktop.png"), (phone, "directory-360px.png")):
        shown.goto(site.at("programs/?profession=nurses&profession=doctors"))
        shown.screenshot(path=str(ARTIFACTS / name), full_page=True)
        assert (ARTIFACTS / name).stat().st_size > 10_000
