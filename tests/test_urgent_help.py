"""Urgent help and facet pages: crisis numbers validated like records, pages for every facet."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import SHARED, RecordWriter, require_shared, valid_record
from peerdir.crisis import dial_uri
from peerdir.project import Project
from peerdir.records import load_directory
from peerdir.render import SiteInputs, SiteSettings, render_site

TODAY = datetime.date(2026, 11, 22)


def load(tree: Path) -> tuple[object, list[str]]:
    directory, problems = load_directory(Project(tree), TODAY)
    return directory, [str(problem) for problem in problems]


def test_every_number_on_the_page_comes_from_the_confirmed_list(tree: Path) -> None:
    source = require_shared(SHARED / "sources" / "crisis-lines.md").read_text()
    directory, problems = load_directory(Project(tree), TODAY)
    assert problems == []
    confirmed_digits = {"".join(ch for ch in match if ch.isdigit()) for match in re.findall(r"\d[\d -]{1,14}\d|\d{3}", source)}
    for country in directory.crisis.countries.values():
        numbers = [country.emergency] + [line.call for line in country.lines] + [line.text for line in country.lines if line.text]
        for number in numbers:
            assert dial_uri(number).removeprefix("tel:") in confirmed_digits, f"{country.code}: {number} is not in crisis-lines.md"


def test_every_country_in_the_directory_has_crisis_numbers(tree: Path) -> None:
    directory, _ = load_directory(Project(tree), TODAY)
    covered = {code for program in directory.programs for code in program.countries}
    assert covered <= set(directory.crisis.countries)


def test_a_country_without_crisis_numbers_cannot_be_listed(tree: Path, write_record: RecordWriter) -> None:
    crisis = tree / "data" / "crisis-lines.yml"
    text = crisis.read_text()
    crisis.write_text(text[: text.index("  GB:")] + text[text.index("  US:") :])
    write_record("sample", valid_record("sample"))
    _, problems = load(tree)
    assert (
        "directory/sample.yml:9:11: regions[0]: no emergency or crisis numbers for GB in data/crisis-lines.yml; "
        "add them, with a source, first. Countries with numbers: AU, NL, NZ, US" in problems
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '    emergency: "000"',
            "    emergency: 000",
            "data/crisis-lines.yml:9:16: countries.AU.emergency: expected text, found the number 0",
        ),
        (
            '        call: "13 11 14"',
            '        call: "13 11 1x"',
            "data/crisis-lines.yml:12:15: countries.AU.lines[0].call: '13 11 1x' is not digits",
        ),
        ("reviewed: 2026-11-22", "reviewed: 2027-01-01", "data/crisis-lines.yml:6:11: reviewed: 2027-01-01 is in the future"),
        (
            "    confirmed_by:\n      - lifelineh2h",
            "    sources:\n      - lifelineh2h",
            "data/crisis-lines.yml:8:3: countries.AU.confirmed_by: required",
        ),
    ],
)
def test_crisis_data_is_validated_with_located_messages(tree: Path, old: str, new: str, expected: str) -> None:
    crisis = tree / "data" / "crisis-lines.yml"
    assert old in crisis.read_text()
    crisis.write_text(crisis.read_text().replace(old, new, 1))
    _, problems = load(tree)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_urgent_help_and_facet_pages(tree: Path) -> None:
    directory, _ = load_directory(Project(tree), TODAY)
    pages = render_site(SiteInputs(directory, SiteSettings(), TODAY))
    urgent = pages["urgent-help.md"]
    assert "Peer support is not crisis care" in urgent
    assert "local" in urgent and "emergency number" in urgent
    for code, country in directory.crisis.countries.items():
        assert f'href="{dial_uri(country.emergency)}"' in urgent, code
    assert '<a href="sms:0477131114">' in urgent
    for code in directory.crisis.countries:
        assert f"](#{code.lower()}) · " in urgent and f"{{ #{code.lower()} }}" in urgent
    assert "[somewhere else](#somewhere-else)" in urgent and "## Somewhere else" in urgent
    nurses = pages["for/nurses.md"]
    assert nurses.startswith('---\ntitle: "Peer support for nurses"')
    for program in directory.programs:
        assert (f'href="../../programs/{program.id}/"' in nurses) == ("nurses" in program.professions)
    australia = pages["in/au.md"]
    assert '<a href="tel:000">000</a>' in australia
    assert all(f"../../programs/{p.id}/" in australia for p in directory.programs if "AU" in p.countries)
    assert "[Nurses](../for/nurses.md)" in pages["programs/index.md"]
    assert "[Australia](../in/au.md)" in pages["programs/hand-n-hand.md"]
