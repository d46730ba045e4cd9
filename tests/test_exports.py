"""The open data exports, checked against the real records and the official HSDS 3.0 schemas."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import io
import json
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import REPO, SHARED, RecordWriter, require_shared, valid_record
from hypothesis import given, settings
from jsonschema import Draft202012Validator, FormatChecker
from peerdir.exports import atom, csvfile, dataset, envelope, export, export_files, hsds, jsonld
from peerdir.project import Project
from peerdir.records import Directory, Organisation, Program, load_directory
from peerdir.render import render_data_formats
from peerdir.schema import schema, vocabularies
from peerdir.yamlfile import read_yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from test_properties import HOSTILE as HOSTILE_TEXT

TODAY = datetime.date.today()
SITE = "https://example.org/site/"
ATOM = "{http://www.w3.org/2005/Atom}"

# A record whose text tries to break out of every format, with every contact field set.
HOSTILE = valid_record(
    "hostile",
    {
        "name: Test Program hostile": "name: \"=Peers </script><!-- & \\L 'quoted'\"",
        "purpose: A program used only by the test suite.": 'purpose: "+1 </script><script>alert(1)</script> & more"',
        "support: One-to-one conversations with a trained peer.": "support: \"@SUM(A1) then -2, 'quoted' and more\"",
        "  website: https://example.org/hostile": (
            "  website: https://example.org/hostile\n  phone: '+44 20 7946 0000'\n  email: peers@example.org"
        ),
        "added: 2026-01-01": "added: 2025-06-01",
    },
)


def load(root: Path) -> Directory:
    directory, problems = load_directory(Project(root), TODAY)
    assert problems == []
    return directory


@functools.cache
def load_real() -> Directory:
    return load(REPO)


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_real()


@pytest.fixture
def with_hostile(tree: Path, write_record: RecordWriter) -> Directory:
    """The real records plus HOSTILE and a record reviewed today, the newest change."""
    write_record("hostile", HOSTILE)
    write_record("late", valid_record("late", {"last_reviewed: 2026-01-02": f"last_reviewed: {TODAY.isoformat()}"}))
    return load(tree)


def test_every_facet_of_a_record_is_exported() -> None:
    program = load(REPO).programs[0]
    assert {name for name, _ in dataset.facets(program)} == set(vocabularies())


# JSON ---------------------------------------------------------------------------------------


def test_json_holds_every_record_exactly_as_its_file(directory: Directory) -> None:
    published = json.loads(envelope.programs_json(directory, SITE, dataset.as_of(directory, TODAY)))
    assert list(published) == [name for name, _ in envelope.FIELDS]
    assert published["format"] == "peerdir-programs"
    assert published["schema"] == "https://example.org/site/schema/program.schema.json"
    assert published["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert published["count"] == len(directory.programs) == len(published["programs"]) >= 15
    newest = max(max(p.added, p.last_reviewed) for p in directory.programs)
    assert published["generated"] == newest.isoformat()
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    project = Project(REPO)
    files = {path.stem: path for path in project.record_files()}
    for record in published["programs"]:
        assert list(validator.iter_errors(record)) == []
        assert record == read_yaml(files[record["id"]], record["id"]).data


def test_exports_do_not_change_when_the_records_do_not(directory: Directory) -> None:
    first = export_files(directory, SITE, TODAY)
    assert export_files(directory, SITE, TODAY + datetime.timedelta(days=400)) == first
    assert set(first) == {
        "data/programs.json",
        "data/programs.csv",
        "data/hsds/organizations.json",
        "data/hsds/services.json",
        "feed.xml",
        "data/sitemap.xml",
        "data/hsds/sitemap.xml",
    }


def test_licence_in_the_exports_is_the_one_the_repository_states() -> None:
    licence = (REPO / "LICENSE-DATA").read_text()
    assert "CC BY 4.0" in licence and dataset.LICENCE_URL + "legalcode" in licence
    assert f'("{dataset.ATTRIBUTION}")' in licence
    readme = (REPO / "README.md").read_text().split("## Licences", 1)[1]
    assert "Code: MIT (`LICENSE`)" in readme and "Creative Commons Attribution 4.0 (`LICENSE-DATA`)" in readme
    assert "MIT License" in (REPO / "LICENSE").read_text()


# CSV ----------------------------------------------------------------------------------------

# Where each CSV column comes from in the record's YAML data: a path, or a path into a list.
CSV_SOURCES: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation", "name"),
    "organisation_website": ("organisation", "website"),
    "evaluation_status": ("evaluation", "status"),
    "evaluation_references": ("evaluation", "references"),
    "evaluation_note": ("evaluation", "note"),
    "website": ("contact", "website"),
    "phone": ("contact", "phone"),
    "email": ("contact", "email"),
    "links": ("contact", "links", "[]", "url"),
    "contact_note": ("contact", "note"),
    "sources": ("sources", "[]", "ref"),
}


def yaml_value(data: Any, path: tuple[str, ...]) -> Any:
    for index, part in enumerate(path):
        if part == "[]":
            return [yaml_value(item, path[index + 1 :]) for item in data or ()]
        data = data.get(part) if isinstance(data, dict) else None
    return data


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows as a program reading the file sees them: one leading apostrophe removed."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return [{name: value[1:] if value.startswith("'") else value for name, value in row.items()} for row in rows]


def test_csv_round_trips_every_record(with_hostile: Directory, tree: Path) -> None:
    text = csvfile.programs_csv(with_hostile, SITE)
    assert text.startswith("id,name,organisation,") and text.endswith("\r\n") and not text.startswith("\ufeff")
    assert text.splitlines()[0].split(",") == [column.name for column in csvfile.COLUMNS]
    rows = read_csv(text)
    assert [row["id"] for row in rows] == [p.id for p in with_hostile.programs]
    files = {path.stem: path for path in Project(tree).record_files()}
    for row in rows:
        data = read_yaml(files[row["id"]], row["id"]).data
        for column in csvfile.COLUMNS:
            if column.name == "page":
                assert row["page"] == f"https://example.org/site/programs/{row['id']}/"
                continue
            expected = yaml_value(data, CSV_SOURCES.get(column.name, (column.name,)))
            if column.multi:
                assert row[column.name].split(csvfile.JOIN) == (expected or [""]), column.name
            else:
                assert row[column.name] == (expected or ""), column.name


def test_csv_cells_never_start_a_formula(with_hostile: Directory) -> None:
    text = csvfile.programs_csv(with_hostile, SITE)
    raw = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}["hostile"]
    assert raw["name"].startswith("'=Peers </script>")
    assert raw["purpose"].startswith("'+1 ")
    assert raw["support"].startswith("'@SUM")
    assert raw["phone"] == "'+44 20 7946 0000"
    for row in csv.DictReader(io.StringIO(text, newline="")):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert csvfile.neutralised("'already") == "''already"
    assert csvfile.neutralised("plain = text") == "plain = text"


# HSDS 3.0 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hsds_schemas() -> dict[str, dict[str, Any]]:
    folder = require_shared(SHARED / "vendor" / "hsds-3.0") / "schema"
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def hsds_validators(hsds_schemas: dict[str, dict[str, Any]]) -> dict[str, Draft202012Validator]:
    """Validators for the official schemas, able to follow a $ref from one file to another."""
    registry: Registry[Any] = Registry().with_resources(
        (f"{name}.json", Resource.from_contents(contents, default_specification=DRAFT202012)) for name, contents in hsds_schemas.items()
    )
    return {
        name: Draft202012Validator(hsds_schemas[name], registry=registry, format_checker=FormatChecker())
        for name in ("service", "organization")
    }


def undeclared(value: Any, node: dict[str, Any], path: str = "") -> list[str]:
    """Fields the official schema does not define (it allows them; we must not send them),
    and uri-format values that are not absolute addresses (jsonschema checks none here)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            declared = node.get("properties", {}).get(key)
            if declared is None:
                found.append(f"{path}.{key}")
            else:
                found += undeclared(item, declared, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += undeclared(item, node.get("items", {}), f"{path}[{index}]")
    elif node.get("format") == "uri" and not (urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc):
        found.append(f"{path}: {value} is not an absolute address")
    return found


def hsds_objects(directory: Directory, site_url: str = SITE) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    files = hsds.hsds_files(directory, site_url)
    return json.loads(files[hsds.ORGANIZATIONS]), json.loads(files[hsds.SERVICES])


def assert_valid_hsds(
    directory: Directory, validators: dict[str, Draft202012Validator], schemas: dict[str, dict[str, Any]], site_url: str = SITE
) -> None:
    organizations, services = hsds_objects(directory, site_url)
    assert len(services) == len(directory.programs)
    assert organizations, "no organizations exported"
    for kind, objects in (("organization", organizations), ("service", services)):
        for obj in objects:
            errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validators[kind].iter_errors(obj)]
            assert errors == [], f"{kind} {obj['name']}: {errors}"
            assert undeclared(obj, schemas[kind]) == [], obj["name"]


def test_every_hsds_object_of_the_real_records_validates(
    directory: Directory, hsds_validators: dict[str, Draft202012Validator], hsds_schemas: dict[str, dict[str, Any]]
) -> None:
    assert_valid_hsds(directory, hsds_validators, hsds_schemas)
    assert_valid_hsds(directory, hsds_validators, hsds_schemas, site_url="")


def test_hsds_with_phone_email_and_hostile_text_validates(
    with_hostile: Directory, hsds_validators: dict[str, Draft202012Validator], hsds_schemas: dict[str, dict[str, Any]]
) -> None:
    assert_valid_hsds(with_hostile, hsds_validators, hsds_schemas)
    _, services = hsds_objects(with_hostile)
    hostile = next(s for s in services if s["id"] == hsds.service_id(with_hostile.by_id("hostile")))
    assert hostile["phones"][0]["number"] == "+44 20 7946 0000"
    assert hostile["email"] == "peers@example.org"
    (contact,) = hostile["contacts"]
    assert contact["email"] == "peers@example.org" and contact["phones"] == hostile["phones"]
    assert hostile["phones"][0]["contact_id"] == contact["id"]


def test_hsds_services_match_the_records(directory: Directory) -> None:
    organizations, services = hsds_objects(directory)
    by_id = {o["id"]: o for o in organizations}
    assert len(by_id) == len({p.organisation.name for p in directory.programs})
    for program, service in zip(directory.programs, services, strict=True):
        assert service["name"] == program.name
        assert service["description"].startswith(program.purpose)
        assert service.get("url") == program.contact.website
        assert service["status"] == {"active": "active", "paused": "temporarily closed", "closed": "defunct"}.get(program.status, "active")
        assert service["assured_date"] == program.last_reviewed.isoformat()
        assert service["organization"] == by_id[service["organization_id"]]
        assert service["organization"]["name"] == program.organisation.name
        if program.organisation.website:
            assert service["organization"]["website"] == program.organisation.website
        areas = service["service_areas"]
        assert [area["name"] for area in areas] == [vocabularies()["region"].label(r) for r in program.regions]
        assert [area["attributes"][0]["taxonomy_term"]["code"] for area in areas] == list(program.regions)
        terms = {(a["taxonomy_term"]["taxonomy_detail"]["name"], a["taxonomy_term"]["code"]) for a in service["attributes"]}
        expected = {(vocabularies()[name].title, value) for name, values in dataset.facets(program) if name != "region" for value in values}
        assert terms == expected
        for attribute in service["attributes"]:
            assert attribute["link_id"] == service["id"] and attribute["link_entity"] == "service"
            assert attribute["taxonomy_term"]["taxonomy_detail"]["uri"].startswith(
                "https://example.org/site/schema/program.schema.json#/$defs/"
            )
        assert "languages" not in service  # records do not say which languages a program uses


def test_programs_of_one_organisation_share_its_organization(tree: Path, write_record: RecordWriter) -> None:
    write_record("first", valid_record("first"))
    write_record("second", valid_record("second", {"  name: Test Organisation": "  name: TEST organisation"}))
    organizations, services = hsds_objects(load(tree))
    (shared,) = [o for o in organizations if o["name"].casefold() == "test organisation"]
    assert shared["description"].startswith("Runs or funds 2 programs")
    assert [s["organization_id"] for s in services if s["name"].startswith("Test Program")] == [shared["id"], shared["id"]]


def test_hsds_identifiers_are_stable_and_unique(directory: Directory, tree: Path) -> None:
    _, services = hsds_objects(directory)
    listening = next(s for s in services if s["name"] == "Listening Friends")
    # Published identifiers never change: this value is pinned on purpose.
    assert listening["id"] == str(uuid.uuid5(uuid.UUID("7143ca20-8620-5402-84a2-8934a1519fea"), "service/listening-friends"))
    assert listening["id"] == "a060b4a9-f35a-566d-bdf9-0193e46b7f87"
    record = tree / "directory" / "listening-friends.yml"
    record.write_text(record.read_text().replace("name: Listening Friends", "name: Listening Friends Renamed"))
    _, again = hsds_objects(load(tree), site_url="https://elsewhere.example/")
    assert next(s for s in again if s["name"] == "Listening Friends Renamed")["id"] == listening["id"]
    ids = [s["id"] for s in services] + [a["id"] for s in services for a in s["attributes"]]
    ids += [area["id"] for s in services for area in s["service_areas"]]
    assert len(ids) == len(set(ids))


# Atom ---------------------------------------------------------------------------------------


def test_feed_is_atom_with_one_entry_per_record_newest_first(with_hostile: Directory) -> None:
    text = atom.programs_feed(with_hostile, SITE, dataset.as_of(with_hostile, TODAY), "feed.xml")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    feed = ET.fromstring(text)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}updated") == f"{TODAY.isoformat()}T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/site/feed.xml"  # type: ignore[union-attr]
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == dataset.ATTRIBUTION
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(with_hostile.programs)
    programs = {program.name: program for program in with_hostile.programs}
    order = sorted(with_hostile.programs, key=lambda p: (-max(p.added, p.last_reviewed).toordinal(), p.id))
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [p.name for p in order]
    assert order[-1].id == "hostile"  # reviewed 2026-01-02, the oldest change
    for entry in entries:
        program = programs[entry.findtext(f"{ATOM}title") or ""]
        assert entry.findtext(f"{ATOM}id") == f"urn:uuid:{hsds.service_id(program)}"
        assert entry.find(f"{ATOM}link").get("href") == f"https://example.org/site/programs/{program.id}/"  # type: ignore[union-attr]
        assert entry.findtext(f"{ATOM}published") == f"{program.added.isoformat()}T00:00:00Z"
        assert entry.findtext(f"{ATOM}updated") == f"{max(program.added, program.last_reviewed).isoformat()}T00:00:00Z"
        assert (entry.findtext(f"{ATOM}summary") or "").startswith(program.purpose)
        terms = {category.get("term") for category in entry.findall(f"{ATOM}category")}
        assert set(program.professions) | set(program.regions) | {program.status} <= terms
    assert "=Peers </script><!-- & \u2028 'quoted'" in programs


def test_feed_keeps_only_the_newest_entries(directory: Directory) -> None:
    many = Directory(directory.programs * 8, directory.references, directory.crisis)
    feed = ET.fromstring(atom.programs_feed(many, SITE, TODAY, "feed.xml"))
    assert len(feed.findall(f"{ATOM}entry")) == atom.MAX_ENTRIES < len(many.programs)


# schema.org ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- a & b -->", "line\u2028sep\u2029par", "x</SCRIPT >"])
def test_json_ld_cannot_leave_its_script_element(text: str) -> None:
    data = {"name": text, "nested": [{"description": text}]}
    escaped = jsonld.script_json(data)
    assert not set(escaped) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(escaped) == data


def test_json_ld_describes_the_program_and_its_organisation(with_hostile: Directory) -> None:
    program: Program = with_hostile.by_id("hostile")
    data = jsonld.program_jsonld(program, SITE)
    assert data["@type"] == "Service" and data["name"] == program.name
    assert data["mainEntityOfPage"] == "https://example.org/site/programs/hostile/"
    assert data["provider"]["@type"] == "Organization" and data["provider"]["name"] == "Test Organisation"
    (point,) = data["provider"]["contactPoint"]
    assert (point["@type"], point["telephone"], point["email"]) == ("ContactPoint", "+44 20 7946 0000", "peers@example.org")
    assert data["areaServed"] == [{"@type": "Country", "name": "United Kingdom", "identifier": "GB"}]
    assert data["audience"] == [{"@type": "Audience", "audienceType": "Nurses"}]


# The export command -------------------------------------------------------------------------


def test_data_formats_page_documents_every_column_and_field() -> None:
    page = render_data_formats()
    for column in csvfile.COLUMNS:
        assert f"| `{column.name}` | {'list' if column.multi else 'text'} |" in page
    for name, _ in envelope.FIELDS:
        assert f"| `{name}` |" in page
    for name, _ in hsds.SERVICE_FIELDS + hsds.ORGANIZATION_FIELDS:
        assert f"| `{name}` |" in page
    for status, hsds_status in hsds.STATUS.items():
        assert f"(`{status}`) | `{hsds_status}` |" in page


def test_export_function_gives_the_published_text(directory: Directory) -> None:
    published = export_files(directory, SITE, TODAY)
    assert export("json", directory, SITE, TODAY) == {"programs.json": published["data/programs.json"]}
    assert export("csv", directory, SITE, TODAY) == {"programs.csv": published["data/programs.csv"]}
    assert {f"data/hsds/{name}": text for name, text in export("hsds", directory, SITE, TODAY).items()}.items() <= published.items()


# Any text ------------------------------------------------------------------------------------


def with_text(directory: Directory, name: str, purpose: str, support: str, organisation: str) -> Directory:
    """The real directory with its first program's texts replaced."""
    first = dataclasses.replace(
        directory.programs[0], name=name, purpose=purpose, support=support, organisation=Organisation(organisation, "https://example.org/")
    )
    return dataclasses.replace(directory, programs=(first, *directory.programs[1:]))


@settings(max_examples=150, deadline=None)
@given(name=HOSTILE_TEXT, purpose=HOSTILE_TEXT, support=HOSTILE_TEXT, organisation=HOSTILE_TEXT)
def test_any_record_text_survives_every_export(name: str, purpose: str, support: str, organisation: str) -> None:
    directory = with_text(load_real(), name, purpose, support, organisation)
    program = directory.programs[0]
    feed = ET.fromstring(atom.programs_feed(directory, SITE, TODAY, "feed.xml"))
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == f"urn:uuid:{hsds.service_id(program)}")
    assert entry.findtext(f"{ATOM}title") == name
    assert (entry.findtext(f"{ATOM}summary") or "").startswith(purpose)
    (row,) = [row for row in read_csv(csvfile.programs_csv(directory, SITE)) if row["id"] == program.id]
    assert (row["name"], row["purpose"], row["support"], row["organisation"]) == (name, purpose, support, organisation)
    escaped = jsonld.script_json(jsonld.program_jsonld(program, SITE))
    assert "<" not in escaped and json.loads(escaped)["provider"]["name"] == organisation
    record = json.loads(envelope.programs_json(directory, SITE, TODAY))["programs"][0]
    assert (record["name"], record["organisation"]["name"]) == (name, organisation)


@settings(max_examples=60, deadline=None)
@given(name=HOSTILE_TEXT, purpose=HOSTILE_TEXT, organisation=HOSTILE_TEXT)
def test_any_record_text_gives_valid_hsds(
    name: str, purpose: str, organisation: str, hsds_validators: dict[str, Draft202012Validator]
) -> None:
    directory = with_text(load_real(), name, purpose, "support", organisation)
    organizations, services = hsds_objects(directory)
    assert list(hsds_validators["service"].iter_errors(services[0])) == []
    assert services[0]["name"] == name and services[0]["organization"]["name"] == organisation
    assert all(not list(hsds_validators["organization"].iter_errors(o)) for o in organizations)
