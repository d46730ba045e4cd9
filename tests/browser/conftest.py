"""A real site in a real browser: built once per session, served on 127.0.0.1, driven by
Debian's Chromium through Playwright (one browser for the whole session).

Chromium and axe-core come from outside the repository (apt and npm, as .ci/run installs
them): without them these tests are skipped locally and fail in CI.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import REPO, copy_tree, peerdir_build, require_file, serve_folder, valid_record
from payloads import payload_record
from peerdir.project import Project
from peerdir.records import Directory, load_directory
from peerdir.render import LISTING_PAGE
from peerdir.synthetic import write_synthetic_directory

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# Records added to the real ones so that sorting, "Review due" and "Closed" have
# something to show (the real records were all reviewed on the same day).
EXTRA_RECORDS = {
    "test-closed-line": {
        "professions: [nurses]": "professions: [nurses, midwives]",
        "regions: [GB]": "regions: [AU-NSW]",
        "delivery: [phone]": "delivery: [phone]\naccess: [anonymous, free, around-the-clock]\nformat: [one-off, one-to-one]",
        "added: 2026-01-01": "added: 2025-05-01",
        "last_reviewed: 2026-01-02": "last_reviewed: 2025-06-01",
        "status: active": "status: closed\nstatus_note: Closed, in the test suite's world.",
    },
    "test-old-circle": {
        "regions: [GB]": "regions: [NZ]",
        "delivery: [phone]": "delivery: [video, in-person]\naccess: [confidential, family-included]\nformat: [small-group, ongoing]",
        "added: 2026-01-01": "added: 2024-02-01",
        "last_reviewed: 2026-01-02": "last_reviewed: 2024-02-10",
    },
    "test-recent-forum": {
        "professions: [nurses]": "professions: [doctors, paramedics]",
        "regions: [GB]": "regions: [US-MN]",
        "delivery: [phone]": "delivery: [online-forum]\naccess: [anonymous, confidential, free]",
        "last_reviewed: 2026-01-02": "last_reviewed: 2026-10-01",
    },
}


@dataclass(frozen=True)
class Site:
    url: str
    root: Path
    directory: Directory
    today: datetime.date

    def at(self, path: str) -> str:
        return self.url + path


@contextmanager
def served_site(base: Path, records: Callable[[Path], None]) -> Iterator[Site]:
    """The checkout's site with ``records`` applied to its directory/, built and served,
    with site_url set to where it is served, so Material's instant navigation is on, as it
    is when published."""
    served = base / "served"
    served.mkdir()
    tree = copy_tree(base / "checkout")
    records(tree / "directory")
    with serve_folder(served) as url:
        config = tree / "mkdocs.yml"
        lines = [f"site_url: {url}" if line.startswith("site_url:") else line for line in config.read_text().splitlines()]
        config.write_text("\n".join(lines) + "\n")
        today = datetime.date.today()
        built = peerdir_build(tree, served)
        assert built.returncode == 0, built.stdout + built.stderr
        directory, problems = load_directory(Project(tree), today)
        assert problems == []
        yield Site(url, served, directory, today)


PAYLOAD_ID = "test-payload"


def _add_extra_records(directory: Path) -> None:
    for record_id, changes in EXTRA_RECORDS.items():
        (directory / f"{record_id}.yml").write_text(valid_record(record_id, changes))
    (directory / f"{PAYLOAD_ID}.yml").write_text(payload_record(PAYLOAD_ID))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real records plus EXTRA_RECORDS and a record full of script payloads."""
    with served_site(tmp_path_factory.mktemp("browser"), _add_extra_records) as served:
        yield served


def _add_synthetic_records(directory: Path) -> None:
    write_synthetic_directory(directory, LISTING_PAGE + 30, 4, datetime.date.today())
    (directory / f"{PAYLOAD_ID}.yml").write_text(payload_record(PAYLOAD_ID))


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """More synthetic programs than a page of the directory holds (render.LISTING_PAGE), so
    that the filters fetch programs/cards.json; and the record full of script payloads."""
    with served_site(tmp_path_factory.mktemp("big"), _add_synthetic_records) as served:
        yield served


class Requests:
    """Every address the pages of one test asked for."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def foreign(self) -> list[str]:
        return [url for url in self.urls if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def requests() -> Requests:
    return Requests()


def open_page(browser: Any, requests: Requests, **options: Any) -> Iterator[Any]:
    """A page in its own context that fails the test if the site contacts another host,
    throws, or does anything its Content-Security-Policy forbids (Chromium reports each
    blocked script, style or request as a console error)."""
    context = browser.new_context(**options)
    page = context.new_page()
    blocked: list[str] = []
    page.on("request", lambda request: requests.urls.append(request.url))
    page.on("pageerror", lambda error: pytest.fail(f"JavaScript error: {error}"))
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert requests.foreign() == [], "the site contacted another host"
    assert blocked == [], f"the page broke its own Content-Security-Policy: {blocked}"


@pytest.fixture
def page(browser: Any, requests: Requests) -> Iterator[Any]:
    """A fresh desktop-sized page (own context: no shared cookies or storage)."""
    yield from open_page(browser, requests, viewport=DESKTOP)


@pytest.fixture
def phone(browser: Any, requests: Requests) -> Iterator[Any]:
    """A fresh page 360 px wide, the width of a small phone."""
    yield from open_page(browser, requests, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def axe() -> Path:
    return require_file(AXE, "install axe-core from package.json: npm ci")
