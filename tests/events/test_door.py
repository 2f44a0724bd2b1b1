"""At the door: check-in, undoing it, people who did not register."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maillage.events import services
from maillage.events.models import EventStatus, Registration, RegistrationStatus
from tests.events.support import people
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_check_in_and_undo(event, coordinator):
    registration = services.register_member(event=event, user=UserFactory())
    checked = services.check_in(registration=registration, by=coordinator)
    assert checked.checked_in_at is not None
    first_time = checked.checked_in_at
    assert services.check_in(registration=registration, by=coordinator).checked_in_at == first_time
    undone = services.undo_check_in(registration=registration, by=coordinator)
    assert undone.checked_in_at is None and undone.status == RegistrationStatus.CONFIRMED


def test_someone_waiting_who_is_at_the_door_gets_in(event, coordinator):
    registrations = [services.register_member(event=event, user=u) for u in people(4)]
    checked = services.check_in(registration=registrations[3], by=coordinator)
    assert checked.status == RegistrationStatus.CONFIRMED and checked.checked_in_at


def test_a_cancelled_registration_cannot_be_checked_in(event, coordinator):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    with pytest.raises(services.RegistrationError):
        services.check_in(registration=registration, by=coordinator)


def test_only_managers_check_in(event, coordinator):
    registration = RegistrationFactory(event=event)
    with pytest.raises(services.NotAllowed):
        services.check_in(registration=registration, by=UserFactory())
    facilitator = UserFactory()
    event.facilitators.add(facilitator)
    assert services.check_in(registration=registration, by=facilitator).checked_in_at


def test_check_in_needs_a_published_event(event, coordinator):
    registration = RegistrationFactory(event=event)
    event.status = EventStatus.DRAFT
    event.save()
    with pytest.raises(services.RegistrationError):
        services.check_in(registration=registration, by=coordinator)


def test_walk_ins_are_checked_in_at_once_even_past_capacity(event, coordinator):
    for user in people(3):
        services.register_member(event=event, user=user)
    first = services.add_walk_in(event=event, name="Léa Guen", by=coordinator)
    second = services.add_walk_in(
        event=event,
        name=" Erwan  Piriou ",
        email="Erwan@Example.org",
        profession="other",
        institution_name="Histoire locale",
        by=coordinator,
    )
    for walk_in in (first, second):
        assert walk_in.walk_in and walk_in.checked_in_at
        assert walk_in.status == RegistrationStatus.CONFIRMED
    assert (second.name, second.email) == ("Erwan Piriou", "erwan@example.org")
    assert Registration.objects.filter(event=event, status="confirmed").count() == 5
    # Several people without an address do not clash.
    services.add_walk_in(event=event, name="Sans adresse", by=coordinator)


def test_a_walk_in_whose_address_is_registered_checks_that_registration_in(event, coordinator):
    registration = services.register_guest(
        event=event, name="Léna", email="lena@example.org", profession="librarian"
    )
    found = services.add_walk_in(event=event, name="Léna", email="LENA@example.org", by=coordinator)
    assert found.pk == registration.pk
    assert found.status == RegistrationStatus.CONFIRMED and found.checked_in_at


def test_a_walk_in_who_is_a_member_is_linked_to_their_account(event, coordinator):
    member = UserFactory(email="karim@example.org")
    walk_in = services.add_walk_in(
        event=event, name="Karim", email="karim@example.org", by=coordinator
    )
    assert walk_in.user == member


def test_undoing_a_walk_in_removes_it(event, coordinator):
    walk_in = services.add_walk_in(event=event, name="Erreur", by=coordinator)
    undone = services.undo_check_in(registration=walk_in, by=coordinator)
    assert undone.status == RegistrationStatus.CANCELLED and undone.checked_in_at is None


def test_walk_in_details_are_checked(event, coordinator):
    with pytest.raises(services.InvalidRegistration):
        services.add_walk_in(event=event, name="  ", by=coordinator)
    with pytest.raises(services.InvalidRegistration):
        services.add_walk_in(event=event, name="Jo", email="jo@", by=coordinator)


def test_codes_are_unique_within_an_event(event):
    codes = {services.register_member(event=event, user=u).check_in_code for u in people(8)}
    assert len(codes) == 8
    assert all(len(code) == 6 and "O" not in code and "0" not in code for code in codes)


def test_the_checked_in_time_is_now(event, coordinator):
    registration = RegistrationFactory(event=event)
    before = timezone.now()
    checked = services.check_in(registration=registration, by=coordinator)
    assert before <= checked.checked_in_at <= timezone.now()
