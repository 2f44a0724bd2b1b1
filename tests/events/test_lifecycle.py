"""An event's life: saving, publishing, moving (updates sent), cancelling, closing (who came, and
the report published as an article attached to the event)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from maillage.articles.models import Article
from maillage.events import services
from maillage.events.attendance import recorded_attendance
from maillage.events.models import Event, EventKind, EventStatus, RegistrationStatus
from maillage.members.models import Profession
from tests.events.support import calendar_of, people, sent_to
from tests.factories import EventFactory, RegistrationFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_event(**fields) -> Event:  # type: ignore[no-untyped-def]
    starts_at = timezone.now() + timedelta(days=20)
    values = {
        "kind": EventKind.TRAINING,
        "title": "Faire sa veille avec les flux RSS",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "place_name": "Médiathèque La Canopée",
        "capacity": 12,
    }
    values.update(fields)
    return Event(**values)


def test_a_coordinator_creates_a_draft_with_tags_and_is_its_organiser(coordinator):
    event = services.save_event(event=new_event(), by=coordinator, tag_names="veille, RSS, Veille")
    assert event.pk and event.slug == "faire-sa-veille-avec-les-flux-rss"
    assert event.status == EventStatus.DRAFT and event.created_by == coordinator
    assert list(event.organisers.all()) == [coordinator]
    assert sorted(tag.slug for tag in event.tags.all()) == ["rss", "veille"]


def test_members_cannot_create_events_and_strangers_cannot_edit_them(event):
    with pytest.raises(services.NotAllowed):
        services.save_event(event=new_event(), by=UserFactory())
    event.title = "Autre"
    with pytest.raises(services.NotAllowed):
        services.save_event(event=event, by=UserFactory())


def test_an_organiser_who_is_not_a_coordinator_edits_their_event(event):
    organiser = UserFactory()
    event.organisers.add(organiser)
    event.title = "Nouveau titre"
    services.save_event(event=event, by=organiser, tag_names="")
    event.refresh_from_db()
    assert event.title == "Nouveau titre" and not event.tags.exists()


def test_an_event_must_end_after_it_starts_and_have_a_known_time_zone(coordinator):
    starts_at = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError):
        services.save_event(event=new_event(starts_at=starts_at, ends_at=starts_at), by=coordinator)
    with pytest.raises(ValidationError):
        services.save_event(event=new_event(time_zone="Europe/Rennes"), by=coordinator)


def test_status_changes_only_through_the_named_transitions(coordinator):
    event = services.save_event(event=new_event(), by=coordinator)
    event.status = EventStatus.PUBLISHED
    with pytest.raises(services.InvalidTransition):
        services.save_event(event=event, by=coordinator)
    event.status = EventStatus.DRAFT
    with pytest.raises(services.InvalidTransition):
        services.cancel_event(event=event, by=coordinator)
    services.publish_event(event=event, by=coordinator)
    assert event.status == EventStatus.PUBLISHED and event.published_at
    with pytest.raises(services.InvalidTransition):
        services.publish_event(event=event, by=coordinator)
    with pytest.raises(services.InvalidTransition):  # not started yet
        services.close_event(event=event, by=coordinator, body="Compte-rendu")
    services.cancel_event(event=event, by=coordinator)
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED
    for transition in (services.publish_event, services.cancel_event):
        with pytest.raises(services.InvalidTransition):
            transition(event=event, by=coordinator)


def test_moving_a_published_event_sends_an_update_to_confirmed_people(
    event, coordinator, committed
):
    with translation.override("en"):
        confirmed = services.register_member(event=event, user=UserFactory())
        waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    with committed():
        services.save_event(event=event, by=coordinator)
    event.refresh_from_db()
    assert event.ical_sequence == 1
    [update] = sent_to(confirmed.email)
    assert update.subject.startswith("Change to the event")
    calendar = calendar_of(update)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert calendar.events[0]["SEQUENCE"] == 1
    assert calendar.events[0].start == event.starts_at
    assert not sent_to(waiting.email)


def test_changing_only_the_text_sends_nothing(event, coordinator, committed):
    services.register_member(event=event, user=UserFactory())
    event.description = "Nouvelle description."
    with committed():
        services.save_event(event=event, by=coordinator)
    event.refresh_from_db()
    assert event.ical_sequence == 0
    assert mail.outbox == []


def test_an_older_update_is_not_sent_after_a_newer_one(event, coordinator, committed):
    from maillage.events import notifications

    registration = services.register_member(event=event, user=UserFactory())
    event.place_name = "Ailleurs"
    services.save_event(event=event, by=coordinator)
    event.place_name = "Encore ailleurs"
    services.save_event(event=event, by=coordinator)
    registration.refresh_from_db()
    assert not notifications.send_registration_email(registration, "event_updated", sequence=1)
    assert notifications.send_registration_email(registration, "event_updated", sequence=2)


def test_cancelling_tells_everyone_still_registered_with_a_cancel_ics(
    event, coordinator, committed
):
    with translation.override("en"):
        registrations = [services.register_member(event=event, user=u) for u in people(4)]
    gone = registrations[0]
    services.cancel_registration(registration=gone)  # offers the place to the fourth person
    with committed():
        services.cancel_event(event=event, by=coordinator, message="La salle est inondée.")
    for registration in registrations[1:]:
        [*_, message] = sent_to(registration.email)
        assert message.subject.startswith("Cancelled:")
        assert "La salle est inondée." in message.body
        calendar = calendar_of(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(calendar.events[0]["STATUS"]) == "CANCELLED"
        assert calendar.events[0]["SEQUENCE"] == 1
    assert not [m for m in sent_to(gone.email) if m.subject.startswith("Cancelled:")]
    with pytest.raises(services.RegistrationClosed):
        services.register_member(event=event, user=UserFactory())


def started_event(coordinator, **fields) -> Event:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return EventFactory(
        created_by=coordinator,
        organisers=[coordinator],
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1, minutes=15),
        **fields,
    )


def test_closing_records_who_came_and_publishes_the_report_as_an_article(coordinator):
    event = started_event(coordinator, visibility="members")
    event.tags.set([TagFactory(name="veille")])
    for profession, count in [
        (Profession.LIBRARIAN, 3),
        (Profession.DOCUMENTALIST, 2),
        (Profession.STUDENT, 1),
    ]:
        for _ in range(count):
            RegistrationFactory(
                event=event,
                profession=profession,
                institution_name="BU des Lices" if profession == "librarian" else "",
                checked_in_at=timezone.now(),
            )
    RegistrationFactory(event=event)  # registered, did not come
    upload = SimpleUploadedFile("diapos.pdf", b"%PDF-1.4 slides", content_type="application/pdf")
    with translation.override("en"):
        report = services.close_event(
            event=event,
            by=coordinator,
            body="  Nous avons parlé des freins.  ",
            outcomes="Compiler une liste de projets réussis.",
            links=[("Le blog de la BU", "https://blog.example.org/"), ("", "  ")],
            attachments=[("Les diapositives", upload)],
        )
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and event.closed_at is not None
    assert event.attendees_count == 6
    assert event.professions_present == {"librarian": 3, "documentalist": 2, "student": 1}
    # PostgreSQL's jsonb does not keep key order: the order is the one read back for display.
    recorded = recorded_attendance(event)
    assert recorded is not None
    assert list(recorded.professions) == ["librarian", "documentalist", "student"]
    assert event.institutions_present == {"BU des Lices": 3}
    # The report is an article attached to the event, published at once by whoever closed it.
    assert isinstance(report, Article) and report.event == event
    assert report.is_live and report.published_by == coordinator
    assert list(report.authors.all()) == [coordinator]
    assert report.title == f"Report: {event.title}"
    assert report.body == (
        "Nous avons parlé des freins.\n\n## Outcomes and ideas\n\n"
        "Compiler une liste de projets réussis."
    )
    assert report.visibility == "members" and report.licence == event.licence
    assert [tag.name for tag in report.tags.all()] == ["veille"]
    assert [(link.title, link.url) for link in report.further_links.all()] == [
        ("Le blog de la BU", "https://blog.example.org/")
    ]
    [attachment] = report.attachments.all()
    assert attachment.title == "Les diapositives" and attachment.file.read() == b"%PDF-1.4 slides"
    with pytest.raises(services.InvalidTransition):
        services.close_event(event=event, by=coordinator, body="encore")
    assert Article.objects.filter(event=event).count() == 1


def test_a_facilitator_closes_and_publishes_without_a_coordinator(coordinator):
    facilitator = UserFactory()
    event = started_event(coordinator, visibility="public")
    event.facilitators.set([facilitator])
    report = services.close_event(
        event=event, by=facilitator, title="  Ce que nous avons appris  ", body="Texte"
    )
    assert report.title == "Ce que nous avons appris" and report.is_live
    assert report.visibility == "public" and list(report.authors.all()) == [facilitator]


def test_the_attendees_count_can_be_given_and_nobody_checked_in_means_the_confirmed(coordinator):
    event = started_event(coordinator)
    RegistrationFactory.create_batch(4, event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    services.close_event(event=event, by=coordinator, body="Texte", attendees_count=5)
    event.refresh_from_db()
    assert event.attendees_count == 5
    assert event.professions_present == {"librarian": 4}


def test_only_managers_close_and_a_report_needs_a_text(coordinator):
    event = started_event(coordinator)
    with pytest.raises(services.NotAllowed):
        services.close_event(event=event, by=UserFactory(), body="Texte")
    with pytest.raises(services.InvalidRegistration):
        services.close_event(event=event, by=coordinator, body="   ")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.attendees_count is None
    assert not Article.objects.filter(event=event).exists()


def test_correcting_who_came_after_closing(coordinator):
    event = started_event(coordinator)
    RegistrationFactory(event=event, checked_in_at=timezone.now())
    with pytest.raises(services.InvalidTransition):
        services.correct_attendance(event=event, by=coordinator, attendees_count=3)
    services.close_event(event=event, by=coordinator, body="Texte")
    RegistrationFactory(event=event, profession=Profession.ARCHIVIST, checked_in_at=timezone.now())
    services.correct_attendance(event=event, by=coordinator, attendees_count=16)
    event.refresh_from_db()
    assert event.attendees_count == 16 and event.professions_present == {"librarian": 1}
    services.correct_attendance(event=event, by=coordinator, attendees_count=16, recount=True)
    event.refresh_from_db()
    assert event.attendees_count == 16
    assert event.professions_present == {"librarian": 1, "archivist": 1}
    with pytest.raises(services.NotAllowed):
        services.correct_attendance(event=event, by=UserFactory(), attendees_count=1)


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["Passés", "Nouveau", "Mon calendrier", "Inscription"])
def test_an_event_slug_never_shadows_a_page_of_the_events_section(title: str) -> None:
    from maillage.core.tags import tag_slug
    from maillage.events.models import RESERVED_EVENT_SLUGS

    event = EventFactory(title=title, slug="")
    assert tag_slug(title) in RESERVED_EVENT_SLUGS
    assert event.slug == f"{tag_slug(title)}-2"


@pytest.mark.parametrize(
    ("visibility", "anonymous_status"), [("public", 200), ("members", 404), ("private", 404)]
)
def test_report_attachments_are_served_only_to_readers_of_the_report(
    client, coordinator, visibility, anonymous_status
):  # type: ignore[no-untyped-def]
    event = started_event(coordinator, visibility=visibility)
    upload = SimpleUploadedFile(
        "notes.html", b"<script>alert(1)</script>", content_type="text/html"
    )
    report = services.close_event(
        event=event, by=coordinator, body="Texte", attachments=[("Notes", upload)]
    )
    url = report.attachments.get().get_absolute_url()
    assert url.startswith(f"/articles/{report.slug}/pieces-jointes/")
    response = client.get(url)
    assert response.status_code == anonymous_status
    client.force_login(UserFactory())
    response = client.get(url)
    # A private event's report, and so its files, stay with the people of that event.
    assert response.status_code == (404 if visibility == "private" else 200)
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    # An uploaded HTML file is never rendered as one of our pages.
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="notes.html"' in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert ("public" in response["Cache-Control"]) is (visibility == "public")
