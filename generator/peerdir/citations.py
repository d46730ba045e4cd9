"""Citations in hand-written pages: ``[@key]`` or ``[@a; @b]`` in the Markdown, numbered in
order of first use and linked to the reference list at the end of the page.

Resolved by the generator rather than by a Markdown extension or a MkDocs plugin, so every
builder that reads mkdocs.yml publishes the same numbered page, and a wrong key stops the
build with its file, line and column instead of printing as literal text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# A bracket that opens with "@" and is not a link ("[@name](...)" or "[@name][ref]").
_GROUP = re.compile(r"(?<!\\)\[(@[^\]\n]*)\](?![(\[])")
_KEY = re.compile(r"@([a-z0-9][a-z0-9-]*)")
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(?P<ticks>`+)[^\n]*?(?P=ticks)")
# Spaces, and at most one line break, between a word and the citation that follows it.
_SPACE_BEFORE = re.compile(r"(?<=\S)[ \t]*\n?[ \t]*\Z")


@dataclass(frozen=True)
class Cited:
    key: str
    offset: int  # of the "@" in the page text


@dataclass(frozen=True)
class Group:
    """One bracket of citations as written, e.g. ``[@hu2012; @han2017]``."""

    start: int
    end: int
    keys: tuple[Cited, ...]


@dataclass(frozen=True)
class Malformed:
    offset: int
    text: str


@dataclass(frozen=True)
class Citations:
    groups: tuple[Group, ...]
    malformed: tuple[Malformed, ...]

    def in_order(self) -> list[str]:
        """Every key cited, once each, in order of first use."""
        return list(dict.fromkeys(cited.key for group in self.groups for cited in group.keys))


def find_citations(text: str) -> Citations:
    """Every citation bracket outside code, with the offset of each key."""
    searchable = mask_code(text)
    groups: list[Group] = []
    malformed: list[Malformed] = []
    for match in _GROUP.finditer(searchable):
        inner_start = match.start(1)
        keys: list[Cited] = []
        position = inner_start
        for part in match.group(1).split(";"):
            stripped = part.strip()
            offset = position + (len(part) - len(part.lstrip()))
            position += len(part) + 1
            key = _KEY.fullmatch(stripped)
            if key:
                keys.append(Cited(key.group(1), offset))
            else:
                malformed.append(Malformed(offset, stripped))
        if keys and len(keys) == len(match.group(1).split(";")):
            groups.append(Group(match.start(), match.end(), tuple(keys)))
    return Citations(tuple(groups), tuple(malformed))


def mask_code(text: str) -> str:
    """``text`` with fenced blocks and code spans blanked out (same length, same lines),
    so that an example such as `[@key]` in code is never read as a citation."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def unknown_key_message(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; add the reference there first"
    return f"'{key}' is not a key of data/references.yml{hint}"


MALFORMED_MESSAGE = "a citation is [@key] or [@key1; @key2], keys in lower case"


def number_citations(text: str, citations: Citations, mark: Callable[[list[int]], str]) -> tuple[str, list[str]]:
    """Replace each bracket by ``mark(its reference numbers)``; return the new text and the
    keys in the order of their numbers (the page's reference list)."""
    order = citations.in_order()
    numbers = {key: index for index, key in enumerate(order, start=1)}
    pieces: list[str] = []
    last = 0
    for group in citations.groups:
        # The mark sits against the word it supports, even when written on the next line.
        before = _SPACE_BEFORE.sub("", text[last : group.start])
        pieces += [before, mark(sorted({numbers[cited.key] for cited in group.keys}))]
        last = group.end
    pieces.append(text[last:])
    return "".join(pieces), order
