"""What an answer means, and when a failure is believed.

Two steps. ``verdict`` reads one run's observation: ok, redirected (permanently, with the
new address), blocked (the host refuses robots: bot walls, rate limits; the page may be
fine for people), failed, or invalid (a typo, no network involved). ``final_status``
adds memory: a failure is only *broken* once it has been seen in two runs at least a day
apart; until then it is *suspect*. That is what keeps a flaky host from crying wolf.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus

from .config import LinkConfig
from .observation import Failure, Observation

CONFIRMATION = datetime.timedelta(hours=24)
PERMANENT = frozenset({301, 308})
# 999 is LinkedIn's and others' bot wall; 401 and 403 say "not for you", not "gone".
BOT_WALLS = frozenset({401, 403, 999})
GONE = frozenset({404, 410})


class Verdict(StrEnum):
    """One run's reading of one address."""

    OK = "ok"
    REDIRECTED = "redirected"
    BLOCKED = "blocked"
    FAILED = "failed"
    INVALID = "invalid"


class Status(StrEnum):
    """What the report says about an address, memory of earlier runs included."""

    OK = "ok"
    REDIRECTED = "redirected"
    BLOCKED = "blocked"
    SUSPECT = "suspect"
    BROKEN = "broken"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Reading:
    verdict: Verdict
    summary: str
    target: str | None = None


def status_text(status: int) -> str:
    if status == 999:
        return "999 Request denied"
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def verdict(observation: Observation, config: LinkConfig) -> Reading:
    """Read one observation. Accepted statuses from links.yml count as working."""
    if observation.failure is Failure.MALFORMED:
        return Reading(Verdict.INVALID, f"malformed address: {observation.detail}")
    if observation.failure is not None:
        return Reading(Verdict.FAILED, _failure_summary(observation))
    status = observation.status
    assert status is not None, "an observation has a status or a failure"
    text = status_text(status)
    accepted = config.accepted(observation.url, status)
    if accepted:
        return Reading(Verdict.OK, f"{text}, accepted in links.yml: {accepted.reason}")
    if 200 <= status < 300:
        target = permanent_target(observation)
        if target:
            return Reading(Verdict.REDIRECTED, f"moved permanently to {target}", target)
        return Reading(Verdict.OK, text)
    if status in BOT_WALLS:
        return Reading(Verdict.BLOCKED, f"{text}: the host refuses robots")
    if status == 429:
        wait = f" (Retry-After: {observation.retry_after:g} s)" if observation.retry_after is not None else ""
        return Reading(Verdict.BLOCKED, f"{text}: rate-limited after {_attempts(observation.attempts)}{wait}")
    if observation.challenge:
        return Reading(Verdict.BLOCKED, f"{text}: a bot challenge page")
    if status in GONE:
        return Reading(Verdict.FAILED, text)
    tries = f" after {_attempts(observation.attempts)}" if observation.attempts > 1 else ""
    return Reading(Verdict.FAILED, f"{text}{tries}")


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


def permanent_target(observation: Observation) -> str | None:
    """Where the record should now point: the end of the leading run of permanent redirects.

    A temporary redirect after it (a login or language page) is the new address's own
    business; a temporary one first means the listed address is still the right one.
    """
    target = None
    for hop in observation.hops:
        if hop.status not in PERMANENT:
            break
        target = hop.location
    return target


def _failure_summary(observation: Observation) -> str:
    failure = observation.failure
    if failure in (Failure.REDIRECT_LOOP, Failure.TOO_MANY_REDIRECTS):
        chain = " → ".join([observation.url, *(hop.location for hop in observation.hops)])
        return f"{observation.detail}: {chain}"
    tries = f" ({_attempts(observation.attempts)})" if observation.attempts > 1 else ""
    return f"{observation.detail}{tries}"


def final_status(verdict: Verdict, failing_since: datetime.datetime | None, failed_runs: int, now: datetime.datetime) -> Status:
    """The two-run rule: broken only after failing in two runs at least CONFIRMATION apart."""
    if verdict is Verdict.INVALID:
        return Status.BROKEN  # a typo is not a flaky host: no network was involved
    if verdict is not Verdict.FAILED:
        return Status(verdict.value)
    confirmed = failed_runs >= 2 and failing_since is not None and now - failing_since >= CONFIRMATION
    return Status.BROKEN if confirmed else Status.SUSPECT
