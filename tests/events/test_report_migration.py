"""The data migration that turns each event report into an article attached to its event (and
back): text and outcomes, who came, links, attachments (the same stored files), comments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps.registry import Apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0002_event_attendance")]
AFTER = [("events", "0004_remove_event_reports")]
PUBLISHED = datetime(2014, 4, 2, 7, 30, tzinfo=UTC)


def migrate(targets: list[tuple[str, str]]) -> Apps:
    """Move the events app to `targets`; the models as they are then in the database."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    # The state of what is applied now: apps whose migrations depend on a later events migration
    # were rolled back with it, so the latest nodes of other apps would bring those back.
    graph, applied = executor.loader.graph, set(executor.loader.applied_migrations)
    applied_leaves = [
        node
        for node in applied
        if node in graph.nodes
        and not any(child.key in applied for child in graph.node_map[node].children)
    ]
    return executor.loader.project_state(applied_leaves).apps


@pytest.fixture
def before() -> Iterator[Apps]:
    """The database as it was with event reports; every app back at its latest state after."""
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def old_workshop(apps: Apps, **fields: Any) -> tuple[Any, Any, Any]:
    """A closed workshop with its report the old way: links, a file, a comment and its follower."""
    user_model = apps.get_model("members", "User")
    author = user_model.objects.create(email="claire@example.org", display_name="Claire Morvan")
    event_model = apps.get_model("events", "Event")
    values = {
        "kind": "workshop",
        "title": "Les réseaux sociaux et nous",
        "slug": "reseaux-sociaux-et-nous",
        "starts_at": datetime(2014, 3, 26, 17, 0, tzinfo=UTC),
        "ends_at": datetime(2014, 3, 26, 18, 45, tzinfo=UTC),
        "status": "closed",
        "visibility": "public",
        "created_by": author,
    }
    values.update(fields)
    event = event_model.objects.create(**values)
    tag = apps.get_model("core", "Tag").objects.create(name="réseaux sociaux", slug="reseaux")
    event.tags.add(tag)
    report = apps.get_model("events", "EventReport").objects.create(
        event=event,
        body="Nous étions quinze.",
        outcomes="- Recenser des projets réussis.",
        attendees_count=15,
        professions={"librarian": 6, "documentalist": 3},
        institutions={"BU des Lices": 4},
        author=author,
        published_at=PUBLISHED,
    )
    report.links.create(title="Le blog de la BU", url="https://blog.example.org/", position=0)
    stored = default_storage.save("reports/2014/diapos.pdf", ContentFile(b"%PDF-1.4 diapos"))
    report.attachments.create(title="Diaporama", file=stored)
    content_types = apps.get_model("contenttypes", "ContentType").objects
    report_type, _created = content_types.get_or_create(app_label="events", model="eventreport")
    apps.get_model("comments", "Comment").objects.create(
        content_type=report_type,
        object_id=report.pk,
        author=author,
        body="Merci pour ce compte-rendu.",
        status="published",
    )
    apps.get_model("comments", "CommentSubscription").objects.create(
        content_type=report_type, object_id=report.pk, email="claire@example.org", user=author
    )
    return event, report, stored


def test_each_report_becomes_an_article_attached_to_its_event(before: Apps) -> None:
    event, _report, stored = old_workshop(before)

    apps = migrate(AFTER)

    event = apps.get_model("events", "Event").objects.get(pk=event.pk)
    assert event.attendees_count == 15 and event.closed_at == PUBLISHED
    assert event.professions_present == {"librarian": 6, "documentalist": 3}
    assert event.institutions_present == {"BU des Lices": 4}
    [article] = apps.get_model("articles", "Article").objects.filter(event=event)
    assert article.title == "Compte-rendu\u00a0: Les réseaux sociaux et nous"
    assert article.slug == "compte-rendu-les-reseaux-sociaux-et-nous"
    assert article.body == (
        "Nous étions quinze.\n\n## Suites et idées\n\n- Recenser des projets réussis."
    )
    assert (article.status, article.visibility, article.published_at) == (
        "published",
        "public",
        PUBLISHED,
    )
    assert [user.email for user in article.authors.all()] == ["claire@example.org"]
    assert [tag.slug for tag in article.tags.all()] == ["reseaux"]
    assert [(link.title, link.url) for link in article.further_links.all()] == [
        ("Le blog de la BU", "https://blog.example.org/")
    ]
    [attachment] = article.attachments.all()
    assert attachment.title == "Diaporama" and attachment.file.name == stored
    # Comments, and the people following them, are on the article now.
    article_type = apps.get_model("contenttypes", "ContentType").objects.get(
        app_label="articles", model="article"
    )
    comment = apps.get_model("comments", "Comment").objects.get()
    assert (comment.content_type_id, comment.object_id) == (article_type.pk, article.pk)
    follower = apps.get_model("comments", "CommentSubscription").objects.get()
    assert (follower.content_type_id, follower.object_id) == (article_type.pk, article.pk)
    assert "events_eventreport" not in connection.introspection.table_names()

    # The old addresses lead to the article, whose page shows who came and serves the same file.
    client = Client(headers={"Accept-Language": "fr"})
    response = client.get(f"/ateliers/{event.slug}/compte-rendu/")
    assert response.status_code == 301
    assert response["Location"] == f"/articles/{article.slug}/"
    page = client.get(response["Location"]).content.decode()
    assert "15 personnes\u00a0: 6 bibliothécaires, 3 documentalistes" in page
    assert "Compte-rendu de l’atelier du 26\u00a0mars\u00a02014" in page
    assert "Merci pour ce compte-rendu." in page
    download = client.get(f"/articles/{article.slug}/pieces-jointes/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 diapos"


def test_a_members_event_report_stays_with_members_and_backwards_it_is_a_report_again(
    before: Apps,
) -> None:
    event, report, stored = old_workshop(before, visibility="members")

    apps = migrate(AFTER)
    [article] = apps.get_model("articles", "Article").objects.filter(event_id=event.pk)
    assert article.visibility == "members"
    assert Client().get(f"/articles/{article.slug}/").status_code == 404

    apps = migrate(BEFORE)
    assert not apps.get_model("articles", "Article").objects.filter(event_id=event.pk).exists()
    report = apps.get_model("events", "EventReport").objects.get(event_id=event.pk)
    assert report.attendees_count == 15 and report.published_at == PUBLISHED
    assert report.body.startswith("Nous étions quinze.")
    assert [link.url for link in report.links.all()] == ["https://blog.example.org/"]
    assert [item.file.name for item in report.attachments.all()] == [stored]
    comment = apps.get_model("comments", "Comment").objects.get()
    assert (comment.content_type.model, comment.object_id) == ("eventreport", report.pk)
