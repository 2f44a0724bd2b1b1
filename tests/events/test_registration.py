"""Registering: members in one click, guests by email link, the waiting list, windows, answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from maillage.events import services
from maillage.events.models import (
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    RegistrationStatus,
)
from maillage.members.models import Institution, InstitutionKind, Profession
from tests.events.support import people, sent_to
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_gets_a_place_in_one_click_with_a_profile_snapshot(event):
    institution = Institution.objects.create(name="BU des Lices", kind=InstitutionKind.LIBRARY)
    user = UserFactory(
        display_name="Sophie Le Bihan",
        email="Sophie@Example.org",
        profession=Profession.DOCUMENTALIST,
        institution=institution,
    )
    with translation.override("en"):
        registration = services.register_member(event=event, user=user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None and registration.waiting_since is None
    assert (registration.name, registration.email) == ("Sophie Le Bihan", "sophie@example.org")
    assert registration.profession == Profession.DOCUMENTALIST
    assert registration.institution_name == "BU des Lices"
    assert registration.language == "en"
    assert len(registration.check_in_code) == 6


def test_when_full_people_join_the_waiting_list_in_arrival_order(event):
    users = people(6)
    registrations = [services.register_member(event=event, user=user) for user in users]
    assert [r.status for r in registrations] == ["confirmed"] * 3 + ["waiting"] * 3
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
    since = list(waiting.order_by("waiting_since").values_list("user", flat=True))
    assert since == [user.pk for user in users[3:]]
    stamps = [r.waiting_since for r in registrations[3:]]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    assert services.places_left(event) == 0


def test_waiting_since_is_strictly_increasing_even_on_the_same_clock_tick(event, monkeypatch):
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    registrations = [services.register_member(event=event, user=user) for user in people(6)]
    stamps = [r.waiting_since for r in registrations[3:]]
    assert stamps[0] == frozen
    assert stamps[0] < stamps[1] < stamps[2]


def test_no_limit_means_everyone_is_confirmed(coordinator):
    unlimited = EventFactory(capacity=None, created_by=coordinator)
    statuses = {services.register_member(event=unlimited, user=u).status for u in people(20)}
    assert statuses == {RegistrationStatus.CONFIRMED}
    assert services.places_left(unlimited) is None


def test_a_member_cannot_register_twice(event):
    user = UserFactory()
    services.register_member(event=event, user=user)
    with pytest.raises(services.AlreadyRegistered):
        services.register_member(event=event, user=user)
    assert Registration.objects.filter(event=event).count() == 1


def test_a_member_whose_address_is_already_registered_as_guest_is_refused(event):
    services.register_guest(
        event=event, name="Sophie", email="SOPHIE@example.org", profession="librarian"
    )
    user = UserFactory(email="sophie@example.org")
    with pytest.raises(services.AlreadyRegistered):
        services.register_member(event=event, user=user)


def test_a_guest_cannot_register_twice_whatever_the_case_of_the_address(event):
    first = services.register_guest(
        event=event, name="Yann Le Gall", email="yann@example.org", profession="documentalist"
    )
    services.confirm_guest(token=first.token)
    with translation.override("en"), pytest.raises(services.AlreadyRegistered) as raised:
        services.register_guest(
            event=event, name="Yann", email="  YANN@Example.ORG ", profession="documentalist"
        )
    assert "already registered" in str(raised.value)


def test_a_pending_guest_registering_again_gets_the_link_again(event, committed):
    with committed():
        services.register_guest(
            event=event, name="Yann", email="yann@example.org", profession="documentalist"
        )
    with (
        translation.override("en"),
        committed(),
        pytest.raises(services.AlreadyRegistered) as raised,
    ):
        services.register_guest(
            event=event, name="Yann", email="Yann@example.org", profession="documentalist"
        )
    assert "sent the link again" in str(raised.value)
    assert len(sent_to("yann@example.org")) == 2


def test_the_database_refuses_a_second_active_registration_for_an_address(event):
    RegistrationFactory(event=event, email="jo@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, email="JO@example.org")


def test_a_cancelled_registration_does_not_prevent_registering_again(event):
    user = UserFactory()
    first = services.register_member(event=event, user=user)
    services.cancel_registration(registration=first)
    again = services.register_member(event=event, user=user)
    assert again.pk != first.pk and again.status == RegistrationStatus.CONFIRMED


def test_a_guest_is_pending_until_the_link_is_opened(event, committed):
    with committed():
        registration = services.register_guest(
            event=event,
            name="  Maëlle   Rioual ",
            email="Maelle@Example.org",
            profession=Profession.STUDENT,
            language="en",
        )
    assert registration.status == RegistrationStatus.PENDING
    assert (registration.name, registration.email) == ("Maëlle Rioual", "maelle@example.org")
    [message] = sent_to("maelle@example.org")
    assert f"/inscription/{registration.token}/confirmer/" in message.body
    assert services.places_left(event) == 3  # a pending guest holds no place

    with committed():
        confirmed = services.confirm_guest(token=registration.token)
    assert confirmed.status == RegistrationStatus.CONFIRMED
    assert services.places_left(event) == 2
    # A second click changes nothing and sends nothing more.
    outbox = len(mail.outbox)
    assert services.confirm_guest(token=registration.token).status == RegistrationStatus.CONFIRMED
    assert len(mail.outbox) == outbox


def test_a_guest_confirming_a_full_event_joins_the_waiting_list(event):
    pending = services.register_guest(
        event=event, name="Léna", email="lena@example.org", profession="librarian"
    )
    for user in people(3):
        services.register_member(event=event, user=user)
    assert services.confirm_guest(token=pending.token).status == RegistrationStatus.WAITING


@pytest.mark.parametrize(
    ("name", "email", "profession"),
    [("", "a@example.org", ""), ("Jo", "not an address", ""), ("Jo", "a@example.org", "wizard")],
)
def test_guest_details_are_checked(event, name, email, profession):
    with pytest.raises(services.InvalidRegistration):
        services.register_guest(event=event, name=name, email=email, profession=profession)


def test_an_unknown_token_is_refused():
    with pytest.raises(services.UnknownRegistration):
        services.confirm_guest(token="nope")


@pytest.mark.parametrize(
    "change",
    [
        {"status": EventStatus.DRAFT},
        {"status": EventStatus.CANCELLED},
        {"status": EventStatus.CLOSED},
        {"starts_at": timezone.now() - timedelta(hours=1)},
        {"registration_opens_at": timezone.now() + timedelta(days=1)},
        {"registration_closes_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "cancelled", "closed", "started", "not-yet-open", "closed-window"],
)
def test_registration_windows(coordinator, change):
    starts_at = change.pop("starts_at", timezone.now() + timedelta(days=3))
    event = EventFactory(
        created_by=coordinator,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **change,
    )
    with pytest.raises(services.RegistrationClosed):
        services.register_member(event=event, user=UserFactory())
    with pytest.raises(services.RegistrationClosed):
        services.register_guest(event=event, name="Jo", email="jo@example.org", profession="")


def test_registration_window_messages_are_readable(coordinator):
    opens = timezone.now() + timedelta(days=1)
    event = EventFactory(created_by=coordinator, registration_opens_at=opens)
    with translation.override("fr"), pytest.raises(services.RegistrationClosed) as raised:
        services.register_member(event=event, user=UserFactory())
    assert str(raised.value).startswith("Les inscriptions ouvrent le ")


def test_registration_is_open_inside_its_window(coordinator):
    event = EventFactory(
        created_by=coordinator,
        registration_opens_at=timezone.now() - timedelta(days=1),
        registration_closes_at=timezone.now() + timedelta(days=1),
    )
    assert services.register_member(event=event, user=UserFactory()).status == "confirmed"


def test_a_guest_who_registered_before_the_window_closed_can_still_confirm(coordinator):
    event = EventFactory(
        created_by=coordinator, registration_closes_at=timezone.now() + timedelta(minutes=5)
    )
    pending = services.register_guest(event=event, name="Jo", email="jo@example.org", profession="")
    # The guest registered ten minutes ago; the window closed a minute ago.
    Registration.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    event.save()
    assert services.confirm_guest(token=pending.token).status == RegistrationStatus.CONFIRMED


def test_answers_to_the_event_questions_are_checked_and_kept(event):
    diet = RegistrationQuestion.objects.create(event=event, label="Régime ?", required=True)
    level = RegistrationQuestion.objects.create(
        event=event, label="Niveau", kind=QuestionKind.CHOICE, choices="débutant\nconfirmé"
    )
    user = UserFactory()
    with pytest.raises(services.InvalidRegistration):
        services.register_member(event=event, user=user, answers={level.pk: "débutant"})
    with pytest.raises(services.InvalidRegistration):
        services.register_member(event=event, user=user, answers={diet.pk: "x", level.pk: "expert"})
    with pytest.raises(services.InvalidRegistration):
        services.register_member(event=event, user=user, answers={diet.pk: "x", 999999: "?"})
    registration = services.register_member(
        event=event, user=user, answers={diet.pk: " végétarien ", level.pk: "confirmé"}
    )
    answers = dict(
        RegistrationAnswer.objects.filter(registration=registration).values_list(
            "question__label", "value"
        )
    )
    assert answers == {"Régime ?": "végétarien", "Niveau": "confirmé"}


def test_an_inactive_member_cannot_register(event):
    with pytest.raises(services.RegistrationClosed):
        services.register_member(event=event, user=UserFactory(is_active=False))


def test_confirmation_and_waiting_emails_go_out_after_the_commit(event, committed):
    users = people(4)
    with committed() as callbacks:
        for user in users:
            services.register_member(event=event, user=user)
    assert len(callbacks) >= 4
    assert [len(sent_to(user.email)) for user in users] == [1, 1, 1, 1]
    assert "ics" in sent_to(users[0].email)[0].attachments[0].get_filename()
    assert not sent_to(users[3].email)[0].attachments  # waiting: nothing for the calendar yet
