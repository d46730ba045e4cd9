"""The generated directory and program pages: answers at a glance, marked listings, filter
data on every card, review dates, and synthetic records that pass every check."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import RecordWriter, valid_record
from peerdir.project import Project
from peerdir.records import Directory, load_directory
from peerdir.render import SiteInputs, SiteSettings, render_site
from peerdir.synthetic import NotAThrowAwayTree, write_synthetic_directory
from peerdir.upkeep import review_due

TODAY = datetime.date(2026, 11, 22)


def loaded(tree: Path, today: datetime.date = TODAY) -> Directory:
    directory, problems = load_directory(Project(tree), today)
    assert problems == []
    return directory


@pytest.mark.parametrize(
    ("reviewed", "today", "due"),
    [
        ("2025-11-22", "2026-11-22", False),  # exactly twelve months: not yet
        ("2025-11-21", "2026-11-22", True),
        ("2026-02-28", "2027-02-28", False),
        ("2025-02-28", "2026-03-31", True),
        ("2025-03-31", "2026-02-28", False),  # no 31 February: the month's last day counts
    ],
)
def test_a_listing_is_due_for_review_after_twelve_calendar_months(
    tree: Path, write_record: RecordWriter, reviewed: str, today: str, due: bool
) -> None:
    write_record(
        "sample",
        valid_record("sample", {"added: 2026-01-01": "added: 2025-01-01", "last_reviewed: 2026-01-02": f"last_reviewed: {reviewed}"}),
    )
    program = loaded(tree, datetime.date(2027, 12, 31)).by_id("sample")
    assert review_due(program, datetime.date.fromisoformat(today)) is due


GLANCE = {
    "  website: https://example.org/sample": (
        "  website: https://www.example.org/sample\n  phone: +44 20 7946 0000\n  email: peers@example.org"
    ),
    "delivery: [phone]": "delivery: [phone]\naccess: [confidential, free, anonymous]\nformat: [ongoing, one-off]",
    "status: active": "more_help: Peers refer callers to counselling.\nstatus: active",
}


def test_the_program_page_answers_the_first_questions_at_the_top(tree: Path, write_record: RecordWriter) -> None:
    write_record("sample", valid_record("sample", GLANCE))
    write_record("silent", valid_record("silent"))
    pages = render_site(SiteInputs(loaded(tree), SiteSettings(repo_url="https://github.com/example/repo"), TODAY))
    top = pages["programs/sample.md"].split("## What it offers")[0]
    assert "- **Who it is for:** Nurses, in United Kingdom" in top
    assert '- Website: <a href="https://www.example.org/sample">example\\.org</a>' in top
    assert '- Phone: <a href="tel:+442079460000">\\+44 20 7946 0000</a>' in top
    assert '- Email: <a href="mailto:peers@example.org">peers\\@example\\.org</a>' in top
    assert "- **Cost:** Free" in top
    assert "- **Anonymity and confidentiality:** Anonymous and confidential" in top
    assert "- **One-off or ongoing:** One\\-off, Ongoing" in top
    assert "- **If you need more help:** Peers refer callers to counselling\\." in top
    assert "- **Last reviewed:** 2026-01-02, against 1 source" in top
    assert 'href="https://github.com/example/repo/issues/new?title=Correction%3A%20Test%20Program%20sample' in top
    assert "[Nurses](../for/nurses.md)" in top
    silent = pages["programs/silent.md"].split("## What it offers")[0]
    for question in ("Cost", "Anonymity and confidentiality", "One-off or ongoing"):
        assert f"- **{question}:** Not stated in our sources" in silent


def test_cards_carry_their_filter_values_and_say_when_they_are_closed_or_due(tree: Path, write_record: RecordWriter) -> None:
    write_record(
        "closed",
        valid_record(
            "closed",
            {
                "regions: [GB]": "regions: [AU-VIC, NZ]",
                "added: 2026-01-01": "added: 2024-01-01",
                "last_reviewed: 2026-01-02": "last_reviewed: 2024-06-30",
                "status: active": "status: closed\nstatus_note: It closed.",
            },
        ),
    )
    page = render_site(SiteInputs(loaded(tree), SiteSettings(), TODAY))["programs/index.md"]
    card = re.search(r'<li class="pd-card" id="closed"[^>]*>.*?</li>', page, re.DOTALL)
    assert card
    assert 'data-country="AU NZ"' in card.group(0) and 'data-reviewed="2024-06-30"' in card.group(0)
    assert '<span class="pd-flag pd-flag--closed">Closed</span><span class="pd-flag pd-flag--due">Review due</span>' in card.group(0)
    fresh = re.search(r'<li class="pd-card" id="listening-friends".*?</li>', page, re.DOTALL)
    assert fresh and "pd-flag" not in fresh.group(0)
    assert '<input type="checkbox" name="country" value="NZ"> New Zealand <span class="pd-option__count" data-count>(' in page
    assert '<input type="checkbox" name="access" value="members-only"' not in page, "only the access features people filter by"


def test_synthetic_records_pass_every_check(tmp_path: Path, tree: Path) -> None:
    real = len(list((tree / "directory").glob("*.yml")))
    written = write_synthetic_directory(tree / "directory", 120, seed=7, today=TODAY)
    assert len(written) == 120
    directory = loaded(tree)
    assert len(directory.programs) == real + 120
    assert {p.status for p in directory.programs} >= {"active", "closed"}
    assert any(review_due(p, TODAY) for p in directory.programs)
    again = tmp_path / "again"
    (again / "directory").mkdir(parents=True)
    write_synthetic_directory(again / "directory", 120, seed=7, today=TODAY)
    assert [path.read_text() for path in written] == [(again / "directory" / path.name).read_text() for path in written]


def test_synthetic_records_never_go_into_a_checkout(tree: Path) -> None:
    (tree / ".git").write_text("gitdir: elsewhere\n")
    with pytest.raises(NotAThrowAwayTree):
        write_synthetic_directory(tree / "directory", 3, seed=1, today=TODAY)
    assert (tree / "directory" / "listening-friends.yml").exists()
