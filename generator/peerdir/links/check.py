"""The network: what each web address answers, observed politely and within bounded time.

Program websites are small organisations' servers, so the checker is gentle (a few
requests per host at a time, HEAD before GET, waits when asked to) and suspicious (a
server that accepts and never answers, dribbles bytes, or sends gigabytes can cost at most
a fixed time and a few kilobytes). Redirects are followed by hand so that every hop is
seen: a permanent one means the record should be updated, a loop is a fault.

This module reports what happened; ``classify`` decides what it means.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import random
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

import httpx

from .observation import TRANSIENT, Failure, Hop, Observation
from .syntax import address_problem

REDIRECTS = frozenset({301, 302, 303, 307, 308})


def user_agent(repo_url: str = "") -> str:
    """Who is asking, and where to read why: servers' operators deserve to know."""
    try:
        release = version("peerdir")
    except PackageNotFoundError:
        release = "dev"
    contact = f"; +{repo_url}" if repo_url else ""
    return f"peerdir-link-checker/{release} (peer-support directory link check{contact})"


@dataclass(frozen=True)
class Settings:
    """Limits of one run. Timeouts are in seconds."""

    timeout: float = 5.0
    concurrency: int = 64
    per_host: int = 4
    deadline: float = 900.0
    attempts: int = 3
    timeout_attempts: int = 2
    backoff: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 20.0
    max_redirects: int = 10
    body_limit: int = 64 * 1024
    drain_budget: float = 1.0
    user_agent: str = field(default_factory=user_agent)
    verify: ssl.SSLContext | bool = True
    jitter: Callable[[], float] = random.random


def backoff_delay(attempt: int, settings: Settings) -> float:
    """Exponential backoff with jitter: half the delay fixed, half random, so retries spread out."""
    delay = min(settings.backoff * 2.0 ** (attempt - 1), settings.backoff_cap)
    return delay / 2 + settings.jitter() * delay / 2


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
    return None


def failure_of(error: BaseException, timeout: float) -> tuple[Failure, str]:
    """Name a transport error the way a maintainer would: DNS, refused, TLS, timeout..."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return Failure.TLS, f"TLS certificate rejected: {seen.verify_message or seen.reason}"
        if isinstance(seen, ssl.SSLError):
            return Failure.TLS, f"TLS failed: {seen.reason or seen}"
        if isinstance(seen, socket.gaierror):
            temporary = seen.errno == socket.EAI_AGAIN
            return (Failure.DNS_TEMPORARY if temporary else Failure.DNS), f"DNS: {seen.strerror or seen}"
        if isinstance(seen, ConnectionRefusedError):
            return Failure.REFUSED, "connection refused"
        seen = seen.__cause__ or seen.__context__
    if isinstance(error, httpx.ConnectTimeout):
        return Failure.TIMEOUT, f"no connection within {timeout:g} s"
    if isinstance(error, (httpx.TimeoutException, TimeoutError)):
        return Failure.TIMEOUT, f"no complete answer within {timeout:g} s"
    return Failure.CONNECTION, f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class Checker:
    """Checks web addresses within global and per-host limits.

    Each host gets its own small connection pool (as many connections as requests it may
    have at once), sharing one TLS context: a single pool over every host is scanned whole
    at each request, which made the checker CPU-bound at a few hundred hosts' connections.
    Use as ``async with Checker(settings) as checker``.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._tls = httpx.create_ssl_context(settings.verify) if settings.verify is not False else None
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._host_resume: dict[str, float] = {}

    async def __aenter__(self) -> Checker:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.gather(*(client.aclose() for client in self._clients.values()), return_exceptions=True)

    def _client(self, url: str) -> httpx.AsyncClient:
        key = _host_key(url)
        if key not in self._clients:
            self._clients[key] = new_client(self._settings, self._tls or False)
        return self._clients[key]

    async def check(self, url: str) -> Observation:
        problem = address_problem(url)
        if problem:
            return Observation(url, failure=Failure.MALFORMED, detail=problem)
        host = httpx.URL(url).host
        if host.rstrip(".").endswith(".invalid") or host == "invalid":
            return Observation(url, failure=Failure.DNS, detail="DNS: names under .invalid never resolve (RFC 6761)")
        method = "HEAD"
        attempt = 1
        while True:
            timeout = self._timeout(attempt)
            observed = await self._attempt(url, method, timeout)
            if method == "HEAD" and self._head_unreliable(observed):
                method = "GET"
                observed = await self._attempt(url, method, timeout)
            observed = replace(observed, attempts=attempt)
            wait = self._retry_wait(observed, attempt)
            if wait is None:
                return observed
            if observed.failure is Failure.TIMEOUT:
                method = "GET"  # some servers never answer HEAD but do answer GET
            await asyncio.sleep(wait)
            attempt += 1

    @staticmethod
    def _head_unreliable(observed: Observation) -> bool:
        """HEAD is refused or mishandled by many servers (403, 405, 501, resets): ask again with GET."""
        if observed.failure is Failure.CONNECTION:
            return True
        return observed.status is not None and observed.status >= 400 and observed.status != 429

    def _timeout(self, attempt: int) -> float:
        """Half the timeout for a first attempt, the whole of it for the last one a timeout allows.

        Live servers answer well within the shorter limit, and a slow one still gets the
        full time on its retry, so the run no longer waits twice the full timeout for a
        server that accepts and never answers.
        """
        return self._settings.timeout if attempt >= self._settings.timeout_attempts else self._settings.timeout / 2

    def _retry_wait(self, observed: Observation, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this answer is final."""
        settings = self._settings
        limit = settings.timeout_attempts if observed.failure is Failure.TIMEOUT else settings.attempts
        transient = observed.failure in TRANSIENT or (
            observed.status is not None and (observed.status == 429 or (observed.status >= 500 and not observed.challenge))
        )
        if attempt >= limit or not transient:
            return None
        if observed.retry_after is not None:
            return observed.retry_after if observed.retry_after <= settings.retry_after_cap else None
        return backoff_delay(attempt, settings)

    async def _attempt(self, url: str, method: str, timeout: float) -> Observation:
        """One request and its redirects, each hop within ``timeout``."""
        hops: list[Hop] = []
        try:
            return await self._follow(url, method, hops, timeout)
        except (httpx.HTTPError, OSError) as error:
            failure, detail = failure_of(error, timeout)
            return Observation(url, failure=failure, detail=detail, hops=tuple(hops), method=method)

    async def _follow(self, url: str, method: str, hops: list[Hop], timeout: float) -> Observation:
        current, seen = url, {url}
        while True:
            status, headers = await self._request(method, current, timeout)
            location = headers.get("location")
            if status not in REDIRECTS or not location:
                retry_after = retry_after_seconds(headers.get("retry-after"), time.time()) if status in (429, 503) else None
                challenge = headers.get("cf-mitigated", "").lower() == "challenge"
                return Observation(url, status, hops=tuple(hops), method=method, retry_after=retry_after, challenge=challenge)
            target = urljoin(current, location.strip())
            hops.append(Hop(status, current, target))
            problem = address_problem(target) if target.startswith(("http://", "https://")) else "not a web address"
            if problem:
                return Observation(url, failure=Failure.BAD_REDIRECT, detail=f"redirect to '{target}': {problem}", hops=tuple(hops))
            if target in seen:
                return Observation(url, failure=Failure.REDIRECT_LOOP, detail="redirect loop", hops=tuple(hops), method=method)
            if len(hops) >= self._settings.max_redirects:
                detail = f"more than {self._settings.max_redirects} redirects"
                return Observation(url, failure=Failure.TOO_MANY_REDIRECTS, detail=detail, hops=tuple(hops), method=method)
            seen.add(target)
            current = target
            if status == 303:
                method = "GET"

    async def _request(self, method: str, url: str, timeout: float) -> tuple[int, httpx.Headers]:
        """One request: its status and headers within ``timeout`` in all (so bytes dribbled
        one at a time cannot keep it alive), counted from when a slot is free."""
        async with self._host_slot(url), self._slots, contextlib.AsyncExitStack() as stack:
            async with asyncio.timeout(timeout):
                request = self._client(url).stream(method, url, timeout=httpx.Timeout(timeout, pool=None))
                response = await stack.enter_async_context(request)
            if response.status_code == 429:
                wait = retry_after_seconds(response.headers.get("retry-after"), time.time())
                self._pause_host(url, min(wait or self._settings.backoff, self._settings.retry_after_cap))
            await self._drain(response)
            return response.status_code, response.headers

    async def _drain(self, response: httpx.Response) -> None:
        """Read a little of the body (HEAD's empty one included) so the connection can be
        reused; never more.

        The status is already known, so a slow or endless body is simply abandoned: the
        connection is closed instead of returned to the pool.
        """
        received = 0
        with contextlib.suppress(TimeoutError, httpx.HTTPError, OSError):
            async with asyncio.timeout(self._settings.drain_budget):
                async for chunk in response.aiter_raw():
                    received += len(chunk)
                    if received > self._settings.body_limit:
                        break

    @contextlib.asynccontextmanager
    async def _host_slot(self, url: str) -> AsyncIterator[None]:
        key = _host_key(url)
        resume = self._host_resume.get(key, 0.0)
        loop = asyncio.get_running_loop()
        if resume > loop.time():
            await asyncio.sleep(resume - loop.time())
        slots = self._host_slots.setdefault(key, asyncio.Semaphore(self._settings.per_host))
        async with slots:
            yield

    def _pause_host(self, url: str, seconds: float) -> None:
        """A 429 speaks for the whole host: every request to it waits, not just the one refused."""
        key = _host_key(url)
        until = asyncio.get_running_loop().time() + seconds
        self._host_resume[key] = max(self._host_resume.get(key, 0.0), until)


def _host_key(url: str) -> str:
    """Scheme, host and port: what a connection pool and a per-host limit are for."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"


def new_client(settings: Settings, verify: ssl.SSLContext | bool) -> httpx.AsyncClient:
    """A client for one host: no more connections than requests it may have at once."""
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        timeout=httpx.Timeout(settings.timeout, pool=None),
        limits=httpx.Limits(max_connections=settings.per_host, max_keepalive_connections=settings.per_host),
        follow_redirects=False,
        verify=verify,
    )


async def check_all(urls: Iterable[str], settings: Settings, done: Callable[[Observation], None] | None = None) -> dict[str, Observation]:
    """Check every address; those not finished by the run's deadline are left out of the answer."""
    results: dict[str, Observation] = {}
    async with Checker(settings) as checker:

        async def one(url: str) -> None:
            observed = await checker.check(url)
            results[url] = observed
            if done is not None:
                done(observed)

        tasks = [asyncio.create_task(one(url)) for url in urls]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=settings.deadline)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
    return results
