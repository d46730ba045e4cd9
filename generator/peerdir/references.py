"""The one bibliography (data/references.yml) that records and guides cite by key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .schema import describe, did_you_mean
from .yamlfile import Document, Position, YamlProblem, read_yaml

FIELDS = {"authors": True, "title": True, "container": False, "year": False, "url": False, "note": False}
_FIELD_LIST = ", ".join(f"{name} (required)" if required else name for name, required in FIELDS.items())


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    title: str
    container: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None
    # Where the key stands in data/references.yml, so "nobody cites this" can point at it.
    position: Position = field(default=Position(1, 1), compare=False)

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
            problems.append(doc.problem((key,), f"a reference is a mapping with authors: and title:, found {describe(entry)}"))
            continue
        entry_problems = [
            doc.problem((key, name), f"required field is missing. Fields: {_FIELD_LIST}.")
            for name, required in FIELDS.items()
            if required and name not in entry
        ]
        entry_problems += [doc.problem((key, name), _unknown_field(name), key=True) for name in entry if name not in FIELDS]
        for name, value in entry.items():
            if name in FIELDS and not isinstance(value, int if name == "year" else str):
                wanted = "a year like 2020" if name == "year" else "text"
                entry_problems.append(doc.problem((key, name), f"expected {wanted}, found {describe(value)}"))
        url = entry.get("url")
        if isinstance(url, str) and not url.startswith(("https://", "http://")):
            hint = "it must start with https:// or http://" if "://" in url else f"did you mean 'https://{url}'?"
            entry_problems.append(doc.problem((key, "url"), f"'{url}' is not an absolute web address; {hint}"))
        if entry_problems:
            problems += entry_problems
            continue
        found[key] = Reference(key=key, position=doc.where((key,), key=True), **entry)
    return found, problems


def _unknown_field(name: str) -> str:
    close = did_you_mean(name, list(FIELDS))
    hint = f"; did you mean '{close}'?" if close else "."
    return f"'{name}' is not a reference field{hint} Allowed: {_FIELD_LIST}"


def unused_references(references: dict[str, Reference], cited: Iterable[str], display: str) -> list[Problem]:
    """A reference nobody cites is either a leftover or a citation someone forgot; both
    make the bibliography claim support the site does not show."""
    unused = sorted(set(references) - set(cited))
    return [
        Problem(
            display,
            references[key].position.line,
            references[key].position.column,
            key,
            "no guide and no record cites this reference; cite it as [@" + key + "] in a guide or remove it",
        )
        for key in unused
    ]
