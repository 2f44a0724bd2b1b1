"""Registering through the pages: members in one click, guests by email, the token pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.events.models import (
    CalendarFeedToken,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from tests.events.pages import add_registration, fill, html, make_event

pytestmark = pytest.mark.django_db


def register_url(event) -> str:  # type: ignore[no-untyped-def]
    return reverse("events:register", args=[event.slug])


# --- Members -------------------------------------------------------------------------------------


def test_member_registers_in_one_click(client, member, django_capture_on_commit_callbacks):
    event = make_event(capacity=15)
    client.force_login(member)
    page = html(client.get(event.get_absolute_url()))
    assert 'name="email"' not in page  # no form to fill: one button

    response = client.post(register_url(event), follow=True)

    registration = Registration.objects.get(event=event, user=member)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "You are registered." in html(response)
    # A second click says so, and registers nobody twice.
    response = client.post(register_url(event), follow=True)
    assert Registration.objects.filter(event=event).count() == 1


def test_member_lands_on_the_waiting_list_when_full(client, member):
    event = make_event(capacity=1)
    fill(event, 1)
    client.force_login(member)
    response = client.post(register_url(event), follow=True)
    assert Registration.objects.get(user=member).status == RegistrationStatus.WAITING
    assert "waiting list" in html(response)


def test_member_answers_the_event_questions(client, member):
    event = make_event()
    question = RegistrationQuestion.objects.create(
        event=event,
        label="Votre niveau ?",
        kind=QuestionKind.CHOICE,
        choices="Débutant\nConfirmé",
        required=True,
    )
    client.force_login(member)
    assert "Votre niveau ?" in html(client.get(event.get_absolute_url()))

    response = client.post(register_url(event))
    assert response.status_code == 400
    assert not Registration.objects.exists()

    client.post(register_url(event), {f"question_{question.pk}": "Confirmé"})
    registration = Registration.objects.get(user=member)
    assert [answer.value for answer in registration.answers.all()] == ["Confirmé"]


def test_registration_refused_before_it_opens(client, member):
    event = make_event(registration_opens_at=timezone.now() + timedelta(days=2))
    client.force_login(member)
    assert "Registration opens on" in html(client.get(event.get_absolute_url()))
    response = client.post(register_url(event), follow=True)
    assert not Registration.objects.exists()
    assert "not open" in html(response)


def test_anonymous_cannot_register_for_a_members_only_event(client):
    event = make_event(visibility="members")
    response = client.post(register_url(event), {"name": "X", "email": "x@example.org"})
    assert response.status_code == 404


# --- Guests --------------------------------------------------------------------------------------


def guest_data(**extra: str) -> dict[str, str]:
    return {"name": "Anne Invitée", "email": "anne@example.org", "profession": "archivist", **extra}


def test_guest_form_errors_are_shown_on_the_event_page(client):
    event = make_event()
    response = client.post(register_url(event), {"name": "", "email": "pas-une-adresse"})
    assert response.status_code == 400
    page = html(response)
    assert "Please correct the fields marked below." in page
    assert page.count("<h1") == 1
    assert not Registration.objects.exists()


def test_guest_registers_and_confirms_through_the_emailed_link(
    client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    event = make_event(title="Wikipédia en bibliothèque", capacity=15)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), guest_data(), follow=True)
    assert "we sent an email to anne@example.org" in html(response)
    registration = Registration.objects.get(email="anne@example.org")
    assert registration.status == RegistrationStatus.PENDING

    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["anne@example.org"]
    link = re.search(r"https?://\S+/confirmer/", mail.text())
    assert link, mail.text()
    path = link.group(0).removeprefix("http://testserver")
    assert path == reverse("events:confirm_guest", args=[registration.token])

    # Opening the link changes nothing by itself (link checkers open links too)...
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my registration" in html(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    # ...the button does.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, follow=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Your registration is confirmed." in html(response)
    assert registration.check_in_code in html(response)


def test_guest_answers_required_questions(client):
    event = make_event()
    question = RegistrationQuestion.objects.create(
        event=event, label="Vos attentes ?", kind=QuestionKind.TEXT, required=True
    )
    response = client.post(register_url(event), guest_data())
    assert response.status_code == 400
    assert not Registration.objects.exists()
    client.post(register_url(event), guest_data(**{f"question_{question.pk}": "Apprendre"}))
    assert Registration.objects.get().answers.get().value == "Apprendre"


def test_guest_registering_twice_is_told(client):
    event = make_event()
    add_registration(event, email="anne@example.org")
    response = client.post(register_url(event), guest_data(), follow=True)
    assert "already registered" in html(response)
    assert Registration.objects.count() == 1


def test_guest_registrations_are_limited_per_client(client, settings):
    settings.SIGNUP_RATE_LIMIT = 2
    event = make_event()
    for index in range(2):
        client.post(register_url(event), guest_data(email=f"g{index}@example.org"))
    response = client.post(register_url(event), guest_data(email="g3@example.org"))
    assert response.status_code == 429
    assert "Too many attempts" in html(response)
    assert Registration.objects.count() == 2


# --- The token pages -----------------------------------------------------------------------------


def test_registration_page_shows_state_and_place_in_line(client):
    event = make_event(capacity=1)
    fill(event, 1)
    first = add_registration(event, status=RegistrationStatus.WAITING)
    second = add_registration(event, status=RegistrationStatus.WAITING)
    response = client.get(reverse("events:registration", args=[second.token]))
    assert response.status_code == 200
    page = html(response)
    assert "number 2 in line" in page
    assert page.count("<h1") == 1
    assert "Your registration: " in page
    assert first.token not in page


def test_unknown_token_is_404(client):
    for name in ("registration", "cancel_registration", "accept_offer", "confirm_guest"):
        assert client.get(reverse(f"events:{name}", args=["nope"])).status_code == 404


def test_cancel_link_shows_a_page_then_the_button_cancels_and_offers_the_place(
    client, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    confirmed = add_registration(event)
    waiting = add_registration(event, status=RegistrationStatus.WAITING)
    url = reverse("events:cancel_registration", args=[confirmed.token])

    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, cancel my registration" in html(page)
    confirmed.refresh_from_db()
    assert confirmed.status == RegistrationStatus.CONFIRMED

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, follow=True)
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.OFFERED
    assert "Your registration is cancelled." in html(response)


def test_accept_offer_link_then_button(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    offered = add_registration(
        event,
        status=RegistrationStatus.OFFERED,
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(hours=20),
    )
    url = reverse("events:accept_offer", args=[offered.token])
    assert "Yes, I take the place" in html(client.get(url))
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.OFFERED
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.CONFIRMED


def test_decline_offer(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    offered = add_registration(
        event,
        status=RegistrationStatus.OFFERED,
        offered_at=timezone.now(),
        offer_expires_at=timezone.now() + timedelta(hours=20),
    )
    url = reverse("events:decline_offer", args=[offered.token])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.CANCELLED


def test_accept_link_for_a_registration_without_offer_says_so(client):
    event = make_event()
    confirmed = add_registration(event)
    response = client.get(reverse("events:accept_offer", args=[confirmed.token]), follow=True)
    assert "Nothing to do" in html(response)


# --- Calendars -----------------------------------------------------------------------------------


def test_event_ics_download(client):
    event = make_event(title="Wikipédia en bibliothèque")
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VCALENDAR" in response.content
    assert b"TZID" in response.content


def test_feeds(client):
    from maillage.core.models import Tag

    wiki = Tag.objects.create(name="Wikipédia")
    tagged = make_event(title="Atelier wiki")
    tagged.tags.add(wiki)
    make_event(title="Autre atelier", starts_in=timedelta(days=3))
    make_event(title="Brouillon", status=EventStatus.DRAFT)

    everything = client.get(reverse("events:feed"))
    assert everything.status_code == 200
    assert everything["Content-Type"].startswith("text/calendar")
    assert b"Atelier wiki" in everything.content and b"Autre atelier" in everything.content
    assert b"Brouillon" not in everything.content

    by_tag = client.get(reverse("events:tag_feed", args=["wikipedia"]))
    assert b"Atelier wiki" in by_tag.content and b"Autre atelier" not in by_tag.content
    assert client.get(reverse("events:tag_feed", args=["inconnu"])).status_code == 404


def test_member_private_feed_and_new_address(client, member):
    event = make_event(title="Mon atelier")
    add_registration(event, user=member)
    make_event(title="Pas le mien", starts_in=timedelta(days=4))
    client.force_login(member)

    page = html(client.get(reverse("events:my_calendar")))
    token = CalendarFeedToken.objects.get(user=member).token
    assert token in page
    client.logout()
    response = client.get(reverse("events:member_feed", args=[token]))
    assert response.status_code == 200
    assert b"Mon atelier" in response.content and b"Pas le mien" not in response.content

    client.force_login(member)
    client.post(reverse("events:my_calendar"))
    assert client.get(reverse("events:member_feed", args=[token])).status_code == 404
