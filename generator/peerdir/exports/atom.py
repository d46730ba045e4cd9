"""``feed.xml``: an Atom feed of listings, newest change first, for feed readers and aggregators.

An entry's ``updated`` is the day the listing last changed (added or reviewed) and its
``published`` the day it was added, both straight from the record, so a rebuild of
unchanged records gives an identical feed. Entry ids are ``urn:uuid:`` of the same UUID as
the program's HSDS service: stable even if the site moves.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from .. import schema
from ..records import Directory, Program
from . import dataset

ATOM = "http://www.w3.org/2005/Atom"
TITLE = "Peer-support programs for health workers: new and updated listings"
# Feed readers fetch the whole file each time; older changes stay in the JSON and CSV exports.
MAX_ENTRIES = 100


def programs_feed(directory: Directory, site_url: str, as_of: datetime.date, path: str) -> str:
    """The feed as published at ``path`` on the site."""
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "id", f"urn:uuid:{dataset.stable_id('feed', 'programs')}")
    _text(feed, "title", TITLE)
    _text(feed, "updated", _timestamp(as_of))
    _link(feed, "self", dataset.absolute(site_url, path), "application/atom+xml")
    _link(feed, "alternate", dataset.absolute(site_url, "programs/"), "text/html")
    _link(feed, "license", dataset.LICENCE_URL, "text/html")
    author = ET.SubElement(feed, "author")
    _text(author, "name", dataset.ATTRIBUTION)
    _text(feed, "rights", f"{dataset.LICENCE_NAME} ({dataset.LICENCE_ID}): {dataset.LICENCE_URL}")
    for program in newest_first(directory)[:MAX_ENTRIES]:
        _entry(feed, program, site_url)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def newest_first(directory: Directory) -> list[Program]:
    """Most recently changed first; ties in id order so the feed never reshuffles."""
    by_id = sorted(directory.programs, key=lambda p: p.id)
    return sorted(by_id, key=dataset.changed, reverse=True)


def _entry(feed: ET.Element, program: Program, site_url: str) -> None:
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", f"urn:uuid:{dataset.stable_id('service', program.id)}")
    _text(entry, "title", program.name)
    _link(entry, "alternate", dataset.page_url(site_url, program), "text/html")
    _text(entry, "published", _timestamp(program.added))
    _text(entry, "updated", _timestamp(dataset.changed(program)))
    reviewed = f" Last reviewed on {program.last_reviewed.isoformat()}." if program.last_reviewed > program.added else ""
    summary = f"{program.purpose} Run by {program.organisation.name}. Listed on {program.added.isoformat()}.{reviewed}"
    _text(entry, "summary", summary)
    for name, values in dataset.facets(program):
        scheme = dataset.absolute(site_url, f"{dataset.SCHEMA_PATH}#/$defs/{name}")
        for value in values:
            ET.SubElement(entry, "category", term=value, label=schema.vocabularies()[name].label(value), scheme=scheme)


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, name).text = text


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, "link", rel=rel, href=href, type=media_type)


def _timestamp(day: datetime.date) -> str:
    """Records hold dates only: a change is stamped at midnight UTC of its day."""
    return f"{day.isoformat()}T00:00:00Z"
