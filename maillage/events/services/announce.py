"""Announcing: create and edit events, publish them, cancel them (everyone is told)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core import search
from maillage.core.db import write_transaction
from maillage.core.models import Tag
from maillage.events.models import (
    ACTIVE_STATUSES,
    Event,
    EventStatus,
    RegistrationStatus,
)
from maillage.events.services.errors import InvalidTransition, NotAllowed
from maillage.events.services.shared import (
    _copy_fields,
    _locked_event,
    _queue_email,
    _queue_filling_check,
    _require_manager,
)
from maillage.events.services.waiting_list import _fill_free_places
from maillage.members.models import User

# Changing one of these on a published event sends an update (.ics REQUEST) to people confirmed.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "place_name", "place_address", "online_url")


def _validate_event(event: Event) -> None:
    try:
        ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            {"time_zone": _("Unknown time zone “%(zone)s”.") % {"zone": event.time_zone}}
        ) from error
    # The slug is made on save from the title; the counters are the services' business.
    event.full_clean(exclude=["slug", "ical_uid", "ical_sequence"])


def save_event(*, event: Event, by: User, tag_names: str | None = None) -> Event:
    """Create or change an event (its status changes only through the named transitions).

    A new event needs a coordinator (as the issue says: coordinators create events); an existing
    one, someone who manages it. When a published event's date, time, place or link changes, its
    iCalendar SEQUENCE grows and every confirmed person receives the update (METHOD:REQUEST).
    Raising the capacity offers the new places to the people waiting.
    """
    is_new = event.pk is None
    if is_new:
        if not by.is_coordinator:
            raise NotAllowed(_("Only coordinators can create events."))
        if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
            raise InvalidTransition()
        if event.created_by_id is None:
            event.created_by = by
    else:
        _require_manager(by, event)
    _validate_event(event)
    with write_transaction():
        now = timezone.now()
        schedule_changed = capacity_grew = False
        if is_new:
            if event.status == EventStatus.PUBLISHED and event.published_at is None:
                event.published_at = now
        else:
            before = _locked_event(event.pk)
            if event.status != before.status:
                raise InvalidTransition(
                    _("Publish, cancel or close the event with the matching action.")
                )
            published = before.status == EventStatus.PUBLISHED
            schedule_changed = published and any(
                getattr(before, name) != getattr(event, name) for name in SCHEDULE_FIELDS
            )
            capacity_grew = published and (
                (before.capacity is not None and event.capacity is None)
                or (
                    before.capacity is not None
                    and event.capacity is not None
                    and event.capacity > before.capacity
                )
            )
            event.ical_sequence = before.ical_sequence + (1 if schedule_changed else 0)
        event.save()
        if is_new and not event.organisers.exists():
            event.organisers.add(by)
        if tag_names is not None:
            event.tags.set(Tag.objects.for_names(tag_names))
        if schedule_changed:
            sequence = event.ical_sequence
            for registration in event.registrations.filter(status=RegistrationStatus.CONFIRMED):
                _queue_email(registration, "event_updated", sequence=sequence)
        if capacity_grew:
            _fill_free_places(event, now)
            _queue_filling_check(event)
        search.index(event)
    return event


def publish_event(*, event: Event, by: User) -> Event:
    """draft → published: the event is announced and open to registration (within its dates)."""
    _require_manager(by, event)
    with write_transaction():
        locked = _locked_event(event.pk)
        if locked.status != EventStatus.DRAFT:
            raise InvalidTransition(_("Only a draft can be published."))
        locked.status = EventStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        search.index(locked)
    _copy_fields(event, locked, ["status", "published_at", "updated_at"])
    return event


def cancel_event(*, event: Event, by: User, message: str = "") -> Event:
    """published → cancelled: everyone still registered gets the news and a METHOD:CANCEL .ics.

    Registrations keep their status (they tell who had signed up); the event refuses new ones.
    """
    _require_manager(by, event)
    with write_transaction():
        locked = _locked_event(event.pk)
        if locked.status != EventStatus.PUBLISHED:
            raise InvalidTransition(_("Only a published event can be cancelled."))
        locked.status = EventStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.ical_sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "ical_sequence", "updated_at"])
        for registration in locked.registrations.filter(status__in=ACTIVE_STATUSES):
            _queue_email(registration, "event_cancelled", message=message.strip())
    _copy_fields(event, locked, ["status", "cancelled_at", "ical_sequence", "updated_at"])
    return event
