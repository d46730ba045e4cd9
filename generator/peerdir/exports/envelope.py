"""``data/programs.json``: every record, as its YAML file holds it, inside a small envelope.

The envelope says what the file is (format and version), how fresh it is, under which
licence it may be reused and where the JSON Schema that describes each record lives.
``FIELDS`` documents the envelope on the generated data-formats page.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from ..records import Directory
from . import dataset

FORMAT = "peerdir-programs"

FIELDS: tuple[tuple[str, str], ...] = (
    ("format", f"Always `{FORMAT}`: what this file is."),
    ("format_version", "The version of this envelope and record format; a change that breaks readers raises the major number."),
    (
        "generated",
        "The date (YYYY-MM-DD) of the newest change to any record: the latest `added` or `last_reviewed`. "
        "It is not the time of the build, so a rebuild of unchanged data publishes an identical file.",
    ),
    ("licence", "The data licence: `name`, SPDX `id` and `url`."),
    ("attribution", "The credit to give when you reuse the data."),
    ("schema", "The address of the JSON Schema every item of `programs` validates against."),
    ("homepage", "The directory's home page; program `<id>` has its page at `programs/<id>/` below it."),
    ("count", "How many programs follow."),
    ("programs", "Every record, in the fields of the record format, sorted by name."),
)


def programs_json(directory: Directory, site_url: str, as_of: datetime.date) -> str:
    envelope: dict[str, Any] = {
        "format": FORMAT,
        "format_version": dataset.FORMAT_VERSION,
        "generated": as_of.isoformat(),
        "licence": {"name": dataset.LICENCE_NAME, "id": dataset.LICENCE_ID, "url": dataset.LICENCE_URL},
        "attribution": dataset.ATTRIBUTION,
        "schema": dataset.absolute(site_url, dataset.SCHEMA_PATH),
        "homepage": dataset.absolute(site_url, ""),
        "count": len(directory.programs),
        "programs": [dataset.record_data(program) for program in directory.programs],
    }
    return json.dumps(envelope, indent=2, ensure_ascii=False) + "\n"
