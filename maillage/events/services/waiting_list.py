"""Cancelling, and the waiting list: freed places offered in order, offers that end.

The rules are in the package's docstring (maillage/events/services/__init__.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from maillage.core.db import write_transaction
from maillage.events.models import (
    PLACE_HOLDING_STATUSES,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from maillage.events.services.errors import OfferExpired, OfferNotAvailable, RegistrationClosed
from maillage.events.services.shared import (
    _copy_fields,
    _locked_event,
    _queue_email,
    _queue_filling_check,
    _reread,
    place_counts,
)

# Within this time before the start, a freed place is given at once rather than offered.
DIRECT_CONFIRMATION_WINDOW = timedelta(hours=2)
MINIMUM_OFFER = timedelta(hours=1)
# An offer never runs past this fraction of the time left before the start.
OFFER_SHARE_OF_REMAINING_TIME = 4


def offer_deadline(event: Event, now: datetime) -> datetime | None:
    """When an offer made at `now` ends; None when the event is too close for an offer."""
    remaining = event.starts_at - now
    if remaining <= DIRECT_CONFIRMATION_WINDOW:
        return None
    window = min(timedelta(hours=event.offer_hours), remaining / OFFER_SHARE_OF_REMAINING_TIME)
    return now + max(window, MINIMUM_OFFER)


def _fill_free_places(event: Event, now: datetime) -> list[Registration]:
    """Hand free places to the people waiting, in order (the event must be locked)."""
    if event.status != EventStatus.PUBLISHED or now >= event.starts_at:
        return []
    promoted: list[Registration] = []
    while True:
        if event.capacity is not None:
            held, _waiting = place_counts(event)
            if held >= event.capacity:
                break
        registration = (
            event.registrations.filter(status=RegistrationStatus.WAITING)
            .order_by("waiting_since", "pk")
            .first()
        )
        if registration is None:
            break
        deadline = offer_deadline(event, now)
        if deadline is None:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            _queue_email(registration, "confirmed", promoted=True)
        else:
            registration.status = RegistrationStatus.OFFERED
            registration.offered_at = now
            registration.offer_expires_at = deadline
            registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
            _queue_email(registration, "offer")
        promoted.append(registration)
    return promoted


def cancel_registration(*, registration: Registration) -> Registration:
    """One click: the registration ends and its place (if it held one) goes to the next in line.

    Cancelling twice is harmless. An event that is over (ended or closed) keeps its records.
    """
    with write_transaction():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = _reread(registration)
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if locked.status == EventStatus.CLOSED or now >= locked.ends_at:
            raise RegistrationClosed(gettext("This event is over: its registrations are kept."))
        held_a_place = current.status in PLACE_HOLDING_STATUSES
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        if locked.status == EventStatus.PUBLISHED:
            _queue_email(current, "registration_cancelled", had_place=held_a_place)
        if held_a_place:
            _fill_free_places(locked, now)
    _copy_fields(registration, current, ["status", "cancelled_at"])
    return current


def _expire_offers_of_event(event_id: int, now: datetime) -> int:
    with write_transaction():
        locked = _locked_event(event_id)
        expired = list(
            locked.registrations.filter(
                status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
            ).order_by("offer_expires_at", "pk")
        )
        for registration in expired:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
            _queue_email(registration, "offer_expired")
        if expired:
            _fill_free_places(locked, now)
    return len(expired)


def expire_offers(*, now: datetime | None = None) -> int:
    """End the offers past their deadline (each passes to the next person); how many ended."""
    now = now or timezone.now()
    event_ids = (
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(_expire_offers_of_event(event_id, now) for event_id in list(event_ids))


def _reread_offer(registration: Registration, *, answered: RegistrationStatus) -> Registration:
    """Re-read under the event's lock: still offered, or already answered this way (a second
    click changes nothing); anything else is no longer on offer."""
    current = _reread(registration)
    if current.status not in (answered, RegistrationStatus.OFFERED):
        raise OfferNotAvailable()
    return current


def accept_offer(*, registration: Registration) -> Registration:
    """One click: the offered place becomes the person's (a second click changes nothing)."""
    with write_transaction():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = _reread_offer(registration, answered=RegistrationStatus.CONFIRMED)
        if current.status == RegistrationStatus.CONFIRMED:
            return current
        expired = current.offer_expires_at is not None and current.offer_expires_at <= now
        if not expired:
            current.status = RegistrationStatus.CONFIRMED
            current.confirmed_at = now
            current.save(update_fields=["status", "confirmed_at"])
            current.event = locked
            _queue_email(current, "confirmed")
            _queue_filling_check(locked)
    if expired:
        # The periodic task may not have passed by yet: pass the place on now.
        _expire_offers_of_event(registration.event_id, now)
        raise OfferExpired()
    _copy_fields(registration, current, ["status", "confirmed_at"])
    return current


def decline_offer(*, registration: Registration) -> Registration:
    """One click: the person does not take the place; it goes to the next person waiting."""
    with write_transaction():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = _reread_offer(registration, answered=RegistrationStatus.CANCELLED)
        if current.status == RegistrationStatus.CANCELLED:
            return current
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        _fill_free_places(locked, now)
    _copy_fields(registration, current, ["status", "cancelled_at"])
    return current
