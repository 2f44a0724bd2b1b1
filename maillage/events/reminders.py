"""Scheduled messages: reminders to participants; filling alerts and closing reminders to
organisers.

Each message is claimed before it is sent: a SentNotification row whose unique key (event,
person, kind, moment) is inserted in its own short transaction; an IntegrityError means it was
already claimed, so it is never sent twice, whether the periodic task runs again or the worker
restarts. The claim commits before the SMTP conversation so that SQLite's single write lock is
not held while a mail server answers; if sending fails the claim is removed and the next run
tries again. (A crash between the claim and the send loses that one message rather than sending
it twice.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.events import notifications
from maillage.events.models import (
    Event,
    EventStatus,
    NotificationKind,
    Registration,
    RegistrationStatus,
    SentNotification,
)

logger = logging.getLogger(__name__)

FILLING_THRESHOLDS = (
    (50, NotificationKind.FILLED_50),
    (80, NotificationKind.FILLED_80),
    (100, NotificationKind.FILLED_100),
)
CLOSE_REMINDER_DELAY = timedelta(days=2)
# Events that ended longer ago than this are not chased any more (nor those from before this
# feature existed).
CLOSE_REMINDER_GIVE_UP = timedelta(days=30)


def reminder_moments(event: Event) -> list[tuple[str, datetime]]:
    """When the event's reminders are due, in UTC, computed on the event's local wall clock.

    "2 days before" is two calendar days before at the same local time (so 09:00 stays 09:00
    across a daylight-saving change); "the morning of" is that day at `reminder_morning_at`
    local time, skipped when the event starts earlier.
    """
    zone = ZoneInfo(event.time_zone)
    start = event.starts_at.astimezone(zone)
    moments: list[tuple[str, datetime]] = []
    if event.reminder_days_before:
        day = start.date() - timedelta(days=event.reminder_days_before)
        moment = datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=zone)
        moments.append((NotificationKind.REMINDER_DAYS_BEFORE, moment.astimezone(ZoneInfo("UTC"))))
    if event.reminder_morning_at is not None:
        moment = datetime.combine(start.date(), event.reminder_morning_at, tzinfo=zone)
        if moment < start:
            moments.append((NotificationKind.REMINDER_MORNING, moment.astimezone(ZoneInfo("UTC"))))
    return moments


def _claim(
    *, event: Event, kind: str, scheduled_for: datetime, registration: Registration | None = None
) -> SentNotification | None:
    try:
        with transaction.atomic():
            return SentNotification.objects.create(
                event=event, registration=registration, kind=kind, scheduled_for=scheduled_for
            )
    except IntegrityError:
        return None


def _send_claimed(claims: list[SentNotification], send: Callable[[], object]) -> bool:
    try:
        send()
    except Exception:
        logger.exception(
            "Could not send %s for event %s; will retry", claims[0].kind, claims[0].event_id
        )
        SentNotification.objects.filter(pk__in=[claim.pk for claim in claims]).delete()
        return False
    return True


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders that are due; how many were sent."""
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now)
    for event in events:
        due = [(kind, moment) for kind, moment in reminder_moments(event) if moment <= now]
        if not due:
            continue
        # When several are due at once (the worker was down, or the days-before moment is
        # late at night), only the latest is worth sending.
        kind, moment = max(due, key=lambda item: item[1])
        # People who registered after the moment have just had their confirmation.
        registrations = event.registrations.filter(
            status=RegistrationStatus.CONFIRMED, confirmed_at__lte=moment
        ).exclude(email="")
        for registration in registrations:
            claim = _claim(event=event, registration=registration, kind=kind, scheduled_for=moment)
            if claim is None:
                continue
            registration.event = event
            send = partial(
                notifications.send_registration_email, registration, "reminder", reminder=kind
            )
            if _send_claimed([claim], send):
                sent += 1
    return sent


def alert_organisers_of_filling(*, event: Event, now: datetime | None = None) -> int | None:
    """Tell the organisers when the event passes 50 %, 80 % and 100 % full, once each.

    Returns the threshold announced, if any. Thresholds passed together (a small event, or the
    periodic sweep catching up) make one email, for the highest.
    """
    now = now or timezone.now()
    if not event.capacity or event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return None
    held = event.registrations.filter(
        status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
    ).count()
    claims: list[SentNotification] = []
    announced = None
    for percent, kind in FILLING_THRESHOLDS:
        if held * 100 < percent * event.capacity:
            break
        # The creation time is a fixed moment: these alerts do not re-arm if the event moves.
        claim = _claim(event=event, kind=kind, scheduled_for=event.created_at)
        if claim is not None:
            claims.append(claim)
            announced = percent
    if not claims:
        return None
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).count()
    if not _send_claimed(
        claims,
        lambda: notifications.send_organiser_email(
            event,
            "organiser_filling",
            percent=announced,
            held=held,
            capacity=event.capacity,
            waiting=waiting,
        ),
    ):
        return None
    return announced


def alert_organisers_of_filling_everywhere(*, now: datetime | None = None) -> int:
    """The periodic sweep behind the per-registration check (a missed task is caught here)."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, capacity__isnull=False
    )
    return sum(1 for event in events if alert_organisers_of_filling(event=event, now=now))


def send_close_reminders(*, now: datetime | None = None) -> int:
    """Remind the organisers to close (write the report of) events ended two days ago."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        ends_at__lte=now - CLOSE_REMINDER_DELAY,
        ends_at__gt=now - CLOSE_REMINDER_GIVE_UP,
    )
    sent = 0
    for event in events:
        moment = event.ends_at + CLOSE_REMINDER_DELAY
        claim = _claim(event=event, kind=NotificationKind.CLOSE_REMINDER, scheduled_for=moment)
        if claim is None:
            continue
        send = partial(notifications.send_organiser_email, event, "organiser_close_reminder")
        if _send_claimed([claim], send):
            sent += 1
    return sent
