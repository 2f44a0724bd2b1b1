"""Workshop reports are articles: published by closing the event, found by the kind filter, read
only by the people who may see the event, with who came and their files."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillage.articles import selectors
from maillage.articles.comments import targets
from maillage.articles.forms import ATTACHMENT_MAX_BYTES
from maillage.articles.models import Article
from maillage.events import dates
from maillage.events import services as events
from maillage.events.models import Event
from maillage.members.models import User
from tests.factories import ArticleFactory, EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/articles/"


def closed_workshop(organiser: User, *, visibility: str = "public", **close: object) -> Article:
    """A workshop that took place, closed by `organiser`: its report article."""
    now = timezone.now()
    event = EventFactory(
        title="Wikipédia en bibliothèque",
        created_by=organiser,
        organisers=[organiser],
        visibility=visibility,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
    )
    RegistrationFactory(event=event, checked_in_at=now, institution_name="BU des Lices")
    upload = SimpleUploadedFile("diapos.pdf", b"%PDF-1.4 diapos", content_type="application/pdf")
    return events.close_event(
        event=event,
        by=organiser,
        body=str(close.pop("body", "Nous avons contribué.")),
        attachments=[("Diaporama", upload)],
        **close,  # type: ignore[arg-type]
    )


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [article.title for article in response.context["articles"]]


def test_the_kind_filter_tells_reports_from_articles(client, coordinator):
    report = closed_workshop(coordinator, title="Ce que nous avons fait")
    ArticleFactory(title="Un billet")
    assert titles(client.get(LIST, {"kind": "report"})) == ["Ce que nous avons fait"]
    assert titles(client.get(LIST, {"kind": "article"})) == ["Un billet"]
    page = client.get(LIST, {"kind": "report"}).content.decode()
    assert "Workshop report" in page and report.get_absolute_url() in page


def test_the_report_page_says_what_it_reports_on_and_who_came(client, coordinator):
    report = closed_workshop(coordinator)
    event = report.event
    page = client.get(report.get_absolute_url()).content.decode()
    date = dates.date_text(event.starts_at, event.time_zone, weekday=False).replace(" ", "\u00a0")
    assert f'<a href="{event.get_absolute_url()}">Report of the {date} workshop</a>' in page
    assert "1 person: 1 librarian" in page and "BU des Lices" in page
    assert "Diaporama" in page and "(diapos.pdf)" in page
    # Readers do not get the editors' tools.
    assert reverse("events:attendance", args=[event.slug]) not in page
    assert f'action="{reverse("articles:attachment_add", args=[report.slug])}"' not in page


@pytest.mark.parametrize("visibility", ["members", "private"])
def test_a_report_is_read_only_by_people_who_may_see_its_event(client, coordinator, visibility):
    organiser = UserFactory()
    report = closed_workshop(organiser, visibility=visibility)
    [attachment] = report.attachments.all()
    member = UserFactory()
    readers = {None: False, member: visibility == "members", organiser: True, coordinator: True}
    for viewer, allowed in readers.items():
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        status = 200 if allowed else 404
        assert client.get(report.get_absolute_url()).status_code == status, viewer
        assert client.get(attachment.get_absolute_url()).status_code == status, viewer
        assert (report in selectors.articles_for(viewer)) is allowed
        assert selectors.can_read(viewer, report) is allowed
        assert targets.can_see(viewer, report) is allowed  # and so its comments
    assert report.pk not in selectors.public_article_ids()
    feed = feedparser.parse(client.get(reverse("articles:feed_atom")).content)
    assert report.title not in [entry.title for entry in feed.entries]


def test_a_public_events_report_and_its_files_are_for_everyone(client, coordinator):
    report = closed_workshop(coordinator)
    [attachment] = report.attachments.all()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 diapos"
    assert "public" in response["Cache-Control"]
    assert report.pk in selectors.public_article_ids()
    # Another article's address does not serve this file.
    other = ArticleFactory()
    url = reverse("articles:attachment", args=[other.slug, attachment.pk])
    assert client.get(url).status_code == 404


def test_only_editors_attach_and_remove_files(client, coordinator, member, committed):
    report = closed_workshop(coordinator)
    add = reverse("articles:attachment_add", args=[report.slug])
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    client.force_login(member)
    assert client.post(add, {"title": "Photo", "file": upload}).status_code == 403
    client.force_login(coordinator)
    too_big = SimpleUploadedFile("grand.pdf", b"x" * (ATTACHMENT_MAX_BYTES + 1))
    response = client.post(add, {"title": "Trop grand", "file": too_big})
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    response = client.post(add, {"title": "", "file": SimpleUploadedFile("tableau.png", b"png")})
    assert response.status_code == 302
    assert [item.title for item in report.attachments.all()] == ["Diaporama", "tableau.png"]
    diaporama = report.attachments.get(title="Diaporama")
    stored = diaporama.file.name
    remove = reverse("articles:attachment_remove", args=[report.slug, diaporama.pk])
    assert client.get(remove).status_code == 405  # nothing removed on a GET
    with committed():
        assert client.post(remove).status_code == 302
    assert not report.attachments.filter(pk=diaporama.pk).exists()
    assert not diaporama.file.storage.exists(stored)


def test_the_event_list_query_count_holds_with_reports(client, coordinator):
    """The past list links each card's report inside its one query (no query per card)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def past_page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/ateliers/passes/").status_code == 200
        return len(queries)

    closed_workshop(coordinator)
    few = past_page_queries()
    for _ in range(5):
        closed_workshop(coordinator)
    assert past_page_queries() == few
    assert Event.objects.filter(status="closed").count() == 6


def test_comments_on_a_report_are_comments_on_the_article(coordinator):
    report = closed_workshop(coordinator)
    assert targets.key_of(report) == "article"
    assert targets.kind_by_key("compte-rendu") is None  # the event reports' own kind is gone
