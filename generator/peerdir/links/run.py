"""One run of the link checker: decide what to ask, ask, read the answers, remember them.

Pure apart from the network: the caller passes the links, configuration, cache and the
time, and gets back results and the new cache to write; files are the CLI's business.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime
from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from .cache import TTL, Cache, Entry, prune, remember
from .check import Settings, check_all
from .classify import Status, verdict
from .collect import Links, Origin
from .config import LinkConfig
from .observation import Observation
from .syntax import address_problem

T = TypeVar("T")


@dataclass(frozen=True)
class LinkResult:
    """The report's line about one address."""

    url: str
    status: Status
    summary: str
    origins: tuple[Origin, ...]
    target: str | None = None
    since: datetime.datetime | None = None
    checked: datetime.datetime | None = None
    from_cache: bool = False


@dataclass(frozen=True)
class Outcome:
    started: datetime.datetime
    results: tuple[LinkResult, ...]
    cache: Cache
    asked: int

    @property
    def broken(self) -> bool:
        return any(result.status is Status.BROKEN for result in self.results)

    def count(self, status: Status) -> int:
        return sum(result.status is status for result in self.results)


def check_links(
    links: Links,
    config: LinkConfig,
    cache: Cache,
    settings: Settings,
    now: datetime.datetime,
    ttl: datetime.timedelta = TTL,
    progress: Callable[[int], AbstractContextManager[Callable[[Observation], None]]] | None = None,
) -> Outcome:
    """Check every address not excluded and not recently verified; ``now`` is the run's time.

    ``progress`` is entered with the number of addresses to ask and gives the callback
    told about each answer.
    """
    if now.tzinfo is None:
        raise ValueError("the run's time must be timezone-aware")
    settled: dict[str, LinkResult] = {}
    to_ask: list[str] = []
    for url, origins in links.items():
        rule = config.excluded(url)
        entry = cache.get(url)
        if rule:
            settled[url] = LinkResult(url, Status.SKIPPED, f"excluded in links.yml: {rule.reason}", origins)
        elif not url.lower().startswith(("http://", "https://")):
            problem = address_problem(url)
            summary = f"malformed address: {problem}" if problem else "well-formed (mail and phone addresses are never contacted)"
            settled[url] = LinkResult(url, Status.BROKEN if problem else Status.OK, summary, origins)
        elif entry is not None and entry.fresh(now, ttl):
            settled[url] = _result(url, entry, origins, now, from_cache=True)
        else:
            to_ask.append(url)
    with progress(len(to_ask)) if progress else contextlib.nullcontext(None) as done:
        observations = _run_to_completion(check_all(to_ask, settings, done))
    updated = dict(cache)
    for url in to_ask:
        observed = observations.get(url)
        if observed is None:
            settled[url] = LinkResult(url, Status.SKIPPED, "not checked: the run's deadline was reached", links[url])
            continue
        updated[url] = remember(cache.get(url), verdict(observed, config), now)
        settled[url] = _result(url, updated[url], links[url], now, from_cache=False)
    results = tuple(settled[url] for url in links)
    return Outcome(now, results, prune(updated, links.keys(), now), len(to_ask))


def _result(url: str, entry: Entry, origins: tuple[Origin, ...], now: datetime.datetime, *, from_cache: bool) -> LinkResult:
    return LinkResult(url, entry.status(now), entry.summary, origins, entry.target, entry.failing_since, entry.checked, from_cache)


def _run_to_completion(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``, also for a caller whose thread already runs an event loop (a
    notebook, or Playwright's synchronous API in the same test process), where
    ``asyncio.run`` refuses: there the checks run on a thread of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
