"""The date a listing's links were last seen working, for its page on the site.

A reader deciding whether to call a number deserves to know how fresh the listing is.
The date is only claimed when every web address of the listing worked at its latest
check; it is the oldest of those checks, so the sentence is true of all of them.
"""

from __future__ import annotations

import datetime

from ..records import Directory
from .cache import WORKING, Cache
from .collect import check_key, record_links


def links_verified(directory: Directory, cache: Cache) -> dict[str, datetime.date]:
    """Listing id -> date its links were last verified; listings without such a date are left out."""
    dates: dict[str, datetime.date] = {}
    for program in directory.programs:
        urls = [check_key(url) for url, _, _ in record_links(program, directory.references) if url.startswith(("http://", "https://"))]
        entries = [cache.get(url) for url in urls]
        moments = [entry.verified for entry in entries if entry is not None and entry.verdict in WORKING and entry.verified]
        if urls and len(moments) == len(urls):
            dates[program.id] = min(moments).date()
    return dates
