"""links.yml: the addresses maintainers told the checker to leave alone or to accept.

Every entry carries a reason, because an exclusion without one is a dead link nobody will
ever look at again. The file is read with the same strict YAML reader as the records, so a
mistake is reported with its file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import Problem
from ..schema import did_you_mean
from ..yamlfile import Document, FieldPath, YamlProblem, read_yaml

SECTIONS = ("exclude", "accept")
ENTRY_FIELDS = {"exclude": ("url", "prefix", "reason"), "accept": ("url", "prefix", "status", "reason")}


@dataclass(frozen=True)
class Rule:
    """One entry: an exact address or every address starting with a prefix, and why."""

    pattern: str
    prefix: bool
    reason: str
    statuses: frozenset[int] = frozenset()

    def matches(self, url: str) -> bool:
        return url.startswith(self.pattern) if self.prefix else url == self.pattern


@dataclass(frozen=True)
class LinkConfig:
    exclude: tuple[Rule, ...] = ()
    accept: tuple[Rule, ...] = ()

    def excluded(self, url: str) -> Rule | None:
        return next((rule for rule in self.exclude if rule.matches(url)), None)

    def accepted(self, url: str, status: int) -> Rule | None:
        return next((rule for rule in self.accept if rule.matches(url) and status in rule.statuses), None)


def load_config(path: Path, display: str) -> tuple[LinkConfig, list[Problem]]:
    """The configuration, or every problem in it; a missing file is an empty configuration."""
    if not path.exists():
        return LinkConfig(), []
    try:
        doc = read_yaml(path, display)
    except YamlProblem as error:
        return LinkConfig(), [error.problem]
    return parse_config(doc)


def parse_config(doc: Document) -> tuple[LinkConfig, list[Problem]]:
    problems: list[Problem] = []
    sections: dict[str, tuple[Rule, ...]] = {}
    for name, entries in doc.data.items():
        if name not in SECTIONS:
            problems.append(doc.problem((name,), _unknown(name, SECTIONS, "a section of links.yml"), key=True))
            continue
        if not isinstance(entries, list):
            problems.append(doc.problem((name,), f"'{name}' is a list of entries, each starting with '- url:' or '- prefix:'"))
            continue
        rules = [_rule(doc, (name, index), entry, problems) for index, entry in enumerate(entries)]
        sections[name] = tuple(rule for rule in rules if rule is not None)
    return LinkConfig(**sections), problems


def _unknown(name: str, allowed: tuple[str, ...], what: str) -> str:
    close = did_you_mean(name, list(allowed))
    hint = f"; did you mean '{close}'?" if close else "."
    return f"'{name}' is not {what}{hint} Allowed: {', '.join(allowed)}"


def _rule(doc: Document, path: FieldPath, entry: Any, problems: list[Problem]) -> Rule | None:
    section = str(path[0])
    allowed = ENTRY_FIELDS[section]
    if not isinstance(entry, dict):
        problems.append(doc.problem(path, f"each entry is a mapping with {' or '.join(allowed[:2])} and reason"))
        return None
    found = [
        doc.problem(path + (key,), _unknown(key, allowed, f"a field of {section} entries"), key=True) for key in entry if key not in allowed
    ]
    addresses = [key for key in ("url", "prefix") if key in entry]
    if len(addresses) != 1:
        found.append(doc.problem(path, "give exactly one of url: (one address) or prefix: (every address starting with it)"))
    for key in addresses:
        value = entry[key]
        if not isinstance(value, str) or not value.startswith(("http://", "https://", "mailto:", "tel:")):
            found.append(doc.problem(path + (key,), f"'{value}' is not an absolute http(s), mailto: or tel: address"))
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        found.append(doc.problem(path + ("reason",), "say why, in a sentence a future maintainer will understand"))
    statuses = entry.get("status", [])
    if section == "accept":
        if isinstance(statuses, int):
            statuses = [statuses]
        if not statuses or not isinstance(statuses, list) or not all(isinstance(s, int) and 100 <= s <= 999 for s in statuses):
            found.append(doc.problem(path + ("status",), "a status code (100-999) or a list of them, e.g. [403]"))
    problems += found
    if found:
        return None
    key = addresses[0]
    return Rule(entry[key], key == "prefix", " ".join(str(reason).split()), frozenset(statuses))
