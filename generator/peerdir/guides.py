"""Hand-written pages of content/ as inputs: front matter, citations, and for guides the
facts the site shows about them (audience, review date, reading time, which programs
they fit).

Every Markdown page may cite; the pages under guides/ (except its index) are guides and
must say who they are for and when they were last reviewed, so that a reader can judge
them and a program page can point to the ones that fit.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from . import schema
from .citations import MALFORMED_MESSAGE, Citations, find_citations, mask_code, unknown_key_message
from .glossary import abbreviations
from .problems import Problem
from .project import Project
from .records import Program
from .yamlfile import Document, YamlProblem, parse_yaml

GUIDES = "guides/"
# Slow on purpose: the readers are tired, and a short guide should not promise too little.
WORDS_PER_MINUTE = 200

# The program fields a guide may name under ``related:``, and their vocabularies.
RELATED_FIELDS = {
    "professions": "profession",
    "career_stages": "career_stage",
    "delivery": "delivery",
    "access": "access",
    "format": "format",
    "evaluation": "evaluation_status",
}
_REQUIRED = ("title", "description", "audience", "last_reviewed")
# Keys MkDocs and Material read from front matter, allowed beside the guide's own.
_THEME_KEYS = ("hide", "search")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Related:
    """Which programs a guide fits: all of them, or those sharing any listed value."""

    every: bool = False
    values: tuple[tuple[str, frozenset[str]], ...] = ()

    def fits(self, program: Program) -> bool:
        if self.every:
            return True
        for name, wanted in self.values:
            has = {program.evaluation.status} if name == "evaluation" else set(getattr(program, name))
            if has & wanted:
                return True
        return False


@dataclass(frozen=True)
class Guide:
    path: str  # in the docs dir, e.g. guides/choosing-support.md
    title: str
    description: str
    audience: str
    last_reviewed: datetime.date
    related: Related


@dataclass(frozen=True)
class Page:
    """One Markdown page of content/, split into its front matter and its body."""

    path: str  # in the docs dir
    file: str  # as a maintainer types it: content/guides/x.md
    front_matter: str  # verbatim with its --- lines, or ""
    body: str
    body_line: int  # the file's line number of the body's first line
    citations: Citations
    guide: Guide | None

    @property
    def rewritten(self) -> bool:
        """Guides and pages that cite are rewritten for publishing; the rest are published
        byte for byte."""
        return self.guide is not None or bool(self.citations.groups)

    def locate(self, offset: int, field: str, message: str) -> Problem:
        """A problem at character ``offset`` of the body, with the file's line and column."""
        line = self.body.count("\n", 0, offset)
        column = offset - (self.body.rfind("\n", 0, offset) + 1) + 1
        return Problem(self.file, self.body_line + line, column, field, message)


def load_pages(project: Project, today: datetime.date) -> tuple[list[Page], list[Problem]]:
    """Every Markdown page of content/, with the problems of the guides' front matter."""
    pages: list[Page] = []
    problems: list[Problem] = []
    for path, source in project.content_files().items():
        if not path.endswith(".md"):
            continue
        display = project.display(source)
        text = source.read_text(encoding="utf-8")
        match = _FRONT_MATTER.match(text)
        front_matter, body = (match.group(0), text[match.end() :]) if match else ("", text)
        body_line = front_matter.count("\n") + 1
        guide = None
        if is_guide(path):
            guide, guide_problems = _guide(path, display, match.group(1) if match and match.group(1) else "", today)
            problems += guide_problems
        page = Page(path, display, front_matter, body, body_line, find_citations(body), guide)
        if is_guide(path) and not title_line(body):
            first = len(body) - len(body.lstrip())
            problems.append(page.locate(first, "title", "a guide begins with its title as a '# ' heading"))
        pages.append(page)
    return pages, problems


def is_guide(path: str) -> bool:
    return path.startswith(GUIDES) and path != GUIDES + "index.md"


def check_page(page: Page, reference_keys: set[str] | None, glossary: dict[str, str] | None) -> list[Problem]:
    """Citations that name no reference, and (in guides) abbreviations nobody explains.
    ``None`` skips a check whose data file failed to load (its problems are reported)."""
    problems = [page.locate(bad.offset, f"[{bad.text}]", MALFORMED_MESSAGE) for bad in page.citations.malformed]
    if reference_keys is not None:
        problems += [
            page.locate(cited.offset, "@" + cited.key, unknown_key_message(cited.key, reference_keys))
            for group in page.citations.groups
            for cited in group.keys
            if cited.key not in reference_keys
        ]
    if page.guide and glossary is not None:
        problems += [
            page.locate(found.start(), found.group(), f"'{found.group()}' is not explained; add it to data/abbreviations.yml")
            for found in abbreviations(visible_text(page.body))
            if found.group() not in glossary
        ]
    return problems


def title_line(body: str) -> str | None:
    """The body up to and including its '# ' title line, if the title comes first."""
    match = re.match(r"\s*# [^\n]+\n?", body)
    return match.group(0) if match else None


def reading_minutes(body: str) -> int:
    return max(1, math.ceil(len(plain_text(body).split()) / WORDS_PER_MINUTE))


# Markup a reader never sees as words. Each match is blanked, keeping offsets and lines.
_HIDDEN = re.compile(
    r"^\*\[[^\]\n]*\]:[^\n]*$"  # abbreviation definitions
    r"|(?<!\\)\[@[^\]\n]*\]"  # citations
    r"|(?<=\])\([^)\n]*\)"  # link targets
    r"|<[^>\n]+>"  # HTML tags
    r"|\{:?[ \t]*[#.][^}\n]*\}",  # attribute lists
    re.MULTILINE,
)


def visible_text(markdown: str) -> str:
    """``markdown`` with code, citations, link targets, tags and attribute lists blanked
    out: what remains are the words a reader sees, at their original offsets."""
    return _HIDDEN.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), mask_code(markdown))


_BLOCK_START = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|^#{1,6}\s")


def plain_text(markdown: str, *, headings: bool = True) -> str:
    """The prose of a page body, one line per paragraph, list item or heading: what
    reading time and readability are measured on."""
    units: list[list[str]] = []
    for line in visible_text(markdown).splitlines():
        if not line.strip() or line.lstrip().startswith("!!!"):
            units.append([])
            continue
        if _BLOCK_START.match(line) or not units:
            units.append([])
        if line.lstrip().startswith("#") and not headings:
            units.append([])
            continue
        units[-1].append(_BLOCK_START.sub("", line).strip())
    text = (re.sub(r"\\(.)|[*_\[\]`]", r"\1", " ".join(unit)) for unit in units if unit)
    return "\n".join(" ".join(line.split()) for line in text if line.strip())


def _guide(path: str, display: str, yaml_text: str, today: datetime.date) -> tuple[Guide | None, list[Problem]]:
    if not yaml_text.strip():
        return None, [Problem(display, 1, 1, "front matter", "a guide starts with front matter: " + ", ".join(_REQUIRED))]
    try:
        # One blank line in front stands for the opening "---", so lines match the file's.
        doc = parse_yaml("\n" + yaml_text, display)
    except YamlProblem as error:
        return None, [error.problem]
    data: dict[str, Any] = doc.data
    problems = [doc.problem((name,), "is missing from the front matter") for name in _REQUIRED if name not in data]
    problems += [
        doc.problem((name,), f"'{name}' is not a guide field. Allowed: {', '.join((*_REQUIRED, 'related', *_THEME_KEYS))}", key=True)
        for name in data
        if name not in (*_REQUIRED, "related", *_THEME_KEYS)
    ]
    for name in ("title", "description", "audience"):
        if name in data and (not isinstance(data[name], str) or not data[name].strip() or "\n" in data[name].strip()):
            problems.append(doc.problem((name,), "expected one line of text"))
    reviewed = _date(doc, today, problems)
    related = _related(doc, problems)
    if problems or reviewed is None or related is None:
        return None, problems
    return Guide(path, data["title"].strip(), data["description"].strip(), data["audience"].strip(), reviewed, related), []


def _date(doc: Document, today: datetime.date, problems: list[Problem]) -> datetime.date | None:
    value = doc.data.get("last_reviewed")
    if value is None:
        return None
    try:
        reviewed = datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(doc.problem(("last_reviewed",), f"'{value}' is not a date; write YYYY-MM-DD"))
        return None
    if reviewed > today:
        problems.append(doc.problem(("last_reviewed",), f"{reviewed.isoformat()} is in the future (today is {today.isoformat()})"))
        return None
    return reviewed


def _related(doc: Document, problems: list[Problem]) -> Related | None:
    value = doc.data.get("related")
    if value is None:
        return Related()
    if value == "all":
        return Related(every=True)
    if not isinstance(value, dict):
        problems.append(doc.problem(("related",), "expected 'all' or a mapping such as format: [small-group]"))
        return None
    found: list[tuple[str, frozenset[str]]] = []
    count = len(problems)
    for name, values in value.items():
        if name not in RELATED_FIELDS:
            problems.append(
                doc.problem(("related", name), f"'{name}' is not a program field. Allowed: {', '.join(RELATED_FIELDS)}", key=True)
            )
            continue
        if not isinstance(values, list) or not values:
            problems.append(doc.problem(("related", name), "expected a list of values, e.g. [small-group]"))
            continue
        vocabulary = schema.vocabularies()[RELATED_FIELDS[name]]
        for index, item in enumerate(values):
            if item not in vocabulary.labels:
                close = difflib.get_close_matches(str(item), list(vocabulary.labels), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "Allowed: " + ", ".join(vocabulary.labels)
                problems.append(doc.problem(("related", name, index), f"'{item}' is not allowed; {hint}"))
        found.append((name, frozenset(map(str, values))))
    return Related(values=tuple(found)) if len(problems) == count else None
