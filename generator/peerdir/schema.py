"""The record format: the JSON Schema file is the single source of truth.

Everything else that needs to know the format asks this module: the validator (with
messages that teach the allowed values), the labels shown on the site, and the generated
"Record format" reference page.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .problems import Problem
from .yamlfile import Document, FieldPath, dotted

if TYPE_CHECKING:
    import jsonschema

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

    def lookup(self, text: str) -> str | None:
        """The value ``text`` names exactly, written as the value or as its label."""
        wanted = " ".join(text.split()).casefold()
        return next((value for value, label in self.labels.items() if wanted in (value.casefold(), label.casefold())), None)

    def suggest(self, text: str) -> str | None:
        """The value a near miss most likely meant (a typo of a value, or a label)."""
        exact = self.lookup(text)
        if exact:
            return exact
        close = did_you_mean(text, list(self.labels))
        if close:
            return close
        by_label = {label.casefold(): value for value, label in self.labels.items()}
        close_label = did_you_mean(text.casefold(), list(by_label))
        return by_label[close_label] if close_label else None

    def allowed(self) -> str:
        """Every value with its label, as validator messages list them."""
        return ", ".join(f"'{value}' ({label})" for value, label in self.labels.items())


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
    return {name: _vocabulary(definition, name) for name, definition in schema()["$defs"].items() if _is_vocabulary(definition)}


def _vocabulary(definition: dict[str, Any], name: str = "") -> Vocabulary:
    """A closed list from its schema form: ``oneOf`` of consts as written, or the ``enum``
    with ``x-labels`` it becomes for validation (see _for_validation)."""
    if "x-labels" in definition:
        labels = dict(definition["x-labels"])
    else:
        labels = {option["const"]: option.get("title", option["const"]) for option in definition["oneOf"]}
    return Vocabulary(name, definition.get("title", name), definition.get("description", ""), labels)


def vocabulary_of(subschema: dict[str, Any]) -> Vocabulary | None:
    """The closed list a field of the record format refers to, if any."""
    reference = subschema.get("$ref")
    return vocabularies().get(reference.rsplit("/", 1)[1]) if isinstance(reference, str) else None


def _is_vocabulary(definition: dict[str, Any]) -> bool:
    if "x-labels" in definition:
        return True
    options = definition.get("oneOf")
    return isinstance(options, list) and all("const" in option for option in options)


def _for_validation(node: Any) -> Any:
    """The schema as validated: each closed list's ``oneOf`` of consts becomes the
    equivalent ``enum`` (with its labels kept for messages), several times cheaper."""
    if isinstance(node, list):
        return [_for_validation(item) for item in node]
    if not isinstance(node, dict):
        return node
    if _is_vocabulary(node) and "oneOf" in node:
        labels = _vocabulary(node).labels
        rest = {key: value for key, value in node.items() if key != "oneOf"}
        return {**rest, "enum": list(labels), "x-labels": labels}
    return {key: _for_validation(value) for key, value in node.items()}


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    """jsonschema's validator, for its detailed errors. Imported only when a document is
    invalid: loading jsonschema costs more than checking a thousand valid records."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(_for_validation(load(name)), format_checker=FormatChecker())


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# The checks jsonschema's FormatChecker makes of the formats the schemas use, with the
# pinned jsonschema and none of its optional format libraries (it checks "uri" only when
# rfc3987 is installed). The fast validator must give jsonschema's verdict; a test holds
# the two together.
FORMATS: dict[str, Callable[[str], bool]] = {
    "date": _is_date,
    "email": lambda value: "@" in value,
    "uri": lambda value: True,
}


@cache
def _fast_check(name: str) -> Callable[[Any], Any]:
    """A compiled validator (fastjsonschema) with the same verdict as jsonschema's, fifty
    times faster. Valid records, the usual case, never need jsonschema's detailed errors."""
    definition = {key: value for key, value in _for_validation(load(name)).items() if key != "$schema"}
    return fastjsonschema.compile(_inlined(definition, definition["$defs"]), formats=FORMATS, use_default=False)


def compile_validator(name: str) -> None:
    """Compile schema ``name``'s fast validator in this process now: worker processes
    forked afterwards inherit it, instead of each compiling its own."""
    _fast_check(name)


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema with each ``$ref`` to its ``$defs`` replaced by the definition itself:
    fastjsonschema checks a referenced definition in a function of its own, and builds an
    error message for every call, valid or not."""
    if isinstance(node, list):
        return [_inlined(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/") and len(node) == 1:
        return _inlined(definitions[reference.removeprefix("#/$defs/")], definitions)
    return {key: _inlined(value, definitions) for key, value in node.items()}


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
    """One validation error as problems that say what was found, what is allowed, and
    what was probably meant."""
    path: FieldPath = tuple(error.absolute_path)
    keyword = error.validator
    subschema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    if keyword == "required":
        missing = error.message.split("'")[1]
        wanted = _property_schema(subschema, missing, root)
        message = _join("required field is missing.", wanted.get("description", ""), expectation(wanted, root))
        return [doc.problem(path + (missing,), message, key=True)]
    if keyword == "additionalProperties":
        allowed = list(subschema.get("properties", {}))
        return [doc.problem(path + (name,), _unknown_field(name, allowed, path), key=True) for name in value if name not in allowed]
    if keyword in ("enum", "oneOf") and _is_vocabulary(subschema):
        # A value of the wrong type also fails "type", whose message explains YAML's reading of it.
        return [doc.problem(path, _not_in_vocabulary(value, _vocabulary(subschema)))] if isinstance(value, str) else []
    if keyword == "type":
        return [doc.problem(path, _wrong_type(value, subschema, doc.plain_text.get(path), root))]
    if keyword in ("pattern", "format"):
        return [doc.problem(path, _malformed(value, subschema))]
    if keyword == "maxLength":
        return [doc.problem(path, f"is {len(value)} characters long; at most {error.validator_value} are allowed, so shorten it")]
    if keyword == "minLength":
        found = "is empty" if not value.strip() else f"is too short ({len(value)} characters)"
        return [doc.problem(path, f"{found}; write at least {error.validator_value} characters")]
    if keyword == "minItems":
        message = _join(f"is an empty list; write at least {error.validator_value} value.", expectation(subschema, root))
        return [doc.problem(path, message)]
    if keyword == "minProperties":
        return [doc.problem(path, f"has no entries; write at least {error.validator_value}")]
    if keyword == "uniqueItems":
        index = _first_repeat(value)
        return [doc.problem(path + (index,), f"{_show(value[index])} is listed a second time; list each value once")]
    return [doc.problem(path, error.message)]


def expectation(subschema: dict[str, Any], root: dict[str, Any] | None = None) -> str:
    """What a field accepts, in one sentence: its closed list with labels, its form, or its fields."""
    root = root or schema()
    resolved = resolve(subschema, root)
    if _is_vocabulary(resolved):
        return f"Allowed: {_vocabulary(resolved).allowed()}"
    kind = resolved.get("type")
    if kind == "array":
        items = resolve(resolved.get("items", {}), root)
        return expectation(items, root) or "Write a list."
    if kind == "object" and "properties" in resolved:
        required = set(resolved.get("required", ()))
        fields = ", ".join(f"{name} (required)" if name in required else name for name in resolved["properties"])
        return f"Fields: {fields}."
    if resolved.get("format") == "date":
        return "Write a date as YYYY-MM-DD."
    if "x-hint" in resolved:
        return f"Write {resolved['x-hint']}."
    if kind == "boolean":
        return "Write true or false."
    return ""


def resolve(subschema: dict[str, Any], root: dict[str, Any] | None = None) -> dict[str, Any]:
    """A schema with its ``$ref`` followed; the referring schema's own keys (a description) win."""
    root = root or schema()
    if "$ref" not in subschema:
        return subschema
    target: dict[str, Any] = root["$defs"][subschema["$ref"].rsplit("/", 1)[1]]
    return {**target, **{key: value for key, value in subschema.items() if key != "$ref"}}


def _property_schema(parent: dict[str, Any], name: str, root: dict[str, Any]) -> dict[str, Any]:
    found = parent.get("properties", {}).get(name, {})
    return resolve(found, root) if isinstance(found, dict) else {}


def _join(*sentences: str) -> str:
    return " ".join(sentence for sentence in sentences if sentence)


def did_you_mean(value: str, options: list[str], cutoff: float = 0.6) -> str | None:
    """The closest of ``options`` to a mistyped ``value``, if any is close."""
    close = difflib.get_close_matches(value.lower(), options, n=1, cutoff=cutoff)
    return close[0] if close else None


def _unknown_field(name: str, allowed: list[str], parent: FieldPath) -> str:
    where = f"of {dotted(parent)}" if parent else "of a record"
    close = did_you_mean(name, allowed)
    hint = f"; did you mean '{close}'?" if close else "."
    return f"'{name}' is not a field {where}{hint} Allowed: {', '.join(allowed)}"


def _not_in_vocabulary(value: str, vocabulary: Vocabulary) -> str:
    return f"'{value}' is not allowed{_suggestion(value, vocabulary)} Allowed: {vocabulary.allowed()}"


def _suggestion(text: str, vocabulary: Vocabulary) -> str:
    """``; did you mean 'nurses' (Nurses)?`` for a near miss, else a full stop."""
    close = vocabulary.suggest(text)
    return f"; did you mean '{close}' ({vocabulary.label(close)})?" if close else "."


_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "integer": "a whole number",
    "boolean": "true or false",
}


def _wrong_type(value: Any, subschema: dict[str, Any], plain: str | None, root: dict[str, Any]) -> str:
    expected = subschema["type"]
    found = describe(value)
    read_as = plain is not None and not isinstance(value, (str, list, dict)) and value is not None
    reading = f" (YAML reads the unquoted {plain} as {found})" if read_as else ""
    if _is_vocabulary(subschema):
        vocabulary = _vocabulary(subschema)
        if read_as and plain in vocabulary.labels:
            return f"expected text, found {found}{reading}; put it in quotes: '{plain}'"
        text = plain if plain is not None else str(value)
        return f"expected one of the allowed values, found {found}{reading}{_suggestion(text, vocabulary)} Allowed: {vocabulary.allowed()}"
    message = f"expected {_TYPE_NAMES.get(expected, expected)}, found {found}{reading}"
    if expected == "string" and read_as:
        return f"{message}; put it in quotes: '{plain}'"
    if expected == "array" and not isinstance(value, (list, dict)) and value is not None:
        return f"{message}; {_as_list(plain if plain is not None else str(value), subschema, root)}"
    return _join(message + ".", expectation(subschema, root))


def _as_list(text: str, subschema: dict[str, Any], root: dict[str, Any]) -> str:
    """How to write a single value (or comma-separated values) as the list the field needs."""
    items = resolve(subschema.get("items", {}), root)
    values = [part.strip() for part in text.split(",") if part.strip()]
    if _is_vocabulary(items):
        vocabulary = _vocabulary(items)
        meant = [vocabulary.suggest(part) for part in values]
        if values and all(meant):
            return f"did you mean [{', '.join(str(value) for value in meant)}]? Allowed: {vocabulary.allowed()}"
        return f"write a list of allowed values, like [{next(iter(vocabulary.labels))}]. Allowed: {vocabulary.allowed()}"
    return f"write it as a list: [{', '.join(values)}]"


def _malformed(value: Any, subschema: dict[str, Any]) -> str:
    """A value that does not have the required form, with the form and a likely repair."""
    if subschema.get("format") == "date":
        want = "a real date written YYYY-MM-DD"
    else:
        want = subschema.get("x-hint") or f"in the required form (the pattern {subschema.get('pattern', '')})"
    message = f"{_show(value)} is not {want}"
    repaired = _repair(value, subschema) if isinstance(value, str) else None
    return f"{message}; did you mean '{repaired}'?" if repaired else message


def _repair(value: str, subschema: dict[str, Any]) -> str | None:
    """The first everyday fix of ``value`` that the schema accepts (None if none does)."""
    for candidate in _repairs(value.strip()):
        if candidate != value and _accepts(subschema, candidate):
            return candidate
    return None


def _repairs(value: str) -> Iterator[str]:
    yield value
    yield value.lower()
    yield re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")  # an id or key written as a name
    yield re.sub(r"^(mailto|tel):", "", value)
    yield "https://" + value  # a web address without its scheme
    digits = re.sub(r"[().\-/]", " ", re.sub(r"^00", "+", value))  # a phone number written locally styled
    yield " ".join(digits.split())
    date = re.fullmatch(r"(\d{4})[-./ ](\d{1,2})[-./ ](\d{1,2})(?:[T ].*)?", value)
    if date:
        yield "{}-{:0>2}-{:0>2}".format(*date.groups())


def _accepts(subschema: dict[str, Any], candidate: str) -> bool:
    pattern = subschema.get("pattern")
    if pattern and not re.fullmatch(pattern, candidate):
        return False
    if subschema.get("format") == "date":
        try:
            datetime.date.fromisoformat(candidate)
        except ValueError:
            return False
    return bool(pattern) or subschema.get("format") == "date"


def _first_repeat(values: list[Any]) -> int:
    seen: set[str] = set()
    for index, item in enumerate(values):
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            return index
        seen.add(key)
    return 0


def describe(value: Any) -> str:
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
