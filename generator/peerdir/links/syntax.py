"""Is an address well-formed? Answered without the network.

``mailto:`` and ``tel:`` addresses are only ever checked here: a mail server or a phone
line cannot be tested by a robot without bothering a person. Web addresses are checked
here first so that a typo is reported as a typo, not as a network failure.
"""

from __future__ import annotations

import ipaddress
import re

import httpx

_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]+(?<!-)")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
# RFC 3966: a global number is + and digits with visual separators; a local one needs a context.
_TEL = re.compile(r"\+[0-9][0-9().-]*[0-9]|[0-9*#][0-9*#().-]*;phone-context=[^;]+")


def address_problem(url: str) -> str | None:
    """Why ``url`` is not a well-formed web, mail or phone address; None when it is."""
    if any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in url):
        return "contains a space or a control character"
    lowered = url.lower()
    if lowered.startswith("mailto:"):
        return _mailto_problem(url[len("mailto:") :])
    if lowered.startswith("tel:"):
        number = url[len("tel:") :]
        return None if _TEL.fullmatch(number) and sum(c.isdigit() for c in number) >= 3 else f"'{number}' is not a phone number (RFC 3966)"
    return _web_problem(url)


def _mailto_problem(rest: str) -> str | None:
    addresses = rest.split("?", 1)[0]
    if not addresses:
        return "mailto: without an address"
    bad = [address for address in addresses.split(",") if not _EMAIL.fullmatch(address)]
    return f"'{bad[0]}' is not an email address" if bad else None


def _web_problem(url: str) -> str | None:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as error:
        return f"cannot be parsed: {error}"
    if parsed.scheme not in ("http", "https"):
        return f"'{parsed.scheme}:' is not a web address scheme (http or https)"
    if not parsed.host:
        return "has no host name"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"port {parsed.port} is out of range"
    return _host_problem(parsed.host)


def _host_problem(host: str) -> str | None:
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return f"host name '{host}' cannot be encoded for DNS"
    labels = ascii_host.removesuffix(".").split(".")
    bad = next((label for label in labels if not _LABEL.fullmatch(label)), None)
    if bad is not None:
        return f"host name '{host}' has an empty or invalid part" + (f" '{bad}'" if bad else "")
    return None
