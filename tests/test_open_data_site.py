"""The open data as the built site serves it: a real ``mkdocs build`` of the real records
plus one record with every contact field and text that tries to break out of its format."""

from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import copy_tree, serve_folder
from peerdir.exports import export_files
from peerdir.project import Project
from peerdir.records import Directory, load_directory
from peerdir.render import SiteSettings
from peerdir.schema import vocabularies
from test_exports import HOSTILE
from test_site import mkdocs_build

SITE_URL = "https://peerdir.github.io/peer-support-directory/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = copy_tree(tmp_path_factory.mktemp("open-data") / "checkout")
    (tree / "directory" / "hostile.yml").write_text(HOSTILE)
    result = mkdocs_build(tree, tree / "site")
    assert result.returncode == 0, result.stderr
    return tree


@pytest.fixture(scope="module")
def built(checkout: Path) -> Path:
    return checkout / "site"


@pytest.fixture(scope="module")
def directory(checkout: Path) -> Directory:
    loaded, problems = load_directory(Project(checkout), datetime.date.today())
    assert problems == []
    return loaded


class Head(HTMLParser):
    """The alternate links of a page's head and the JSON-LD blocks of its body."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: list[dict[str, str | None]] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates.append(values)
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


def parse(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text())
    return parser


def test_the_site_serves_every_export_exactly_as_exported_from_the_records(built: Path, directory: Directory, checkout: Path) -> None:
    settings = SiteSettings.from_mkdocs(Project(checkout).site_settings())
    expected = export_files(directory, settings.site_url, datetime.date.today())
    assert {"data/programs.json", "data/programs.csv", "data/hsds/organizations.json", "data/hsds/services.json", "feed.xml"} <= set(
        expected
    )
    for path, text in expected.items():
        assert (built / path).read_bytes() == text.encode("utf-8"), path
    published = json.loads((built / "data/programs.json").read_text())
    assert [record["id"] for record in published["programs"]] == [p.id for p in directory.programs]
    assert published["schema"] == SITE_URL + "schema/program.schema.json"
    assert json.loads((built / "schema/program.schema.json").read_text())["$id"] == published["schema"]
    rows = list(csv.DictReader(io.StringIO((built / "data/programs.csv").read_text(), newline="")))
    assert [row["name"].removeprefix("'") for row in rows] == [p.name for p in directory.programs]
    services = json.loads((built / "data/hsds/services.json").read_text())
    assert [service["name"] for service in services] == [p.name for p in directory.programs]
    entries = ET.parse(built / "feed.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry")
    assert {entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in entries} == {p.name for p in directory.programs}


def test_json_ld_round_trips_from_every_program_page(built: Path, directory: Directory) -> None:
    professions, regions = vocabularies()["profession"], vocabularies()["region"]
    for program in directory.programs:
        page = parse(built / "programs" / program.id / "index.html")
        assert len(page.jsonld) == 1, program.id
        data = json.loads(page.jsonld[0])
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Service"
        assert data["name"] == program.name
        assert data["description"] == program.purpose
        assert data["mainEntityOfPage"] == f"{SITE_URL}programs/{program.id}/"
        assert data.get("url") == program.contact.website
        provider = data["provider"]
        assert provider["@type"] == "Organization" and provider["name"] == program.organisation.name
        assert provider.get("url") == program.organisation.website
        assert [area["identifier"] for area in data["areaServed"]] == list(program.regions)
        assert [area["name"] for area in data["areaServed"]] == [regions.label(r) for r in program.regions]
        assert {area["@type"] for area in data["areaServed"]} <= {"Country", "AdministrativeArea"}
        assert [a["audienceType"] for a in data["audience"]] == [professions.label(p) for p in program.professions]
        if program.contact.phone or program.contact.email:
            (point,) = provider["contactPoint"]
            assert point["@type"] == "ContactPoint"
            assert (point.get("telephone"), point.get("email")) == (program.contact.phone, program.contact.email)
        else:
            assert "contactPoint" not in provider
    hostile = (built / "programs" / "hostile" / "index.html").read_text()
    assert "<script>alert(1)" not in hostile and "\u2028" not in hostile.split("application/ld+json")[1].split("</script>")[0]


def test_every_page_links_to_the_feed_and_the_data_files(built: Path) -> None:
    pages = [page for page in built.rglob("*.html") if page.name != "404.html"]
    assert len(pages) > 20
    for page in pages:
        alternates = parse(page).alternates
        types = sorted(str(link["type"]) for link in alternates)
        assert types == ["application/atom+xml", "application/json", "application/json", "text/csv"], page
        for link in alternates:
            target = urlsplit(urljoin(page.relative_to(built).as_posix(), str(link["href"]))).path
            assert (built / target).is_file(), f"{page.relative_to(built)} links to missing {link['href']}"


def test_material_finds_a_sitemap_beside_every_alternate_link(built: Path) -> None:
    """Material fetches sitemap.xml beside each rel=alternate link (it takes them for
    languages); each must answer with a sitemap of files that exist."""
    for link in parse(built / "index.html").alternates:
        sitemap = built / urlsplit(urljoin(str(link["href"]), "sitemap.xml")).path
        locations = [loc.text or "" for loc in ET.parse(sitemap).getroot().iter(f"{SITEMAP}loc")]
        assert locations, sitemap
        for location in locations:
            target = built / location.removeprefix(SITE_URL)
            assert target.is_file() or (target / "index.html").is_file(), location


def test_sitemap_lists_every_page(built: Path) -> None:
    listed = {loc.text for loc in ET.parse(built / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    pages = {
        SITE_URL + page.parent.relative_to(built).as_posix().removeprefix(".") + "/"
        for page in built.rglob("index.html")
        if page.parent != built
    } | {SITE_URL}
    assert pages == listed
    for expected in ("programs/hostile/", "programs/listening-friends/", "reference/data-formats/", "data/", "for/nurses/", "in/gb/"):
        assert SITE_URL + expected in listed


def test_use_this_data_page_states_licence_and_citation(built: Path) -> None:
    page = (built / "data" / "index.html").read_text()
    for text in ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", "How to cite", SITE_URL, "MIT"):
        assert text in page
    for href in ('href="programs.json"', 'href="programs.csv"', 'href="hsds/services.json"', 'href="../feed.xml"'):
        assert href in page


@pytest.mark.browser
def test_pages_load_without_failed_requests_and_browsers_read_the_json_ld(built: Path, directory: Directory, browser: Any) -> None:
    """The head's alternate links must not cost a visitor failed requests or console errors."""
    failures: list[str] = []
    with serve_folder(built) as origin:
        page = browser.new_page()
        page.on("response", lambda response: failures.append(f"{response.status} {response.url}") if response.status >= 400 else None)
        page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
        page.on("console", lambda message: failures.append(message.text) if message.type == "error" else None)
        for path in ("", "data/", "programs/hostile/"):
            page.goto(origin + path, wait_until="networkidle")
        data = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
        hrefs = page.eval_on_selector_all('link[rel="alternate"]', "links => links.map(link => link.href)")
        page.close()
    assert failures == []
    hostile = directory.by_id("hostile")
    assert (data["name"], data["description"]) == (hostile.name, hostile.purpose)
    assert data["provider"]["contactPoint"][0]["telephone"] == hostile.contact.phone
    assert sorted(hrefs) == sorted(
        origin + path for path in ("feed.xml", "data/programs.json", "data/programs.csv", "data/hsds/services.json")
    )
