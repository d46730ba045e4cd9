"""Issue 8, point 1: hostile or broken records end in one clear, located message each.

Every case goes through the real loader (``load_directory``) exactly as ``peerdir
validate`` runs it, and asserts the whole line: file, line, column, field and message.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import valid_record
from peerdir.project import Project
from peerdir.records import load_directory
from peerdir.yamlfile import MAX_BYTES

TODAY = datetime.date(2026, 11, 22)
F = "directory/sample.yml"


def problems_in(tree: Path, name: str = "sample.yml") -> list[str]:
    _, problems = load_directory(Project(tree), TODAY)
    return [str(p) for p in problems if p.file == f"directory/{name}"]


def record_with(changes: dict[str, str]) -> bytes:
    return valid_record("sample", changes).encode()


CASES: list[tuple[str, bytes, str]] = [
    ("empty file", b"", f"{F}:1:1: record: file is empty; a record is a mapping of fields such as id: and name:"),
    (
        "several documents",
        record_with({}) + b"---\nid: two\n",
        f"{F}:21:1: record: file holds several YAML documents (---); a record is one document",
    ),
    ("top level a list", b"- id: sample\n", f"{F}:1:1: record: the top level must be a mapping of fields (id: ..., name: ...)"),
    ("top level a string", b"just text\n", f"{F}:1:1: record: the top level must be a mapping of fields (id: ..., name: ...)"),
    (
        "duplicate key",
        record_with({"status: active": "status: active\nname: Again"}),
        f"{F}:21:1: name: duplicate key: 'name' is already set on line 3",
    ),
    (
        "anchor",
        record_with({"regions: [GB]": "regions: &r [GB]"}),
        f"{F}:9:10: record: anchor &r is not allowed in records; write the value out",
    ),
    (
        "billion laughs",
        b"a: &a [lol, lol]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\n",
        f"{F}:1:4: record: anchor &a is not allowed in records; write the value out",
    ),
    ("alias", b"id: sample\nname: *x\n", f"{F}:2:7: record: alias *x is not allowed in records; write the value out"),
    (
        "non-UTF-8 byte",
        record_with({}).replace(b"Test Program", b"Caf\xe9 Program"),
        f"{F}:3:10: record: byte 0xe9 is not UTF-8; save the file as UTF-8",
    ),
    (
        "byte-order mark",
        b"\xef\xbb\xbf" + record_with({}),
        f"{F}:1:1: record: file starts with a byte-order mark; save it as UTF-8 without BOM",
    ),
    (
        "tab indentation",
        record_with({"  name: Test Organisation": "\tname: Test Organisation"}),
        f"{F}:5:1: record: tab character: YAML indents with spaces only",
    ),
    (
        "oversized file",
        b"# " + b"x" * MAX_BYTES + b"\n",
        f"{F}:1:1: record: file is {MAX_BYTES + 3:,} bytes; a record may be at most {MAX_BYTES:,} bytes",
    ),
    (
        "unknown field",
        record_with({"status: active": "status: active\nwebsite: https://example.org"}),
        f"{F}:21:1: website: 'website' is not a field of a record. Allowed: id, name, organisation,",
    ),
    (
        "unknown nested field with a near miss",
        record_with({"  website: https://example.org/sample": "  websit: https://example.org/sample"}),
        f"{F}:14:3: contact.websit: 'websit' is not a field of contact; did you mean 'website'? "
        "Allowed: website, phone, email, links, note",
    ),
    (
        "YAML 1.1 no",
        record_with({"  status: none": "  status: no"}),
        f"{F}:12:11: evaluation.status: expected one of the allowed values, found the boolean false (YAML reads the unquoted no "
        "as the boolean false); did you mean 'none' (No evaluation available)?",
    ),
    (
        "YAML 1.1 on",
        record_with({"name: Test Program sample": "name: on"}),
        f"{F}:3:7: name: expected text, found the boolean true (YAML reads the unquoted on as the boolean true); put it in quotes: 'on'",
    ),
    (
        "impossible date",
        record_with({"added: 2026-01-01": "added: 2026-13-45"}),
        f"{F}:18:8: added: '2026-13-45' is not a real date written YYYY-MM-DD",
    ),
    (
        "YAML 1.1 octal",
        record_with({"name: Test Program sample": "name: 010"}),
        f"{F}:3:7: name: expected text, found the number 8 (YAML reads the unquoted 010 as the number 8); put it in quotes: '010'",
    ),
    (
        "over maximum length",
        record_with({"name: Test Program sample": "name: " + "n" * 151}),
        f"{F}:3:7: name: is 151 characters long; at most 150 are allowed",
    ),
    (
        "control character",
        record_with({"name: Test Program sample": 'name: "Test\\x1bProgram"'}),
        f"{F}:3:7: name: contains the control character U+001B at character 5; remove it",
    ),
    (
        "bidirectional override",
        record_with({"name: Test Program sample": "name: Test \u202emargorP"}),
        f"{F}:3:7: name: contains the invisible direction control U+202E at character 6; remove it",
    ),
    (
        "zero-width character",
        record_with({"name: Test Program sample": "name: Test\u200bProgram"}),
        f"{F}:3:7: name: contains the invisible formatting character U+200B at character 5; remove it",
    ),
    (
        "NUL byte",
        record_with({"name: Test Program sample": "name: Test\x00Program"}),
        f"{F}:3:11: record: contains the character U+0000, which YAML does not allow; remove it",
    ),
    (
        "path traversal id",
        record_with({"id: sample": "id: ../../etc/passwd"}),
        f"{F}:2:5: id: '../../etc/passwd' is not lowercase ASCII letters, digits and single hyphens, like listening-friends",
    ),
    (
        "homoglyph id",
        record_with({"id: sample": "id: s\u0430mple"}),
        f"{F}:2:5: id: 's\u0430mple' is not lowercase ASCII letters, digits and single hyphens, like listening-friends",
    ),
    (
        "javascript: URL",
        record_with({"  website: https://example.org/sample": "  website: javascript:alert(document.cookie)"}),
        f"{F}:14:12: contact.website: 'javascript:alert(document.cookie)' is not an absolute web address starting with https:// or http://",
    ),
    (
        "data: URL",
        record_with({"  website: https://example.org/sample": "  website: data:text/html,<script>alert(1)</script>"}),
        f"{F}:14:12: contact.website: 'data:text/html,<script>alert(1)</script>' is not an absolute web address starting with https:// or http://",
    ),
    (
        "file: URL",
        record_with({"  website: https://example.org/sample": "  website: file:///etc/passwd"}),
        f"{F}:14:12: contact.website: 'file:///etc/passwd' is not an absolute web address starting with https:// or http://",
    ),
    (
        "malformed email",
        record_with({"  website: https://example.org/sample": "  email: someone@@example"}),
        f"{F}:14:10: contact.email: 'someone@@example' is not an email address like name@example.org",
    ),
    (
        "phone not international",
        record_with({"  website: https://example.org/sample": "  phone: '03 9999 9999'"}),
        f"{F}:14:10: contact.phone: '03 9999 9999' is not an international number: + then the country code and number, spaces allowed",
    ),
    (
        "phone not a valid number",
        record_with({"  website: https://example.org/sample": "  phone: '+61 1'"}),
        f"{F}:14:10: contact.phone: '+61 1' is not an international number: + then the country code and number, spaces allowed",
    ),
    (
        "phone with a plausible shape but no such number",
        record_with({"  website: https://example.org/sample": "  phone: '+44 1234 0'"}),
        f"{F}:14:10: contact.phone: '+44 1234 0' is not a valid international phone number",
    ),
    (
        "explicit YAML tag",
        b"id: !!python/object:os.system sample\n",
        f"{F}:1:5: record: the YAML tag tag:yaml.org,2002:python/object:os.system is not allowed in records; write a plain value",
    ),
    (
        "deep nesting",
        b"id: " + b"[" * 200 + b"]" * 200 + b"\n",
        f"{F}:1:20: record: values are nested too deeply (a record nests at most 16 levels)",
    ),
    (
        "huge number",
        record_with({"name: Test Program sample": "name: " + "9" * 5000}),
        f"{F}:3:7: name: '9999999999999999999999999999999999999...' cannot be read as a value; put it in quotes",
    ),
]


@pytest.mark.parametrize(("content", "expected"), [(c, e) for _, c, e in CASES], ids=[name for name, _, _ in CASES])
def test_hostile_record_gets_one_located_message(tree: Path, content: bytes, expected: str) -> None:
    (tree / "directory" / "sample.yml").write_bytes(content)
    found = problems_in(tree)
    assert any(line.startswith(expected) for line in found), "\n".join(found)


def test_a_link_or_stray_file_in_directory_is_refused(tree: Path) -> None:
    (tree / "directory" / "linked.yml").symlink_to("/etc/hostname")
    (tree / "directory" / "notes.yaml").write_text("id: notes\n")
    _, problems = load_directory(Project(tree), TODAY)
    lines = [str(p) for p in problems]
    assert "directory/linked.yml:1:1: record: is not a regular file; a record must be a plain file, not a link or a folder" in lines
    assert "directory/notes.yaml:1:1: record: records are named <id>.yml; rename this file or move it out of directory/" in lines
