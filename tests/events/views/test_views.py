"""Events pages: lists, filters, pagination, query counts, the event page, visibility, home."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.core.models import Tag
from maillage.core.visibility import Visibility
from maillage.events.models import EventKind, EventStatus, RegistrationStatus
from maillage.events.selectors import EVENT_PAGE_SIZE
from maillage.events.templatetags.events import duration
from tests.events.pages import add_registration, fill, html, make_event
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("events:list")
PAST = reverse("events:past")


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [event.title for event in response.context["events"]]


# --- Lists ---------------------------------------------------------------------------------------


def test_upcoming_list_shows_cards_with_date_duration_place_and_places(client):
    event = make_event(title="Wikipédia en bibliothèque", capacity=15)
    fill(event, 4)
    full = make_event(title="Atelier complet", capacity=2, starts_in=timedelta(days=12))
    fill(full, 2)
    add_registration(full, status=RegistrationStatus.WAITING)
    make_event(title="Déjà passé", starts_in=timedelta(days=-30))

    response = client.get(LIST)

    assert response.status_code == 200
    page = html(response)
    assert "<title>Upcoming events · " in page
    assert page.count("<h1") == 1
    assert titles(response) == ["Wikipédia en bibliothèque", "Atelier complet"]
    assert "11 places left" in page
    assert "Full, waiting list" in page
    assert "1\u00a0h\u00a045" in page
    assert "Bibliothèque des Champs Libres" in page
    assert "Déjà passé" not in page


def test_past_list_is_latest_first_and_links_reports(client):
    make_event(title="Il y a un mois", starts_in=timedelta(days=-30))
    make_event(title="Il y a un an", starts_in=timedelta(days=-365))
    make_event(title="Brouillon passé", starts_in=timedelta(days=-3), status=EventStatus.DRAFT)
    make_event(title="À venir", starts_in=timedelta(days=3))

    response = client.get(PAST)

    assert response.status_code == 200
    assert "<title>Past events · " in html(response)
    assert titles(response) == ["Il y a un mois", "Il y a un an"]


def test_past_cards_link_the_report_the_viewer_may_read(client, coordinator, member):
    from maillage.events import services

    past = make_event(title="Fermé", starts_in=timedelta(days=-2), organisers=(coordinator,))
    report = services.close_event(event=past, by=coordinator, body="Compte-rendu.")
    assert report.get_absolute_url() in html(client.get(PAST))
    # A report held back (a draft again) is linked from nowhere.
    from maillage.articles import services as articles

    articles.unpublish_article(article=report, by=coordinator)
    client.force_login(member)
    assert report.get_absolute_url() not in html(client.get(PAST))
    assert "Read the report" not in html(client.get(past.get_absolute_url()))


def test_filters_by_kind_and_tag(client):
    wiki = Tag.objects.create(name="Wikipédia")
    first = make_event(title="Atelier wiki", kind=EventKind.WORKSHOP)
    first.tags.add(wiki)
    make_event(title="Rencontre", kind=EventKind.MEETUP, starts_in=timedelta(days=11))
    training = make_event(
        title="Formation wiki", kind=EventKind.TRAINING, starts_in=timedelta(days=12)
    )
    training.tags.add(wiki)

    assert titles(client.get(LIST, {"kind": "meetup"})) == ["Rencontre"]
    assert titles(client.get(LIST, {"tag": "wikipedia"})) == ["Atelier wiki", "Formation wiki"]
    assert titles(client.get(LIST, {"tag": "wikipedia", "kind": "training"})) == ["Formation wiki"]
    # A topic that no longer exists filters to nothing rather than listing everything.
    assert titles(client.get(LIST, {"tag": "disparu"})) == []
    response = client.get(LIST, {"kind": "meetup"})
    assert "Clear the filters" in html(response)


def test_htmx_request_gets_only_the_results(client):
    make_event(title="Atelier wiki")
    response = client.get(LIST, {"kind": "workshop"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert "Atelier wiki" in page
    assert "HX-Request" in response["Vary"]


def test_pagination(client):
    for index in range(EVENT_PAGE_SIZE + 2):
        make_event(title=f"Atelier {index:02d}", starts_in=timedelta(days=index + 1))
    first = client.get(LIST)
    assert len(titles(first)) == EVENT_PAGE_SIZE
    assert 'rel="next"' in html(first)
    second = client.get(LIST, {"page": 2})
    assert titles(second) == [f"Atelier {index:02d}" for index in (12, 13)]
    assert "page 2" in html(second)


def _list_queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("past", [False, True])
def test_list_query_count_does_not_grow_with_events(client, member, past):
    client.force_login(member)
    wiki, archives = Tag.objects.create(name="Wikipédia"), Tag.objects.create(name="Archives")
    facilitator = UserFactory()

    def create(count: int, offset: int) -> None:
        for index in range(count):
            days = -(offset + index + 2) if past else offset + index + 1
            event = make_event(title=f"E{offset + index}", starts_in=timedelta(days=days))
            event.tags.add(wiki, archives)
            event.facilitators.add(facilitator)
            fill(event, 2)
            if past:  # each card links its report
                ArticleFactory(event=event)

    url = PAST if past else LIST
    create(3, 0)
    few = _list_queries(client, url)
    create(27, 100)
    many = _list_queries(client, url)
    assert many == few, f"{few} queries for 3 events, {many} for 30"


def test_home_shows_the_next_three_public_events(client):
    for index in range(5):
        make_event(title=f"Prochain {index}", starts_in=timedelta(days=index + 1))
    make_event(title="Réservé aux membres", starts_in=timedelta(hours=5), visibility="members")
    make_event(title="Annulé", starts_in=timedelta(hours=6), status=EventStatus.CANCELLED)

    response = client.get(reverse("core:home"))

    page = html(response)
    assert [event.title for event in response.context["next_events"]] == [
        "Prochain 0",
        "Prochain 1",
        "Prochain 2",
    ]
    assert "Réservé aux membres" not in page
    assert "Prochain 3" not in page


def test_home_query_count_is_bounded(client):
    for index in range(3):
        make_event(title=f"Prochain {index}", starts_in=timedelta(days=index + 1))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:home"))
    assert len(queries) <= 12


def test_workshops_link_comes_first_in_the_menu(client):
    page = html(client.get(reverse("core:home")))
    nav = page[page.index('class="site-nav"') :]
    first_link = re.search(r'<a href="([^"]+)"', nav)
    assert first_link and first_link.group(1) == LIST


# --- Visibility ----------------------------------------------------------------------------------


def test_members_only_event_is_hidden_from_anonymous_everywhere(client, member):
    event = make_event(title="Entre membres", visibility=Visibility.MEMBERS)
    detail = reverse("events:detail", args=[event.slug])

    assert "Entre membres" not in html(client.get(LIST))
    assert client.get(detail).status_code == 404
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == 404
    assert b"Entre membres" not in client.get(reverse("events:feed")).content

    client.force_login(member)
    assert "Entre membres" in html(client.get(LIST))
    assert client.get(detail).status_code == 200
    # Feeds are read by calendar applications, logged in as nobody.
    assert b"Entre membres" not in client.get(reverse("events:feed")).content


def test_draft_is_seen_only_by_coordinators_and_organisers(client, member, organiser, coordinator):
    event = make_event(title="Brouillon", status=EventStatus.DRAFT, organisers=(organiser,))
    detail = reverse("events:detail", args=[event.slug])

    assert client.get(detail).status_code == 404
    client.force_login(member)
    assert client.get(detail).status_code == 404
    assert "Brouillon" not in html(client.get(LIST))
    for person in (organiser, coordinator):
        client.force_login(person)
        response = client.get(detail)
        assert response.status_code == 200
        assert "Draft" in html(response)
        assert "Brouillon" in html(client.get(LIST))


def test_private_event_is_seen_by_its_creator_only(client, member):
    creator = UserFactory()
    event = make_event(title="Privé", visibility=Visibility.PRIVATE, created_by=creator)
    detail = reverse("events:detail", args=[event.slug])
    client.force_login(member)
    assert client.get(detail).status_code == 404
    client.force_login(creator)
    assert client.get(detail).status_code == 200


# --- The event page ------------------------------------------------------------------------------


def test_event_page_shows_everything_a_visitor_needs(client):
    facilitator = UserFactory(display_name="Gaëlle Animatrice")
    event = make_event(
        title="Wikipédia en bibliothèque",
        summary="Contribuer ensemble.",
        description="Un atelier **participatif**.",
        capacity=15,
        place_address="10 cours des Alliés, Rennes",
        outside_facilitators="Jean Dehors",
        licence="CC-BY-SA-4.0",
    )
    event.facilitators.add(facilitator)
    fill(event, 5)

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    page = html(response)
    assert f"<title>{event.title} · " in page
    assert page.count("<h1") == 1
    assert "<strong>participatif</strong>" in page
    assert "Gaëlle Animatrice" in page and "Jean Dehors" in page
    assert "10 places left out of 15" in page
    assert "10 cours des Alliés" in page
    assert "1\u00a0h\u00a045" in page
    assert reverse("events:ics", args=[event.slug]) in page
    assert 'rel="license"' in page
    # Share links are plain links: no third-party script.
    assert "mailto:?" in page
    assert "/share?text=" in page
    assert "linkedin.com/sharing/share-offsite/?url=" in page
    assert 'id="share-url"' in page
    assert "<script" not in page.split("</head>", 1)[1]
    # A visitor gets the guest form.
    assert 'name="email"' in page and 'name="profession"' in page


def test_event_time_is_shown_in_the_event_time_zone(client):
    from datetime import UTC, datetime

    event = make_event(
        title="Atelier à Montréal",
        starts_at=datetime(2030, 6, 3, 22, 0, tzinfo=UTC),
        time_zone="America/Montreal",
    )
    page = html(client.get(event.get_absolute_url()))
    assert "3 June 2030" in page
    assert "18:00" in page
    assert "America/Montreal" in page


def test_full_event_offers_the_waiting_list(client):
    event = make_event(capacity=2)
    fill(event, 2)
    page = html(client.get(event.get_absolute_url()))
    assert "Full: you can join the waiting list." in page
    assert "Join the waiting list" in page


def test_cancelled_event_says_so_and_takes_no_registration(client):
    event = make_event(status=EventStatus.CANCELLED)
    page = html(client.get(event.get_absolute_url()))
    assert "This event is cancelled." in page
    assert 'name="email"' not in page


def test_member_sees_their_registration_state(client, member):
    event = make_event(capacity=1)
    fill(event, 1)
    add_registration(event, user=member, status=RegistrationStatus.WAITING)
    client.force_login(member)
    page = html(client.get(event.get_absolute_url()))
    assert "number 1 in line" in page
    assert "See or cancel my registration" in page


def test_duration_filter():
    assert duration(timedelta(hours=1, minutes=45)) == "1\u00a0h\u00a045"
    assert duration(timedelta(hours=2)) == "2\u00a0h"
    assert duration(timedelta(minutes=45)) == "45\u00a0min"
    assert duration(timedelta(hours=1, minutes=5)) == "1\u00a0h\u00a005"
    assert duration(timedelta(days=2, hours=3)) == "2 days 3\u00a0h"
    assert duration(timedelta(0)) == ""


def test_unknown_event_is_404(client):
    assert client.get(reverse("events:detail", args=["nope"])).status_code == 404


def test_every_page_renders_with_its_own_title_and_one_heading(client, coordinator):
    from django.utils import timezone

    from maillage.events import services

    upcoming = make_event(title="À venir", organisers=(coordinator,))
    registration = add_registration(upcoming, name="Anne")
    under_way = make_event(
        title="En cours", starts_in=timedelta(minutes=-30), organisers=(coordinator,)
    )
    past = make_event(title="Passé", starts_in=timedelta(days=-3), organisers=(coordinator,))
    add_registration(past, name="Bruno", checked_in_at=timezone.now())
    services.close_event(event=past, by=coordinator, body="Compte-rendu.")
    client.force_login(coordinator)
    paths = [
        LIST,
        PAST,
        reverse("events:create"),
        reverse("events:my_calendar"),
        upcoming.get_absolute_url(),
        reverse("events:edit", args=[upcoming.slug]),
        reverse("events:cancel", args=[upcoming.slug]),
        reverse("events:participants", args=[upcoming.slug]),
        reverse("events:registration", args=[registration.token]),
        reverse("events:cancel_registration", args=[registration.token]),
        reverse("events:check_in", args=[under_way.slug]),
        reverse("events:attendance_sheet", args=[under_way.slug]),
        reverse("events:close", args=[under_way.slug]),
        reverse("events:attendance", args=[past.slug]),
    ]
    seen = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        page = html(response)
        assert page.count("<h1") == 1, path
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title, path
        assert title.group(1) not in seen, (path, seen.get(title.group(1)))
        seen[title.group(1)] = path
