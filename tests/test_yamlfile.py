"""The strict YAML reader: positions, and refusals located to the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from peerdir.yamlfile import MAX_BYTES, Position, YamlProblem, parse_yaml, read_yaml


def test_positions_of_keys_and_values() -> None:
    doc = parse_yaml("id: x\ncontact:\n  website: https://a.example\nlist:\n  - one\n  - two\n", "f.yml")
    assert doc.data["contact"]["website"] == "https://a.example"
    assert doc.where(("contact", "website")) == Position(3, 12)
    assert doc.where(("contact", "website"), key=True) == Position(3, 3)
    assert doc.where(("list", 1)) == Position(6, 5)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.where(("contact", "phone")) == Position(3, 3)


def test_dates_become_iso_text_and_plain_scalars_are_remembered() -> None:
    doc = parse_yaml("added: 2026-01-02\nwhen: 2026-01-01 10:00:00\nbad: 2026-13-45\nflag: no\n", "f.yml")
    assert doc.data == {"added": "2026-01-02", "when": "2026-01-01 10:00:00", "bad": "2026-13-45", "flag": False}
    assert doc.plain_text[("flag",)] == "no"


@pytest.mark.parametrize(
    ("text", "line", "column", "field", "message"),
    [
        ("id: a\nid: b\n", 2, 1, "id", "duplicate key: 'id' is already set on line 1"),
        ("a: &x 1\nb: *x\n", 1, 4, "record", "anchor &x is not allowed in records; write the value out"),
        ("a: 1\n---\nb: 2\n", 2, 1, "record", "file holds several YAML documents (---); a record is one document"),
        ("- a\n- b\n", 1, 1, "record", "the top level must be a mapping of fields (id: ..., name: ...), found a list"),
        ("a:\n\t- b\n", 2, 1, "record", "tab character: YAML indents with spaces only"),
        ("1: x\n", 1, 1, "record", "field names are plain words like id or name, found '1'"),
        ("id: [a, b\n", 1, 5, "record", "YAML syntax error: the [ opened here is never closed; add ] (or the comma between two items)"),
        ("id: [\n", 2, 1, "record", "YAML syntax error: a [ list or { mapping is left open; close it with ] or }"),
        ("name: 'unclosed\n", 1, 7, "record", "YAML syntax error: the quote opened here is never closed; add the matching quote"),
        (
            "purpose: Peer support: a guide\n",
            1,
            22,
            "record",
            "YAML syntax error: mapping values are not allowed in this context; a value contains ': '; put the whole value in quotes",
        ),
        (
            "id: x\nfoo\nname: y\n",
            2,
            1,
            "record",
            "YAML syntax error: this line is not 'field: value'; add the colon, or indent it to continue the value above",
        ),
        (
            "contact:\n    website: x\n  phone: y\n",
            3,
            3,
            "record",
            "YAML syntax error: did not find expected key; this line is not indented like the lines around it, "
            "or text follows a closing quote",
        ),
        (
            "name: `x`\n",
            1,
            7,
            "record",
            "YAML syntax error: found character that cannot start any token; a value cannot start with '`' in YAML; "
            "put the whole value in quotes",
        ),
    ],
)
def test_refusals_name_line_column_and_reason(text: str, line: int, column: int, field: str, message: str) -> None:
    with pytest.raises(YamlProblem) as raised:
        parse_yaml(text, "directory/x.yml")
    problem = raised.value.problem
    assert (problem.file, problem.line, problem.column, problem.field, problem.message) == (
        "directory/x.yml",
        line,
        column,
        field,
        message,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty; a record is a mapping of fields such as id: and name:"),
        (b"# only a comment\n\n", "file is empty; a record is a mapping of fields such as id: and name:"),
        (b"\xef\xbb\xbfid: x\n", "file starts with a byte-order mark; save it as UTF-8 without BOM"),
        (b"x" * (MAX_BYTES + 1), f"file is {MAX_BYTES + 1:,} bytes; a record may be at most {MAX_BYTES:,} bytes"),
    ],
)
def test_file_level_refusals(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "r.yml"
    path.write_bytes(content)
    with pytest.raises(YamlProblem) as raised:
        read_yaml(path, "directory/r.yml")
    assert str(raised.value.problem) == f"directory/r.yml:1:1: record: {message}"


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_bytes(b"id: x\nname: caf\xe9\n")
    with pytest.raises(YamlProblem) as raised:
        read_yaml(path, "r.yml")
    assert str(raised.value.problem) == "r.yml:2:10: record: byte 0xe9 is not UTF-8; save the file as UTF-8"
