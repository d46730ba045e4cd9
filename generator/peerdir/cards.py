"""A program as a card in a listing: the texts it shows, its facet values and its flags.

The same ``Card`` gives the server's HTML cards (templates/listing.html.j2) and
``programs/cards.json``, the compact data the directory's script fetches when a visitor
filters, from which it fills a ``<template>`` of the same markup: a card looks the same
whoever drew it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from . import schema
from .facets import FACETS
from .records import Program
from .upkeep import review_due

# Where the directory's script finds every card, beside the directory page.
CARDS_PATH = "programs/cards.json"
# The texts a card shows, named as the template's data-slot elements are.
SLOTS = ("name", "organisation", "professions", "regions", "delivery", "evaluation", "reviewed")


@dataclass(frozen=True)
class Flag:
    kind: str
    text: str


@dataclass(frozen=True)
class Card:
    """``slots`` are the texts a card shows (name, organisation, ...), in the order of the
    template's ``data-slot`` elements; ``values`` each facet's values, for the filters."""

    id: str
    slots: dict[str, str]
    values: dict[str, tuple[str, ...]]
    flags: tuple[Flag, ...]

    @property
    def data(self) -> dict[str, str]:
        """The card's data attributes: facet values (space-separated) and review date."""
        return {**{key: " ".join(values) for key, values in self.values.items()}, "reviewed": self.slots["reviewed"]}


def _labels(values: Iterable[str], vocabulary: str) -> str:
    vocab = schema.vocabularies()[vocabulary]
    return ", ".join(vocab.label(value) for value in values)


def card(program: Program, today: datetime.date) -> Card:
    flags = [Flag(program.status, _labels((program.status,), "status"))] if program.status in ("closed", "paused") else []
    if review_due(program, today):
        flags.append(Flag("due", "Review due"))
    slots = {
        "name": program.name,
        "organisation": program.organisation.name,
        "professions": _labels(program.professions, "profession"),
        "regions": _labels(program.regions, "region"),
        "delivery": _labels(program.delivery, "delivery") or "Not stated",
        "evaluation": _labels((program.evaluation.status,), "evaluation_status"),
        "reviewed": program.last_reviewed.isoformat(),
    }
    return Card(program.id, slots, {facet.key: facet.values(program) for facet in FACETS}, tuple(flags))


def blank() -> Card:
    """The card a ``<template>`` holds: every slot empty, one flag to copy for each real one."""
    return Card("", {name: "" for name in SLOTS}, {facet.key: () for facet in FACETS}, (Flag("", ""),))


def cards_json(cards: Iterable[Card]) -> str:
    """Every card, compact: each distinct text, facet value and flag is written once and
    cards refer to them by index (10,000 synthetic cards: 1.3 MB, 315 KB gzipped).

    ``{"fields": [slot names], "texts": [...], "facets": [keys], "values": [[per facet]],
    "flags": [[kind, text]], "cards": [[id, [text index per field], [[value indexes] per
    facet], [flag indexes]]]}``, in the directory's order (by name).

    The script only ever sets these as text, but ``<``, ``>`` and ``&`` are written as
    JSON escapes anyway, so the file reads as inert whatever a browser takes it for.
    """
    texts: dict[str, int] = {}
    values: dict[str, dict[str, int]] = {facet.key: {} for facet in FACETS}
    flags: dict[Flag, int] = {}
    rows = [
        [
            item.id,
            [texts.setdefault(item.slots[name], len(texts)) for name in SLOTS],
            [[values[facet.key].setdefault(value, len(values[facet.key])) for value in item.values[facet.key]] for facet in FACETS],
            [flags.setdefault(flag, len(flags)) for flag in item.flags],
        ]
        for item in cards
    ]
    data = {
        "fields": list(SLOTS),
        "texts": list(texts),
        "facets": [facet.key for facet in FACETS],
        "values": [list(values[facet.key]) for facet in FACETS],
        "flags": [[flag.kind, flag.text] for flag in flags],
        "cards": rows,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
