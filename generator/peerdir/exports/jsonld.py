"""schema.org JSON-LD for a program page, so search engines understand each listing.

The program is a ``Service`` whose ``provider`` is the auspicing ``Organization``; the
program's own contact details are that organisation's ``ContactPoint`` for the service.
The JSON is escaped for an HTML ``<script>`` element: no record text can end the element,
open a comment or change how the page is parsed.
"""

from __future__ import annotations

import json
from typing import Any

from .. import schema
from ..records import Program
from . import dataset

# Characters that mean something to an HTML parser inside <script>, or end a line in old
# JavaScript parsers; JSON's \u escapes keep the data and remove the meaning.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def program_jsonld(program: Program, site_url: str) -> dict[str, Any]:
    vocab = schema.vocabularies()
    page = dataset.page_url(site_url, program)
    contact = program.contact
    provider: dict[str, Any] = {"@type": "Organization", "name": program.organisation.name}
    if program.organisation.website:
        provider["url"] = program.organisation.website
    if contact.phone or contact.email:
        point: dict[str, Any] = {"@type": "ContactPoint", "contactType": program.name}
        if contact.phone:
            point["telephone"] = contact.phone
        if contact.email:
            point["email"] = contact.email
        if contact.website:
            point["url"] = contact.website
        point["areaServed"] = [_area(region) for region in program.regions]
        provider["contactPoint"] = [point]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": f"{page}#program",
        "name": program.name,
        "description": program.purpose,
        "serviceType": "Peer support",
        "mainEntityOfPage": page,
    }
    if contact.website:
        data["url"] = contact.website
    data["provider"] = provider
    data["areaServed"] = [_area(region) for region in program.regions]
    data["audience"] = [{"@type": "Audience", "audienceType": vocab["profession"].label(value)} for value in program.professions]
    return data


def _area(region: str) -> dict[str, str]:
    """A country (ISO 3166-1) or one of its subdivisions (ISO 3166-2)."""
    kind = "AdministrativeArea" if "-" in region else "Country"
    return {"@type": kind, "name": schema.vocabularies()["region"].label(region), "identifier": region}


def script_json(data: dict[str, Any]) -> str:
    """JSON that is safe as the whole text of an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)
