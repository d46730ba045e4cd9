"""Keeping listings current: when a record is due for another check against its sources.

A listing nobody has re-checked for a year may describe a program that has changed or
closed; the directory marks it so a visitor can weigh it, and maintainers know what to
review next.
"""

from __future__ import annotations

import calendar
import datetime

from .records import Program


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def review_due(program: Program, today: datetime.date, months: int = 12) -> bool:
    """True when the listing was last reviewed more than ``months`` calendar months ago."""
    return program.last_reviewed < months_before(today, months)
