from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from maillage.voices.working_hours import add_working_hours

PARIS = ZoneInfo("Europe/Paris")
WEEK = {0, 1, 2, 3, 4}


def deadline(start: datetime, hours: float = 2) -> datetime:
    return add_working_hours(
        start, hours, days=WEEK, day_start=time(9), day_end=time(17), zone="Europe/Paris"
    )


def test_within_the_day() -> None:
    assert deadline(datetime(2014, 3, 26, 10, 0, tzinfo=PARIS)) == datetime(
        2014, 3, 26, 12, 0, tzinfo=PARIS
    )


def test_across_the_night() -> None:
    assert deadline(datetime(2014, 3, 26, 16, 30, tzinfo=PARIS)) == datetime(
        2014, 3, 27, 10, 30, tzinfo=PARIS
    )


def test_friday_evening_ends_on_monday() -> None:
    assert deadline(datetime(2014, 3, 28, 16, 30, tzinfo=PARIS)) == datetime(
        2014, 3, 31, 10, 30, tzinfo=PARIS
    )


def test_before_opening_and_on_sunday() -> None:
    assert deadline(datetime(2014, 3, 26, 7, 0, tzinfo=PARIS)) == datetime(
        2014, 3, 26, 11, 0, tzinfo=PARIS
    )
    assert deadline(datetime(2014, 3, 30, 15, 0, tzinfo=PARIS)) == datetime(
        2014, 3, 31, 11, 0, tzinfo=PARIS
    )
