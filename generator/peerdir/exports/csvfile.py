"""``data/programs.csv``: one row per program for spreadsheets, in stable documented columns.

``COLUMNS`` is both the export and its documentation (the generated data-formats page
prints it), so the two cannot drift. Columns are only ever added at the end.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from ..records import Directory, Program
from . import dataset

# Joins the values of a multi-valued cell. Unambiguous: no allowed value, reference key or
# web address (no whitespace allowed) can contain it.
JOIN = "; "

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"); the
# apostrophe is in the list so that removing one leading apostrophe always restores the value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")

Value = Callable[[Program, str], str | tuple[str, ...] | None]


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Value
    multi: bool = False


def _many(name: str, description: str, value: Callable[[Program, str], tuple[str, ...]]) -> Column:
    return Column(name, description, value, multi=True)


COLUMNS: tuple[Column, ...] = (
    Column("id", "Permanent identifier of the listing (the record's file name).", lambda p, _: p.id),
    Column("name", "The program's name.", lambda p, _: p.name),
    Column("organisation", "The auspicing organisation: who runs or funds the program.", lambda p, _: p.organisation.name),
    Column("organisation_website", "The organisation's website.", lambda p, _: p.organisation.website),
    Column("purpose", "Who the program is for and what it is for.", lambda p, _: p.purpose),
    Column("support", "What kind of support is given and how.", lambda p, _: p.support),
    Column("more_help", "What happens when someone needs more than the program gives.", lambda p, _: p.more_help),
    _many("professions", "Who the program serves (profession values).", lambda p, _: p.professions),
    _many("career_stages", "Career stages served (career stage values).", lambda p, _: p.career_stages),
    _many("regions", "Where it is available (region values: ISO 3166 codes).", lambda p, _: p.regions),
    _many("delivery", "How support reaches people (delivery mode values).", lambda p, _: p.delivery),
    _many("access", "Access features (access feature values).", lambda p, _: p.access),
    _many("format", "The shape of the support (format values).", lambda p, _: p.format),
    Column("evaluation_status", "Whether an evaluation is available (evaluation value).", lambda p, _: p.evaluation.status),
    _many("evaluation_references", "Reference keys of the reports of the evaluation.", lambda p, _: p.evaluation.references),
    Column("evaluation_note", "What a reader should know about the evaluation.", lambda p, _: p.evaluation.note),
    Column("website", "The program's own web page.", lambda p, _: p.contact.website),
    Column("phone", "Phone number in international format.", lambda p, _: p.contact.phone),
    Column("email", "Contact email address.", lambda p, _: p.contact.email),
    _many(
        "links",
        "Other addresses to reach the program (the JSON export keeps their labels).",
        lambda p, _: tuple(x.url for x in p.contact.links),
    ),
    Column("contact_note", "How contact works.", lambda p, _: p.contact.note),
    _many("sources", "Reference keys of the sources every fact comes from.", lambda p, _: tuple(source.ref for source in p.sources)),
    Column("added", "Date first listed (YYYY-MM-DD).", lambda p, _: p.added.isoformat()),
    Column("last_reviewed", "Date last checked against the sources (YYYY-MM-DD).", lambda p, _: p.last_reviewed.isoformat()),
    Column("status", "Listing status (listing status value).", lambda p, _: p.status),
    Column("status_note", "Why the status is what it is.", lambda p, _: p.status_note),
    _many("former_ids", "Earlier identifiers of the listing.", lambda p, _: p.former_ids),
    Column("page", "The listing's page in the directory.", lambda p, site_url: dataset.page_url(site_url, p)),
)


def programs_csv(directory: Directory, site_url: str) -> str:
    """RFC 4180 CSV (UTF-8, CRLF line ends, quotes only where needed), a header row first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(column.name for column in COLUMNS)
    for program in directory.programs:
        writer.writerow(cell(column.value(program, site_url)) for column in COLUMNS)
    return buffer.getvalue()


def cell(value: str | tuple[str, ...] | None) -> str:
    """One cell's text: lists joined with ``JOIN``, absent values empty, formulas defused."""
    text = JOIN.join(value) if isinstance(value, tuple) else (value or "")
    return neutralised(text)


def neutralised(text: str) -> str:
    """Text a spreadsheet shows instead of running: an apostrophe before a formula start.

    A program reading the file restores the value by removing one leading apostrophe.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text
