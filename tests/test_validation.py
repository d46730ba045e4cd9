"""Every validator check, through the real loader, with its message and line number."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import RecordWriter, valid_record
from peerdir.project import Project
from peerdir.records import load_directory
from peerdir.schema import vocabularies

TODAY = datetime.date(2026, 11, 22)


def problems_for(tree: Path) -> list[str]:
    _, problems = load_directory(Project(tree), TODAY)
    return [str(problem) for problem in problems]


def test_the_real_directory_is_valid(tree: Path) -> None:
    directory, problems = load_directory(Project(tree), TODAY)
    assert problems == []
    assert len(directory.programs) >= 15
    names = {program.name for program in directory.programs}
    assert {"Listening Friends", "Hand-n-Hand Peer Support", "The Essential Network"} <= names


def test_every_closed_list_has_labels() -> None:
    vocabs = vocabularies()
    assert {"profession", "career_stage", "region", "delivery", "access", "format", "evaluation_status", "status"} <= set(vocabs)
    assert vocabs["profession"].label("nurses") == "Nurses"
    assert all(label.strip() for vocab in vocabs.values() for label in vocab.labels.values())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"professions: [nurses]": "professions: [nurse]"},
            "directory/sample.yml:8:15: professions[0]: 'nurse' is not allowed; did you mean 'nurses' (Nurses)? Allowed: ",
        ),
        (
            {"regions: [GB]": "regionz: [GB]"},
            "directory/sample.yml:9:1: regionz: 'regionz' is not a field of a record; did you mean 'regions'? Allowed: id, name,",
        ),
        (
            {"regions: [GB]": ""},
            "directory/sample.yml:2:1: regions: required field is missing. Countries (ISO 3166-1 alpha-2) or subdivisions "
            "(ISO 3166-2) where the program is available. Allowed: 'AU' (Australia), ",
        ),
        (
            {"professions: [nurses]": "professions: [Paramedics and ambulance staff]"},
            "directory/sample.yml:8:15: professions[0]: 'Paramedics and ambulance staff' is not allowed; "
            "did you mean 'paramedics' (Paramedics and ambulance staff)? Allowed: 'health-workers' (All health workers), ",
        ),
        (
            {"professions: [nurses]": "professions: nurses, doctor"},
            "directory/sample.yml:8:14: professions: expected a list, found 'nurses, doctor'; did you mean [nurses, doctors]? "
            "Allowed: 'health-workers' (All health workers), ",
        ),
        (
            {"professions: [nurses]": "professions: [nurses, nurses]"},
            "directory/sample.yml:8:23: professions[1]: 'nurses' is listed a second time; list each value once",
        ),
        (
            {"  status: none": "  status: no"},
            "directory/sample.yml:12:11: evaluation.status: expected one of the allowed values, found the boolean false "
            "(YAML reads the unquoted no as the boolean false); did you mean 'none' (No evaluation available)? "
            "Allowed: 'published' (Published evaluation), ",
        ),
        (
            {"evaluation:": "evaluation: none", "  status: none": ""},
            "directory/sample.yml:11:13: evaluation: expected a mapping of fields, found 'none'. "
            "Fields: status (required), references, note.",
        ),
        (
            {"status: active": "status: closed"},
            "directory/sample.yml:20:9: status_note: required when status is closed: say, from a source, since when and why; "
            "the page shows it under the status",
        ),
        (
            {"status: active": "status: Closed"},
            "directory/sample.yml:20:9: status: 'Closed' is not allowed; did you mean 'closed' (Closed)? Allowed: 'active' (Active), ",
        ),
        (
            {"name: Test Program sample": "name: on"},
            "directory/sample.yml:3:7: name: expected text, found the boolean true (YAML reads the unquoted on as the boolean true); "
            "put it in quotes: 'on'",
        ),
        (
            {"name: Test Program sample": "name: 010"},
            "directory/sample.yml:3:7: name: expected text, found the number 8 (YAML reads the unquoted 010 as the number 8); "
            "put it in quotes: '010'",
        ),
        (
            {"  website: https://example.org/sample": "  website: javascript:alert(1)"},
            "directory/sample.yml:14:12: contact.website: 'javascript:alert(1)' is not an absolute web address starting with https://",
        ),
        (
            {"  website: https://example.org/sample": "  website: www.example.org"},
            "directory/sample.yml:14:12: contact.website: 'www.example.org' is not an absolute web address starting with https:// "
            "or http://; did you mean 'https://www.example.org'?",
        ),
        (
            {"  website: https://example.org/sample": "  phone: '0061 (3) 9999-9999'"},
            "directory/sample.yml:14:10: contact.phone: '0061 (3) 9999-9999' is not an international number: + then the country "
            "code and number, spaces allowed; did you mean '+61 3 9999 9999'?",
        ),
        (
            {"added: 2026-01-01": "added: 2026/1/5"},
            "directory/sample.yml:18:8: added: '2026/1/5' is not a real date written YYYY-MM-DD; did you mean '2026-01-05'?",
        ),
        (
            {"  website: https://example.org/sample": "  email: not-an-address"},
            "directory/sample.yml:14:10: contact.email: 'not-an-address' is not an email address like name@example.org",
        ),
        (
            {"  website: https://example.org/sample": "  phone: '12345'"},
            "directory/sample.yml:14:10: contact.phone: '12345' is not an international number",
        ),
        (
            {"  website: https://example.org/sample": "  phone: '+44 1234 0'"},
            "directory/sample.yml:14:10: contact.phone: '+44 1234 0' is not a valid international phone number: it is too short "
            "for a full number in GB, or its area code is missing; check the digits against the source",
        ),
        (
            {"purpose: A program used only by the test suite.": "purpose: " + "x" * 601},
            "directory/sample.yml:6:10: purpose: is 601 characters long; at most 600 are allowed, so shorten it",
        ),
        (
            {"professions: [nurses]": "professions: []"},
            "directory/sample.yml:8:14: professions: is an empty list; write at least 1 value. Allowed: 'health-workers' ",
        ),
        (
            {"id: sample": "id: other"},
            "directory/sample.yml:2:5: id: id 'other' must equal the file name 'sample' (rename the file or the id)",
        ),
        (
            {"id: sample": "id: ../etc"},
            "directory/sample.yml:2:5: id: '../etc' is not lowercase ASCII letters, digits and single hyphens, like listening-friends; "
            "did you mean 'etc'?",
        ),
        (
            {"id: sample": "id: Sample Program"},
            "directory/sample.yml:2:5: id: 'Sample Program' is not lowercase ASCII letters, digits and single hyphens, "
            "like listening-friends; did you mean 'sample-program'?",
        ),
        (
            {"last_reviewed: 2026-01-02": "last_reviewed: 2027-01-01"},
            "directory/sample.yml:19:16: last_reviewed: 2027-01-01 is in the future (today is 2026-11-22); write the day it happened",
        ),
        (
            {"last_reviewed: 2026-01-02": "last_reviewed: 2025-12-31"},
            "directory/sample.yml:19:16: last_reviewed: 2025-12-31 is earlier than added (2026-01-01); a record is reviewed when it "
            "is added, so write 2026-01-01 or later",
        ),
        (
            {"  - ref: mja-handnhand": "  - ref: nobody2020"},
            "directory/sample.yml:16:10: sources[0].ref: 'nobody2020' is not a key of data/references.yml; add the reference there "
            "first. Known keys: ",
        ),
        (
            {"  - ref: mja-handnhand": "  - ref: mja-handnand"},
            "directory/sample.yml:16:10: sources[0].ref: 'mja-handnand' is not a key of data/references.yml; did you mean "
            "'mja-handnhand'? Known keys: ",
        ),
        (
            {"purpose: A program used only by the test suite.": "purpose: A program \u202eused only by tests."},
            "directory/sample.yml:6:10: purpose: contains the invisible direction control U+202E at character 11; remove it",
        ),
        (
            {"purpose: A program used only by the test suite.": 'purpose: "A program \\x07used by tests only."'},
            "directory/sample.yml:6:10: purpose: contains the control character U+0007 at character 11; remove it",
        ),
    ],
)
def test_each_check_reports_file_line_column_field_and_message(
    tree: Path, write_record: RecordWriter, changes: dict[str, str], expected: str
) -> None:
    write_record("sample", valid_record("sample", changes))
    found = [line for line in problems_for(tree) if line.startswith("directory/sample.yml")]
    assert any(line.startswith(expected) for line in found), found


def test_every_problem_is_reported_at_once(tree: Path, write_record: RecordWriter) -> None:
    write_record("sample", valid_record("sample", {"professions: [nurses]": "professions: [nurse]", "id: sample": "id: other"}))
    write_record("broken", "id: [unclosed\n")
    found = problems_for(tree)
    assert [line.split(":")[0:2] for line in found] == [
        ["directory/broken.yml", "1"],
        ["directory/sample.yml", "2"],
        ["directory/sample.yml", "8"],
    ]


def test_ids_and_websites_are_unique_across_records(tree: Path, write_record: RecordWriter) -> None:
    write_record("first", valid_record("first"))
    second = valid_record("second", {"  website: https://example.org/second": "  website: https://example.org/first/"})
    write_record("second", second + "former_ids: [first]\n")
    found = problems_for(tree)
    assert (
        "directory/second.yml:14:12: contact.website: https://example.org/first/ is already the website of directory/first.yml; "
        "one program has one record, so merge the two or correct the address"
    ) in found
    assert (
        "directory/second.yml:21:14: former_ids[0]: 'first' is already used by directory/first.yml; "
        "an id names one program for good, so choose another"
    ) in found


def test_bibliography_problems_say_what_is_allowed(tree: Path) -> None:
    references = tree / "data" / "references.yml"
    first = len(references.read_text().splitlines()) + 1
    references.write_text(
        references.read_text() + "broken2020:\n  titel: A title\n  year: soon\n  url: www.example.org/paper\nbare2021: just text\n"
    )
    fields = "authors (required), title (required), container, year, url, note"
    found = [line for line in problems_for(tree) if line.startswith("data/references.yml")]
    assert found == [
        f"data/references.yml:{first + 1}:3: broken2020.authors: required field is missing. Fields: {fields}.",
        f"data/references.yml:{first + 1}:3: broken2020.titel: 'titel' is not a reference field; did you mean 'title'? Allowed: {fields}",
        f"data/references.yml:{first + 1}:3: broken2020.title: required field is missing. Fields: {fields}.",
        f"data/references.yml:{first + 2}:9: broken2020.year: expected a year like 2020, found 'soon'",
        f"data/references.yml:{first + 3}:8: broken2020.url: 'www.example.org/paper' is not an absolute web address; "
        "did you mean 'https://www.example.org/paper'?",
        f"data/references.yml:{first + 4}:11: bare2021: a reference is a mapping with authors: and title:, found 'just text'",
    ]


def test_parallel_loading_finds_the_same_problems(tree: Path, write_record: RecordWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    import peerdir.parallel

    write_record("sample", valid_record("sample", {"professions: [nurses]": "professions: [nurse]"}))
    write_record("first", valid_record("first"))
    write_record("twin", valid_record("twin", {"  website: https://example.org/twin": "  website: https://example.org/first"}))
    sequential = problems_for(tree)
    monkeypatch.setattr(peerdir.parallel, "PARALLEL_FROM", 1)
    parallel_directory, parallel_problems = load_directory(Project(tree), TODAY)
    assert [str(p) for p in parallel_problems] == sequential
    assert any("is already the website of" in line for line in sequential)
    assert len(parallel_directory.programs) == len(load_directory(Project(tree), TODAY)[0].programs)
