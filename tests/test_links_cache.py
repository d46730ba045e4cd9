"""Memory across runs, with the clock moved by hand: the TTL skip and the two-run rule."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import LinkServers
from peerdir.links.cache import CacheError, Entry, load_cache, save_cache
from peerdir.links.check import Settings
from peerdir.links.classify import Status, Verdict
from peerdir.links.collect import Origin
from peerdir.links.config import LinkConfig
from peerdir.links.run import Outcome, check_links

T0 = datetime.datetime(2026, 11, 1, 3, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
ORIGIN = (Origin("directory/sample.yml", 19, "contact.website", "contact website", "sample", "Sample Program"),)

pytestmark = pytest.mark.timeout(30)


def run(servers: LinkServers, url: str, cache: dict[str, Entry], now: datetime.datetime) -> Outcome:
    settings = Settings(timeout=1.0, backoff=0.05, verify=servers.client_tls, jitter=lambda: 0.5)
    return check_links({url: ORIGIN}, LinkConfig(), cache, settings, now)


def test_second_run_skips_recently_verified_addresses(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/page/ttl"
    first = run(link_servers, url, {}, T0)
    assert (first.results[0].status, first.asked, link_servers.server.count("/page/ttl")) == (Status.OK, 1, 1)
    second = run(link_servers, url, first.cache, T0 + 6 * 24 * HOUR)
    assert (second.results[0].status, second.results[0].from_cache, second.asked) == (Status.OK, True, 0)
    assert link_servers.server.count("/page/ttl") == 1, "a link verified within the TTL was asked again"
    third = run(link_servers, url, second.cache, T0 + 7 * 24 * HOUR)
    assert (third.results[0].from_cache, third.asked, link_servers.server.count("/page/ttl")) == (False, 1, 2)
    assert third.cache[url].verified == T0 + 7 * 24 * HOUR


def test_flaky_address_failing_twice_in_a_day_is_suspect_not_broken(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/flaky/500/8/two-runs"  # 4 requests a failing run: HEAD, GET, 2 retries
    first = run(link_servers, url, {}, T0)
    second = run(link_servers, url, first.cache, T0 + HOUR)
    assert [first.results[0].status, second.results[0].status] == [Status.SUSPECT, Status.SUSPECT]
    assert second.results[0].since == T0
    assert (second.cache[url].failed_runs, second.broken) == (2, False)
    recovered = run(link_servers, url, second.cache, T0 + 30 * HOUR)
    assert recovered.results[0].status is Status.OK
    assert (recovered.cache[url].failing_since, recovered.cache[url].failed_runs) == (None, 0)


def test_failure_confirmed_a_day_later_is_broken(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/status/404"
    first = run(link_servers, url, {}, T0)
    almost = run(link_servers, url, first.cache, T0 + 23 * HOUR)
    confirmed = run(link_servers, url, almost.cache, T0 + 24 * HOUR)
    assert [first.results[0].status, almost.results[0].status, confirmed.results[0].status] == [
        Status.SUSPECT,
        Status.SUSPECT,
        Status.BROKEN,
    ]
    assert (confirmed.results[0].since, confirmed.broken) == (T0, True)


def test_one_failure_after_a_day_of_silence_still_needs_a_second_run(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/status/410"
    working_long_ago = {url: Entry(T0, Verdict.OK, "200 OK", verified=T0)}
    later = run(link_servers, url, working_long_ago, T0 + 10 * 24 * HOUR)
    assert later.results[0].status is Status.SUSPECT
    assert later.cache[url].verified == T0, "the last time it worked is kept"


def test_blocked_host_ends_a_run_of_failures(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/status/403"
    failing = {url: Entry(T0, Verdict.FAILED, "503", failing_since=T0, failed_runs=1)}
    outcome = run(link_servers, url, failing, T0 + 48 * HOUR)
    assert outcome.results[0].status is Status.BLOCKED
    assert outcome.cache[url].failing_since is None


def test_cache_file_round_trip_and_pruning(tmp_path: Path, link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/page/round-trip"
    gone = "http://127.0.0.1:9/no-longer-published"
    old = {gone: Entry(T0 - 40 * 24 * HOUR, Verdict.FAILED, "404 Not Found", failing_since=T0 - 41 * 24 * HOUR, failed_runs=3)}
    outcome = run(link_servers, url, old, T0)
    assert set(outcome.cache) == {url}, "entries of addresses unpublished for over 30 days are forgotten"
    path = tmp_path / ".cache" / "links.json"
    save_cache(path, {**outcome.cache, **old})
    assert load_cache(path, "links.json") == {**outcome.cache, **old}
    assert json.loads(path.read_text())["version"] == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"version": 1, "links": {', "links.json:1:26: cache: not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"version": 7, "links": {}}', "links.json:1:1: cache: not a version 1 link cache; delete it to start afresh"),
        (
            '{"version": 1, "links": {\n "http://x.org/": {"checked": "2026-11-01T03:00:00", "verdict": "ok", "summary": ""}}}',
            "links.json:2:1: links[http://x.org/]: damaged entry (time '2026-11-01T03:00:00' has no timezone); "
            "delete the file to start afresh",
        ),
    ],
)
def test_damaged_cache_is_reported_with_its_place(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "links.json"
    path.write_text(text)
    with pytest.raises(CacheError) as raised:
        load_cache(path, "links.json")
    assert str(raised.value.problem) == problem
