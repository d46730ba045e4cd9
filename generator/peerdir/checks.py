"""Rules a JSON Schema cannot express: ones that need the file name, today's date,
the bibliography, other records, or a real parser (phone numbers, URLs).

Each check reads the raw document defensively, so a record with schema errors still gets
every other complaint in the same run.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from .problems import Problem
from .schema import did_you_mean, vocabularies
from .yamlfile import Document, FieldPath

# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_DATE_FIELDS = ("added", "last_reviewed")
# A reader who finds a closed or paused program deserves to know why.
_STATUSES_NEEDING_A_NOTE = ("closed", "paused")


@dataclass(frozen=True)
class Known:
    """What records are checked against. None where that data file itself failed to load,
    so its failure is reported once rather than once per record."""

    today: datetime.date
    reference_keys: set[str] | None
    crisis_countries: set[str] | None


def check_document(doc: Document, file_stem: str, known: Known) -> list[Problem]:
    data = doc.data
    today = known.today
    problems: list[Problem] = []
    record_id = data.get("id")
    if isinstance(record_id, str) and record_id != file_stem:
        problems.append(doc.problem(("id",), f"id '{record_id}' must equal the file name '{file_stem}' (rename the file or the id)"))
    dates: dict[str, datetime.date] = {}
    for name in _DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            try:
                dates[name] = datetime.date.fromisoformat(value)
            except ValueError:
                continue  # the schema reports malformed dates
            if dates[name] > today:
                problems.append(doc.problem((name,), f"{value} is in the future (today is {today.isoformat()}); write the day it happened"))
    if "added" in dates and "last_reviewed" in dates and dates["last_reviewed"] < dates["added"]:
        added = dates["added"].isoformat()
        problems.append(
            doc.problem(
                ("last_reviewed",),
                f"{dates['last_reviewed'].isoformat()} is earlier than added ({added}); a record is reviewed when it is added, "
                f"so write {added} or later",
            )
        )
    for path, key in _reference_keys(data):
        if known.reference_keys is not None and key not in known.reference_keys:
            problems.append(doc.problem(path, _unknown_reference(key, known.reference_keys)))
    for path, region in _listed(data, "regions"):
        # A region outside the closed list gets the schema's message, not this one as well.
        country = region.split("-")[0] if isinstance(region, str) and region in vocabularies()["region"].labels else None
        if known.crisis_countries is not None and country and country not in known.crisis_countries:
            problems.append(
                doc.problem(
                    path,
                    f"no emergency or crisis numbers for {country} in data/crisis-lines.yml; add them, with a source, first. "
                    f"Countries with numbers: {', '.join(sorted(known.crisis_countries))}",
                )
            )
    status = data.get("status")
    if status in _STATUSES_NEEDING_A_NOTE and "status_note" not in data:
        at = doc.where(("status",))
        message = f"required when status is {status}: say, from a source, since when and why; the page shows it under the status"
        problems.append(Problem(doc.file, at.line, at.column, "status_note", message))
    for path, value in _strings(data, ()):
        problems.extend(_text_problems(doc, path, value))
    phone = _get(data, "contact", "phone")
    if isinstance(phone, str) and re.fullmatch(r"\+[1-9][0-9 ]{6,19}", phone):
        wrong = _phone_problem(phone)
        if wrong:
            problems.append(doc.problem(("contact", "phone"), f"'{phone}' is not a valid international phone number: {wrong}"))
    return problems


def check_collection(docs: list[Document]) -> list[Problem]:
    """Rules across records: unique ids (former ids included) and unique websites."""
    problems: list[Problem] = []
    ids: dict[str, Document] = {}
    websites: dict[str, Document] = {}
    for doc in docs:
        for path, value in [(("id",), doc.data.get("id"))] + list(_listed(doc.data, "former_ids")):
            if not isinstance(value, str):
                continue
            if value in ids:
                problems.append(
                    doc.problem(
                        path, f"'{value}' is already used by {ids[value].file}; an id names one program for good, so choose another"
                    )
                )
            else:
                ids[value] = doc
        website = _get(doc.data, "contact", "website")
        if isinstance(website, str):
            normal = website.rstrip("/").lower()
            if normal in websites:
                problems.append(
                    doc.problem(
                        ("contact", "website"),
                        f"{website} is already the website of {websites[normal].file}; one program has one record, "
                        "so merge the two or correct the address",
                    )
                )
            else:
                websites[normal] = doc
    return problems


# The fields check_collection reads; slim() keeps only them.
_COLLECTION_FIELDS = ("id", "former_ids", "contact")


def slim(doc: Document) -> Document:
    """The document with only the fields, and the positions, check_collection reads."""
    data = {name: value for name, value in doc.data.items() if name in _COLLECTION_FIELDS}
    keep = {path: pos for path, pos in doc.values.items() if not path or path[0] in _COLLECTION_FIELDS}
    keys = {path: pos for path, pos in doc.keys.items() if path[0] in _COLLECTION_FIELDS}
    return Document(doc.file, data, keep, keys)


def file_stem(path: Path) -> str:
    return path.name.removesuffix(".yml")


def _text_problems(doc: Document, path: FieldPath, value: str) -> Iterator[Problem]:
    if value.isprintable():  # no control, format or bidi character: the usual case, in C
        yield from _url_problems(doc, path, value)
        return
    for index, char in enumerate(value):
        if char in _BIDI_CONTROLS:
            yield doc.problem(path, f"contains the invisible direction control U+{ord(char):04X} at character {index + 1}; remove it")
            return
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\n":
            yield doc.problem(path, f"contains the control character U+{ord(char):04X} at character {index + 1}; remove it")
            return
        if category == "Cf":
            yield doc.problem(path, f"contains the invisible formatting character U+{ord(char):04X} at character {index + 1}; remove it")
            return
    yield from _url_problems(doc, path, value)


def _url_problems(doc: Document, path: FieldPath, value: str) -> Iterator[Problem]:
    if path and path[-1] in ("website", "url") and value.startswith(("http://", "https://")) and not urlsplit(value).hostname:
        yield doc.problem(path, f"'{value}' has no host name; write it like https://www.example.org/page")


def _unknown_reference(key: str, known: set[str]) -> str:
    close = did_you_mean(key, sorted(known), cutoff=0.8)  # keys share years, so only a typo counts as close
    hint = f"; did you mean '{close}'?" if close else "; add the reference there first."
    return f"'{key}' is not a key of data/references.yml{hint} Known keys: {', '.join(sorted(known))}"


_PHONE_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "it is too short for {region}",
    phonenumbers.ValidationResult.TOO_LONG: "it is too long for {region}",
    phonenumbers.ValidationResult.INVALID_LENGTH: "no number in {region} has this many digits",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "it is too short for a full number in {region}, or its area code is missing",
}


def _phone_problem(text: str) -> str | None:
    """Why ``text`` is not a real international number, or None when it is one."""
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return "no country has the calling code it starts with"
        return "it cannot be read as + country code, then the number"
    if phonenumbers.is_valid_number(number):
        return None
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    if region == "ZZ":
        return f"no country has the calling code +{number.country_code}"
    reason = _PHONE_REASONS.get(phonenumbers.is_possible_number_with_reason(number), "no number in {region} starts like this")
    return f"{reason.format(region=region)}; check the digits against the source"


def _get(data: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _listed(data: dict[str, Any], name: str) -> Iterator[tuple[FieldPath, Any]]:
    values = data.get(name)
    if isinstance(values, list):
        yield from (((name, i), value) for i, value in enumerate(values))


def _reference_keys(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    sources = data.get("sources")
    if isinstance(sources, list):
        for i, source in enumerate(sources):
            if isinstance(source, dict) and isinstance(source.get("ref"), str):
                yield ("sources", i, "ref"), source["ref"]
    evaluation = data.get("evaluation")
    if isinstance(evaluation, dict):
        for path, key in _listed(evaluation, "references"):
            if isinstance(key, str):
                yield ("evaluation", *path), key


def _strings(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))
