"""Open Referral HSDS 3.0: the directory as the organizations and services other service
finders already import.

Each program is one HSDS service; each auspicing organisation (by name) one organization.
Every identifier is a UUID derived from a record id or an organisation name
(``dataset.stable_id``), so a listing keeps its identifiers from build to build. Our closed
lists (professions, delivery, access, ...) travel as HSDS attributes whose taxonomy terms
carry our value and label; regions become service areas with the same kind of attribute.
Records do not say which languages a program works in, so no ``languages`` are exported.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from .. import schema
from ..records import Directory, Program
from . import dataset

ORGANIZATIONS = "organizations.json"
SERVICES = "services.json"

# HSDS service status for each listing status. HSDS has no "not yet verified": such
# listings stay active, as on the site, and their status note becomes the service's alert.
STATUS = {"active": "active", "paused": "temporarily closed", "closed": "defunct", "unverified": "active"}

# How each HSDS field is filled, for the generated data-formats page.
SERVICE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "UUID derived from the record id"),
    ("organization_id", "the `id` of the auspicing organisation's organization"),
    ("name", "`name`"),
    ("description", "`purpose`, `support` and `more_help`, as paragraphs"),
    ("url", "`contact.website`"),
    ("email", "`contact.email`"),
    ("status", "`status`, mapped as in the table below"),
    ("alert", "`status_note`, for listings that are not active"),
    ("application_process", "`contact.note`"),
    ("eligibility_description", "the labels of `professions` and `career_stages`"),
    ("assured_date", "`last_reviewed`"),
    ("phones", "`contact.phone`"),
    ("contacts", "one contact, named after the program, with `contact.email` and `contact.phone`"),
    ("service_areas", "one per `regions` value, named by its label, with the region as an attribute"),
    ("attributes", "one per value of `professions`, `career_stages`, `delivery`, `access`, `format`, `evaluation.status` and `status`"),
    ("organization", "the auspicing organisation's organization, in full"),
)

ORGANIZATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "UUID derived from the organisation's name, ignoring case"),
    ("name", "`organisation.name`"),
    ("description", "how many programs in the directory the organisation runs or funds"),
    ("website", "`organisation.website`"),
)


def hsds_files(directory: Directory, site_url: str) -> dict[str, str]:
    """The two files of the HSDS export, by file name: JSON arrays of complete objects."""
    organizations = organizations_by_name(directory)
    return {
        ORGANIZATIONS: _dump(list(organizations.values())),
        SERVICES: _dump([service(program, organizations[organisation_key(program)], site_url) for program in directory.programs]),
    }


def _dump(objects: list[dict[str, Any]]) -> str:
    """A JSON array with one compact object per line: HSDS objects are large and deeply
    nested, and indenting them would add a quarter to the file."""
    lines = ",\n".join(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) for obj in objects)
    return f"[\n{lines}\n]\n" if objects else "[]\n"


def service_id(program: Program) -> str:
    return dataset.stable_id("service", program.id)


def organizations_by_name(directory: Directory) -> dict[str, dict[str, Any]]:
    """One organization per auspicing organisation, keyed by its name ignoring case (as its
    id is): programs that name the same organisation share it. Sorted by name."""
    programs: dict[str, list[Program]] = {}
    for program in directory.programs:
        programs.setdefault(organisation_key(program), []).append(program)
    return {key: organization(programs[key]) for key in sorted(programs)}


def organisation_key(program: Program) -> str:
    return program.organisation.name.casefold()


def organization(programs: list[Program]) -> dict[str, Any]:
    """The organization that runs or funds ``programs``; its name as the first of them writes it."""
    name = programs[0].organisation.name
    website = next((p.organisation.website for p in programs if p.organisation.website), None)
    count = f"{len(programs)} program{'s' if len(programs) > 1 else ''}"
    found: dict[str, Any] = {
        "id": dataset.stable_id("organization", organisation_key(programs[0])),
        "name": name,
        "description": f"Runs or funds {count} listed in the directory of peer support for health workers.",
    }
    if website:
        found["website"] = website
    return found


def service(program: Program, organization: dict[str, Any], site_url: str) -> dict[str, Any]:
    sid = service_id(program)
    vocab = schema.vocabularies()
    eligible = [vocab["profession"].label(v) for v in program.professions] + [vocab["career_stage"].label(v) for v in program.career_stages]
    fields: dict[str, Any] = {
        "id": sid,
        "organization_id": organization["id"],
        "name": program.name,
        "description": "\n\n".join(text for text in (program.purpose, program.support, program.more_help) if text),
        "url": program.contact.website,
        "email": program.contact.email,
        "status": STATUS[program.status],
        "alert": program.status_note if program.status != "active" else None,
        "application_process": program.contact.note,
        "eligibility_description": "For: " + ", ".join(eligible) + ".",
        "assured_date": program.last_reviewed.isoformat(),
        "phones": [_phone(program, sid)] if program.contact.phone else [],
        "contacts": [_contact(program, sid)] if program.contact.phone or program.contact.email else [],
        "service_areas": [_service_area(program, sid, region, site_url) for region in program.regions],
        "attributes": [
            _attribute(program.id, "service", sid, name, value, site_url)
            for name, values in dataset.facets(program)
            if name != "region"
            for value in values
        ],
        "organization": organization,
    }
    return {key: value for key, value in fields.items() if value not in (None, [])}


def _phone(program: Program, sid: str) -> dict[str, Any]:
    """The program's phone; the same object sits in the service's phones and its contact's."""
    return {
        "id": dataset.stable_id("phone", program.id),
        "service_id": sid,
        "contact_id": _contact_id(program),
        "number": program.contact.phone,
    }


def _contact_id(program: Program) -> str:
    return dataset.stable_id("contact", program.id)


def _contact(program: Program, sid: str) -> dict[str, Any]:
    """The program's general contact: HSDS ties an email and phones together through a contact."""
    contact: dict[str, Any] = {"id": _contact_id(program), "service_id": sid, "name": program.name}
    if program.contact.email:
        contact["email"] = program.contact.email
    if program.contact.phone:
        contact["phones"] = [_phone(program, sid)]
    return contact


def _service_area(program: Program, sid: str, region: str, site_url: str) -> dict[str, Any]:
    area_id = dataset.stable_id("service_area", program.id, region)
    return {
        "id": area_id,
        "service_id": sid,
        "name": schema.vocabularies()["region"].label(region),
        "attributes": [_attribute(program.id, "service_area", area_id, "region", region, site_url)],
    }


def _attribute(record_id: str, entity: str, link_id: str, vocabulary: str, value: str, site_url: str) -> dict[str, Any]:
    """One of our closed-list values attached to a service or service area."""
    term = _taxonomy_term(vocabulary, value, site_url)
    return {
        "id": dataset.stable_id("attribute", record_id, entity, vocabulary, value),
        "link_id": link_id,
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


@functools.cache
def _taxonomy_term(vocabulary: str, value: str, site_url: str) -> dict[str, Any]:
    """A value of one of our closed lists as an HSDS taxonomy term. Made once: thousands of
    attributes carry the same few dozen terms (nothing changes them; they are only written out)."""
    vocab = schema.vocabularies()[vocabulary]
    taxonomy_uri = dataset.absolute(site_url, f"{dataset.SCHEMA_PATH}#/$defs/{vocabulary}")
    taxonomy = {
        "id": dataset.stable_id("taxonomy", vocabulary),
        "name": vocab.title,
        "description": vocab.description,
        "version": dataset.FORMAT_VERSION,
    }
    return {
        "id": dataset.stable_id("taxonomy_term", vocabulary, value),
        "code": value,
        "name": vocab.label(value),
        "description": f"{vocab.title}: {vocab.label(value)}",
        "taxonomy": taxonomy_uri,
        "taxonomy_id": taxonomy["id"],
        "taxonomy_detail": {**taxonomy, "uri": taxonomy_uri} if site_url else taxonomy,
        "language": "en",
    }
