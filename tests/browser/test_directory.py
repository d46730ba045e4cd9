"""The directory's filters in a real browser: exact results and counts, the address as
memory, sorting, marked listings, keyboard use, instant navigation, and no JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from peerdir.records import Program
from peerdir.render import LISTING_PAGE

from .conftest import DESKTOP, Requests, Site, open_page

pytestmark = pytest.mark.browser

# What each filter reads from a record, written out again here (not imported from the
# generator) so that the page is checked against the records, not against itself.
VALUES: dict[str, Callable[[Program], tuple[str, ...]]] = {
    "profession": lambda p: p.professions,
    "country": lambda p: tuple(dict.fromkeys(region.split("-")[0] for region in p.regions)),
    "format": lambda p: p.format,
    "delivery": lambda p: p.delivery,
    "access": lambda p: p.access,
    "evaluation": lambda p: (p.evaluation.status,),
}
# Access features narrow (a program must offer every ticked one); other filters widen.
NARROWING = {"access"}

Ticked = dict[str, list[str]]


def keeps(program: Program, key: str, ticked: list[str]) -> bool:
    values = set(VALUES[key](program))
    if not ticked:
        return True
    return set(ticked) <= values if key in NARROWING else bool(set(ticked) & values)


def expected_ids(site: Site, ticked: Ticked) -> list[str]:
    return [p.id for p in site.directory.programs if all(keeps(p, key, values) for key, values in ticked.items())]


def expected_count(site: Site, ticked: Ticked, key: str, option: str) -> int:
    """How many programs ticking ``option`` would leave, the other ticks staying."""
    with_option = {**ticked, key: [*ticked.get(key, []), option] if key in NARROWING else [option]}
    return len(expected_ids(site, with_option))


def visible_ids(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("[data-pd-listing] > li", "cards => cards.map(card => card.id)"))


def open_filters(page: Any) -> None:
    if not page.eval_on_selector("[data-pd-facets]", "details => details.open"):
        page.click("[data-pd-facets] > summary")


def loaded(page: Any) -> None:
    """Wait until the filters have every program (a long directory fetches them)."""
    page.wait_for_selector("#pd-filters[data-pd-ready]")
    page.wait_for_function("() => !document.querySelector('[data-pd-listing]').hasAttribute('aria-busy')")


def tick(page: Any, key: str, value: str) -> None:
    open_filters(page)
    page.check(f'input[name="{key}"][value="{value}"]')
    loaded(page)


def query(page: Any) -> dict[str, list[str]]:
    """The page's query string, read in the page (Playwright learns of pushState a moment later)."""
    return parse_qs(page.evaluate("() => location.search").removeprefix("?"))


def status(page: Any) -> str:
    return str(page.text_content("[data-pd-count]")).strip()


COMBINATIONS: list[Ticked] = [
    {"profession": ["nurses"]},
    {"profession": ["doctors"], "country": ["AU"]},
    {"profession": ["nurses", "midwives"], "country": ["AU", "NZ"]},
    {"access": ["anonymous", "free"]},
    {"delivery": ["phone"], "format": ["one-off"], "evaluation": ["none"]},
]


@pytest.mark.parametrize("ticked", COMBINATIONS, ids=lambda ticked: "+".join(f"{k}={','.join(v)}" for k, v in ticked.items()))
def test_filters_leave_exactly_the_matching_programs_and_count_every_option(site: Site, page: Any, ticked: Ticked) -> None:
    expected = expected_ids(site, ticked)
    assert 0 < len(expected) < len(site.directory.programs), "a combination that tests nothing"
    page.goto(site.at("programs/"))
    for key, values in ticked.items():
        for value in values:
            tick(page, key, value)
    assert visible_ids(page) == expected
    total = len(site.directory.programs)
    assert status(page) == f"Showing {len(expected)} of {total} programs."
    for key in VALUES:
        for option in page.eval_on_selector_all(f'input[name="{key}"]', "inputs => inputs.map(input => input.value)"):
            shown = page.text_content(f'input[name="{key}"][value="{option}"] ~ [data-count]')
            assert shown == f"({expected_count(site, ticked, key, option)})", f"{key}={option}"


def test_no_match_says_so_and_clear_all_brings_everything_back(site: Site, page: Any) -> None:
    ticked = {"profession": ["pharmacists"], "country": ["US"]}
    assert expected_ids(site, ticked) == []
    page.goto(site.at("programs/?profession=pharmacists&country=US&words=zzz"))
    assert visible_ids(page) == []
    assert status(page) == "No program matches. Untick a filter, or use Clear all."
    page.click("[data-pd-clear]")
    assert visible_ids(page) == [p.id for p in site.directory.programs]
    assert status(page) == f"Showing all {len(site.directory.programs)} programs."
    assert query(page) == {}
    assert page.input_value("#pd-words") == ""


def test_words_narrow_the_list(site: Site, page: Any) -> None:
    expected = [p.id for p in site.directory.programs if {"listening", "friends"} <= set(f"{p.name} {p.organisation.name}".lower().split())]
    assert expected == ["listening-friends"]
    page.goto(site.at("programs/"))
    page.fill("#pd-words", "Listening FRIENDS")
    assert visible_ids(page) == expected
    assert query(page) == {"words": ["Listening FRIENDS"]}


def test_the_address_keeps_the_filters_through_reload_back_and_forward(site: Site, page: Any) -> None:
    page.goto(site.at("programs/"))
    everything = visible_ids(page)
    tick(page, "profession", "nurses")
    assert query(page) == {"profession": ["nurses"]}
    tick(page, "country", "AU")
    page.select_option("#pd-sort", "reviewed")
    assert query(page) == {"profession": ["nurses"], "country": ["AU"], "sort": ["reviewed"]}
    filtered = visible_ids(page)
    assert filtered == sorted(expected_ids(site, {"profession": ["nurses"], "country": ["AU"]}), key=reviewed_order(site))

    page.reload()
    assert visible_ids(page) == filtered
    assert page.is_checked('input[name="profession"][value="nurses"]') and page.is_checked('input[name="country"][value="AU"]')
    assert page.input_value("#pd-sort") == "reviewed"

    # Entries from before the reload belong to the old document: Chromium may load the
    # page again for them, and the script applies the address once it starts.
    page.go_back()
    loaded(page)
    assert query(page) == {"profession": ["nurses"], "country": ["AU"]}
    page.go_back()
    loaded(page)
    assert query(page) == {"profession": ["nurses"]}
    assert visible_ids(page) == expected_ids(site, {"profession": ["nurses"]})
    assert not page.is_checked('input[name="country"][value="AU"]')
    page.go_back()
    loaded(page)
    assert query(page) == {}
    assert visible_ids(page) == everything
    page.go_forward()
    page.go_forward()
    page.go_forward()
    loaded(page)
    assert visible_ids(page) == filtered


def reviewed_order(site: Site) -> Callable[[str], tuple[int, int]]:
    """Most recently reviewed first; ties keep the name order."""
    position = {p.id: index for index, p in enumerate(site.directory.programs)}
    return lambda record_id: (-site.directory.by_id(record_id).last_reviewed.toordinal(), position[record_id])


def test_sorting_by_most_recently_reviewed(site: Site, page: Any) -> None:
    page.goto(site.at("programs/?sort=reviewed"))
    ids = [p.id for p in site.directory.programs]
    expected = sorted(ids, key=reviewed_order(site))
    assert expected != ids, "the test records should change the order"
    assert visible_ids(page) == expected
    page.select_option("#pd-sort", "name")
    assert visible_ids(page) == ids


def test_listings_due_for_review_or_closed_say_so_in_words(site: Site, page: Any) -> None:
    due = {p.id for p in site.directory.programs if (site.today - p.last_reviewed).days > 366}
    closed = {p.id for p in site.directory.programs if p.status == "closed"}
    assert due and closed
    page.goto(site.at("programs/"))
    for program in site.directory.programs:
        flags = page.text_content(f"#{program.id}") or ""
        assert ("Review due" in flags) == (program.id in due), program.id
        assert ("Closed" in flags) == (program.id in closed), program.id


@pytest.fixture
def no_script(browser: Any, requests: Requests) -> Iterator[Any]:
    yield from open_page(browser, requests, viewport=DESKTOP, java_script_enabled=False)


def test_without_javascript_the_whole_list_is_plain_html(site: Site, no_script: Any) -> None:
    no_script.goto(site.at("programs/?profession=nurses"))
    assert visible_ids(no_script) == [p.id for p in site.directory.programs]
    assert not no_script.is_visible("#pd-filters")
    links = no_script.eval_on_selector_all("[data-pd-listing] h2 a", "links => links.map(link => link.href)")
    assert links == [site.at(f"programs/{p.id}/") for p in site.directory.programs]


def focused(page: Any) -> str:
    """The focused element, as tag#id or tag[name=value] or its text."""
    return str(
        page.evaluate(
            """() => { const e = document.activeElement;
                 if (e.id) return e.tagName.toLowerCase() + '#' + e.id;
                 if (e.name) return e.tagName.toLowerCase() + '[' + e.name + '=' + e.value + ']';
                 return e.tagName.toLowerCase() + ':' + e.textContent.trim(); }"""
        )
    )


def tab_to(page: Any, target: str, most: int = 80) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if focused(page) == target:
            return
    raise AssertionError(f"{target} is not reachable with Tab (last focus: {focused(page)})")


def test_the_filters_work_from_the_keyboard_alone_with_visible_focus(site: Site, page: Any) -> None:
    page.goto(site.at("programs/"))
    tab_to(page, "input#pd-words")
    page.keyboard.type("zzz")
    assert visible_ids(page) == []
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    assert len(visible_ids(page)) == len(site.directory.programs)
    page.keyboard.press("Tab")
    assert focused(page) == "select#pd-sort"
    page.keyboard.press("Tab")
    assert focused(page) == "summary:Filters"
    page.keyboard.press("Enter")
    assert page.eval_on_selector("[data-pd-facets]", "details => details.open")
    tab_to(page, "input[country=AU]")
    page.keyboard.press("Space")
    tab_to(page, "input[country=NZ]")
    page.keyboard.press("Space")
    outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2, outline
    assert query(page) == {"country": ["AU", "NZ"]}
    assert visible_ids(page) == expected_ids(site, {"country": ["AU", "NZ"]})
    page.keyboard.press("Space")
    assert query(page) == {"country": ["AU"]}
    tab_to(page, "button:Clear all")
    page.keyboard.press("Enter")
    assert query(page) == {}
    assert visible_ids(page) == [p.id for p in site.directory.programs]


def test_filters_start_again_after_instant_navigation(site: Site, page: Any) -> None:
    page.goto(site.at(""))
    page.evaluate("() => { window.sameDocument = true; }")
    page.click(".md-content a.md-button--primary")
    page.wait_for_selector("#pd-filters[data-pd-ready]")
    assert page.evaluate("() => window.sameDocument === true"), "Material's instant navigation did not load the page"
    tick(page, "profession", "doctors")
    assert visible_ids(page) == expected_ids(site, {"profession": ["doctors"]})
    page.go_back()
    page.go_back()
    page.wait_for_selector("h1:text('Peer support for health workers')")
    page.go_forward()
    page.wait_for_selector("#pd-filters[data-pd-ready]")
    page.go_forward()
    page.wait_for_function("() => new URLSearchParams(location.search).get('profession') === 'doctors'")
    doctors = expected_ids(site, {"profession": ["doctors"]})
    assert visible_ids(page) == doctors
    # Into a program and back: the filtered list is there again.
    page.click(f"#{doctors[0]} h2 a")
    page.get_by_role("heading", level=1, name=site.directory.by_id(doctors[0]).name, exact=True).wait_for()
    page.go_back()
    page.wait_for_selector("#pd-filters[data-pd-ready]")
    assert page.is_checked('input[name="profession"][value="doctors"]')
    assert visible_ids(page) == doctors
    assert page.evaluate("() => window.sameDocument === true")


def test_a_long_list_shows_a_page_at_a_time_and_more_on_request(big_site: Site, page: Any) -> None:
    ids = [p.id for p in big_site.directory.programs]
    page_size = LISTING_PAGE
    assert len(ids) > page_size
    page.goto(big_site.at("programs/"))
    assert visible_ids(page) == ids[:page_size]
    assert status(page) == f"Showing the first {page_size} of {len(ids)} programs."
    more = page.get_by_role("button", name="Show more programs")
    more.focus()
    page.keyboard.press("Enter")
    loaded(page)
    assert visible_ids(page) == ids
    assert page.evaluate("() => document.activeElement.closest('li').id") == ids[page_size]
    assert not more.is_visible()
    assert status(page) == f"Showing all {len(ids)} programs."
    expected = expected_ids(big_site, {"access": ["free"]})
    assert 0 < len(expected) < page_size
    tick(page, "access", "free")
    assert visible_ids(page) == expected
    page.uncheck('input[name="access"][value="free"]')
    assert visible_ids(page) == ids[:page_size], "a new choice starts again at the first page"


def cards_fetched(requests: Requests) -> int:
    return sum(1 for url in requests.urls if url.split("?")[0].endswith("/programs/cards.json"))


def test_without_javascript_every_program_is_reached_through_the_page_links(big_site: Site, no_script: Any) -> None:
    """The plain list is split into pages; a visitor follows "Next" to the end."""
    ids = [p.id for p in big_site.directory.programs]
    pages = -(-len(ids) // LISTING_PAGE)
    assert pages > 1
    seen: list[str] = []
    no_script.goto(big_site.at("programs/"))
    for number in range(1, pages + 1):
        nav = no_script.get_by_role("navigation", name="Pages of the directory")
        assert nav.is_visible()
        assert nav.locator('[aria-current="page"]').text_content() == f"Page {number}"
        shown = visible_ids(no_script)
        assert len(shown) == min(LISTING_PAGE, len(ids) - len(seen))
        links = no_script.eval_on_selector_all("[data-pd-listing] h2 a", "links => links.map(link => link.href)")
        assert links == [big_site.at(f"programs/{record_id}/") for record_id in shown]
        seen += shown
        following = nav.locator('a[rel="next"]')
        if number == pages:
            assert following.count() == 0
            break
        following.click()
        no_script.wait_for_url(big_site.at(f"programs/page/{number + 1}/"))
    assert seen == ids
    no_script.locator('a[rel="prev"]').click()
    no_script.wait_for_url(big_site.at(f"programs/page/{pages - 1}/" if pages > 2 else "programs/"))


def test_the_cards_file_is_fetched_only_when_a_filter_needs_it(big_site: Site, site: Site, page: Any, requests: Requests) -> None:
    page.goto(big_site.at("programs/"), wait_until="networkidle")
    assert visible_ids(page) == [p.id for p in big_site.directory.programs][:LISTING_PAGE]
    assert not page.is_visible("[data-pd-pages]"), "with the script, Show more takes the place of the page links"
    assert page.is_visible("[data-pd-more]")
    page.fill("#pd-words", "")
    page.click("[data-pd-facets] > summary")
    assert cards_fetched(requests) == 0
    tick(page, "profession", "nurses")
    assert cards_fetched(requests) == 1
    page.goto(big_site.at("programs/?country=NZ"), wait_until="networkidle")
    assert cards_fetched(requests) == 2, "a filtered address fetches the cards at once"
    loaded(page)
    assert visible_ids(page) == expected_ids(big_site, {"country": ["NZ"]})[:LISTING_PAGE]
    # A directory that fits on one page filters its own cards.
    page.goto(site.at("programs/?profession=nurses"), wait_until="networkidle")
    assert visible_ids(page) == expected_ids(site, {"profession": ["nurses"]})
    assert cards_fetched(requests) == 2


def test_filters_cover_the_programs_beyond_the_first_page(big_site: Site, page: Any) -> None:
    ids = [p.id for p in big_site.directory.programs]
    page.goto(big_site.at("programs/"))
    first_page = set(visible_ids(page))
    ticked: Ticked = {"profession": ["nurses"], "country": ["GB", "NL"]}
    expected = expected_ids(big_site, ticked)
    assert set(expected) - first_page, "a combination that only tests the first page"
    for key, values in ticked.items():
        for value in values:
            tick(page, key, value)
    assert visible_ids(page) == expected[:LISTING_PAGE]
    assert status(page) == f"Showing {len(expected)} of {len(ids)} programs."
    for key in VALUES:
        for option in page.eval_on_selector_all(f'input[name="{key}"]', "inputs => inputs.map(input => input.value)"):
            shown = page.text_content(f'input[name="{key}"][value="{option}"] ~ [data-count]')
            assert shown == f"({expected_count(big_site, ticked, key, option)})", f"{key}={option}"
    # A card drawn from the data reads as the server's does, and links to its program.
    last = big_site.directory.by_id(ids[-1])
    page.click("[data-pd-clear]")
    page.fill("#pd-words", last.name)
    assert visible_ids(page) == [last.id]
    page.goto(big_site.at(f"programs/page/{-(-len(ids) // LISTING_PAGE)}/"))
    server = page.inner_text(f"#{last.id}")
    page.go_back()
    loaded(page)
    assert page.inner_text(f"#{last.id}") == server
    page.click(f"#{last.id} h2 a")
    page.get_by_role("heading", level=1, name=last.name, exact=True).wait_for()


def test_loading_the_cards_is_announced_and_a_failure_leaves_the_page_links(big_site: Site, page: Any) -> None:
    held: list[Any] = []
    page.route("**/programs/cards.json", lambda route: held.append(route))
    page.goto(big_site.at("programs/"))
    open_filters(page)
    page.check('input[name="profession"][value="nurses"]')
    page.wait_for_function("() => document.querySelector('[data-pd-count]').textContent.startsWith('Loading')")
    assert page.get_attribute("[data-pd-listing]", "aria-busy") == "true"
    assert status(page) == "Loading the whole directory…"
    held[0].abort()
    page.wait_for_function("() => !document.querySelector('[data-pd-listing]').hasAttribute('aria-busy')")
    assert status(page).startswith("The filters could not load the whole directory.")
    assert page.is_visible("[data-pd-pages]") and not page.is_visible("[data-pd-more]")


def test_a_long_directory_filters_after_instant_navigation_and_fetches_its_cards_once(
    big_site: Site, page: Any, requests: Requests
) -> None:
    page.goto(big_site.at(""))
    page.evaluate("() => { window.sameDocument = true; }")
    page.click(".md-content a.md-button--primary")
    page.wait_for_selector("#pd-filters[data-pd-ready]")
    tick(page, "country", "NL")
    netherlands = expected_ids(big_site, {"country": ["NL"]})
    assert visible_ids(page) == netherlands[:LISTING_PAGE]
    page.click(f"#{netherlands[-1]} h2 a")
    page.get_by_role("heading", level=1, name=big_site.directory.by_id(netherlands[-1]).name, exact=True).wait_for()
    page.go_back()
    loaded(page)
    assert page.is_checked('input[name="country"][value="NL"]')
    assert visible_ids(page) == netherlands[:LISTING_PAGE]
    assert page.evaluate("() => window.sameDocument === true"), "Material's instant navigation did not load the pages"
    assert cards_fetched(requests) == 1, "the cards are kept in memory for the visit"
