"""The emails through a real SMTP server: French by default, plain text + HTML, .ics parsed back."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from icalendar import Calendar

from maillage.events import services
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def workshop(coordinator, settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://docarennes.example"
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@docarennes.example>"
    starts_at = datetime(2027, 3, 26, 18, 0, tzinfo=PARIS)
    return EventFactory(
        title="Les réseaux sociaux, nos institutions et nous",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=45),
        place_name="Musée de la Vilaine",
        place_address="12 quai Lamennais, Rennes",
        capacity=1,
        created_by=coordinator,
    )


def ics_of(mail) -> Calendar:  # type: ignore[no-untyped-def]
    parts = [part for part in mail.message.iter_attachments() if part.get_filename()]
    [part] = parts
    assert part.get_filename() == "invitation.ics"
    assert part.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(part.get_content())
    assert part.get_param("method") == str(calendar["METHOD"])
    return calendar


def test_confirmation_in_french_with_the_ics(smtp_server, workshop, committed):
    member = UserFactory(email="sophie@example.org", display_name="Sophie Le Bihan")
    with translation.override("fr"), committed():
        registration = services.register_member(event=workshop, user=member)
    [mail] = smtp_server.to("sophie@example.org")
    assert mail.envelope_to == ["sophie@example.org"]
    assert mail.message["From"] == '"Doc@Rennes" <noreply@docarennes.example>'
    assert mail.subject.strip() == (
        "Inscription confirmée\u00a0: Les réseaux sociaux, nos institutions et nous"
    )
    text = mail.text()
    assert "Bonjour Sophie Le Bihan," in text
    assert "vendredi 26 mars 2027, de 18\u00a0h à 19\u00a0h\u00a045" in text
    assert "Musée de la Vilaine, 12 quai Lamennais, Rennes" in text
    assert registration.check_in_code in text
    cancel = f"https://docarennes.example/ateliers/inscription/{registration.token}/annuler/"
    assert cancel in text
    html = mail.html()
    assert '<html lang="fr">' in html and f'href="{cancel}"' in html
    assert registration.check_in_code in html

    calendar = ics_of(mail)
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start == datetime(2027, 3, 26, 18, 0, tzinfo=PARIS)
    assert event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == "mailto:sophie@example.org"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_a_registration_made_in_english_is_answered_in_english(smtp_server, workshop, committed):
    member = UserFactory(email="jo@example.org", display_name="Jo")
    with translation.override("en"), committed():
        services.register_member(event=workshop, user=member)
    [mail] = smtp_server.to("jo@example.org")
    assert mail.subject.strip().startswith("Registration confirmed: ")
    assert "Friday 26 March 2027, from 18:00 to 19:45" in mail.text()
    assert '<html lang="en">' in mail.html()


def test_the_guest_link_the_waiting_list_the_offer_and_its_links(smtp_server, workshop, committed):
    # Django's SMTP backend returns once the server has accepted each message: no waiting.
    with committed():
        services.register_member(event=workshop, user=UserFactory(email="first@example.org"))
        guest = services.register_guest(
            event=workshop, name="Léna Gicquel", email="lena@example.org", profession="librarian"
        )
    [link_mail] = smtp_server.to("lena@example.org")
    assert link_mail.subject.strip().startswith("Confirmez votre inscription")
    confirm = f"https://docarennes.example/ateliers/inscription/{guest.token}/confirmer/"
    assert confirm in link_mail.text() and confirm in link_mail.html()
    assert not list(link_mail.message.iter_attachments())

    with committed():
        services.confirm_guest(token=guest.token)
    assert (
        smtp_server.to("lena@example.org")[-1].subject.strip().startswith("Vous êtes sur la liste")
    )

    first = workshop.registrations.get(email="first@example.org")
    with committed():
        services.cancel_registration(registration=first)
    offer = smtp_server.to("lena@example.org")[-1]
    assert offer.subject.strip().startswith("Une place vous attend")
    for action in ("accepter", "refuser"):
        url = f"https://docarennes.example/ateliers/inscription/{guest.token}/{action}/"
        assert url in offer.text() and url in offer.html()
    assert " avant le " in offer.text()

    cancelled = smtp_server.to("first@example.org")[-1]
    assert str(ics_of(cancelled)["METHOD"]) == "CANCEL"
    # The organiser heard that the workshop was full, once.
    [full] = smtp_server.to("claire@example.org")
    assert full.subject.strip().startswith("Complet")


def test_moving_the_event_sends_sequence_one(smtp_server, workshop, coordinator, committed):
    with committed():
        services.register_member(event=workshop, user=UserFactory(email="s@example.org"))
    workshop.place_name = "Bibliothèque de Maurepas"
    with committed():
        services.save_event(event=workshop, by=coordinator)
    [_, update] = smtp_server.to("s@example.org")
    calendar = ics_of(update)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert calendar.events[0]["SEQUENCE"] == 1
    assert str(calendar.events[0]["LOCATION"]).startswith("Bibliothèque de Maurepas")
    assert "Bibliothèque de Maurepas" in update.text()
