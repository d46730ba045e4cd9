"""Upkeep as a maintainer meets it: the review-due rule, ``peerdir stale`` and ``peerdir stats``
on fixture trees whose every number is known."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import RecordWriter, valid_record
from peerdir.project import Project
from peerdir.records import load_directory
from peerdir.upkeep import due_for_review, months_before, review_due
from test_cli import peerdir

TODAY = datetime.date.today()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 22), 12, datetime.date(2025, 11, 22)),
        (datetime.date(2026, 1, 15), 13, datetime.date(2024, 12, 15)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
        (datetime.date(2026, 12, 31), 0, datetime.date(2026, 12, 31)),
    ],
)
def test_months_before_counts_calendar_months(day: datetime.date, months: int, expected: datetime.date) -> None:
    assert months_before(day, months) == expected


def reviewed(write_record: RecordWriter, record_id: str, last_reviewed: datetime.date, changes: dict[str, str] | None = None) -> None:
    dates = {"added: 2026-01-01": "added: 2015-01-01", "last_reviewed: 2026-01-02": f"last_reviewed: {last_reviewed.isoformat()}"}
    write_record(record_id, valid_record(record_id, {**dates, **(changes or {})}))


@pytest.fixture
def fixture_tree(tree: Path, write_record: RecordWriter) -> Path:
    """Three records only: one reviewed 13 months ago, one exactly 12 months ago, one 3 years ago."""
    for record in (tree / "directory").glob("*.yml"):
        record.unlink()
    year_ago = months_before(TODAY, 12)
    reviewed(write_record, "recent", year_ago)
    reviewed(write_record, "overdue", months_before(TODAY, 13))
    reviewed(write_record, "forgotten", months_before(TODAY, 36))
    return tree


def test_review_is_due_the_day_after_the_threshold(fixture_tree: Path) -> None:
    directory, problems = load_directory(Project(fixture_tree), TODAY)
    assert problems == []
    recent = directory.by_id("recent")
    assert not review_due(recent, TODAY)
    assert review_due(recent, TODAY + datetime.timedelta(days=1))
    assert [p.id for p in due_for_review(directory.programs, TODAY)] == ["forgotten", "overdue"]
    assert [p.id for p in due_for_review(directory.programs, TODAY, months=24)] == ["forgotten"]


def test_stale_lists_overdue_records_oldest_first(fixture_tree: Path) -> None:
    result = peerdir("stale", "--root", str(fixture_tree))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"directory/forgotten.yml: last reviewed {months_before(TODAY, 36).isoformat()}: Test Program forgotten",
        f"directory/overdue.yml: last reviewed {months_before(TODAY, 13).isoformat()}: Test Program overdue",
    ]
    assert f"2 of 3 records due for review (last reviewed before {months_before(TODAY, 12).isoformat()})." in result.stderr
    longer = peerdir("stale", "--months", "24", "--root", str(fixture_tree))
    assert [line.split(":")[0] for line in longer.stdout.splitlines()] == ["directory/forgotten.yml"]


def test_stale_on_the_real_directory_and_bad_threshold(tree: Path) -> None:
    directory, _ = load_directory(Project(tree), TODAY)
    expected = due_for_review(directory.programs, TODAY)
    result = peerdir("stale", "--root", str(tree))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == len(expected)
    bad = peerdir("stale", "--months", "a year", "--root", str(tree))
    assert bad.returncode == 2
    assert "argument --months: expected a whole number, found 'a year'" in bad.stderr
    assert "argument --months: 0 must be more than 0" in peerdir("stale", "--months", "0", "--root", str(tree)).stderr


def test_stale_and_stats_refuse_an_invalid_directory(fixture_tree: Path, write_record: RecordWriter) -> None:
    write_record("broken", "id: [\n")
    for command in ("stale", "stats"):
        result = peerdir(command, "--root", str(fixture_tree))
        assert result.returncode == 1
        assert result.stdout.startswith("directory/broken.yml:2:1: record: YAML syntax error")
        assert "fix them first (peerdir validate)" in result.stderr


def test_stats_counts_by_country_profession_evaluation_and_status(fixture_tree: Path, write_record: RecordWriter) -> None:
    reviewed(
        write_record,
        "closed-one",
        TODAY,
        {
            "professions: [nurses]": "professions: [nurses, doctors]",
            "regions: [GB]": "regions: [AU-VIC, AU-NSW, NZ]",
            "  status: none": "  status: published",
            "status: active": "status: closed\nstatus_note: The organisation says the program has ended.",
        },
    )
    result = peerdir("stats", "--root", str(fixture_tree))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        "4 programs. A program counts in every group it belongs to.\n"
        "\nBy country\n"
        "    1  Australia (AU)\n"
        "    1  New Zealand (NZ)\n"
        "    3  United Kingdom (GB)\n"
        "    0  Netherlands (NL)\n"
        "    0  United States (US)\n"
        "\nBy profession\n"
        "    0  All health workers (health-workers)\n"
        "    1  Doctors (doctors)\n"
        "    0  Medical students (medical-students)\n"
        "    4  Nurses (nurses)\n"
        "    0  Midwives (midwives)\n"
        "    0  Pharmacists (pharmacists)\n"
        "    0  Pharmacy students (pharmacy-students)\n"
        "    0  Paramedics and ambulance staff (paramedics)\n"
        "    0  Allied health professionals (allied-health)\n"
        "    0  Mental health professionals (mental-health-professionals)\n"
        "\nBy evaluation\n"
        "    1  Published evaluation (published)\n"
        "    0  Internal evaluation only (internal)\n"
        "    0  Evaluation in progress (in-progress)\n"
        "    3  No evaluation available (none)\n"
        "    0  Not known (unknown)\n"
        "\nBy status\n"
        "    3  Active (active)\n"
        "    0  Paused (paused)\n"
        "    1  Closed (closed)\n"
        "    0  Not yet verified (unverified)\n"
    )
