"""Dates, times and durations of events as people read them, in the event's time zone.

French typography by default (« mercredi 26 mars 2014, de 18 h à 19 h 45 », « 1 h 45 »); the
formats are translatable strings, so English reads « Wednesday 26 March 2014, 18:00 to 19:45 ».
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, pgettext

from maillage.events.models import Event


def local(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def date_text(moment: datetime, time_zone: str, *, weekday: bool = True) -> str:
    """« mercredi 26 mars 2014 » (or « 26 mars 2014 » without the weekday)."""
    return formats.date_format(local(moment, time_zone), "l j F Y" if weekday else "j F Y")


def time_text(moment: datetime, time_zone: str) -> str:
    """« 18 h », « 19 h 45 » in French; « 18:00 », « 19:45 » in English."""
    value = local(moment, time_zone)
    if value.minute == 0:
        return pgettext("time of day, on the hour", "%(hour)d:00") % {"hour": value.hour}
    return pgettext("time of day", "%(hour)d:%(minute)02d") % {
        "hour": value.hour,
        "minute": value.minute,
    }


def moment_text(moment: datetime, time_zone: str) -> str:
    """« 26 mars 2014 à 18 h »."""
    return gettext("%(date)s at %(time)s") % {
        "date": date_text(moment, time_zone, weekday=False),
        "time": time_text(moment, time_zone),
    }


def duration_text(duration: timedelta) -> str:
    """« 1 h 45 », « 2 h », « 45 min »; whole days and more in hours (« 26 h »)."""
    minutes = int(duration.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(minutes)d min") % {"minutes": minutes}


def time_zone_note(event: Event) -> str:
    """« (heure de New York) »-like note, only when the event is not in the site's time zone."""
    if event.time_zone == settings.TIME_ZONE:
        return ""
    return gettext("(%(zone)s time)") % {"zone": event.time_zone}


def when_text(event: Event) -> str:
    """« mercredi 26 mars 2014, de 18 h à 19 h 45 »; an event over several days says both dates."""
    zone = event.time_zone
    start, end = local(event.starts_at, zone), local(event.ends_at, zone)
    if start.date() == end.date():
        text = gettext("%(date)s, from %(start)s to %(end)s") % {
            "date": date_text(event.starts_at, zone),
            "start": time_text(event.starts_at, zone),
            "end": time_text(event.ends_at, zone),
        }
    else:
        text = gettext("from %(start)s to %(end)s") % {
            "start": moment_text(event.starts_at, zone),
            "end": moment_text(event.ends_at, zone),
        }
    note = time_zone_note(event)
    return f"{text} {note}" if note else text


def place_text(event: Event) -> str:
    """The place's name and address on one line (empty for an event only online)."""
    return ", ".join(part for part in (event.place_name, event.place_address) if part)
