"""A record full of script payloads, in a real browser: nothing runs, nothing breaks the
Content-Security-Policy (the page fixture fails on any violation), every payload reads as text."""

from __future__ import annotations

from typing import Any

import pytest
from payloads import PIECES

from .conftest import PAYLOAD_ID, Site
from .test_pages import search

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page: Any) -> Any:
    """The page, failing the test on any dialog (every payload calls alert) and with a
    trap that records any script that manages to call alert without one."""
    page.on("dialog", lambda dialog: pytest.fail(f"a payload ran: dialog {dialog.message!r}"))
    page.add_init_script("window.alert = (message) => { document.documentElement.dataset.payloadRan = String(message); };")
    return page


def ran(page: Any) -> str | None:
    return page.evaluate("document.documentElement.dataset.payloadRan ?? null")


def test_the_program_page_shows_every_payload_as_text(site: Site, watched: Any) -> None:
    watched.goto(site.at(f"programs/{PAYLOAD_ID}/"))
    text = watched.inner_text(".md-content")
    for piece in PIECES:
        assert piece.split(" ")[0] in text, piece
    assert watched.locator(".md-content script:not([type]), .md-content svg, .md-content img[onerror]").count() == 0
    assert watched.evaluate("[...document.querySelectorAll('a[href]')].filter(a => a.protocol === 'javascript:').length") == 0
    watched.hover(".md-content h1")
    watched.click(".md-content p >> nth=0")
    assert ran(watched) is None


def test_the_directory_filters_and_search_show_the_payload_as_text(site: Site, watched: Any) -> None:
    watched.goto(site.at("programs/?words=script"))
    watched.wait_for_selector("#pd-filters[data-pd-ready]")
    card = watched.locator(f"#{PAYLOAD_ID}")
    assert card.is_visible()
    assert "<script>alert('xss')</script>" in card.inner_text()
    watched.goto(site.at(""))
    # "hidden" is a word of the payload (inside its HTML comment, which must show as text).
    assert PAYLOAD_ID in search(watched, "hidden")
    assert "<script>alert('xss')</script>" in watched.inner_text(".md-search-result")
    watched.locator(f'.md-search-result__item a[href*="/programs/{PAYLOAD_ID}/"]').first.click()
    watched.get_by_role("heading", level=1).wait_for()
    assert ran(watched) is None


def test_a_card_drawn_from_the_cards_file_shows_the_payload_as_text(big_site: Site, watched: Any) -> None:
    """In a directory longer than a page, the filters draw cards from programs/cards.json."""
    watched.goto(big_site.at("programs/?words=script"))
    watched.wait_for_function("() => !document.querySelector('[data-pd-listing]').hasAttribute('aria-busy')")
    card = watched.locator(f"#{PAYLOAD_ID}")
    assert card.is_visible()
    text = card.inner_text()
    assert PIECES[0] in text and PIECES[1] in text
    assert card.locator("script, img, svg, [onerror], [onload]").count() == 0
    assert card.locator("a").get_attribute("href") == f"{PAYLOAD_ID}/"
    card.locator("a").hover()
    assert ran(watched) is None
