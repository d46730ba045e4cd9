"""Reading an issue written with the suggest-a-program form into the answers of a record.

GitHub renders a form issue as Markdown: a ``### Label`` heading per question, then the
answer, ``_No response_`` for an empty one, and ``- [X] Option`` lines for checkboxes.
The form itself (.github/ISSUE_TEMPLATE/suggest-program.yml) says which record field
each question fills (its id, with ``-`` between levels: ``contact-website``), so nothing
here repeats it. Choices are mapped back from their labels; sources are matched to keys
of data/references.yml by key, web address or title. Anything that does not map is a
problem located at its line of the issue and named by the form's label, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import scaffold
from .problems import Problem
from .references import Reference
from .schema import did_you_mean
from .yamlfile import YamlProblem, read_yaml

FORM = ".github/ISSUE_TEMPLATE/suggest-program.yml"
NO_RESPONSE = "_No response_"
# Answers that name a source, and which part of each item does.
_CITING = {"sources": "ref", "evaluation.references": None}
_CHECKBOX = re.compile(r"^- \[([ xX])\] (.*)$")

Complain = Callable[[str, int], None]


class FormProblem(Exception):
    """The form file itself cannot be read; the suggestion cannot be either."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class FormField:
    """One question of the form and the record field it fills (None for the form's own
    questions, such as the sourcing confirmation)."""

    id: str
    label: str
    kind: str
    required: bool
    options: tuple[str, ...]
    required_options: tuple[str, ...]
    question: scaffold.Question | None


def load_form(path: Path, display: str) -> list[FormField]:
    if not path.is_file():
        raise FormProblem(Problem(display, 1, 1, "form", "the suggest-a-program form is missing"))
    try:
        doc = read_yaml(path, display)
    except YamlProblem as error:
        raise FormProblem(error.problem) from None
    try:
        return [_form_field(element) for element in doc.data["body"] if element["type"] != "markdown"]
    except KeyError as error:
        raise FormProblem(Problem(display, 1, 1, "form", f"not an issue form: a question has no '{error.args[0]}'")) from None
    except (TypeError, AttributeError):
        raise FormProblem(Problem(display, 1, 1, "form", "not an issue form: body must be a list of questions")) from None


def _form_field(element: dict[str, Any]) -> FormField:
    attributes = element["attributes"]
    options = attributes.get("options", [])
    labels = tuple(option["label"] if isinstance(option, dict) else option for option in options)
    required_options = tuple(option["label"] for option in options if isinstance(option, dict) and option.get("required"))
    question = scaffold.question_for(element["id"].replace("-", "."))
    required = bool(element.get("validations", {}).get("required"))
    return FormField(element["id"], attributes["label"], element["type"], required, labels, required_options, question)


@dataclass
class Located:
    """Where an answer stands in the issue: its first line, and the line of each item."""

    form_field: FormField
    line: int
    item_lines: list[int] = field(default_factory=list)


@dataclass
class Reading:
    """What an issue says: record answers, where each was written, and what did not map."""

    answers: scaffold.Answers = field(default_factory=dict)
    located: dict[str, Located] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def relocate(self, problem: Problem, display: str) -> Problem | None:
        """A problem of the record built from the issue, moved to the answer it came from
        (None when that answer already has a complaint of its own)."""
        question = scaffold.question_for(problem.field)
        where = self.located.get(question.name if question else "")
        if where is None:
            return Problem(display, 1, 1, problem.field, problem.message)
        if any(known.field == where.form_field.label for known in self.problems):
            return None
        index = re.match(r"[^\[]*\[(\d+)\]", problem.field)
        line = where.item_lines[int(index.group(1))] if index and int(index.group(1)) < len(where.item_lines) else where.line
        return Problem(display, line, 1, where.form_field.label, f"{problem.field}: {problem.message}")


@dataclass(frozen=True)
class _Section:
    heading_line: int
    lines: list[tuple[int, str]]

    @property
    def content(self) -> list[tuple[int, str]]:
        """The answer's lines without blank ones around it; none for an empty answer."""
        lines = [(number, text.rstrip()) for number, text in self.lines]
        while lines and not lines[0][1].strip():
            lines.pop(0)
        while lines and not lines[-1][1].strip():
            lines.pop()
        return [] if [text.strip() for _, text in lines] == [NO_RESPONSE] else lines


def read_issue(body: str, form: list[FormField], references: Mapping[str, Reference], display: str) -> Reading:
    """The answers of an issue body, located; ``display`` names the body in problems."""
    sections, reading = _sections(body, form, display)
    for form_field in form:
        section = sections.get(form_field.label)
        content = section.content if section else []
        line = content[0][0] if content else section.heading_line if section else 1

        def complain(message: str, at: int, form_field: FormField = form_field) -> None:
            reading.problems.append(Problem(display, at, 1, form_field.label, message))

        if form_field.kind == "checkboxes":
            content = _ticked(content, complain)
            for option in form_field.required_options:
                if option not in [text for _, text in content]:
                    complain(f"the box '{option}' must be ticked", line)
        question = form_field.question
        if question is None:
            continue
        if not content and (form_field.required or question.required):
            complain(f"no answer, and the record needs one: {question.description}", line)
        value, item_lines = _value(form_field, question, content, references, complain) if content else (None, [])
        if value:
            reading.answers[question.name] = value
        reading.located[question.name] = Located(form_field, line, item_lines)
    if "name" in reading.located:
        reading.located["id"] = reading.located["name"]  # the id is made from the name
    return reading


def _sections(body: str, form: list[FormField], display: str) -> tuple[dict[str, _Section], Reading]:
    reading = Reading()
    labels = {form_field.label for form_field in form}
    sections: dict[str, _Section] = {}
    current: _Section | None = None
    for number, line in enumerate(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line.startswith("### "):
            label = line[4:].strip()
            if label not in labels:
                close = did_you_mean(label, sorted(labels))
                hint = f"; did you mean '### {close}'?" if close else "; was the issue written with another template?"
                reading.problems.append(Problem(display, number, 1, "form", f"'### {label}' is not a question of the form{hint}"))
                current = None
            elif label in sections:
                reading.problems.append(Problem(display, number, 1, label, f"asked twice (first on line {sections[label].heading_line})"))
                current = None
            else:
                current = sections[label] = _Section(number, [])
        elif current is not None:
            current.lines.append((number, line))
    return sections, reading


def _ticked(content: list[tuple[int, str]], complain: Complain) -> list[tuple[int, str]]:
    """The ticked options of a checkbox answer, with their lines."""
    ticked = []
    for number, text in content:
        match = _CHECKBOX.match(text.strip())
        if match is None:
            if text.strip():
                complain(f"'{text.strip()}' is not a checkbox line like '- [X] Option'", number)
        elif match.group(1) != " ":
            ticked.append((number, match.group(2).strip()))
    return ticked


def _value(
    form_field: FormField,
    question: scaffold.Question,
    content: list[tuple[int, str]],
    references: Mapping[str, Reference],
    complain: Complain,
) -> tuple[Any, list[int]]:
    """The record value of an answer, and the line of each of its items."""
    lines = [(number, text) for number, text in content if text.strip()]
    if form_field.kind in ("checkboxes", "dropdown"):
        chosen = [(_choice(form_field, question, " ".join(text.split()), number, complain), number) for number, text in lines]
        values = [(value, number) for value, number in chosen if value is not None]
        single = form_field.kind == "dropdown"
        return (values[0][0] if single and values else [value for value, _ in values]), [number for _, number in values]
    if question.name in _CITING:
        return _cited(question, lines, references, complain)
    text = "\n".join(text for _, text in lines)
    return scaffold.parse_answer(question, text.replace("\n", ",") if question.kind == "list" else text), [number for number, _ in lines]


def _choice(form_field: FormField, question: scaffold.Question, label: str, line: int, complain: Complain) -> str | None:
    value = question.vocabulary.lookup(label) if question.vocabulary else None
    if value is None:
        options = {option.casefold(): option for option in form_field.options}
        close = did_you_mean(label.casefold(), list(options))
        hint = f"; did you mean '{options[close]}'?" if close else "."
        complain(f"'{label}' is not one of the choices{hint} Choices: {'; '.join(form_field.options)}", line)
    return value


def _cited(
    question: scaffold.Question, lines: list[tuple[int, str]], references: Mapping[str, Reference], complain: Complain
) -> tuple[list[Any], list[int]]:
    """Sources written as titles or web addresses, as keys of data/references.yml (with locators)."""
    cited: list[Any] = []
    item_lines = []
    part = _CITING[question.name]
    for number, line in lines:
        source, _, locator = line.partition(";") if part else (line, "", "")
        key = reference_key(source, references)
        if key is None:
            complain(_unknown_source(source.strip(), references), number)
            continue
        cited.append({part: key, **({"locator": " ".join(locator.split())} if locator.strip() else {})} if part else key)
        item_lines.append(number)
    return cited, item_lines


def reference_key(text: str, references: Mapping[str, Reference]) -> str | None:
    """The key of data/references.yml that ``text`` names by key, web address or title."""
    wanted = _plain(text)
    for key, reference in references.items():
        if wanted in (_plain(key), _plain(reference.title), _plain(reference.url or "")):
            return key
    return None


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip("./")


def _unknown_source(source: str, references: Mapping[str, Reference]) -> str:
    titles = {_plain(reference.title): reference.title for reference in references.values()}
    close = did_you_mean(_plain(source), list(titles), cutoff=0.8)
    hint = f" Did you mean '{titles[close]}'?" if close else ""
    return (
        f"'{source}' is not in data/references.yml yet: a maintainer adds it there (authors, title, web address), "
        f"then runs peerdir from-issue again.{hint}"
    )
