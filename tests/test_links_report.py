"""The report's shapes on a fixed outcome: grouping by listing, and the progress bar only on a terminal."""

from __future__ import annotations

import datetime
import io

from peerdir.links import report
from peerdir.links.classify import Status
from peerdir.links.collect import Origin
from peerdir.links.observation import Observation
from peerdir.links.run import LinkResult, Outcome
from rich.console import Console

NOW = datetime.datetime(2026, 11, 22, 3, 0, tzinfo=datetime.UTC)
SINCE = datetime.datetime(2026, 11, 1, 3, 0, tzinfo=datetime.UTC)
FRIENDS = Origin("directory/listening-friends.yml", 19, "contact.website", "contact website", "listening-friends", "Listening Friends")
GUIDE = Origin("content/guides/what-is-peer-support.md", 12, "link", "link")
OUTCOME = Outcome(
    NOW,
    (
        LinkResult("https://a.example/gone", Status.BROKEN, "404 Not Found", (FRIENDS, GUIDE), since=SINCE),
        LinkResult("https://b.example/", Status.OK, "200 OK", (GUIDE,), from_cache=True),
        LinkResult("https://c.example/[x]", Status.BLOCKED, "403 Forbidden: the host refuses robots", (GUIDE,)),
    ),
    {},
    asked=2,
)


def test_markdown_groups_by_listing_then_other_places() -> None:
    text = report.markdown(OUTCOME)
    assert text.splitlines()[:3] == [
        "## Link check of 2026-11-22",
        "",
        "1 broken, 0 suspect, 0 redirected, 1 blocked, 0 skipped, 1 ok (2 checked now, 1 recently verified and not asked again).",
    ]
    broken = text.split("### Broken (1)\n")[1].split("\n### ")[0]
    assert broken.index("#### Listening Friends") < broken.index("#### Pages, bibliography and site")
    assert "- Listening Friends — contact website — 404 Not Found since 2026-11-01 — <https://a.example/gone>  \n" in broken
    assert "- content/guides/what-is-peer-support.md, line 12 \\(link\\) — 404 Not Found since 2026-11-01" in broken
    assert "### Ok" not in text, "working links are counted, not listed"


def test_text_lists_every_place_of_a_problem() -> None:
    lines = report.text(OUTCOME).splitlines()
    assert lines[:3] == [
        "broken     https://a.example/gone — 404 Not Found since 2026-11-01",
        "             directory/listening-friends.yml:19 Listening Friends — contact website",
        "             content/guides/what-is-peer-support.md:12 link",
    ]


def test_progress_bar_only_on_a_terminal() -> None:
    for terminal in (True, False):
        out = io.StringIO()
        with report.progress(Console(file=out, force_terminal=terminal, width=80), 2) as done:
            for url in ("https://a.example/", "https://b.example/"):
                done(Observation(url, 200))
        assert ("checking links" in out.getvalue()) is terminal
