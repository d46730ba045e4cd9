"""What checking one address found: kept apart from the network code (``check.py``), so
that reading the link checker's cache (for the pages' "last verified" dates) does not load
an HTTP client."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Failure(StrEnum):
    """Why no HTTP status came back (or why the redirects led nowhere)."""

    DNS = "dns"
    DNS_TEMPORARY = "dns-temporary"
    REFUSED = "refused"
    TLS = "tls"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    REDIRECT_LOOP = "redirect-loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    BAD_REDIRECT = "bad-redirect"
    MALFORMED = "malformed"


# Failures that may be gone a moment later; the others will not change by retrying now.
TRANSIENT = frozenset({Failure.DNS_TEMPORARY, Failure.REFUSED, Failure.TIMEOUT, Failure.CONNECTION})


@dataclass(frozen=True)
class Hop:
    status: int
    url: str
    location: str


@dataclass(frozen=True)
class Observation:
    """What one address answered in the end, after redirects, fallbacks and retries."""

    url: str
    status: int | None = None
    failure: Failure | None = None
    detail: str = ""
    hops: tuple[Hop, ...] = ()
    method: str = "HEAD"
    attempts: int = 1
    retry_after: float | None = None
    challenge: bool = False
