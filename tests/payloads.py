"""A record whose every text field carries script, event-handler, javascript: and comment
payloads. Shared by the static payload build test and the browser test."""

from __future__ import annotations

PIECES = (
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert('xss')>",
    "<a href=\"javascript:alert('xss')\">x</a> [click](javascript:alert('xss'))",
    "<!-- hidden --> \"><svg onload=alert('xss')>",
    "{: onclick=\"alert('xss')\" } --8<-- '/etc/passwd'",
)
# Long text fields carry every piece; short ones (names, labels) one piece each.
PAYLOAD = " ".join(PIECES)


def payload_record(record_id: str = "payload") -> str:
    """Valid YAML (every URL field stays a real https address; the validator refuses others)."""
    quoted = _quote(PAYLOAD)
    name, organisation, label, locator, _ = (_quote(piece) for piece in PIECES)
    return f"""\
id: {record_id}
name: {name}
organisation:
  name: {organisation}
  website: https://example.org/organisation?q=%3Cscript%3E
purpose: {quoted}
support: {quoted}
more_help: {quoted}
professions: [nurses]
regions: [GB]
evaluation:
  status: none
  note: {quoted}
contact:
  website: https://example.org/payload?a=1&b="2"
  links:
    - label: {label}
      url: https://example.org/link
  note: {quoted}
sources:
  - ref: mja-handnhand
    locator: {locator}
added: 2026-01-01
last_reviewed: 2026-01-02
status: paused
status_note: {quoted}
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
