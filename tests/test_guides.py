"""The guides: citations resolved and checked by the generator, honest words, and a real
site in which every guide is reachable, numbered, referenced and printable."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, SHARED, copy_tree, require_shared, serve_folder
from honesty import SOURCES, copied_runs, project_files, source_prose, source_runs, uncited_figures
from peerdir.citations import find_citations, number_citations
from peerdir.generate import generate
from peerdir.guides import is_guide, load_pages, reading_minutes
from peerdir.problems import InvalidInput, Problem
from peerdir.project import Project
from test_site import mkdocs_build

GUIDES = sorted(path.stem for path in (REPO / "content" / "guides").glob("*.md") if path.name != "index.md")


def peerdir(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "peerdir.cli", *args], capture_output=True, text=True, timeout=300)


def write_guide(tree: Path, name: str, body: str, front: str = "") -> Path:
    path = tree / "content" / "guides" / f"{name}.md"
    front = front or "title: Planted\ndescription: A guide planted by a test.\naudience: the test suite\nlast_reviewed: 2026-01-01\n"
    path.write_text(f"---\n{front}---\n\n" + textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


# --- citations: parsing and numbering -------------------------------------------------


def test_citations_are_found_in_prose_but_not_in_code_or_links() -> None:
    text = textwrap.dedent(
        """\
        One [@b]. Two [@a; @b] and [@c].
        Code `[@inline]` and a [@handle](https://example.org) link and \\[@escaped].

        ```
        [@fenced]
        ```
        """
    )
    citations = find_citations(text)
    assert citations.in_order() == ["b", "a", "c"]
    assert not citations.malformed
    assert [text[cited.offset : cited.offset + 2] for group in citations.groups for cited in group.keys] == ["@b", "@a", "@b", "@c"]


def test_a_malformed_citation_is_reported_at_its_part() -> None:
    text = "Claim [@a; b] and [@Upper]."
    citations = find_citations(text)
    assert [(text[bad.offset], bad.text) for bad in citations.malformed] == [("b", "b"), ("@", "@Upper")]
    assert not citations.groups


def test_numbers_follow_first_use_and_sit_against_the_word() -> None:
    text = "First claim [@b].\nSecond claim\n[@a; @b]. Again [@a]."
    numbered, order = number_citations(text, find_citations(text), lambda numbers: f"<{numbers}>")
    assert order == ["b", "a"]
    assert numbered == "First claim<[1]>.\nSecond claim<[1, 2]>. Again<[2]>."


def test_reading_time_is_rounded_up_and_ignores_markup() -> None:
    prose = " ".join(["word"] * 201)
    assert reading_minutes(prose) == 2
    assert reading_minutes("# Title\n\nA [link](../a/very/long/path/with/many/parts.md) [@key].") == 1
    assert reading_minutes(" ".join(["word"] * 200) + " [@a] [@b; @c] <br>{ .note }") == 1


# --- validation: bad keys, unused references, front matter, abbreviations ----------------


def test_an_unknown_key_fails_validate_generate_and_build_with_its_place(tree: Path, tmp_path: Path) -> None:
    write_guide(tree, "planted", "# Planted\n\nA claim [@hu2012; @hu2021].\n")
    expected = "content/guides/planted.md:10:19: @hu2021: 'hu2021' is not a key of data/references.yml; did you mean 'hu2012'?"
    validate = peerdir("validate", "--root", str(tree))
    assert validate.returncode == 1
    assert validate.stdout.splitlines() == [expected]
    with pytest.raises(InvalidInput) as raised:
        generate(Project(tree))
    assert raised.value.problems == [Problem("content/guides/planted.md", 10, 19, "@hu2021", expected.split(": ", 2)[2])]
    build = peerdir("build", "--root", str(tree), "--site-dir", str(tmp_path / "site"))
    assert build.returncode == 1
    assert expected in build.stdout
    assert not (tmp_path / "site").exists()


def test_a_reference_nobody_cites_fails_validate_at_its_key(tree: Path) -> None:
    references = tree / "data" / "references.yml"
    lines = references.read_text().splitlines()
    references.write_text("\n".join([*lines, "nobody2024:", "  authors: Nobody A", "  title: Never cited", ""]))
    result = peerdir("validate", "--root", str(tree))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"data/references.yml:{len(lines) + 1}:1: nobody2024: no guide and no record cites this reference; "
        "cite it as [@nobody2024] in a guide or remove it"
    ]
    with pytest.raises(InvalidInput):
        generate(Project(tree))


def test_guide_front_matter_problems_are_located(tree: Path) -> None:
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    front = f"title: Planted\ndescription: One line.\nlast_reviewed: {tomorrow}\nrelated:\n  format: [smallgroup]\n  colour: [red]\n"
    write_guide(tree, "planted", "No title heading here.\n", front)
    result = peerdir("validate", "--root", str(tree))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "content/guides/planted.md:2:1: audience: is missing from the front matter" in lines
    assert f"content/guides/planted.md:4:16: last_reviewed: {tomorrow} is in the future (today is {datetime.date.today()})" in lines
    assert "content/guides/planted.md:6:12: related.format[0]: 'smallgroup' is not allowed; did you mean 'small-group'?" in lines
    assert any(line.startswith("content/guides/planted.md:7:3: related.colour: 'colour' is not a program field.") for line in lines)
    assert "content/guides/planted.md:10:1: title: a guide begins with its title as a '# ' heading" in lines
    assert len(lines) == 5


def test_an_unexplained_abbreviation_in_a_guide_fails_validate(tree: Path) -> None:
    write_guide(tree, "planted", "# Planted\n\nAsk your GP [@hu2012]. The RISE program and COVID-19 are explained.\n")
    result = peerdir("validate", "--root", str(tree))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/guides/planted.md:10:10: GP: 'GP' is not explained; add it to data/abbreviations.yml",
    ]


def test_a_bad_glossary_entry_is_located(tree: Path) -> None:
    glossary = tree / "data" / "abbreviations.yml"
    lines = glossary.read_text().splitlines()
    glossary.write_text("\n".join([*lines, "Gp: general practitioner", "NHS: <b>National</b> Health Service", ""]))
    result = peerdir("validate", "--root", str(tree))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"data/abbreviations.yml:{len(lines) + 1}:1: Gp: 'Gp' does not look like an abbreviation (two capitals or more)",
        f"data/abbreviations.yml:{len(lines) + 2}:6: NHS: the meaning is one line of plain text (no <, >, [, ] or *)",
    ]


def test_any_content_page_may_cite_and_pages_without_citations_are_copied_as_written(tree: Path) -> None:
    about = tree / "content" / "about.md"
    about.write_text(about.read_text() + "\nDoctors prefer colleagues [@hu2012].\n")
    generate(Project(tree))
    published = (tree / "build" / "docs" / "about.md").read_text()
    assert 'colleagues<sup class="pd-cite">\\[[1](#ref-1 "Reference 1")\\]</sup>.' in published
    assert "\n## References\n\n1. Hu YY, et al\\. Physicians" in published
    assert (tree / "build" / "docs" / "contribute.md").read_bytes() == (tree / "content" / "contribute.md").read_bytes()


# --- honesty: figures are cited, words are our own ----------------------------------------


def _digit_words() -> list[str]:
    glossary = yaml.safe_load((REPO / "data" / "abbreviations.yml").read_text())
    return [word for word in glossary if re.search(r"\d", word)]


def _guide_figures(root: Path) -> list[str]:
    pages, problems = load_pages(Project(root), datetime.date.today())
    assert not problems
    return [
        str(found)
        for page in pages
        if is_guide(page.path)
        for found in uncited_figures(page.file, page.body, page.body_line, _digit_words())
    ]


def test_every_figure_in_a_guide_carries_a_citation() -> None:
    assert len(GUIDES) == 7
    assert _guide_figures(REPO) == []


def test_the_figure_check_catches_an_uncited_figure(tree: Path) -> None:
    write_guide(
        tree,
        "planted",
        "# Planted\n\nCited: 81.6% were fine [@godfrey2022].\n\n- About half felt worse.\n\nDuring COVID-19 nothing else.\n",
    )
    assert _guide_figures(tree) == ["content/guides/planted.md:12:1: a figure without a citation: '- About half felt worse.'"]


def _source_runs(root: Path) -> set[tuple[str, ...]]:
    titles = [entry["title"] for entry in yaml.safe_load((root / "data" / "references.yml").read_text()).values()]
    texts = [require_shared(SHARED / "sources" / name).read_text(encoding="utf-8") for name in SOURCES]
    return source_runs(source_prose(text, titles) for text in texts)


def _copies(root: Path) -> list[str]:
    runs = _source_runs(root)
    return [str(copy) for path in project_files(root) for copy in copied_runs(path.relative_to(root).as_posix(), path.read_text(), runs)]


def test_no_eight_words_of_a_source_are_copied_into_content_or_directory() -> None:
    assert len(project_files(REPO)) > 20
    assert _copies(REPO) == []


def test_the_copy_check_catches_a_planted_copy(tree: Path) -> None:
    # From the editorial, re-cased, re-punctuated and split by a citation and a line break.
    write_guide(
        tree,
        "planted",
        "# Planted\n\nSo: the Peer supporters reported LOW secondary trauma [@godfrey2022],\nwith 81.6 % reporting low degrees!\n",
    )
    record = tree / "directory" / "listening-friends.yml"
    record.write_text(
        record.read_text().replace("purpose: Peer", "purpose: Hand-n-Hand, originally an idea from a stage one psychiatry registrar. Peer")
    )
    prefix = "copied from a source:"
    assert _copies(tree) == [
        f"content/guides/planted.md:10:1: {prefix} 'peer supporters reported low secondary trauma with 81 6 reporting low degrees'",
        f"directory/listening-friends.yml:6:1: {prefix} 'hand n hand originally an idea from a stage one psychiatry registrar'",
    ]


def test_table_cells_and_reference_entries_may_be_quoted(tree: Path) -> None:
    write_guide(
        tree,
        "planted",
        "# Planted\n\nCounselling and peer support for doctors and medical students.\n"
        "Physicians' needs in coping with emotional stressors: the case for peer support.\n",
    )
    assert _copies(tree) == []


# --- the built site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = copy_tree(tmp_path_factory.mktemp("guides") / "checkout")
    result = mkdocs_build(tree, tree / "site")
    assert result.returncode == 0, result.stderr
    return tree / "site"


class Page(HTMLParser):
    """The links, ids and texts of one built page."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.classes: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in (values.get("class") or "").split():
            if name.startswith("pd-"):
                self.classes.setdefault(name, [])
                self._open.append(name)

    def handle_data(self, data: str) -> None:
        for name in self._open:
            self.classes[name].append(data)
        self._open.clear()


def _sources(name: str) -> list[str]:
    return find_citations((REPO / "content" / "guides" / f"{name}.md").read_text()).in_order()


@pytest.mark.parametrize("name", GUIDES)
def test_each_guide_is_built_with_reading_time_numbered_citations_and_references(site: Path, name: str) -> None:
    page = Page(site / "guides" / name / "index.html")
    meta = " ".join(page.classes["pd-guide-meta"])
    assert re.search(r"About \d+ minutes? to read", meta) and "Last reviewed" in meta
    cited = sorted({link for link in page.links if link.startswith("#ref-")})
    keys = _sources(name)
    assert cited == sorted(f"#ref-{number}" for number in range(1, len(keys) + 1))
    assert {f"ref-{number}" for number in range(1, len(keys) + 1)} <= page.ids
    html = (site / "guides" / name / "index.html").read_text()
    references = yaml.safe_load((REPO / "data" / "references.yml").read_text())
    reference_list = html.split('id="references"', 1)[1]
    for number, key in enumerate(keys, start=1):
        item = re.search(rf'<li id="ref-{number}">(.*?)</li>', reference_list, re.DOTALL)
        assert item, key
        assert " ".join(references[key]["title"].split())[:40] in re.sub(r"<[^>]+>", "", item.group(1)), key


def test_evidence_guide_lists_every_reference(site: Path) -> None:
    html = (site / "guides" / "evidence-and-references" / "index.html").read_text()
    references = yaml.safe_load((REPO / "data" / "references.yml").read_text())
    assert html.count('<li id="ref-') == len(references) == len(_sources("evidence-and-references"))


def test_guides_are_reachable_from_the_home_page(site: Path) -> None:
    home = Page(site / "index.html")
    assert "guides/" in home.links
    index = Page(site / "guides" / "index.html")
    # The navigation holds the Guides section's entry on every page, and every guide on the
    # guides' own pages (navigation.prune: other pages carry only the open part).
    assert "../guides/" in Page(site / "urgent-help" / "index.html").links
    for name in GUIDES:
        assert f"{name}/" in index.links, name
        other = GUIDES[1] if name == GUIDES[0] else GUIDES[0]
        assert f"../{name}/" in Page(site / "guides" / other / "index.html").links, f"{name} is not in the navigation"


def test_guides_link_to_the_directory(site: Path) -> None:
    directory_links = re.compile(r"^\.\./\.\./(programs|for|in)/")
    for name in GUIDES:
        links = Page(site / "guides" / name / "index.html").links
        assert any(directory_links.match(link) for link in links), name
    pharmacists = Page(site / "guides" / "choosing-support" / "index.html").links
    assert "../../for/pharmacists/" in pharmacists
    assert "../../programs/hand-n-hand/" in pharmacists


def test_program_pages_link_to_the_guides_that_fit_them(site: Path) -> None:
    def guides_of(program: str) -> set[str]:
        html = (site / "programs" / program / "index.html").read_text()
        section = html.split('id="guides-that-may-help"', 1)[1].split("<h2", 1)[0]
        return set(re.findall(r'href="\.\./\.\./guides/([a-z-]+)/"', section))

    everyone = {"what-is-peer-support", "choosing-support"}
    assert guides_of("rise-johns-hopkins") == everyone | {"after-an-adverse-event", "evidence-and-references"}
    assert guides_of("amsterdam-umc-elearning-peer-support") == everyone | {
        "becoming-a-peer-supporter",
        "looking-after-peer-supporters",
        "evidence-and-references",
    }
    assert guides_of("listening-friends") == everyone


def test_abbreviations_are_explained_on_the_page(site: Path) -> None:
    html = (site / "guides" / "what-is-peer-support" / "index.html").read_text()
    assert '<abbr title="coronavirus disease 2019">COVID-19</abbr>' in html


def test_a_broken_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    assert yaml.safe_load((REPO / "mkdocs.yml").read_text().split("\nhooks:")[0])["validation"]["links"]["anchors"] == "warn"
    tree = copy_tree(tmp_path / "checkout")
    guide = tree / "content" / "guides" / "choosing-support.md"
    guide.write_text(guide.read_text() + "\nSee [the missing part](after-an-adverse-event.md#no-such-heading).\n")
    result = mkdocs_build(tree, tmp_path / "site")
    assert result.returncode != 0
    assert "after-an-adverse-event.md#no-such-heading" in result.stderr


# --- printing ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


@pytest.mark.browser
def test_printing_a_guide_hides_navigation_and_prints_link_addresses(served: str, browser: Any) -> None:
    page = browser.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(served + "guides/choosing-support/")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer', '.md-search', '.md-banner']
            .map(selector => [selector, getComputedStyle(document.querySelector(selector)).display])"""
    )
    assert all(display == "none" for _, display in hidden), hidden
    after = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.md-content a')].map(
            link => [link.href, getComputedStyle(link, '::after').content]))"""
    )
    assert after[f"{served}for/pharmacists/"] == f'" ({served}for/pharmacists/)"'
    assert after[f"{served}guides/choosing-support/#ref-1"] == "none"
    # A reference shows its address as its text already: printed once, not twice.
    assert after["https://www.dhq.org.au/wp-content/uploads/2020/05/peer-support-guide.pdf"] == "none"
    page.emulate_media(media="screen")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).display") != "none"
    page.close()
    assert hosts == {served.split("/")[2]}
