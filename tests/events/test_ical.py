"""iCalendar: one event's .ics for each method, feeds, and the members' feed tokens."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from icalendar import Calendar

from maillage.events import ical, services
from maillage.events.models import CalendarFeedToken, EventStatus
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def workshop(coordinator):  # type: ignore[no-untyped-def]
    return EventFactory(
        title="Les réticences institutionnelles",
        summary="Un atelier participatif.",
        description="Pourquoi nos collègues hésitent.\n\n- la peur\n- le temps",
        starts_at=datetime(2026, 3, 29, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 3, 29, 10, 45, tzinfo=PARIS),
        place_name="Musée de la Vilaine",
        place_address="12 quai Lamennais, Rennes",
        online_url="https://visio.example.org/atelier",
        created_by=coordinator,
    )


def test_publish_has_a_time_zone_and_local_times(workshop, settings):
    settings.SITE_URL = "https://docarennes.example"
    calendar = Calendar.from_ical(ical.event_ics(workshop))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Paris"
    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start == datetime(2026, 3, 29, 9, 0, tzinfo=PARIS)
    assert event.end.utcoffset().total_seconds() == 7200  # summer time from that morning
    assert str(event["UID"]) == f"{workshop.ical_uid}@docarennes.example"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Les réticences institutionnelles"
    assert str(event["LOCATION"]) == "Musée de la Vilaine, 12 quai Lamennais, Rennes"
    assert str(event["URL"]) == f"https://docarennes.example{workshop.get_absolute_url()}"
    description = str(event["DESCRIPTION"])
    assert "Pourquoi nos collègues hésitent." in description
    # The online link is for people with a place, not for the public file.
    assert "visio.example.org" not in ical.event_ics(workshop).decode()
    assert "ORGANIZER" not in event and "ATTENDEE" not in event


def test_the_raw_file_says_tzid_and_folds_long_lines(workshop):
    raw = ical.event_ics(workshop).decode()
    assert "DTSTART;TZID=Europe/Paris:20260329T090000" in raw
    assert "\r\n" in raw
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))


def test_request_names_the_organizer_and_the_attendee(workshop, settings):
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@docarennes.example>"
    registration = RegistrationFactory(event=workshop, name="Sophie Le Bihan", email="s@x.org")
    [event] = Calendar.from_ical(
        ical.event_ics(workshop, method="REQUEST", registration=registration)
    ).events
    assert str(event["ORGANIZER"]) == "mailto:noreply@docarennes.example"
    assert event["ORGANIZER"].params["CN"] == "Doc@Rennes"
    assert "https://visio.example.org/atelier" in str(event["DESCRIPTION"])
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:s@x.org"
    assert attendee.params["CN"] == "Sophie Le Bihan"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["RSVP"] == "FALSE"


def test_the_online_link_goes_only_to_people_with_a_place(workshop):
    workshop.place_name = workshop.place_address = ""
    waiting = RegistrationFactory(event=workshop, status="waiting", confirmed_at=None)
    confirmed = RegistrationFactory(event=workshop)
    with translation.override("fr"):
        [public] = Calendar.from_ical(ical.event_ics(workshop)).events
        [for_waiting] = Calendar.from_ical(
            ical.event_ics(workshop, method="REQUEST", registration=waiting)
        ).events
    [for_confirmed] = Calendar.from_ical(
        ical.event_ics(workshop, method="REQUEST", registration=confirmed)
    ).events
    assert str(public["LOCATION"]) == str(for_waiting["LOCATION"]) == "En ligne"
    assert str(for_confirmed["LOCATION"]) == "https://visio.example.org/atelier"
    feed = ical.calendar_feed([workshop], name="x", include_online_links=True).decode()
    assert "visio.example.org" in feed
    assert "visio.example.org" not in ical.calendar_feed([workshop], name="x").decode()


def test_cancel_says_cancelled(workshop):
    workshop.status = EventStatus.CANCELLED
    workshop.ical_sequence = 3
    calendar = Calendar.from_ical(ical.event_ics(workshop, method="CANCEL"))
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.events
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 3


def test_unknown_methods_are_refused(workshop):
    with pytest.raises(ValueError):
        ical.event_ics(workshop, method="REPLY")


def test_other_time_zones_are_kept(coordinator):
    montreal = ZoneInfo("America/Montreal")
    event = EventFactory(
        created_by=coordinator,
        time_zone="America/Montreal",
        starts_at=datetime(2026, 10, 25, 14, 0, tzinfo=montreal),
        ends_at=datetime(2026, 10, 25, 16, 0, tzinfo=montreal),
    )
    calendar = Calendar.from_ical(ical.event_ics(event))
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Montreal"]
    assert calendar.events[0].start == datetime(2026, 10, 25, 14, 0, tzinfo=montreal)


def test_a_feed_holds_every_event_and_one_time_zone(workshop, coordinator):
    other = EventFactory(created_by=coordinator, title="Rencontre")
    cancelled = EventFactory(created_by=coordinator, title="Annulé", status=EventStatus.CANCELLED)
    calendar = Calendar.from_ical(
        ical.calendar_feed([workshop, other, cancelled], name="Doc@Rennes")
    )
    assert str(calendar["X-WR-CALNAME"]) == "Doc@Rennes"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(e["SUMMARY"]) for e in calendar.events] == [
        "Les réticences institutionnelles",
        "Rencontre",
        "Annulé",
    ]
    assert [str(e["STATUS"]) for e in calendar.events][-1] == "CANCELLED"
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_an_empty_feed_is_a_valid_calendar():
    calendar = Calendar.from_ical(ical.calendar_feed([], name="Vide"))
    assert calendar.events == []


def test_feed_tokens_are_made_once_and_regenerated_on_demand(db):
    user = UserFactory()
    token = services.feed_token_for(user)
    assert services.feed_token_for(user).token == token.token
    renewed = services.regenerate_feed_token(user)
    assert renewed.pk == token.pk and renewed.token != token.token
    assert CalendarFeedToken.objects.get(user=user).token == renewed.token
    other = UserFactory()
    assert ical.regenerate_feed_token(other).token != renewed.token
