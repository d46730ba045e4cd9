"""Every fault a program's website can have, served for real on 127.0.0.1, and what the
checker makes of it in one run (a failure is *suspect* until a later run confirms it)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import time

import pytest
from conftest import LinkServers
from peerdir.links.check import Settings
from peerdir.links.classify import Status
from peerdir.links.collect import Origin
from peerdir.links.config import LinkConfig, Rule
from peerdir.links.run import LinkResult, check_links

NOW = datetime.datetime(2026, 11, 22, 3, 0, tzinfo=datetime.UTC)
ORIGIN = (Origin("directory/sample.yml", 19, "contact.website", "contact website", "sample", "Sample Program"),)

pytestmark = pytest.mark.timeout(30)


def settings(servers: LinkServers, **changes: float) -> Settings:
    """Short limits so that each fault costs about a second, and a fixed jitter."""
    values = {"timeout": 1.0, "backoff": 0.05, "retry_after_cap": 5.0, "drain_budget": 0.5, **changes}
    return Settings(verify=servers.client_tls, jitter=lambda: 0.5, **values)  # type: ignore[arg-type]


def check_one(servers: LinkServers, url: str, config: LinkConfig | None = None, **changes: float) -> LinkResult:
    outcome = check_links({url: ORIGIN}, config or LinkConfig(), {}, settings(servers, **changes), NOW)
    [result] = outcome.results
    return result


def test_200_is_ok(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.http}/ok")
    assert (result.status, result.summary) == (Status.OK, "200 OK")


@pytest.mark.parametrize(
    ("chain", "status", "target"),
    [
        ("301", Status.REDIRECTED, "/ok"),
        ("308", Status.REDIRECTED, "/ok"),
        ("302", Status.OK, None),
        ("307", Status.OK, None),
        ("301-308", Status.REDIRECTED, "/ok"),
        ("301-302-307-308", Status.REDIRECTED, "/chain/302-307-308/ok"),
        ("302-301", Status.OK, None),
    ],
)
def test_redirect_chains(link_servers: LinkServers, chain: str, status: Status, target: str | None) -> None:
    result = check_one(link_servers, f"{link_servers.http}/chain/{chain}/ok")
    assert result.status is status
    assert result.target == (f"{link_servers.http}{target}" if target else None)
    if target:
        assert result.summary == f"moved permanently to {link_servers.http}{target}"


def test_a_caller_already_inside_an_event_loop_can_check(link_servers: LinkServers) -> None:
    """A notebook, or Playwright's synchronous API in the same test run, keeps a loop running."""

    async def inside_a_loop() -> LinkResult:
        return check_one(link_servers, f"{link_servers.http}/ok")

    # On a thread of its own: this test's own thread may hold Playwright's loop already.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run, inside_a_loop()).result()
    assert (result.status, result.summary) == (Status.OK, "200 OK")


def test_redirect_loop_fails(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.http}/loop/a")
    assert result.status is Status.SUSPECT
    base = link_servers.http
    assert result.summary == f"redirect loop: {base}/loop/a → {base}/loop/b → {base}/loop/a"


@pytest.mark.parametrize(("code", "text"), [(404, "404 Not Found"), (410, "410 Gone")])
def test_gone_fails_and_is_confirmed_by_get(link_servers: LinkServers, code: int, text: str) -> None:
    path = f"/status/{code}"
    before = link_servers.server.count(path)
    result = check_one(link_servers, f"{link_servers.http}{path}")
    assert (result.status, result.summary, result.since) == (Status.SUSPECT, text, NOW)
    methods = [request.method for request in link_servers.server.requests if request.path == path][before:]
    assert methods == ["HEAD", "GET"], "a failed HEAD is asked again with GET before anything is concluded"


@pytest.mark.parametrize("code", [403, 405, 501])
def test_head_refused_falls_back_to_get(link_servers: LinkServers, code: int) -> None:
    result = check_one(link_servers, f"{link_servers.http}/head/{code}")
    assert (result.status, result.summary) == (Status.OK, "200 OK")


def test_429_with_retry_after_is_waited_for(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/flaky/429/1/retry-after"
    started = time.monotonic()
    result = check_one(link_servers, url)
    assert (result.status, result.summary) == (Status.OK, "200 OK")
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was not honoured"
    assert link_servers.server.count("/flaky/429/1/retry-after") == 2


def test_500_then_200_succeeds_on_retry(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.http}/flaky/500/2/retry")
    assert (result.status, result.summary) == (Status.OK, "200 OK")
    assert link_servers.server.count("/flaky/500/2/retry") == 3  # HEAD 500, GET 500; after a pause, GET 200


def test_persistent_503_fails_after_retries(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.http}/status/503")
    assert (result.status, result.summary) == (Status.SUSPECT, "503 Service Unavailable after 3 attempts")


def test_connection_refused(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.refused}/")
    assert (result.status, result.summary) == (Status.SUSPECT, "connection refused (3 attempts)")


@pytest.mark.parametrize("path", ["/hang", "/dribble-headers"], ids=["accept then hang", "dribbled headers"])
def test_a_server_that_never_finishes_answering_cannot_stall(link_servers: LinkServers, path: str) -> None:
    started = time.monotonic()
    result = check_one(link_servers, f"{link_servers.http}{path}")
    assert result.status is Status.SUSPECT
    assert result.summary == "no complete answer within 1 s (2 attempts)"
    assert time.monotonic() - started < 8


def test_dribbled_body_is_ok_once_the_status_is_known(link_servers: LinkServers) -> None:
    started = time.monotonic()
    result = check_one(link_servers, f"{link_servers.http}/dribble-body?head=405")
    assert (result.status, result.summary) == (Status.OK, "200 OK")
    assert time.monotonic() - started < 5


def test_huge_body_is_abandoned_after_a_few_kilobytes(link_servers: LinkServers) -> None:
    # HEAD is refused, so the checker has to GET a 10 GiB body: it must stop reading at once.
    started = time.monotonic()
    result = check_one(link_servers, f"{link_servers.http}/huge?head=405", drain_budget=30.0)
    assert (result.status, result.summary) == (Status.OK, "200 OK")
    assert time.monotonic() - started < 5


def test_valid_tls_is_ok(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.https}/ok")
    assert (result.status, result.summary) == (Status.OK, "200 OK")


def test_untrusted_tls_certificate_is_a_tls_failure(link_servers: LinkServers) -> None:
    result = check_one(link_servers, f"{link_servers.untrusted}/ok")
    assert result.status is Status.SUSPECT
    assert result.summary.startswith("TLS certificate rejected: unable to get local issuer certificate")


@pytest.mark.parametrize(
    "url",
    [
        "http://exa mple.org/",
        "https://",
        "http://:80/",
        "http://[::1",
        "http://host:99999/",
        "http://a..b/",
        "http://-bad-.org/",
        "mailto:not-an-address",
        "mailto:",
        "tel:12ab",
    ],
)
def test_malformed_addresses_are_broken_without_the_network(link_servers: LinkServers, url: str) -> None:
    requests = len(link_servers.server.requests)
    result = check_one(link_servers, url)
    assert result.status is Status.BROKEN
    assert result.summary.startswith("malformed address: ")
    assert len(link_servers.server.requests) == requests


@pytest.mark.parametrize(
    "url", ["mailto:help@example.org", "mailto:a@example.org,b@example.org?subject=Hi", "tel:+61399999999", "tel:+1-800-555-0100"]
)
def test_mail_and_phone_addresses_are_checked_for_syntax_only(link_servers: LinkServers, url: str) -> None:
    result = check_one(link_servers, url)
    assert (result.status, result.summary) == (Status.OK, "well-formed (mail and phone addresses are never contacted)")


def test_dns_failure_under_invalid_is_answered_locally(link_servers: LinkServers) -> None:
    # RFC 6761: .invalid never resolves, so the checker does not even ask the resolver.
    result = check_one(link_servers, "http://no-such-host.invalid/")
    assert (result.status, result.summary) == (Status.SUSPECT, "DNS: names under .invalid never resolve (RFC 6761)")


def test_dns_failure_from_the_resolver(link_servers: LinkServers) -> None:
    # A 64-character label is refused by the C library's resolver itself, before any query
    # is sent (verified with strace): a real getaddrinfo failure with no traffic.
    result = check_one(link_servers, f"http://{'a' * 64}.example/")
    assert result.status is Status.SUSPECT
    assert result.summary == "DNS: Name or service not known"


@pytest.mark.parametrize(
    ("path", "summary"),
    [
        ("/status/403", "403 Forbidden: the host refuses robots"),
        ("/status/999", "999 Request denied: the host refuses robots"),
        ("/status/401", "401 Unauthorized: the host refuses robots"),
        ("/challenge", "503 Service Unavailable: a bot challenge page"),
        ("/status/429?retry-after=1", "429 Too Many Requests: rate-limited after 3 attempts (Retry-After: 1 s)"),
        ("/status/429?retry-after=3600", "429 Too Many Requests: rate-limited after 1 attempt (Retry-After: 3600 s)"),
        ("/status/429", "429 Too Many Requests: rate-limited after 3 attempts"),
    ],
)
def test_bot_walls_and_rate_limits_are_blocked_not_broken(link_servers: LinkServers, path: str, summary: str) -> None:
    result = check_one(link_servers, f"{link_servers.http}{path}")
    assert (result.status, result.summary) == (Status.BLOCKED, summary)


def test_accepted_status_from_the_configuration(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/status/404"
    config = LinkConfig(accept=(Rule(url, False, "the page answers 404 but shows the form", frozenset({404})),))
    result = check_one(link_servers, url, config)
    assert (result.status, result.summary) == (Status.OK, "404 Not Found, accepted in links.yml: the page answers 404 but shows the form")


def test_excluded_address_is_never_asked(link_servers: LinkServers) -> None:
    url = f"{link_servers.http}/page/excluded"
    config = LinkConfig(exclude=(Rule(f"{link_servers.http}/page/", True, "test pages"),))
    result = check_one(link_servers, url, config)
    assert (result.status, result.summary) == (Status.SKIPPED, "excluded in links.yml: test pages")
    assert link_servers.server.count("/page/excluded") == 0


def test_the_run_deadline_bounds_everything(link_servers: LinkServers) -> None:
    started = time.monotonic()
    result = check_one(link_servers, f"{link_servers.http}/hang?deadline", deadline=0.5)
    assert (result.status, result.summary) == (Status.SKIPPED, "not checked: the run's deadline was reached")
    assert time.monotonic() - started < 3


def test_per_host_and_global_limits_hold(link_servers: LinkServers) -> None:
    hosts = [link_servers.server.listen() for _ in range(3)]  # fresh ports: nothing else in flight there
    ports = [int(host.rsplit(":", 1)[1]) for host in hosts]
    link_servers.server.watched = set(ports)
    urls = {f"{host}/sleep/200/{n}": ORIGIN for host in hosts for n in range(8)}
    outcome = check_links(urls, LinkConfig(), {}, settings(link_servers, per_host=3, concurrency=5), NOW)
    assert {result.status for result in outcome.results} == {Status.OK}
    assert max(link_servers.server.most_in_flight[port] for port in ports) == 3
    assert link_servers.server.most_watched == 5


def test_user_agent_names_the_project(link_servers: LinkServers) -> None:
    check_one(link_servers, f"{link_servers.http}/page/user-agent")
    [request] = [request for request in link_servers.server.requests if request.path == "/page/user-agent"]
    assert request.user_agent.startswith("peerdir-link-checker/")
    assert "peer-support directory link check" in request.user_agent
