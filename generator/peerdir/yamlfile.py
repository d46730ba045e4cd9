"""Strict YAML reading that remembers where every value stood.

Records arrive from strangers by pull request, so the reader refuses what YAML allows
but a record never needs (several documents, anchors and aliases, duplicate keys,
byte-order marks, oversized files) and keeps the line and column of every key and value,
so that a later complaint about ``contact.website`` can point at its line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 64 * 1024

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
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

    raw = path.read_bytes()
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
    """Parse YAML text (one mapping) into a Document; raise YamlProblem on anything else."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except _Refused as refused:
        raise YamlProblem(Problem(display, refused.line, refused.column, "record", refused.message)) from None
    except yaml.MarkedYAMLError as error:
        mark = _blamed_mark(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(Problem(display, line, column, "record", _explain_yaml_error(error))) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem(Problem(display, 1, 1, "record", "file is empty; a record is a mapping of fields such as id: and name:"))
    if not isinstance(node, yaml.MappingNode):
        pos = _position(node)
        found = "a list" if isinstance(node, yaml.SequenceNode) else f"the text '{node.value}'"
        raise YamlProblem(
            Problem(
                display, pos.line, pos.column, "record", f"the top level must be a mapping of fields (id: ..., name: ...), found {found}"
            )
        )
    doc = Document(display, None)
    doc.data = _build(node, (), doc, loader)
    return doc


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = mark.line + 1, mark.column + 1, message


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases before anything is expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"alias *{event.anchor} is not allowed in records; write the value out")
        if getattr(event, "anchor", None):
            raise _Refused(event.start_mark, f"anchor &{event.anchor} is not allowed in records; write the value out")
        return super().compose_node(parent, index)


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: FieldPath, doc: Document, loader: _StrictLoader) -> Any:
    doc.values[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                pos = _position(key_node)
                found = f"'{key_node.value}'" if isinstance(key_node, yaml.ScalarNode) else "a list or mapping"
                message = f"field names are plain words like id or name, found {found}"
                raise YamlProblem(Problem(doc.file, pos.line, pos.column, dotted(path), message))
            key = key_node.value
            if key in result:
                first = doc.keys[path + (key,)]
                pos = _position(key_node)
                raise YamlProblem(
                    Problem(
                        doc.file,
                        pos.line,
                        pos.column,
                        dotted(path + (key,)),
                        f"duplicate key: '{key}' is already set on line {first.line}",
                    )
                )
            doc.keys[path + (key,)] = _position(key_node)
            result[key] = _build(value_node, path + (key,), doc, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), doc, loader) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode) and node.style is None:
        doc.plain_text[path] = node.value
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError):
        pos = _position(node)
        raise YamlProblem(
            Problem(
                doc.file,
                pos.line,
                pos.column,
                dotted(path),
                f"'{node.value}' looks like a date but is not a real one; use YYYY-MM-DD",
            )
        ) from None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _unclosed(error: yaml.MarkedYAMLError) -> bool:
    return "end of stream" in (error.problem or "") or "<stream end>" in (error.problem or "")


def _blamed_mark(error: yaml.MarkedYAMLError) -> Any:
    """Where the reader should look: the opening of an unclosed list, mapping or quote, or
    the start of a line that lacks its colon; otherwise where reading failed."""
    if error.context_mark and (_unclosed(error) or "could not find expected ':'" in (error.problem or "")):
        return error.context_mark
    return error.problem_mark or error.context_mark


# Common mistakes behind PyYAML's messages, and how to fix them.
_SYNTAX_HINTS = (
    ("mapping values are not allowed here", "a value contains ': '; put the whole value in quotes"),
    ("could not find expected ':'", "this line is not 'field: value'; add the colon, or indent it to continue the value above"),
    ("expected <block end>", "this line is not indented like the lines around it, or text follows a closing quote"),
    ("that cannot start any token", "a value cannot start with this character in YAML; put the whole value in quotes"),
)


def _explain_yaml_error(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "YAML syntax error"
    if "expected a single document" in (error.context or "") or "expected a single document" in problem:
        return "file holds several YAML documents (---); a record is one document"
    if "'\\t'" in problem or "\\t" in problem:
        return "tab character: YAML indents with spaces only"
    if "found duplicate anchor" in problem:
        return "anchors are not allowed in records"
    if _unclosed(error):
        context = error.context or ""
        opened = "quote" if "quoted" in context else "[" if "sequence" in context else "{" if "mapping" in context else None
        if opened is None:
            return "YAML syntax error: the file ends inside a [ list or { mapping; close it with ] or }"
        closing = {"[": "]", "{": "}"}.get(opened, "the matching quote")
        return f"YAML syntax error: the {opened} opened here is never closed; add {closing}"
    hint = next((hint for text, hint in _SYNTAX_HINTS if text in problem), "")
    return f"YAML syntax error: {problem}; {hint}" if hint else f"YAML syntax error: {problem}"
