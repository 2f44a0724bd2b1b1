"""Workshops in a real browser: a guest registers by email, the event fills, the waiting list
moves when someone cancels; and every events page is accessible and fits a phone.

Elements are found by their names and ids, not their words: the pages are in French here, and
their catalogue grows on its own schedule.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maillage.core.models import Tag
from maillage.events import services
from maillage.events.models import (
    Event,
    EventKind,
    EventStatus,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from maillage.members.models import Institution, InstitutionKind, Profession, Role, User
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def mail_with_link(smtp_server: Any, address: str, ending: str, timeout: float = 10) -> str:
    """The newest link ending in /<ending>/ sent to `address`, waiting for it to arrive."""
    deadline = time.monotonic() + timeout
    while True:
        for mail in reversed(smtp_server.to(address)):
            if f"/{ending}/" in mail.text():
                return link_in(mail, ending)
        assert time.monotonic() < deadline, [m.subject for m in smtp_server.messages]
        time.sleep(0.1)


def link_in(mail: Any, ending: str) -> str:
    found = re.search(rf"https?://\S+/{ending}/", mail.text())
    assert found, mail.text()
    return found.group(0)


def new_event(organiser: User, **fields: Any) -> Event:
    starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=10))
    event = Event.objects.create(
        kind=fields.pop("kind", EventKind.WORKSHOP),
        title=fields.pop("title", "Wikipédia en bibliothèque"),
        summary="Contribuer ensemble à l’encyclopédie.",
        description="Un atelier **participatif** d’une heure quarante-cinq.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=45),
        place_name="Bibliothèque des Champs Libres",
        place_address="10 cours des Alliés, Rennes",
        status=fields.pop("status", EventStatus.PUBLISHED),
        published_at=timezone.now(),
        created_by=organiser,
        **fields,
    )
    event.organisers.add(organiser)
    return event


def test_guest_registers_event_fills_member_waits_then_takes_a_freed_place(
    page: Any, live_server: Any, smtp_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    organiser = UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR)
    member = UserFactory(display_name="Yann Morvan", email="yann@example.org")
    event = new_event(organiser, capacity=2)
    RegistrationQuestion.objects.create(
        event=event, label="Votre niveau ?", kind=QuestionKind.CHOICE, choices="Débutant\nConfirmé"
    )
    services.register_member(event=event, user=UserFactory(display_name="Première Inscrite"))

    # A guest fills the form on the event page and confirms through the email.
    page.goto(event.get_absolute_url())
    page.fill("#id_name", "Anne Invitée")
    page.fill("#id_email", "anne@example.org")
    page.select_option("#id_profession", "archivist")
    page.check("input[name^=question_][value='Débutant']")
    page.click("form.registration-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(mail_with_link(smtp_server, "anne@example.org", "confirmer"))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    guest = Registration.objects.get(email="anne@example.org")
    assert guest.status == RegistrationStatus.CONFIRMED
    assert page.locator(".check-in-code").inner_text() == guest.check_in_code
    assert guest.answers.get().value == "Débutant"

    # The event is full: a member lands on the waiting list.
    log_in(page, member)
    page.goto(event.get_absolute_url())
    page.click("form.registration-form button[type=submit]")
    page.wait_for_load_state()
    waiting = Registration.objects.get(user=member)
    assert waiting.status == RegistrationStatus.WAITING
    assert page.locator("#registration .message").count() == 1

    # The guest cancels from their email (a page, then a button): the member is offered the place.
    confirmed_mail = [
        mail for mail in smtp_server.to("anne@example.org") if "annuler" in mail.text()
    ]
    assert confirmed_mail, [mail.subject for mail in smtp_server.messages]
    page.goto(link_in(confirmed_mail[-1], "annuler"))
    assert Registration.objects.get(pk=guest.pk).status == RegistrationStatus.CONFIRMED
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert Registration.objects.get(pk=guest.pk).status == RegistrationStatus.CANCELLED

    page.goto(mail_with_link(smtp_server, "yann@example.org", "accepter"))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED
    assert page.locator(".check-in-code").count() == 1


@pytest.fixture
def events_site(db: Any) -> dict[str, Any]:
    """An upcoming event with people, one under way, and a closed one with its report (an
    article attached to it)."""
    institution = Institution.objects.create(
        name="Médiathèque des Champs Libres", kind=InstitutionKind.MEDIA_LIBRARY
    )
    coordinator = UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR)
    facilitator = UserFactory(display_name="Gaëlle Le Goff", profession=Profession.ARCHIVIST)
    upcoming = new_event(coordinator, capacity=3, outside_facilitators="Jean Dehors")
    upcoming.facilitators.add(facilitator)
    upcoming.tags.set(Tag.objects.for_names("Wikipédia, médiation"))
    people = [
        UserFactory(display_name=f"Personne {index}", institution=institution) for index in range(4)
    ]
    for person in people:
        services.register_member(event=upcoming, user=person)
    under_way = new_event(
        coordinator,
        title="Atelier en cours",
        starts_at=timezone.now() - timedelta(minutes=30),
        capacity=10,
    )
    for person in people[:3]:
        Registration.objects.create(
            event=under_way,
            user=person,
            name=person.display_name,
            email=person.email,
            profession=person.profession,
            institution_name=institution.name,
            status=RegistrationStatus.CONFIRMED,
            check_in_code=f"CODE{person.pk:02d}"[:8],
        )
    past = new_event(
        coordinator, title="Atelier de mars", starts_at=timezone.now() - timedelta(days=30)
    )
    Registration.objects.create(
        event=past,
        name="Anne",
        email="anne@example.org",
        profession=Profession.LIBRARIAN,
        status=RegistrationStatus.CONFIRMED,
        checked_in_at=past.starts_at,
        check_in_code="ANNE22",
    )
    report = services.close_event(
        event=past,
        by=coordinator,
        body="Nous avons **contribué** ensemble.",
        outcomes="Recommencer en juin.",
        links=[("Le projet", "https://example.org/projet")],
        attachments=[("Diaporama", SimpleUploadedFile("diapos.pdf", b"%PDF-1.4 diapos"))],
    )
    return {
        "report": report,
        "coordinator": coordinator,
        "upcoming": upcoming,
        "under_way": under_way,
        "past": past,
        "registration": upcoming.registrations.order_by("pk").first(),
        "waiting": upcoming.registrations.filter(status=RegistrationStatus.WAITING).first(),
    }


def check_page(page: Any, path: str) -> str:
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert page.locator("h1").count() == 1, path
    assert_accessible(page)
    assert_fits_width(page, 320)
    return str(page.title())


def test_public_events_pages_are_accessible_and_fit_a_phone(page: Any, events_site: Any) -> None:
    upcoming, past = events_site["upcoming"], events_site["past"]
    paths = [
        "/ateliers/",
        "/ateliers/passes/",
        "/ateliers/?kind=workshop",
        upcoming.get_absolute_url(),
        past.get_absolute_url(),
        events_site["report"].get_absolute_url(),
        f"/ateliers/inscription/{events_site['registration'].token}/",
        f"/ateliers/inscription/{events_site['waiting'].token}/",
        f"/ateliers/inscription/{events_site['registration'].token}/annuler/",
    ]
    titles = {check_page(page, path) for path in paths}
    assert len(titles) >= len(paths) - 2  # the filtered list shares the list's title


def test_organiser_pages_are_accessible_and_fit_a_phone(page: Any, events_site: Any) -> None:
    log_in(page, events_site["coordinator"])
    upcoming, under_way = events_site["upcoming"], events_site["under_way"]
    paths = [
        "/ateliers/nouveau/",
        f"/ateliers/{upcoming.slug}/",
        f"/ateliers/{upcoming.slug}/modifier/",
        f"/ateliers/{upcoming.slug}/participants/",
        f"/ateliers/{upcoming.slug}/annuler/",
        f"/ateliers/{under_way.slug}/accueil/",
        f"/ateliers/{under_way.slug}/feuille-de-presence/",
        f"/ateliers/{under_way.slug}/cloturer/",
        f"/ateliers/{events_site['past'].slug}/presences/",
        events_site["report"].get_absolute_url(),
        f"/articles/{events_site['report'].slug}/modifier/",
        "/ateliers/mon-calendrier/",
    ]
    titles = {check_page(page, path) for path in paths}
    assert len(titles) == len(paths), "every page has its own title"


def test_check_in_live_search_and_tick_with_htmx(page: Any, events_site: Any) -> None:
    from playwright.sync_api import expect

    log_in(page, events_site["coordinator"])
    event = events_site["under_way"]
    page.goto(f"/ateliers/{event.slug}/accueil/")
    assert page.locator(".check-in-row").count() == 3
    page.fill("#check-in-q", "Personne 1")
    expect(page.locator(".check-in-row")).to_have_count(1)
    row = page.locator(".check-in-row").first
    row.locator("button[value=check_in]").click()
    expect(page.locator(".check-in-row.is-checked-in")).to_have_count(1)
    person = Registration.objects.get(event=event, name="Personne 1")
    assert person.checked_in_at is not None
    page.locator(".check-in-row button[value=undo]").click()
    expect(page.locator(".check-in-row.is-checked-in")).to_have_count(0)
    person.refresh_from_db()
    assert person.checked_in_at is None


def test_list_filters_update_the_results_in_place(page: Any, events_site: Any) -> None:
    from playwright.sync_api import expect

    new_event(events_site["coordinator"], title="Une rencontre", kind=EventKind.MEETUP)
    page.goto("/ateliers/")
    expect(page.locator(".event-card")).to_have_count(3)
    page.select_option("#id_kind", "meetup")
    expect(page.locator(".event-card")).to_have_count(1)
    assert "kind=meetup" in page.url  # the address follows, so the filtered list can be shared
    assert page.locator(".event-card h3").inner_text() == "Une rencontre"
