"""The site says when a listing's links were last verified, from the link checker's cache."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import peerdir_build
from peerdir.generate import generate
from peerdir.links.cache import Entry, save_cache
from peerdir.links.classify import Verdict
from peerdir.problems import InvalidInput
from peerdir.project import Project

LISTENING_FRIENDS = "https://pharmacistsupport.org/how-we-can-help/listening-friends/"
HAND_N_HAND = ("https://www.handnhand.org.au", "https://www.facebook.com/groups/HandnHandAU")
SENTENCE = "Links on this page last verified working on"


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, 3, 0, tzinfo=datetime.UTC)


def page(tree: Path, program: str) -> str:
    return (tree / "build" / "docs" / "programs" / f"{program}.md").read_text()


def test_no_cache_no_sentence(tree: Path) -> None:
    generate(Project(tree))
    assert SENTENCE not in page(tree, "listening-friends")


def test_the_oldest_verification_of_every_link_is_shown(tree: Path) -> None:
    save_cache(
        tree / ".cache" / "links.json",
        {
            LISTENING_FRIENDS: Entry(at(20), Verdict.OK, "200 OK", verified=at(20)),
            HAND_N_HAND[0]: Entry(at(21), Verdict.REDIRECTED, "moved", "https://x.example/", verified=at(21)),
            HAND_N_HAND[1]: Entry(at(19), Verdict.OK, "200 OK", verified=at(19)),
        },
    )
    generate(Project(tree))
    assert f"\n\n{SENTENCE} 2026-11-20.\n" in page(tree, "listening-friends")
    assert f"{SENTENCE} 2026-11-19." in page(tree, "hand-n-hand")
    assert SENTENCE not in page(tree, "the-essential-network"), "no cache entry: no claim"


def test_a_failing_or_blocked_link_withdraws_the_claim(tree: Path) -> None:
    save_cache(
        tree / ".cache" / "links.json",
        {
            LISTENING_FRIENDS: Entry(at(21), Verdict.FAILED, "404 Not Found", verified=at(14), failing_since=at(21), failed_runs=1),
            HAND_N_HAND[0]: Entry(at(21), Verdict.OK, "200 OK", verified=at(21)),
            HAND_N_HAND[1]: Entry(at(21), Verdict.BLOCKED, "403 Forbidden", verified=at(7)),
        },
    )
    generate(Project(tree))
    assert SENTENCE not in page(tree, "listening-friends")
    assert SENTENCE not in page(tree, "hand-n-hand")


def test_a_damaged_cache_stops_generation_with_its_place(tree: Path) -> None:
    (tree / ".cache").mkdir()
    (tree / ".cache" / "links.json").write_text("{")
    try:
        generate(Project(tree))
    except InvalidInput as invalid:
        assert [str(problem) for problem in invalid.problems] == [
            ".cache/links.json:1:2: cache: not valid JSON: Expecting property name enclosed in double quotes"
        ]
    else:
        raise AssertionError("a damaged cache was ignored")


def test_the_built_page_shows_the_date(tree: Path) -> None:
    save_cache(tree / ".cache" / "links.json", {LISTENING_FRIENDS: Entry(at(20), Verdict.OK, "200 OK", verified=at(20))})
    site = tree / "site"
    result = peerdir_build(tree, site)
    assert result.returncode == 0, result.stderr
    html = (site / "programs" / "listening-friends" / "index.html").read_text()
    assert f"<p>{SENTENCE} 2026-11-20.</p>" in html
