"""Loading: record files in, typed and fully checked records out.

This is the only module that turns raw YAML data into objects; everything downstream
(rendering, exports, the link checker) works with these frozen dataclasses and never
looks at YAML again.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import checks, schema
from .crisis import CrisisLines, load_crisis_lines
from .parallel import map_sharing
from .problems import Problem
from .project import Project
from .references import Reference, load_references
from .yamlfile import Document, YamlProblem, parse_yaml, read_yaml


@dataclass(frozen=True)
class Organisation:
    name: str
    website: str | None = None


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Contact:
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    links: tuple[Link, ...] = ()
    note: str | None = None

    @property
    def verified(self) -> bool:
        """True when a source confirmed at least one way to reach the program."""
        return bool(self.website or self.phone or self.email or self.links)

    @property
    def tel(self) -> str | None:
        """The phone number as a tel: URI target (digits and the leading +)."""
        return "+" + "".join(c for c in self.phone if c.isdigit()) if self.phone else None


@dataclass(frozen=True)
class Evaluation:
    status: str
    references: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Source:
    ref: str
    locator: str | None = None


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    organisation: Organisation
    purpose: str
    support: str
    professions: tuple[str, ...]
    regions: tuple[str, ...]
    evaluation: Evaluation
    contact: Contact
    sources: tuple[Source, ...]
    added: datetime.date
    last_reviewed: datetime.date
    status: str
    file: str
    more_help: str | None = None
    career_stages: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    format: tuple[str, ...] = ()
    status_note: str | None = None
    former_ids: tuple[str, ...] = ()

    @property
    def countries(self) -> tuple[str, ...]:
        """The ISO 3166-1 countries the regions belong to (AU-VIC -> AU), in order."""
        return tuple(dict.fromkeys(region.split("-")[0] for region in self.regions))


@dataclass(frozen=True)
class Directory:
    """Everything the site is generated from."""

    programs: tuple[Program, ...]
    references: dict[str, Reference]
    crisis: CrisisLines

    def by_id(self, program_id: str) -> Program:
        return next(program for program in self.programs if program.id == program_id)


def load_directory(project: Project, today: datetime.date, pending: Mapping[Path, str] | None = None) -> tuple[Directory, list[Problem]]:
    """Load and check every record; the problems list is empty only when all is valid.

    ``pending`` holds records not yet on disk (path -> text): ``peerdir new`` and
    ``peerdir from-issue`` check a record against all the others before writing it.
    """
    pending = pending or {}
    references, problems = load_references(project.references_file, project.display(project.references_file))
    crisis, crisis_problems = load_crisis_lines(project.crisis_file, project.display(project.crisis_file), today)
    known = checks.Known(today, None if problems else set(references), set(crisis.countries) if crisis else None)
    problems += crisis_problems
    problems += _strays(project)
    # Pending records come last, so a clash with an existing record is reported on them.
    paths = dict.fromkeys([*project.record_files(), *sorted(pending)])
    tasks = [(path, project.display(path), pending.get(path)) for path in paths]
    schema.compile_validator("program")
    docs: list[Document] = []
    programs: list[Program] = []
    for checked, doc_problems in map_sharing(_check_file, known, tasks, len(tasks)):
        problems += doc_problems
        if checked is not None:
            docs.append(checked[0])
            programs.append(checked[1])
    problems += checks.check_collection(docs)
    programs.sort(key=lambda p: p.name.casefold())
    if crisis is None:  # its problems are in the list; callers never see a half-loaded directory
        crisis = CrisisLines(today, {})
    return Directory(tuple(programs), references, crisis), sorted(set(problems))


_Task = tuple[Path, str, str | None]
_Checked = tuple[tuple[Document, Program] | None, list[Problem]]


def _check_file(known: checks.Known, task: _Task) -> _Checked:
    """Read (or parse, for a pending record) and check one record. A valid one comes back
    as its Program, with a document that holds only what the cross-record checks need:
    what travels between processes stays small."""
    path, display, pending_text = task
    try:
        doc = parse_yaml(pending_text, display) if pending_text is not None else read_yaml(path, display)
    except YamlProblem as error:
        return None, [error.problem]
    problems = schema.validate(doc) + checks.check_document(doc, checks.file_stem(path), known)
    if problems:
        return None, problems
    return (checks.slim(doc), to_program(doc)), []


def _strays(project: Project) -> list[Problem]:
    """Files in directory/ that would otherwise be silently ignored."""
    return [
        Problem(project.display(path), 1, 1, "record", "records are named <id>.yml; rename this file or move it out of directory/")
        for path in sorted(project.directory.iterdir())
        if not path.name.startswith(".") and path.suffix != ".yml"
    ]


def to_program(doc: Document) -> Program:
    """Build a Program from a document that passed validation."""
    data: dict[str, Any] = dict(doc.data)
    contact = dict(data.pop("contact"))
    contact["links"] = tuple(Link(**link) for link in contact.get("links", ()))
    evaluation = dict(data.pop("evaluation"))
    evaluation["references"] = tuple(evaluation.get("references", ()))
    return Program(
        organisation=Organisation(**data.pop("organisation")),
        contact=Contact(**contact),
        evaluation=Evaluation(**evaluation),
        sources=tuple(Source(**source) for source in data.pop("sources")),
        added=datetime.date.fromisoformat(data.pop("added")),
        last_reviewed=datetime.date.fromisoformat(data.pop("last_reviewed")),
        file=doc.file,
        **{name: tuple(value) if isinstance(value, list) else value for name, value in data.items()},  # type: ignore[arg-type]
    )
