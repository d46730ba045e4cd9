"""The search box in a real browser, on the Pagefind index of a real ``peerdir build``:
it finds programs, fetches only this site's index and only once used, keeps to the
Content-Security-Policy (the page fixture fails on any violation), and works from the
keyboard. Searching by profession is in test_pages.py."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import serve_folder

from .conftest import DESKTOP, Requests, Site, open_page
from .test_pages import search

pytestmark = pytest.mark.browser

RESULT_LINKS = ".md-search-result__item > a"


def test_search_finds_a_program_by_name(site: Site, page: Any) -> None:
    page.goto(site.at(""))
    assert search(page, "Listening Friends")[0] == "listening-friends"
    first = page.locator(RESULT_LINKS).first
    assert first.locator(".pd-search-result__title").inner_text() == "Listening Friends"
    assert [mark.lower().strip(".,") for mark in first.locator("mark").all_inner_texts()][:2] == ["listening", "friends"]


def test_search_finds_a_program_by_its_organisation(site: Site, page: Any) -> None:
    page.goto(site.at("guides/"))
    assert "listening-friends" in search(page, "Royal Pharmaceutical Society")


def test_search_works_where_the_site_is_published_below_the_root(site: Site, page: Any) -> None:
    """As on GitHub Pages (/peer-support-directory/): the index and the results are found
    beside the site's own files, not at the host's root."""
    with serve_folder(site.root.parent) as url:
        below = url + site.root.name + "/"
        page.goto(below + "guides/")
        assert search(page, "Listening Friends")[0] == "listening-friends"
        assert page.locator(RESULT_LINKS).first.get_attribute("href") == f"/{site.root.name}/programs/listening-friends/"


def test_search_fetches_only_this_sites_index_and_only_once_used(site: Site, page: Any, requests: Requests) -> None:
    page.goto(site.at(""), wait_until="networkidle")
    assert not [url for url in requests.urls if "/pagefind/" in url]
    search(page, "nurses")
    fetched = [url for url in requests.urls if "/pagefind/" in url]
    assert any(url.endswith("/pagefind/pagefind.js") for url in fetched)
    assert any(".pf_" in url for url in fetched)  # index chunks, not a whole-site file
    assert all(url.startswith(site.url) for url in requests.urls)
    assert not [url for url in requests.urls if "search_index" in url or "/workers/search" in url]
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
    assert "nurses" not in stored
    assert page.context.cookies() == []


def test_search_keeps_to_the_policy_on_the_main_thread_too(site: Site, page: Any, requests: Requests) -> None:
    """Pagefind runs its WebAssembly in a worker, which a <meta> policy does not reach; where
    workers fail it runs it on the page, where only 'wasm-unsafe-eval' lets it compile (the
    page fixture fails on any violation the console reports)."""
    page.add_init_script("delete window.Worker;")
    page.goto(site.at(""))
    assert "listening-friends" in search(page, "pharmacists")
    assert not [url for url in requests.urls if url.endswith("pagefind-worker.js")]


def test_search_works_from_the_keyboard(site: Site, page: Any) -> None:
    page.goto(site.at("guides/"))
    page.locator(".md-header .md-logo").focus()
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.matches('.md-search__input')")
    page.keyboard.type("peer support")
    page.wait_for_selector(RESULT_LINKS)
    assert page.locator("#__search").is_checked()
    assert "matching documents" in page.inner_text(".md-search-result__meta")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.matches('.md-search-result__item > a')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.matches('.md-search__input')")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    assert not page.locator(".md-search__output").is_visible()
    assert page.evaluate("() => document.activeElement.matches('.md-header .md-logo')"), "focus went back"
    page.keyboard.press("s")
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url(lambda url: url != site.at("guides/"))
    assert not page.locator("#__search").is_checked()


def test_on_a_phone_the_search_button_opens_the_box_ready_to_type(site: Site, phone: Any) -> None:
    phone.goto(site.at("programs/listening-friends/"))
    assert not phone.locator("#__search").is_checked()
    phone.click('.md-header__button[for="__search"]')
    assert phone.evaluate("() => document.activeElement.matches('.md-search__input')")
    phone.keyboard.type("pharmacists")
    phone.wait_for_selector(RESULT_LINKS)
    # While Material's search box slides in, its growing overlay briefly widens the page
    # (seen at 1,058 to 1,183 px in about one run in four); what a visitor is left with
    # is the layout once the opening transitions end.
    phone.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished))")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    phone.locator(RESULT_LINKS).first.click()
    phone.wait_for_url(lambda url: url != site.at("programs/listening-friends/"))
    assert not phone.locator("#__search").is_checked()


def test_more_results_on_request(site: Site, page: Any) -> None:
    page.goto(site.at(""))
    page.click(".md-search__input")
    page.fill(".md-search__input", "peer")
    page.wait_for_selector(".pd-search-more button")
    assert page.locator(RESULT_LINKS).count() == 10
    page.click(".pd-search-more button")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item > a').length > 10")
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('.md-search-result__item > a')[10]")


def test_without_javascript_there_is_no_search_box(site: Site, browser: Any, requests: Requests) -> None:
    for page in open_page(browser, requests, viewport=DESKTOP, java_script_enabled=False):
        page.goto(site.at(""))
        assert not page.locator(".md-search").is_visible()
        assert not page.locator('.md-header__button[for="__search"]').is_visible()
