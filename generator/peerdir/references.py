"""The one bibliography (data/references.yml) that records and guides cite by key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from .yamlfile import Document, YamlProblem, read_yaml

FIELDS = {"authors": True, "title": True, "container": False, "year": False, "url": False, "note": False}


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    title: str
    container: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None

    def citation(self) -> str:
        """The reference as one line of a reference list."""
        parts = [f"{self.authors.rstrip('.')}.", f"{self.title.rstrip('.')}."]
        if self.container:
            parts.append(f"{self.container.rstrip('.')}.")
        if self.year and str(self.year) not in (self.container or ""):
            parts.append(f"{self.year}.")
        return " ".join(parts)


def load_references(path: Path, display: str) -> tuple[dict[str, Reference], list[Problem]]:
    try:
        doc = read_yaml(path, display)
    except YamlProblem as error:
        return {}, [error.problem]
    return _references(doc)


def _references(doc: Document) -> tuple[dict[str, Reference], list[Problem]]:
    found: dict[str, Reference] = {}
    problems: list[Problem] = []
    for key, entry in doc.data.items():
        if not isinstance(entry, dict):
            problems.append(doc.problem((key,), "a reference is a mapping with authors: and title:"))
            continue
        entry_problems = [
            doc.problem((key, name), "required field is missing") for name, required in FIELDS.items() if required and name not in entry
        ]
        entry_problems += [
            doc.problem((key, name), f"'{name}' is not a reference field. Allowed: {', '.join(FIELDS)}", key=True)
            for name in entry
            if name not in FIELDS
        ]
        for name, value in entry.items():
            if name in FIELDS and not isinstance(value, int if name == "year" else str):
                entry_problems.append(doc.problem((key, name), "expected " + ("a year" if name == "year" else "text")))
        url = entry.get("url")
        if isinstance(url, str) and not url.startswith(("https://", "http://")):
            entry_problems.append(doc.problem((key, "url"), f"'{url}' is not an absolute http(s) address"))
        if entry_problems:
            problems += entry_problems
            continue
        found[key] = Reference(key=key, **entry)
    return found, problems
