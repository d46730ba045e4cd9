"""The directory's filters: which record fields a visitor can narrow the list by.

One description serves the plain-HTML cards (their data attributes), the filter form and
the browser tests' expectations, so the three can never disagree about what "nurses" or
"anonymous" means.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import schema
from .records import Program


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """One group of checkboxes. ``match`` is "any" (a program needs one ticked value) or
    "all" (it needs every ticked value: access features narrow, they never widen)."""

    key: str
    legend: str
    vocabulary: str
    match: str
    values: Callable[[Program], tuple[str, ...]]
    offered: tuple[str, ...] | None = None

    def options(self, programs: tuple[Program, ...]) -> list[Option]:
        """The values at least one program has, with how many have it, in the vocabulary's
        order (countries by name)."""
        counts = Counter(value for program in programs for value in self.values(program))
        offered = set(counts) if self.offered is None else set(counts) & set(self.offered)
        labels = schema.vocabularies()[self.vocabulary].labels
        options = [Option(value, label, counts[value]) for value, label in labels.items() if value in offered]
        return sorted(options, key=lambda option: option.label) if self.key == "country" else options


FACETS = (
    Facet("profession", "Profession", "profession", "any", lambda p: p.professions),
    Facet("country", "Country", "region", "any", lambda p: p.countries),
    Facet("format", "Format", "format", "any", lambda p: p.format),
    Facet("delivery", "How it is delivered", "delivery", "any", lambda p: p.delivery),
    Facet(
        "access",
        "Access",
        "access",
        "all",
        lambda p: p.access,
        offered=("anonymous", "confidential", "free", "around-the-clock", "family-included"),
    ),
    Facet("evaluation", "Evaluation", "evaluation_status", "any", lambda p: (p.evaluation.status,)),
)
