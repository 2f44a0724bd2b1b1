"""Template filters for event pages (durations as people write them, places left) and for the
pages of their reports (who came, « Compte-rendu de l’atelier du 26 mars 2014 »)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from maillage.events import attendance, dates, selectors
from maillage.events.models import EventKind

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """1 h 45, 2 h, 45 min, 1 h 05; whole days for long events (2 days, 2 days 3 h)."""
    if not isinstance(value, timedelta) or value.total_seconds() <= 0:
        return ""
    minutes_total = round(value.total_seconds() / 60)
    days, minutes_total = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(minutes_total, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours and minutes:
        parts.append(f"{hours}\u00a0h\u00a0{minutes:02d}")
    elif hours:
        parts.append(f"{hours}\u00a0h")
    elif minutes:
        parts.append(f"{minutes}\u00a0min")
    return " ".join(parts)


@register.filter
def places_left(event: Any) -> int | None:
    """Places still free (None: no limit); uses the list's annotation when present."""
    return selectors.places_left(event)


@register.filter
def split_names(value: str) -> list[str]:
    """Outside facilitators, typed as one comma-separated line."""
    return [name.strip() for name in (value or "").split(",") if name.strip()]


@register.filter
def when(event: Any) -> str:
    """« mercredi 26 mars 2014, de 18 h à 19 h 45 », in the event's time zone."""
    return dates.when_text(event)


@register.filter
def start_date(event: Any) -> str:
    """« 26 mars 2014 », in the event's time zone."""
    return dates.date_text(event.starts_at, event.time_zone, weekday=False)


@register.filter
def start_time(event: Any) -> str:
    """« 18 h », « 19 h 45 », in the event's time zone."""
    return dates.time_text(event.starts_at, event.time_zone)


@register.filter
def local_moment(moment: Any, time_zone: str) -> str:
    """« 26 mars 2014 à 18 h » for any datetime of an event (deadlines, opening dates)."""
    if moment is None:
        return ""
    return dates.moment_text(moment, time_zone)


@register.filter
def under_way(event: Any) -> bool:
    """The event has started and is not over yet."""
    now = timezone.now()
    return bool(event.starts_at <= now < event.ends_at)


@register.filter
def attendance_text(summary: attendance.AttendanceSummary | None) -> str:
    """« 15 personnes : 6 bibliothécaires, 3 documentalistes, … »."""
    return attendance.describe_attendance(summary) if summary is not None else ""


@register.filter
def report_of(event: Any) -> str:
    """« Compte-rendu de l’atelier du 26 mars 2014 » (French says « de l’atelier », « de la
    rencontre »…: one sentence per kind, written out so that makemessages finds each)."""
    date = dates.date_text(event.starts_at, event.time_zone, weekday=False).replace(" ", "\u00a0")
    texts = {
        EventKind.WORKSHOP: gettext("Report of the %(date)s workshop"),
        EventKind.MEETUP: gettext("Report of the %(date)s meetup"),
        EventKind.TRAINING: gettext("Report of the %(date)s training"),
        EventKind.TALK: gettext("Report of the %(date)s talk"),
    }
    return texts.get(event.kind, gettext("Report of the %(date)s event")) % {"date": date}
