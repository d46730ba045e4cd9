"""Strict YAML reading that remembers where every value stood.

Records arrive from strangers by pull request, so the reader refuses what YAML allows
but a record never needs (several documents, anchors and aliases, duplicate keys,
byte-order marks, oversized files) and keeps the line and column of every key and value,
so that a later complaint about ``contact.website`` can point at its line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .problems import Problem

MAX_BYTES = 64 * 1024
# Records nest three levels at most; anything far deeper is a mistake or an attack.
MAX_DEPTH = 16
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

FieldPath = tuple[str | int, ...]


class Position(NamedTuple):
    """Where a key or value starts (1-based). A tuple, not a dataclass: every key and value
    of thousands of records gets one, and a tuple is made several times faster."""

    line: int
    column: int


@dataclass
class Document:
    """A parsed YAML file: plain data plus where each part of it was written."""

    file: str
    data: Any
    values: dict[FieldPath, Position] = field(default_factory=dict)
    keys: dict[FieldPath, Position] = field(default_factory=dict)
    # The source text of unquoted scalars, to explain YAML 1.1 surprises (no -> false).
    plain_text: dict[FieldPath, str] = field(default_factory=dict)

    def where(self, path: FieldPath, *, key: bool = False) -> Position:
        """The position of ``path``, or of its nearest ancestor that exists."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Position(1, 1))

    def problem(self, path: FieldPath, message: str, *, key: bool = False) -> Problem:
        pos = self.where(path, key=key)
        return Problem(self.file, pos.line, pos.column, dotted(path), message)


def dotted(path: FieldPath) -> str:
    """``('contact', 'links', 0, 'url')`` -> ``contact.links[0].url``; the record itself is ``record``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "record"


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_yaml(path: Path, display: str) -> Document:
    """Read one YAML mapping file; raise YamlProblem naming the file, line and reason."""

    def fail(line: int, column: int, message: str, where: str = "record") -> YamlProblem:
        return YamlProblem(Problem(display, line, column, where, message))

    try:
        if not path.exists() and not path.is_symlink():
            raise fail(1, 1, "is missing")
        if path.is_symlink() or not path.is_file():
            raise fail(1, 1, "is not a regular file; a record must be a plain file, not a link or a folder")
        raw = path.read_bytes()
    except OSError as error:
        raise fail(1, 1, f"cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise fail(1, 1, f"file is {len(raw):,} bytes; a record may be at most {MAX_BYTES:,} bytes")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise fail(1, 1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise fail(line, column, f"byte 0x{raw[error.start]:02x} is not UTF-8; save the file as UTF-8") from None
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise fail(1, 1, "file is empty; a record is a mapping of fields such as id: and name:")
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> Document:
    """Parse YAML text (one mapping) into a Document; raise YamlProblem on anything else.

    Works from the parser's event stream (libyaml's C parser where installed, which is what
    keeps 10,000 records fast), so anchors, aliases and tags are refused before anything is
    built, and every key and value keeps its position.
    """
    doc = Document(display, None)
    try:
        doc.data = _Builder(doc).document(yaml.parse(text, Loader=_LOADER))
    except _Refused as refused:
        raise YamlProblem(Problem(display, refused.line, refused.column, refused.field, refused.message)) from None
    except yaml.MarkedYAMLError as error:
        mark = _blamed_mark(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(Problem(display, line, column, "record", _explain_yaml_error(error, text, mark))) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = f"contains the character U+{error.character:04X}, which YAML does not allow; remove it"
        raise YamlProblem(Problem(display, line, column, "record", message)) from None
    return doc


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_EMPTY = "file is empty; a record is a mapping of fields such as id: and name:"


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, field: str = "record") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.field = mark.line + 1, mark.column + 1, message, field


class _Builder:
    """Turns one document's events into plain data, recording positions as it goes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.events: Iterator[Any] = iter(())

    def document(self, events: Iterator[Any]) -> Any:
        self.events = events
        next(self.events)  # StreamStartEvent
        start = next(self.events)
        if isinstance(start, yaml.StreamEndEvent):
            raise _Refused(start.start_mark, _EMPTY)
        top = next(self.events)
        if not isinstance(top, yaml.MappingStartEvent):
            found = "a list" if isinstance(top, yaml.SequenceStartEvent) else f"the text '{getattr(top, 'value', '')}'"
            raise _Refused(top.start_mark, f"the top level must be a mapping of fields (id: ..., name: ...), found {found}")
        data = self.value(top, (), 1)
        next(self.events)  # DocumentEndEvent
        after = next(self.events)
        if not isinstance(after, yaml.StreamEndEvent):
            raise _Refused(after.start_mark, "file holds several YAML documents (---); a record is one document")
        return data

    def value(self, event: Any, path: FieldPath, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"alias *{event.anchor} is not allowed in records; write the value out")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, f"anchor &{event.anchor} is not allowed in records; write the value out")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise _Refused(event.start_mark, f"the YAML tag {tag} is not allowed in records; write a plain value")
        if depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"values are nested too deeply (a record nests at most {MAX_DEPTH} levels)")
        mark = event.start_mark
        self.doc.values[path] = Position(mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(item := next(self.events), yaml.SequenceEndEvent):
                items.append(self.value(item, path + (len(items),), depth + 1))
            return items
        return self.scalar(event, path)

    def mapping(self, path: FieldPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_event: Any  # libyaml's events are untyped
        while not isinstance(key_event := next(self.events), yaml.MappingEndEvent):
            if not isinstance(key_event, yaml.ScalarEvent) or _resolve(key_event) != _STR or key_event.tag not in (None, "!"):
                found = f"'{key_event.value}'" if isinstance(key_event, yaml.ScalarEvent) else "a list or mapping"
                raise _Refused(key_event.start_mark, f"field names are plain words like id or name, found {found}", dotted(path))
            key = key_event.value
            mark: Any = key_event.start_mark
            child = path + (key,)
            if key in result:
                first = self.doc.keys[child]
                raise _Refused(mark, f"duplicate key: '{key}' is already set on line {first.line}", dotted(child))
            self.doc.keys[child] = Position(mark.line + 1, mark.column + 1)
            result[key] = self.value(next(self.events), child, depth + 1)
        return result

    def scalar(self, event: Any, path: FieldPath) -> Any:
        if not event.style:  # plain (unquoted): None from the Python parser, '' from libyaml
            self.doc.plain_text[path] = event.value
        tag = _resolve(event)
        if tag in (_STR, _TIMESTAMP):
            # Dates stay as written; the schema's "date" format says whether they are real.
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _CONSTRUCTORS[tag](_CONSTRUCTOR, node)
        except (ValueError, yaml.constructor.ConstructorError):
            shown = event.value if len(event.value) <= 40 else event.value[:37] + "..."
            raise _Refused(event.start_mark, f"'{shown}' cannot be read as a value; put it in quotes", dotted(path)) from None


_STR = "tag:yaml.org,2002:str"


def _resolve(event: Any) -> str:
    if not event.implicit[0]:  # quoted: always text
        return _STR
    return _resolve_plain(event.value)


@functools.lru_cache(maxsize=4096)
def _resolve_plain(value: str) -> str:
    """The type YAML gives an unquoted scalar. Field names and closed-list values repeat in
    every record, so the answer is remembered."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]


# Something opened and never closed: (parser context, its problem, what to say). The
# error is then shown where the quote or bracket opened, not where the file ended.
_UNCLOSED = (
    ("quoted scalar", "end of stream", "the quote opened here is never closed; add the matching quote"),
    ("flow sequence", "expected ',' or ']'", "the [ opened here is never closed; add ] (or the comma between two items)"),
    ("flow mapping", "expected ',' or '}'", "the { opened here is never closed; add } (or the comma between two items)"),
    ("flow node", "", "a [ list or { mapping is left open; close it with ] or }"),
    (
        "simple key",
        "could not find expected ':'",
        "this line is not 'field: value'; add the colon, or indent it to continue the value above",
    ),
)
# Common mistakes behind the parser's other messages, and how to fix them.
_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a value contains ': '; put the whole value in quotes"),
    ("did not find expected key", "this line is not indented like the lines around it, or text follows a closing quote"),
    ("expected <block end>", "this line is not indented like the lines around it, or text follows a closing quote"),
    ("cannot start any token", "a value cannot start with this character in YAML; put the whole value in quotes"),
)


def _unclosed(error: yaml.MarkedYAMLError) -> str | None:
    context, problem = error.context or "", error.problem or ""
    return next((message for where, what, message in _UNCLOSED if where in context and what in problem), None)


def _blamed_mark(error: yaml.MarkedYAMLError) -> Any:
    """Where the reader should look: the opening of what was never closed, else where reading failed."""
    if error.context_mark and _unclosed(error) and "flow node" not in (error.context or ""):
        return error.context_mark
    return error.problem_mark or error.context_mark


def _explain_yaml_error(error: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = error.problem or "YAML syntax error"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return "tab character: YAML indents with spaces only"
    unclosed = _unclosed(error)
    if unclosed:
        return f"YAML syntax error: {unclosed}"
    hint = next((hint for text_in, hint in _SYNTAX_HINTS if text_in in problem), "")
    if "cannot start any token" in problem and mark is not None:
        hint = hint.replace("this character", repr(text[mark.index : mark.index + 1]))
    return f"YAML syntax error: {problem}; {hint}" if hint else f"YAML syntax error: {problem}"
