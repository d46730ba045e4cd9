"""Memory across runs: a JSON file of what each address answered, and when.

It serves three purposes: an address found working within the TTL is not asked again (be
gentle, be fast); a failure keeps the time it started, so the two-run rule can tell a
flaky host from a dead one; and the site can say when a listing's links were last seen
working. Times are always timezone-aware UTC; the clock is the caller's, so tests can move
it by a day without waiting one.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..output import write_atomically
from ..problems import Problem
from .classify import Reading, Status, Verdict, final_status

VERSION = 1
TTL = datetime.timedelta(days=7)
# Entries of addresses no longer published are kept this long, then forgotten.
KEEP = datetime.timedelta(days=30)
WORKING = (Verdict.OK, Verdict.REDIRECTED)


@dataclass(frozen=True)
class Entry:
    checked: datetime.datetime
    verdict: Verdict
    summary: str
    target: str | None = None
    verified: datetime.datetime | None = None
    failing_since: datetime.datetime | None = None
    failed_runs: int = 0

    def status(self, now: datetime.datetime) -> Status:
        return final_status(self.verdict, self.failing_since, self.failed_runs, now)

    def fresh(self, now: datetime.datetime, ttl: datetime.timedelta) -> bool:
        """Found working recently enough that asking again would only cost the host."""
        return self.verdict in WORKING and now - self.checked < ttl


Cache = dict[str, Entry]


class CacheError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def remember(previous: Entry | None, reading: Reading, now: datetime.datetime) -> Entry:
    """The entry after this run: a failure extends the current run of failures, anything else ends it."""
    verified = previous.verified if previous else None
    if reading.verdict in (Verdict.FAILED, Verdict.INVALID):
        streak_start = previous.failing_since if previous else None
        runs = (previous.failed_runs if previous and streak_start else 0) + 1
        return Entry(now, reading.verdict, reading.summary, reading.target, verified, streak_start or now, runs)
    if reading.verdict in WORKING:
        verified = now
    return Entry(now, reading.verdict, reading.summary, reading.target, verified)


def prune(cache: Cache, current: Collection[str], now: datetime.datetime) -> Cache:
    """Keep every current address and, for a while, addresses that were published until recently."""
    return {url: entry for url, entry in sorted(cache.items()) if url in current or now - entry.checked < KEEP}


def load_cache(path: Path, display: str) -> Cache:
    """The cache in ``path``; an absent file is an empty cache, a damaged one a CacheError."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CacheError(Problem(display, error.lineno, error.colno, "cache", f"not valid JSON: {error.msg}")) from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("links"), dict):
        raise CacheError(Problem(display, 1, 1, "cache", f"not a version {VERSION} link cache; delete it to start afresh"))
    cache: Cache = {}
    for url, raw in data["links"].items():
        try:
            cache[url] = _entry(raw)
        except (KeyError, TypeError, ValueError) as error:
            line = next((n for n, line in enumerate(text.splitlines(), 1) if json.dumps(url) in line), 1)
            raise CacheError(
                Problem(display, line, 1, f"links[{url}]", f"damaged entry ({error}); delete the file to start afresh")
            ) from None
    return cache


def save_cache(path: Path, cache: Cache) -> None:
    links = {url: _raw(entry) for url, entry in sorted(cache.items())}
    write_atomically(path, (json.dumps({"version": VERSION, "links": links}, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def _time(value: Any) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"time {value!r} has no timezone")
    return moment


def _entry(raw: dict[str, Any]) -> Entry:
    optional = {name: _time(raw[name]) if raw.get(name) else None for name in ("verified", "failing_since")}
    return Entry(
        checked=_time(raw["checked"]),
        verdict=Verdict(raw["verdict"]),
        summary=str(raw["summary"]),
        target=str(raw["target"]) if raw.get("target") else None,
        failed_runs=int(raw.get("failed_runs", 0)),
        **optional,
    )


def _raw(entry: Entry) -> dict[str, Any]:
    raw: dict[str, Any] = {"checked": entry.checked.isoformat(), "verdict": entry.verdict.value, "summary": entry.summary}
    if entry.target:
        raw["target"] = entry.target
    if entry.verified:
        raw["verified"] = entry.verified.isoformat()
    if entry.failing_since:
        raw["failing_since"] = entry.failing_since.isoformat()
        raw["failed_runs"] = entry.failed_runs
    return raw
