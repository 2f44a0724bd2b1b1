"""The events demo: the seed's workshop closed with who came (its one report is an article),
events to come, loadable twice."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from maillage.articles.models import Article
from maillage.events import demo, services
from maillage.events.attendance import describe_attendance, recorded_attendance
from maillage.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
)
from maillage.members.demo import FACILITATOR_EMAIL

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = list(
        Event.objects.order_by("slug").values_list(
            "slug", "title", "starts_at", "status", "capacity", "ical_uid"
        )
    )
    rows += list(
        Registration.objects.order_by("event__slug", "email").values_list(
            "event__slug", "email", "status", "token", "check_in_code", "waiting_since"
        )
    )
    rows += list(
        Event.objects.order_by("slug").values_list(
            "slug", "attendees_count", "professions_present", "institutions_present", "closed_at"
        )
    )
    rows.append(("answers", RegistrationAnswer.objects.count()))
    return rows


def test_loading_twice_changes_nothing():
    assert "events" in load()
    first = snapshot()
    load()
    assert snapshot() == first


def test_the_workshop_of_26_march_2014():
    load()
    event = Event.objects.get(slug=demo.FIRST_WORKSHOP_SLUG)
    local_start = timezone.localtime(event.starts_at, timezone=demo.PARIS)
    assert (local_start.date().isoformat(), local_start.hour) == ("2014-03-26", 18)
    assert event.duration == timedelta(hours=1, minutes=45)
    assert event.status == EventStatus.CLOSED
    assert "réticences" in event.title and "réseaux sociaux" in event.title
    assert [user.email for user in event.facilitators.all()] == [FACILITATOR_EMAIL]

    registrations = event.registrations.all()
    assert registrations.count() == 15
    assert all(r.checked_in_at and r.status == "confirmed" for r in registrations)
    assert registrations.filter(user__isnull=True).count() == 3  # guests

    assert event.attendees_count == 15 and event.closed_at is not None
    assert len(event.professions_present) >= 5
    assert len(event.institutions_present) >= 5
    with translation.override("fr"):
        sentence = describe_attendance(recorded_attendance(event))
    assert sentence.startswith("15 personnes\u00a0: 6 bibliothécaires, 3 documentalistes")
    # One report of that workshop: the article attached to it.
    [report] = Article.objects.filter(event=event)
    assert report.further_links.count() == 3 and report.attachments.count() == 1
    # Our words, not the seed's: its sentences do not appear.
    assert "Nous avons commencé par parler des causes du rejet" not in report.body
    assert "\u202f?" in event.title  # French typography


def test_events_to_come_with_places_left_and_one_full_with_a_waiting_list():
    load()
    upcoming = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=timezone.now())
    assert upcoming.count() == 3
    left = {event.slug: services.places_left(event) for event in upcoming}
    assert left["pages-facebook-rythme-et-ton"] == 0
    assert sum(1 for value in left.values() if value) == 2
    full = Event.objects.get(slug="pages-facebook-rythme-et-ton")
    waiting = full.registrations.filter(status=RegistrationStatus.WAITING).order_by("waiting_since")
    assert waiting.count() == 3
    # The demo behaves like real data: a cancellation offers the place to the first in line.
    first_in_line = waiting.first()
    services.cancel_registration(registration=full.registrations.filter(status="confirmed")[0])
    first_in_line.refresh_from_db()
    assert first_in_line.status == RegistrationStatus.OFFERED
