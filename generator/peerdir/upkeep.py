"""When a listing is due for review: one rule, shared by ``peerdir stale`` and the site.

A record is checked against its sources when it is added and should be checked again
within a year; past that, the site tells readers so and the maintainers' list shows it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from .records import Program

REVIEW_MONTHS = 12


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(program: Program, today: datetime.date, months: int = REVIEW_MONTHS) -> bool:
    """True when the record was last reviewed more than ``months`` months before ``today``."""
    return program.last_reviewed < months_before(today, months)


def due_for_review(programs: Iterable[Program], today: datetime.date, months: int = REVIEW_MONTHS) -> list[Program]:
    """The programs due for review, longest unreviewed first."""
    return sorted((p for p in programs if review_due(p, today, months)), key=lambda p: (p.last_reviewed, p.id))
