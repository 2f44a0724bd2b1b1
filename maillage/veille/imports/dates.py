"""Dates as files write them: Unix timestamps in s/ms/µs, Excel serials, ISO, 26/03/2014,
« 26 mars 2014 ». Naive values are read in the site's time zone."""

from __future__ import annotations

import re
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.core.tags import fold

EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_EPOCH_1904 = datetime(1904, 1, 1)
# Excel serials a watch could hold: 1990-01-01 (32874) to 2099-12-31 (73415).
SERIAL_RANGE = (32874, 73415)
# Earlier than the web, or later than tomorrow: a misreading, not a date to keep.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
EARLIEST_TIMESTAMP = EARLIEST.timestamp()
DAY = 86400

FRENCH_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTHS = {**ENGLISH_MONTHS, **FRENCH_MONTHS}

_NUMERIC = re.compile(
    r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})"
    r"(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*$"
)
_WORDS = re.compile(r"^(?:[a-z]+\.?\s+)?(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})(?:.*)?$")
_DIGITS = re.compile(r"^\d{9,17}(?:\.\d+)?$")


class DateError(ValueError):
    """A value given as a date that cannot be read as one."""


def aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _checked(value: datetime) -> datetime:
    value = aware(value)
    if value < EARLIEST or value > timezone.now() + timedelta(days=1):
        raise DateError(value.date().isoformat())
    return value


def from_timestamp(value: str | int | float) -> datetime:
    """Seconds, milliseconds or microseconds since 1970 (browsers write all three)."""
    number = float(value)
    if number > 1e14:
        number /= 1_000_000
    elif number > 1e11:
        number /= 1000
    if not EARLIEST_TIMESTAMP <= number <= clock.time() + DAY:
        raise DateError(str(value))
    return datetime.fromtimestamp(number, tz=UTC)


def from_excel_serial(value: float, *, epoch: datetime = EXCEL_EPOCH) -> datetime:
    if not SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        raise DateError(str(value))
    return _checked(epoch + timedelta(days=float(value)))


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(value: Any, *, day_first: bool = True, epoch: datetime = EXCEL_EPOCH) -> datetime:
    """Read a cell or attribute as a date; raise DateError if it is not one.

    Numbers are Excel serials when they fall in the serial range, otherwise Unix timestamps.
    "03/04/2014" is the 3rd of April unless `day_first` is false; a first number above 12
    settles it either way.
    """
    if isinstance(value, datetime):
        return _checked(value)
    if isinstance(value, date):
        return _checked(datetime.combine(value, time()))
    if isinstance(value, bool):
        raise DateError(str(value))
    if isinstance(value, int | float):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return from_excel_serial(value, epoch=epoch)
        return from_timestamp(value)
    text = str(value).strip()
    if not text:
        raise DateError(text)
    if _DIGITS.match(text):
        return from_timestamp(text)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        pass
    else:
        if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            return from_excel_serial(number, epoch=epoch)
        raise DateError(text)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return _checked(datetime.fromisoformat(iso))
    except ValueError:
        pass
    match = _NUMERIC.match(text)
    if match:
        first, second, third, hour, minute, second_of_minute = match.groups()
        try:
            if len(first) == 4:  # 2014/03/26
                year, month, day = int(first), int(second), int(third)
            else:
                a, b = int(first), int(second)
                if a > 12 or (day_first and b <= 12):
                    day, month = a, b
                else:
                    month, day = a, b
                year = _year(third)
            moment = datetime(
                year,
                month,
                day,
                int(hour or 0),
                int(minute or 0),
                int(second_of_minute or 0),
            )
        except ValueError as error:
            raise DateError(text) from error
        return _checked(moment)
    match = _WORDS.match(fold(text))
    if match and match.group(2) in MONTHS:
        try:
            moment = datetime(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
        except ValueError as error:
            raise DateError(text) from error
        return _checked(moment)
    raise DateError(text)
