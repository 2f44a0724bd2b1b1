"""Response deadlines in the institution's working time: its working days and hours (the
space's, shared with the review of posts), its holidays left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from maillage.inbox.models import InboxSettings
from maillage.voices.models import Space
from maillage.voices.working_hours import add_working_hours


def inbox_settings(space: Space) -> InboxSettings:
    """The space's inbox settings, made with the defaults the first time they are needed."""
    found = getattr(space, "_inbox_settings", None)
    if found is None:
        found, _created = InboxSettings.objects.get_or_create(space=space)
        space._inbox_settings = found  # type: ignore[attr-defined]
    return found


def settings_or_default(space: Space) -> InboxSettings:
    """The space's settings for reading only: the defaults (unsaved) when it has none yet, so
    that a public page never writes."""
    found = getattr(space, "_inbox_settings", None)
    if found is None:
        found = InboxSettings.objects.filter(space=space).first() or InboxSettings(space=space)
    return found


@dataclass(frozen=True)
class Deadlines:
    deadline: datetime
    reminder_at: datetime | None


def working_time_after(space: Space, start: datetime, hours: float) -> datetime:
    inbox = inbox_settings(space)
    return add_working_hours(
        start,
        hours,
        days=space.working_weekdays(),
        day_start=space.working_day_start,
        day_end=space.working_day_end,
        holidays=set(inbox.holidays.values_list("day", flat=True)),
    )


def deadlines_for(space: Space, received_at: datetime) -> Deadlines:
    """When the first answer is due, and when to remind the assignee (0 hours: never)."""
    inbox = inbox_settings(space)
    deadline = working_time_after(space, received_at, inbox.response_hours)
    reminder_at = None
    if inbox.reminder_hours:
        reminder_at = working_time_after(
            space, received_at, inbox.response_hours - inbox.reminder_hours
        )
    return Deadlines(deadline=deadline, reminder_at=reminder_at)
