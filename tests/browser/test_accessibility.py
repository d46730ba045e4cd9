"""axe-core in a real browser: no WCAG 2.2 AA or best-practice violation on any kind of page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Site

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def violations(page: Any) -> list[str]:
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']}: {v['help']} at {[node['target'] for node in v['nodes']][:5]}" for v in result["violations"]]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "programs/",
        "programs/?profession=nurses&country=AU&access=anonymous",
        "programs/listening-friends/",
        "programs/doctors-support-network/",
        "guides/what-is-peer-support/",
        "urgent-help/",
        "for/nurses/",
        "in/au/",
    ],
)
def test_no_accessibility_violations(site: Site, page: Any, axe: Path, path: str) -> None:
    # An init script, not a <script> tag: the site's Content-Security-Policy blocks inline scripts.
    page.add_init_script(path=str(axe))
    page.goto(site.at(path))
    assert violations(page) == []


def test_no_accessibility_violations_on_a_phone_with_filters_open(site: Site, phone: Any, axe: Path) -> None:
    phone.add_init_script(path=str(axe))
    phone.goto(site.at("programs/?access=free"))
    assert phone.eval_on_selector("[data-pd-facets]", "details => details.open")
    assert violations(phone) == []


@pytest.mark.parametrize("path", ["programs/", "programs/page/2/", "programs/?profession=nurses&sort=reviewed"])
def test_no_accessibility_violations_in_a_directory_longer_than_a_page(big_site: Site, page: Any, axe: Path, path: str) -> None:
    """The page links, and cards the filters drew from programs/cards.json."""
    page.add_init_script(path=str(axe))
    page.goto(big_site.at(path))
    page.wait_for_function("() => !document.querySelector('[data-pd-listing]').hasAttribute('aria-busy')")
    assert violations(page) == []


def test_no_accessibility_violations_with_search_results_open(site: Site, page: Any, axe: Path) -> None:
    page.add_init_script(path=str(axe))
    page.goto(site.at("programs/listening-friends/"))
    page.click(".md-search__input")
    page.fill(".md-search__input", "nurses")
    page.wait_for_selector(".md-search-result__item > a")
    assert page.locator(".md-search__output").is_visible()
    assert violations(page) == []
