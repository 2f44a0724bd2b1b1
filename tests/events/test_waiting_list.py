"""Freed places: offers in waiting-list order, their deadline, expiry, accepting and declining."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from maillage.events import services
from maillage.events.models import Registration, RegistrationStatus
from tests.events.support import people, sent_to
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def full_event_with_waiting_list(event, waiting=3):  # type: ignore[no-untyped-def]
    """Three confirmed, then `waiting` people in line; returns (confirmed, waiting) lists."""
    registrations = [
        services.register_member(event=event, user=user) for user in people(3 + waiting)
    ]
    return registrations[:3], registrations[3:]


def reload(registration: Registration) -> Registration:
    registration.refresh_from_db()
    return registration


def test_cancelling_offers_the_place_to_the_first_person_waiting(event, committed):
    confirmed, waiting = full_event_with_waiting_list(event)
    with committed():
        cancelled = services.cancel_registration(registration=confirmed[1])
    assert cancelled.status == RegistrationStatus.CANCELLED and cancelled.cancelled_at
    assert reload(waiting[0]).status == RegistrationStatus.OFFERED
    assert reload(waiting[1]).status == RegistrationStatus.WAITING
    # The offered place is held: nobody new can take it.
    assert services.places_left(event) == 0
    assert services.register_member(event=event, user=people(1)[0]).status == "waiting"

    [offer] = sent_to(waiting[0].email)[-1:]
    assert f"/inscription/{waiting[0].token}/accepter/" in offer.body
    assert f"/inscription/{waiting[0].token}/refuser/" in offer.body


def test_order_is_by_arrival_on_the_list_not_by_id(event):
    _confirmed, waiting = full_event_with_waiting_list(event)
    # The last one in line arrived first (an older waiting_since): they are offered first.
    Registration.objects.filter(pk=waiting[2].pk).update(
        waiting_since=waiting[0].waiting_since - timedelta(minutes=1)
    )
    services.cancel_registration(registration=_confirmed[0])
    assert reload(waiting[2]).status == RegistrationStatus.OFFERED
    assert reload(waiting[0]).status == RegistrationStatus.WAITING


def test_cancelling_twice_is_harmless_and_cancelling_a_waiting_place_offers_nothing(event):
    confirmed, waiting = full_event_with_waiting_list(event)
    services.cancel_registration(registration=waiting[0])
    services.cancel_registration(registration=waiting[0])
    assert [reload(r).status for r in waiting] == ["cancelled", "waiting", "waiting"]
    assert all(reload(r).status == "confirmed" for r in confirmed)


def test_accepting_the_offer_confirms_and_a_second_click_changes_nothing(event, committed):
    confirmed, waiting = full_event_with_waiting_list(event)
    services.cancel_registration(registration=confirmed[0])
    with committed():
        accepted = services.accept_offer(registration=waiting[0])
    assert accepted.status == RegistrationStatus.CONFIRMED and accepted.confirmed_at
    assert services.accept_offer(registration=waiting[0]).status == RegistrationStatus.CONFIRMED
    assert sent_to(waiting[0].email)[-1].attachments  # the confirmation with its .ics


def test_only_an_offered_registration_can_be_accepted(event):
    _confirmed, waiting = full_event_with_waiting_list(event)
    with pytest.raises(services.OfferNotAvailable):
        services.accept_offer(registration=waiting[0])


def test_declining_passes_the_place_to_the_next_person(event):
    confirmed, waiting = full_event_with_waiting_list(event)
    services.cancel_registration(registration=confirmed[0])
    services.decline_offer(registration=waiting[0])
    assert reload(waiting[0]).status == RegistrationStatus.CANCELLED
    assert reload(waiting[1]).status == RegistrationStatus.OFFERED
    with pytest.raises(services.OfferNotAvailable):
        services.decline_offer(registration=waiting[2])


def test_an_expired_offer_passes_to_the_next_person_and_the_first_is_cancelled(event, committed):
    with translation.override("en"):  # the registrations' language, for the emails
        confirmed, waiting = full_event_with_waiting_list(event)
    services.cancel_registration(registration=confirmed[0])
    deadline = reload(waiting[0]).offer_expires_at
    assert services.expire_offers(now=deadline - timedelta(seconds=1)) == 0
    with committed():
        assert services.expire_offers(now=deadline) == 1
    assert reload(waiting[0]).status == RegistrationStatus.CANCELLED
    assert reload(waiting[1]).status == RegistrationStatus.OFFERED
    assert reload(waiting[1]).offered_at == deadline
    assert reload(waiting[2]).status == RegistrationStatus.WAITING
    expired_notice = sent_to(waiting[0].email)[-1]
    assert "not accepted in time" in expired_notice.body
    assert "you can register again" in expired_notice.body
    # Running the periodic work again does nothing more.
    assert services.expire_offers(now=deadline) == 0


def test_accepting_too_late_is_refused_and_the_place_passes_on(event):
    confirmed, waiting = full_event_with_waiting_list(event)
    services.cancel_registration(registration=confirmed[0])
    Registration.objects.filter(pk=waiting[0].pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with translation.override("en"):
        with pytest.raises(services.OfferExpired) as raised:
            services.accept_offer(registration=waiting[0])
        # The message is lazy: it speaks the language of whoever reads it.
        assert "offered to the next person" in str(raised.value)
    assert reload(waiting[0]).status == RegistrationStatus.CANCELLED
    assert reload(waiting[1]).status == RegistrationStatus.OFFERED


def test_the_expired_person_may_register_again_at_the_end_of_the_list(event):
    confirmed, waiting = full_event_with_waiting_list(event)
    services.cancel_registration(registration=confirmed[0])
    services.expire_offers(now=reload(waiting[0]).offer_expires_at)
    again = services.register_member(event=event, user=waiting[0].user)
    assert again.status == RegistrationStatus.WAITING
    assert again.waiting_since > reload(waiting[2]).waiting_since


# --- The offer's deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_in", "offer_hours", "expected"),
    [
        (timedelta(days=10), 24, timedelta(hours=24)),  # far away: the event's setting
        (timedelta(days=10), 48, timedelta(hours=48)),
        (timedelta(hours=40), 24, timedelta(hours=10)),  # a quarter of the time left
        (timedelta(hours=6), 24, timedelta(hours=1, minutes=30)),
        (timedelta(hours=3), 24, timedelta(hours=1)),  # never less than an hour
        (timedelta(days=10), 0, timedelta(hours=1)),
    ],
)
def test_offer_deadline_rule(coordinator, starts_in, offer_hours, expected):
    now = timezone.now()
    event = EventFactory(
        created_by=coordinator,
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(hours=2),
        offer_hours=offer_hours,
    )
    assert services.offer_deadline(event, now) == now + expected


def test_no_offer_within_two_hours_of_the_start(coordinator):
    now = timezone.now()
    event = EventFactory(
        created_by=coordinator, starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=4)
    )
    assert services.offer_deadline(event, now) is None


def test_close_to_the_start_the_next_person_is_confirmed_at_once(coordinator, committed):
    now = timezone.now()
    event = EventFactory(
        created_by=coordinator,
        capacity=1,
        starts_at=now + timedelta(minutes=90),
        ends_at=now + timedelta(minutes=195),
    )
    first, second = (services.register_member(event=event, user=u) for u in people(2))
    with committed():
        services.cancel_registration(registration=first)
    assert reload(second).status == RegistrationStatus.CONFIRMED
    [*_, message] = sent_to(second.email)
    assert message.attachments  # a confirmation with its .ics, not an offer


def test_an_offer_made_a_few_hours_before_ends_well_before_the_start(coordinator):
    now = timezone.now()
    event = EventFactory(
        created_by=coordinator,
        capacity=1,
        starts_at=now + timedelta(hours=8),
        ends_at=now + timedelta(hours=10),
    )
    first, second = (services.register_member(event=event, user=u) for u in people(2))
    services.cancel_registration(registration=first)
    deadline = reload(second).offer_expires_at
    assert deadline is not None
    assert timedelta(hours=1, minutes=59) < deadline - now <= timedelta(hours=2, seconds=5)


def test_after_the_start_freed_places_go_to_no_one(coordinator):
    now = timezone.now()
    event = EventFactory(
        created_by=coordinator,
        capacity=1,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=2),
    )
    first, second = (services.register_member(event=event, user=u) for u in people(2))
    event.starts_at = now - timedelta(minutes=10)
    event.save()
    services.cancel_registration(registration=first)
    assert reload(second).status == RegistrationStatus.WAITING


def test_an_event_that_is_over_keeps_its_registrations(coordinator):
    now = timezone.now()
    event = EventFactory(created_by=coordinator)
    registration = services.register_member(event=event, user=people(1)[0])
    event.starts_at, event.ends_at = now - timedelta(hours=3), now - timedelta(hours=1)
    event.save()
    with pytest.raises(services.RegistrationClosed):
        services.cancel_registration(registration=registration)


def test_more_places_go_to_the_people_waiting(event, coordinator):
    _confirmed, waiting = full_event_with_waiting_list(event)
    event.capacity = 5
    services.save_event(event=event, by=coordinator)
    assert [reload(r).status for r in waiting] == ["offered", "offered", "waiting"]
