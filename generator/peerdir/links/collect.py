"""Every external address the project publishes, with every place it is written.

A maintainer fixing a dead link needs the listing and field ("Listening Friends — contact
website"), and an annotation needs the file and line; so each address keeps all of its
origins even though it is checked once. Addresses come from the typed records (never from
raw YAML), the hand-written pages of content/, and optionally a built site's HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..project import Project
from ..records import Directory, Program
from ..references import Reference

SCHEMES = ("http://", "https://", "mailto:", "tel:")


@dataclass(frozen=True, order=True)
class Origin:
    """One place an address is written: a file and line, and for records the listing and field."""

    file: str
    line: int
    field: str
    label: str
    listing: str = ""
    listing_name: str = ""

    @property
    def place(self) -> str:
        """How a maintainer names the place: 'Listening Friends — contact website'."""
        if self.listing:
            return f"{self.listing_name} — {self.label}"
        return f"{self.file}, line {self.line} ({self.label})"


Links = dict[str, tuple[Origin, ...]]


def check_key(url: str) -> str:
    """The address as checked: the fragment names a place in a page, not a different page."""
    return url.split("#", 1)[0] if url.startswith(("http://", "https://")) else url


def record_links(program: Program, references: Mapping[str, Reference]) -> list[tuple[str, str, str]]:
    """(address, field path, human label) for every address a record publishes, cited references included."""
    found: list[tuple[str, str, str]] = []
    if program.organisation.website:
        found.append((program.organisation.website, "organisation.website", "organisation website"))
    contact = program.contact
    if contact.website:
        found.append((contact.website, "contact.website", "contact website"))
    if contact.email:
        found.append((f"mailto:{contact.email}", "contact.email", "contact email"))
    if contact.tel:
        found.append((f"tel:{contact.tel}", "contact.phone", "contact phone"))
    for index, link in enumerate(contact.links):
        found.append((link.url, f"contact.links[{index}].url", f"contact link “{link.label}”"))
    for index, key in enumerate(program.evaluation.references):
        url = references[key].url if key in references else None
        if url:
            found.append((url, f"evaluation.references[{index}]", f"evaluation reference {key}"))
    for index, source in enumerate(program.sources):
        url = references[source.ref].url if source.ref in references else None
        if url:
            found.append((url, f"sources[{index}]", f"source {index + 1} ({source.ref})"))
    return found


def collect(project: Project, directory: Directory, site_dir: Path | None = None, site_url: str = "") -> Links:
    """Every address of the records, the bibliography, content/ and (if given) the built site."""
    origins: dict[str, set[Origin]] = {}

    def add(url: str, origin: Origin) -> None:
        origins.setdefault(check_key(url), set()).add(origin)

    references_file = project.display(project.references_file)
    references_text = _read_lines(project.references_file)
    cited: set[str] = set()
    for program in directory.programs:
        record_text = _read_lines(project.root / program.file)
        for url, field, label in record_links(program, directory.references):
            from_bibliography = field.startswith(("sources", "evaluation"))
            file, text = (references_file, references_text) if from_bibliography else (program.file, record_text)
            needle = url.removeprefix("mailto:") if field == "contact.email" else url
            if field == "contact.phone":
                needle = program.contact.phone or url
            section = "" if from_bibliography else field.split(".", 1)[0]
            add(url, Origin(file, _line_of(text, needle, section), field, label, program.id, program.name))
            cited.add(url)
    for key, reference in directory.references.items():
        if reference.url and reference.url not in cited:
            add(reference.url, Origin(references_file, _line_of(references_text, reference.url), key, f"reference {key}"))
    for relative, path in project.content_files().items():
        if path.suffix == ".md":
            for url, line in markdown_links(path.read_text(encoding="utf-8")):
                add(url, Origin(f"content/{relative}", line, "link", "link"))
    if site_dir is not None:
        for path in sorted(site_dir.rglob("*.html")):
            for url, line in html_links(path.read_text(encoding="utf-8", errors="replace")):
                if not (site_url and url.startswith(site_url)):
                    add(url, Origin(project.display(path), line, "href", "link"))
    return {url: tuple(sorted(found)) for url, found in sorted(origins.items())}


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def _line_of(lines: list[str], needle: str, section: str = "") -> int:
    """The first line (1-based) holding ``needle``, below the top-level ``section:`` if given
    (one address can be both the organisation's and the contact website); else 1."""
    start = next((index for index, line in enumerate(lines) if line.startswith(f"{section}:")), 0) if section else 0
    return next((number for number, line in enumerate(lines[start:], start + 1) if needle in line), 1)


# An address with balanced parentheses, as Markdown allows in an inline link.
_TARGET = r"((?:https?://|mailto:|tel:)[^()\s<>]*(?:\([^()\s<>]*\)[^()\s<>]*)*)"
_MARKDOWN_PATTERNS = (
    re.compile(r"\]\(\s*<?" + _TARGET),  # [text](address "title")
    re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?" + _TARGET),  # [label]: address
    re.compile(r"<((?:https?://|mailto:|tel:)[^<>\s]+)>"),  # <address>
    re.compile(r"""\b(?:href|src)\s*=\s*["']((?:https?://|mailto:|tel:)[^"']+)["']"""),  # raw HTML
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def markdown_links(text: str) -> Iterator[tuple[str, int]]:
    """(address, line) of every link in a Markdown page, code blocks left out."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        opening = _FENCE.match(line)
        if opening:
            fence = None if fence == opening.group(1) else (fence or opening.group(1))
            continue
        if fence:
            continue
        for pattern in _MARKDOWN_PATTERNS:
            for match in pattern.finditer(line):
                yield match.group(1), number


class _LinkParser(HTMLParser):
    ATTRIBUTES = frozenset({"href", "src", "action", "cite", "poster"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and value.strip().lower().startswith(SCHEMES):
                self.found.append((value.strip(), self.getpos()[0]))


def html_links(text: str) -> list[tuple[str, int]]:
    """(address, line) of every absolute web, mail or phone address in an HTML page."""
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.found
