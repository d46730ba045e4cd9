"""Counts of the directory by country, profession, evaluation and status, for
``peerdir stats``: where the directory is thin, and how much of it is verified.

A program counts once in every group it belongs to, so a group's counts can add up to
more than the number of programs. Every value of a closed list is shown, zeros included:
a zero is the gap a maintainer is looking for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import schema
from .records import Program


@dataclass(frozen=True)
class Tally:
    """One grouping: (value, label, number of programs) per value of a closed list."""

    title: str
    rows: tuple[tuple[str, str, int], ...]


def directory_stats(programs: Sequence[Program]) -> list[Tally]:
    vocabularies = schema.vocabularies()
    countries = {value: label for value, label in vocabularies["region"].labels.items() if "-" not in value}
    return [
        _tally("By country", countries, programs, lambda p: p.countries),
        _tally("By profession", vocabularies["profession"].labels, programs, lambda p: p.professions),
        _tally("By evaluation", vocabularies["evaluation_status"].labels, programs, lambda p: (p.evaluation.status,)),
        _tally("By status", vocabularies["status"].labels, programs, lambda p: (p.status,)),
    ]


def _tally(title: str, labels: dict[str, str], programs: Iterable[Program], values: Callable[[Program], Iterable[str]]) -> Tally:
    counts = Counter(value for program in programs for value in set(values(program)))
    return Tally(title, tuple((value, label, counts[value]) for value, label in labels.items()))
