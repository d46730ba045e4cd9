"""The record format: the JSON Schema file is the single source of truth.

Everything else that needs to know the format asks this module: the validator (with
messages that teach the allowed values), the labels shown on the site, and the generated
"Record format" reference page.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

from .problems import Problem
from .yamlfile import Document, FieldPath, dotted

SCHEMA_DIR = Path(__file__).parent / "schema"


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values, each with the human label the site shows."""

    name: str
    title: str
    description: str
    labels: dict[str, str]

    def label(self, value: str) -> str:
        return self.labels[value]


@cache
def load(name: str) -> dict[str, Any]:
    """A schema of this package by name: program (records) or crisis-lines (urgent help)."""
    loaded: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


def schema() -> dict[str, Any]:
    """The record format."""
    return load("program")


@cache
def vocabularies() -> dict[str, Vocabulary]:
    """Every closed list in the schema, by its ``$defs`` name (profession, region, ...)."""
    found = {}
    for name, definition in schema()["$defs"].items():
        if _is_vocabulary(definition):
            labels = {option["const"]: option["title"] for option in definition["oneOf"]}
            found[name] = Vocabulary(name, definition["title"], definition["description"], labels)
    return found


def _is_vocabulary(definition: dict[str, Any]) -> bool:
    options = definition.get("oneOf")
    return isinstance(options, list) and all("const" in option for option in options)


def _for_validation(node: Any) -> Any:
    """The schema as validated: each closed list's ``oneOf`` of consts becomes the
    equivalent ``enum`` (with its labels kept for messages), several times cheaper."""
    if isinstance(node, list):
        return [_for_validation(item) for item in node]
    if not isinstance(node, dict):
        return node
    if _is_vocabulary(node):
        labels = {option["const"]: option["title"] for option in node["oneOf"]}
        rest = {key: value for key, value in node.items() if key != "oneOf"}
        return {**rest, "enum": list(labels), "x-labels": labels}
    return {key: _for_validation(value) for key, value in node.items()}


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_for_validation(load(name)), format_checker=FormatChecker())


@cache
def _fast_check(name: str) -> Callable[[Any], Any]:
    """A compiled validator (fastjsonschema) with the same verdict as jsonschema's, fifty
    times faster. Valid records, the usual case, never need jsonschema's detailed errors."""
    checker = FormatChecker()
    formats = {fmt: functools.partial(checker.conforms, format=fmt) for fmt in ("date", "email", "uri")}
    definition = {key: value for key, value in _for_validation(load(name)).items() if key != "$schema"}
    return fastjsonschema.compile(definition, formats=formats, use_default=False)


def validate(doc: Document, name: str = "program") -> list[Problem]:
    """Every violation of schema ``name`` in one document, each located and explained."""
    try:
        _fast_check(name)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    problems: list[Problem] = []
    for error in _validator(name).iter_errors(doc.data):
        problems.extend(_explain(error, doc, load(name)))
    return problems


def _explain(error: jsonschema.ValidationError, doc: Document, root: dict[str, Any]) -> list[Problem]:
    path: FieldPath = tuple(error.absolute_path)
    keyword = error.validator
    subschema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    if keyword == "required":
        missing = error.message.split("'")[1]
        described = _property_schema(error.schema, missing, root).get("description", "")
        return [doc.problem(path + (missing,), f"required field is missing. {described}".strip(), key=True)]
    if keyword == "additionalProperties":
        allowed = list(subschema.get("properties", {}))
        return [doc.problem(path + (name,), _unknown_field(name, allowed, path), key=True) for name in value if name not in allowed]
    if keyword == "enum" and "x-labels" in subschema:
        # A value of the wrong type also fails "type", whose message explains YAML's reading of it.
        return [doc.problem(path, _not_in_vocabulary(value, subschema["x-labels"]))] if isinstance(value, str) else []
    if keyword == "type":
        return [doc.problem(path, _wrong_type(value, subschema["type"], doc.plain_text.get(path)))]
    if keyword in ("pattern", "format"):
        hint = subschema.get("x-hint")
        if subschema.get("format") == "date":
            hint = "a real date written YYYY-MM-DD"
        return [doc.problem(path, f"{_show(value)} is not {hint or 'in the expected form'}")]
    if keyword == "maxLength":
        return [doc.problem(path, f"is {len(value)} characters long; at most {error.validator_value} are allowed")]
    if keyword == "minLength":
        return [doc.problem(path, f"is too short ({len(value)} characters); write at least {error.validator_value}")]
    if keyword == "minItems":
        return [doc.problem(path, f"needs at least {error.validator_value} value(s)")]
    if keyword == "uniqueItems":
        return [doc.problem(path, "lists the same value more than once")]
    return [doc.problem(path, error.message)]


def _property_schema(parent: Any, name: str, root: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(parent, dict):
        return {}
    found = parent.get("properties", {}).get(name, {})
    if "$ref" in found:
        found = root["$defs"][found["$ref"].rsplit("/", 1)[1]]
    return found if isinstance(found, dict) else {}


def did_you_mean(value: str, options: list[str]) -> str | None:
    """The closest of ``options`` to a mistyped ``value``, if any is close."""
    close = difflib.get_close_matches(value.lower(), options, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_field(name: str, allowed: list[str], parent: FieldPath) -> str:
    where = f"of {dotted(parent)}" if parent else "of a record"
    close = did_you_mean(name, allowed)
    hint = f"; did you mean '{close}'?" if close else "."
    return f"'{name}' is not a field {where}{hint} Allowed: {', '.join(allowed)}"


def _not_in_vocabulary(value: str, labels: dict[str, str]) -> str:
    close = did_you_mean(value, list(labels))
    hint = f"; did you mean '{close}' ({labels[close]})?" if close else "."
    return f"'{value}' is not allowed{hint} Allowed: {_allowed(labels)}"


def _allowed(labels: dict[str, str]) -> str:
    return ", ".join(f"'{value}' ({label})" for value, label in labels.items())


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of fields", "integer": "a whole number"}


def _wrong_type(value: Any, expected: str, plain: str | None) -> str:
    want = _TYPE_NAMES.get(expected, expected)
    found = _describe(value)
    message = f"expected {want}, found {found}"
    if expected == "string" and plain is not None and not isinstance(value, (list, dict)) and value is not None:
        message += f" (YAML reads the unquoted {plain} as {found}); put it in quotes: '{plain}'"
    return message


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return _show(value)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 80 else text[:77] + "...'"
