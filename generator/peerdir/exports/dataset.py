"""What every export says about the data as a whole: licence, date, addresses, identifiers.

Exports must not make every build differ: their date is the newest change to any record
(``added`` or ``last_reviewed``), never the clock, so unchanged records give byte-identical
files and ``mkdocs serve`` does not rebuild in a loop.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import uuid
from typing import Any

from .. import schema
from ..records import Directory, Program

# Where the record schema is published on the site (the JSON export links to it).
SCHEMA_PATH = "schema/program.schema.json"

FORMAT_VERSION = "1.0"
LICENCE_NAME = "Creative Commons Attribution 4.0 International"
LICENCE_ID = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# The credit LICENSE-DATA asks reusers to give.
ATTRIBUTION = "Peer support for health workers directory contributors"

# Fixed forever: uuid5(NAMESPACE_URL, "https://github.com/peerdir/peer-support-directory").
# Every published identifier is derived from it, so changing it would change them all.
NAMESPACE = uuid.UUID("7143ca20-8620-5402-84a2-8934a1519fea")


@functools.cache
def stable_id(*parts: str) -> str:
    """A UUID that depends only on what it names (a kind and a record id, say), never on the build.
    Remembered: every export asks again for the same ones."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def as_of(directory: Directory, fallback: datetime.date) -> datetime.date:
    """The date of the newest change to any record; ``fallback`` only when there are none."""
    return max((max(p.added, p.last_reviewed) for p in directory.programs), default=fallback)


def changed(program: Program) -> datetime.date:
    """When the listing last changed: its review date, or the day it was added if later."""
    return max(program.added, program.last_reviewed)


def absolute(site_url: str, path: str) -> str:
    """``path`` on the published site; stays relative when mkdocs.yml sets no site_url."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


def page_url(site_url: str, program: Program) -> str:
    return absolute(site_url, f"programs/{program.id}/")


def facets(program: Program) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every closed-list value of a record, as (vocabulary name, values)."""
    return (
        ("profession", program.professions),
        ("career_stage", program.career_stages),
        ("region", program.regions),
        ("delivery", program.delivery),
        ("access", program.access),
        ("format", program.format),
        ("evaluation_status", (program.evaluation.status,)),
        ("status", (program.status,)),
    )


def record_data(program: Program) -> dict[str, Any]:
    """The record as its YAML file holds it (schema field order), so it validates against the schema."""
    data = _pruned(program)
    return {name: data[name] for name in schema.schema()["properties"] if name in data}


def _pruned(value: Any) -> Any:
    """Dataclasses as dicts, dates as ISO text; absent optional fields (None, empty lists)
    left out as the YAML leaves them. (``dataclasses.asdict`` deep-copies every value
    first, which made it most of the JSON export's time.)"""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {key: _pruned(item) for key, item in items if item is not None and item != ()}
    if isinstance(value, (tuple, list)):
        return [_pruned(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
