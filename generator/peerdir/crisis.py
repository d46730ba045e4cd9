"""Emergency and crisis numbers (data/crisis-lines.yml) for the urgent-help page.

Validated like records, because a wrong digit here matters more than anywhere else on
the site; and every country a record covers must have its numbers before it is listed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .problems import Problem
from .yamlfile import Document, YamlProblem, read_yaml


@dataclass(frozen=True)
class CrisisLine:
    name: str
    call: str
    text: str | None = None
    around_the_clock: bool = False
    note: str | None = None


@dataclass(frozen=True)
class CountryHelp:
    code: str
    emergency: str
    lines: tuple[CrisisLine, ...]
    confirmed_by: tuple[str, ...]


@dataclass(frozen=True)
class CrisisLines:
    reviewed: datetime.date
    countries: dict[str, CountryHelp]


def dial_uri(number: str, scheme: str = "tel") -> str:
    """``13 11 14`` -> ``tel:131114``: what a phone dials when the link is tapped."""
    return f"{scheme}:" + "".join(char for char in number if char.isdigit())


def load_crisis_lines(path: Path, display: str, today: datetime.date) -> tuple[CrisisLines | None, list[Problem]]:
    try:
        doc = read_yaml(path, display)
    except YamlProblem as error:
        return None, [error.problem]
    problems = schema.validate(doc, "crisis-lines")
    if problems:
        return None, problems
    reviewed = datetime.date.fromisoformat(doc.data["reviewed"])
    if reviewed > today:
        return None, [doc.problem(("reviewed",), f"{reviewed.isoformat()} is in the future (today is {today.isoformat()})")]
    return _to_crisis_lines(doc, reviewed), []


def _to_crisis_lines(doc: Document, reviewed: datetime.date) -> CrisisLines:
    countries = {
        code: CountryHelp(
            code=code,
            emergency=entry["emergency"],
            lines=tuple(CrisisLine(**line) for line in entry["lines"]),
            confirmed_by=tuple(entry["confirmed_by"]),
        )
        for code, entry in doc.data["countries"].items()
    }
    return CrisisLines(reviewed, countries)
