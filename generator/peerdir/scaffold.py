"""A new record from answers: the questions ``peerdir new`` asks (and the issue form
mirrors), how a typed answer becomes a value, how each answer is checked, and the
commented YAML file written at the end.

The questions are read off the schema, so a field added there is asked for, checked and
written without a change here. Answers are checked by the validator itself, on the
record built so far, so a contributor sees the same message ``peerdir validate`` prints.
"""

from __future__ import annotations

import datetime
import re
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml

from . import checks, schema
from .schema import Vocabulary
from .yamlfile import Document

SCHEMA_LINE = "# yaml-language-server: $schema=../generator/peerdir/schema/program.schema.json"
HEADER = (
    "# One program of the directory. `peerdir validate` checks this file and explains any",
    "# problem; the site's Record format page describes every field.",
    "# Write only what a source confirms: leave a contact detail out rather than guess it.",
)
WIDTH = 80

Kind = Literal["text", "date", "choice", "choices", "list", "items"]
Answers = dict[str, Any]


@dataclass(frozen=True)
class Question:
    """One field of the record to ask for; ``name`` is its dotted path (contact.website)."""

    path: tuple[str, ...]
    kind: Kind
    required: bool
    description: str
    vocabulary: Vocabulary | None = None
    # What the validator accepts, in words (closed lists are shown as numbered choices instead).
    hint: str = ""
    # For lists of mappings (sources, links): each item's fields, in the order an answer gives them.
    parts: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def flag(self) -> str:
        return "--" + "-".join(self.path).replace("_", "-")

    def owns(self, field: str) -> bool:
        """Whether a problem about ``field`` (``professions[0]``, ``sources[1].ref``) is about this answer."""
        return field == self.name or field.startswith((self.name + ".", self.name + "["))


@cache
def questions() -> tuple[Question, ...]:
    """Every field of the record format, in the schema's order."""
    found: list[Question] = []

    def walk(node: dict[str, Any], prefix: tuple[str, ...], required_here: bool) -> None:
        required = set(node.get("required", ()))
        for name, prop in node["properties"].items():
            path, needed = prefix + (name,), required_here and name in required
            resolved = schema.resolve(prop)
            description = prop.get("description") or resolved.get("description", "")
            hint = schema.expectation(resolved)
            if resolved.get("type") == "object":
                walk(resolved, path, needed)
                continue
            if resolved.get("type") == "array":
                items = schema.resolve(resolved["items"])
                if items.get("type") == "object":
                    found.append(Question(path, "items", needed, description, hint=hint, parts=tuple(items["properties"])))
                else:
                    vocabulary = schema.vocabulary_of(resolved["items"])
                    found.append(Question(path, "choices" if vocabulary else "list", needed, description, vocabulary, hint))
            elif schema.vocabulary_of(prop):
                found.append(Question(path, "choice", needed, description, schema.vocabulary_of(prop), hint))
            else:
                found.append(Question(path, "date" if resolved.get("format") == "date" else "text", needed, description, hint=hint))

    walk(schema.schema(), (), True)
    return tuple(found)


def asking_order() -> tuple[Question, ...]:
    """The questions as a person answers them: the name before the id, which is made from it."""
    return tuple(sorted(questions(), key=lambda q: q.name != "name"))


def question_for(field: str) -> Question | None:
    """The question whose answer a problem about ``field`` concerns."""
    return next((q for q in questions() if q.owns(field)), None)


def suggested_id(name: str) -> str:
    """An id made from a program's name: ``Hand-n-Hand Peer Support`` -> ``hand-n-hand-peer-support``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")


def defaults(answers: Mapping[str, Any], today: datetime.date) -> dict[str, str]:
    """Answers that need not be typed: the id from the name, today's dates, and the status
    every new listing starts with until someone confirms the program is running."""
    found = {"added": today.isoformat(), "last_reviewed": today.isoformat(), "status": "unverified"}
    if isinstance(answers.get("name"), str) and suggested_id(answers["name"]):
        found["id"] = suggested_id(answers["name"])
    return found


def parse_answer(q: Question, text: str) -> Any:
    """A typed answer as the record's value, or None when it is blank. Closed lists take
    numbers (as listed), values or labels; anything else is kept as typed, for the
    validator to explain. List answers are separated by commas, items by lines."""
    if not text.strip():
        return None
    if q.kind == "items":
        return [_item(q, line) for line in text.splitlines() if line.strip()]
    if q.kind in ("choices", "list"):
        return [_choice(q.vocabulary, part) for part in text.split(",") if part.strip()]
    if q.kind == "choice":
        return _choice(q.vocabulary, text)
    return " ".join(text.split())


def _choice(vocabulary: Vocabulary | None, text: str) -> str:
    text = text.strip()
    if vocabulary is None:
        return text
    if text.isdigit() and 1 <= int(text) <= len(vocabulary.labels):
        return list(vocabulary.labels)[int(text) - 1]
    return vocabulary.lookup(text) or text


def _item(q: Question, line: str) -> dict[str, str]:
    values = [" ".join(part.split()) for part in line.split(";", len(q.parts) - 1)]
    return {part: value for part, value in zip(q.parts, values, strict=False) if value}


def build_record(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The record the answers make, nested as the schema nests it; required mappings are
    present even when empty (``contact: {}`` when no source gives a way to reach it)."""
    record: dict[str, Any] = {}
    for path in _required_mappings():
        _nested(record, path)
    for q in questions():
        if answers.get(q.name) is not None:
            _nested(record, q.path[:-1])[q.path[-1]] = answers[q.name]
    return record


@cache
def _required_mappings() -> tuple[tuple[str, ...], ...]:
    found: list[tuple[str, ...]] = []

    def walk(node: dict[str, Any], prefix: tuple[str, ...]) -> None:
        for name in node.get("required", ()):
            resolved = schema.resolve(node["properties"][name])
            if resolved.get("type") == "object":
                found.append(prefix + (name,))
                walk(resolved, prefix + (name,))

    walk(schema.schema(), ())
    return tuple(found)


def _nested(record: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for part in path:
        record = record.setdefault(part, {})
    return record


@dataclass(frozen=True)
class Checker:
    """Checks one answer the way ``peerdir validate`` checks the whole file."""

    known: checks.Known

    def problems(self, answers: Mapping[str, Any], q: Question) -> list[str]:
        record = build_record(answers)
        doc = Document("(answers)", record)
        record_id = record.get("id")
        found = schema.validate(doc) + checks.check_document(doc, record_id if isinstance(record_id, str) else "", self.known)
        return [f"{problem.field}: {problem.message}" for problem in sorted(set(found)) if q.owns(problem.field)]


def render_record(answers: Mapping[str, Any]) -> str:
    """The record file: the schema line, a short guide, then each field under a comment
    that says what it holds (and its allowed values)."""
    lines = [SCHEMA_LINE, *HEADER]
    _emit(build_record(answers), schema.schema(), "", lines)
    skipped = [q.name for q in questions() if not q.required and answers.get(q.name) is None]
    if skipped:
        lines.append("")
        lines += _comment("", "Optional fields left out (add them when a source says): " + ", ".join(skipped) + ".")
    return "\n".join(lines) + "\n"


def _emit(record: dict[str, Any], node: dict[str, Any], pad: str, lines: list[str]) -> None:
    for name, prop in node["properties"].items():
        if name not in record:
            continue
        value, resolved = record[name], schema.resolve(prop)
        lines += _comment(pad, first_sentence(prop.get("description") or resolved.get("description", "")))
        vocabulary = schema.vocabulary_of(prop) or schema.vocabulary_of(resolved.get("items", {}))
        if vocabulary:
            lines += _comment(pad, "Allowed: " + ", ".join(vocabulary.labels) + ".")
        if isinstance(value, dict):
            lines.append(f"{pad}{name}:" if value else f"{pad}{name}: {{}}")
            _emit(value, resolved, pad + "  ", lines)
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            lines.append(f"{pad}{name}:")
            for item in value:
                for index, (key, text) in enumerate(item.items()):
                    lines.append(f"{pad}  {'- ' if index == 0 else '  '}{key}: {_scalar(text)}")
        elif isinstance(value, list):
            lines.append(f"{pad}{name}: [{', '.join(_scalar(str(item)) for item in value)}]")
        elif resolved.get("format") == "date" and _is_date(value):
            lines.append(f"{pad}{name}: {value}")
        else:
            lines += _text(pad, name, str(value))


def _comment(pad: str, text: str) -> list[str]:
    return [f"{pad}# {line}" for line in textwrap.wrap(text, WIDTH - len(pad) - 2, break_on_hyphens=False)]


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def _is_date(value: Any) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _text(pad: str, name: str, value: str) -> list[str]:
    """A text field on one line, or folded over several when it is long plain prose
    (folding joins lines with one space, so single-spaced printable text reads back exactly)."""
    line = f"{pad}{name}: {_scalar(value)}"
    if len(line) <= WIDTH or value != " ".join(value.split()) or not value.isprintable():
        return [line]
    body = textwrap.wrap(value, WIDTH - len(pad) - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{name}: >-", *(f"{pad}  {text}" for text in body)]


def _scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar: plain when YAML reads it back as the same text,
    quoted otherwise (``no``, ``2026-01-01``, ``a: b``), and in escaped ASCII as the last
    resort, which holds any text on one line."""
    for style in (None, '"'):
        dumped = yaml.safe_dump({"v": value}, allow_unicode=True, width=1_000_000, default_style=style)
        if dumped.count("\n") == 1 and yaml.safe_load(dumped) == {"v": value}:
            return _value_of(dumped)
    return _value_of(yaml.safe_dump({"v": value}, allow_unicode=False, width=1_000_000, default_style='"'))


def _value_of(dumped: str) -> str:
    return dumped.split(": ", 1)[1].rstrip("\n")
