"""What the services share: who manages an event, the event lock, queued emails, counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation

from maillage.core.db import lock_for_update
from maillage.events import dates
from maillage.events.models import (
    PLACE_HOLDING_STATUSES,
    Event,
    Registration,
    RegistrationStatus,
)
from maillage.events.services.errors import NotAllowed
from maillage.members.models import User


def can_manage_event(user: User | None, event: Event) -> bool:
    """Organisers, facilitators, the event's creator and coordinators manage an event."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_coordinator or (event.created_by_id is not None and event.created_by_id == user.pk):
        return True
    if event.pk is None:
        return False
    return (
        event.organisers.filter(pk=user.pk).exists()
        or event.facilitators.filter(pk=user.pk).exists()
    )


def _require_manager(user: User, event: Event) -> None:
    if not can_manage_event(user, event):
        raise NotAllowed()


def _locked_event(event_id: int) -> Event:
    """The event, re-read with its row locked until the transaction ends (see module doc)."""
    return lock_for_update(Event.objects.filter(pk=event_id)).get()


def _reread(registration: Registration) -> Registration:
    return Registration.objects.select_related("event").get(pk=registration.pk)


def _copy_fields(target: object, source: object, names: Iterable[str]) -> None:
    """Keep the caller's instance in step with the row the service saved."""
    for name in names:
        setattr(target, name, getattr(source, name))


def _current_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def _local_date(moment: datetime, event: Event) -> str:
    return dates.moment_text(moment, event.time_zone)


def _queue_email(registration: Registration, kind: str, **extra: object) -> None:
    """Send one of notifications.REGISTRATION_EMAILS once the transaction commits."""
    if not registration.email:
        return
    from maillage.events import tasks

    registration_id = registration.pk
    transaction.on_commit(lambda: tasks.send_registration_email(registration_id, kind, **extra))


def _queue_filling_check(event: Event) -> None:
    if event.capacity:
        from maillage.events import tasks

        event_id = event.pk
        transaction.on_commit(lambda: tasks.check_event_filling(event_id))


def place_counts(event: Event) -> tuple[int, int]:
    """(places held, people waiting): an offered place is held until its offer ends."""
    counts = Registration.objects.filter(event=event).aggregate(
        held=Count("pk", filter=Q(status__in=PLACE_HOLDING_STATUSES)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return counts["held"], counts["waiting"]


def places_left(event: Event) -> int | None:
    """Places still free (None: no limit). Walk-ins may push the count of people past capacity."""
    if event.capacity is None:
        return None
    held, _waiting = place_counts(event)
    return max(event.capacity - held, 0)
