"""Deadlines counted in working hours: 2 hours asked on Friday at 16:30 end on Monday at 10:30
(and on Tuesday when that Monday is a holiday)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def add_working_hours(
    start: datetime,
    hours: float,
    *,
    days: Collection[int],
    day_start: time,
    day_end: time,
    zone: str | None = None,
    holidays: Collection[date] = (),
) -> datetime:
    """`start` plus `hours` counted only on working `days` (0 = Monday) between `day_start` and
    `day_end`, `holidays` left out, in the institution's time zone (TIME_ZONE by default); the
    answer is aware."""
    tz = ZoneInfo(zone or settings.TIME_ZONE)
    current = start.astimezone(tz)
    remaining = timedelta(hours=hours)
    working_days = set(days) or {0, 1, 2, 3, 4}
    days_off = set(holidays)
    # At most a year of days: a deadline never loops forever on odd settings.
    for _day in range(366):
        opening = datetime.combine(current.date(), day_start, tzinfo=tz)
        closing = datetime.combine(current.date(), day_end, tzinfo=tz)
        working = current.weekday() in working_days and current.date() not in days_off
        if working and current < closing:
            current = max(current, opening)
            available = closing - current
            if remaining <= available:
                return current + remaining
            remaining -= available
        next_day = current.date() + timedelta(days=1)
        current = datetime.combine(next_day, day_start, tzinfo=tz)
    return current + remaining
