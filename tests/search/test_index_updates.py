"""The index follows every change made through the services, in the same transaction."""

from __future__ import annotations

from typing import Any

import pytest

from maillage.articles import services as articles
from maillage.articles.comments import services as comments
from maillage.core import search
from maillage.core.search.models import SearchDocument
from maillage.events import services as events
from maillage.members import services as members
from maillage.veille import services as veille
from tests.factories import ArticleFactory, CommentFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(text: str, viewer: Any = None) -> list[str]:
    return [str(hit.title) for hit in search.search(viewer=viewer, text=text).hits]


def test_an_article_from_draft_to_published_to_edited_to_draft() -> None:
    writer = UserFactory(role="coordinator", display_name="Rédactrice")
    reader = UserFactory()
    article = articles.create_article(
        by=writer,
        content=articles.ArticleContent(title="Origami en médiathèque", body="Plier du papier."),
    )
    assert titles("origami", writer) == ["<mark>Origami</mark> en médiathèque"]
    assert titles("origami", reader) == [] and titles("origami") == []

    articles.publish_article(article=article, by=writer)
    assert titles("origami") == ["<mark>Origami</mark> en médiathèque"]

    articles.update_article(
        article=article,
        by=writer,
        content=articles.ArticleContent(title="Kirigami en médiathèque", body="Découper."),
    )
    assert titles("origami") == []
    assert titles("kirigami") == ["<mark>Kirigami</mark> en médiathèque"]

    articles.unpublish_article(article=article, by=writer)
    assert titles("kirigami") == [] and titles("kirigami", writer) != []


def test_comments_follow_their_article_and_their_own_status() -> None:
    coordinator = UserFactory(role="coordinator", trust_level=4)
    article = ArticleFactory(title="Le fanzine", created_by=coordinator)
    search.index(article)
    held = CommentFactory(target=article, body="Un zine photocopié", status="held")
    search.index(held)
    assert titles("photocopie") == []

    comments.approve_comment(held)
    assert search.search(viewer=None, text="photocopié").total == 1

    # The article becomes members-only: its comment follows.
    articles.update_article(
        article=article,
        by=coordinator,
        content=articles.ArticleContent(title="Le fanzine", body="Texte.", visibility="members"),
    )
    assert search.search(viewer=None, text="photocopié").total == 0
    assert search.search(viewer=coordinator, text="photocopié").total == 1

    comments.reject_comment(held)
    assert search.search(viewer=coordinator, text="photocopié").total == 0


def test_a_deleted_comment_leaves_the_index() -> None:
    author = UserFactory()
    article = ArticleFactory(title="Le fanzine")
    search.index(article)
    comment = CommentFactory(target=article, author=author, body="Reliure japonaise")
    search.index(comment)
    assert search.search(viewer=None, text="reliure").total == 1
    comments.delete_comment(comment=comment, user=author)
    assert search.search(viewer=None, text="reliure").total == 0


def test_bookmarks_saved_changed_shared_and_deleted() -> None:
    owner, other = UserFactory(), UserFactory()
    saved = veille.save_bookmark(
        owner=owner,
        url="https://exemple.org/calligraphie",
        title="Calligraphie latine",
        tags="Écriture",
        visibility="private",
    ).bookmark
    assert titles("calligraphie", owner) == ["<mark>Calligraphie</mark> latine"]
    assert titles("calligraphie", other) == []
    assert search.search(viewer=owner, text="#ecriture").total == 1

    veille.bulk_set_visibility(owner=owner, ids=[saved.pk], visibility="members")
    assert titles("calligraphie", other) == ["<mark>Calligraphie</mark> latine"]

    veille.update_bookmark(
        bookmark=saved,
        url=saved.url,
        title="Enluminure médiévale",
        notes="",
        tags="",
        visibility="public",
        to_read=False,
    )
    assert titles("calligraphie") == [] and titles("enluminures") != []
    assert search.search(viewer=owner, text="#ecriture").total == 0

    veille.delete_bookmark(bookmark=saved, by=owner)
    assert not SearchDocument.objects.filter(model="veille.bookmark").exists()


def test_a_profile_change_reaches_the_index() -> None:
    member = UserFactory(display_name="Maïwenn Riou")
    members.update_profile(user=member, display_name="Maïwenn Riou", bio="Spécialiste du braille.")
    assert search.search(viewer=None, text="braille").total == 0  # bios are for members
    assert search.search(viewer=UserFactory(), text="braille").total == 1
    assert search.search(viewer=None, text="maiwenn").total == 1


def test_an_event_from_draft_to_published() -> None:
    coordinator = UserFactory(role="coordinator")
    event = EventFactory.build(
        title="Atelier reliure", status="draft", published_at=None, created_by=coordinator
    )
    events.save_event(event=event, by=coordinator, tag_names="Reliure")
    assert search.search(viewer=None, text="reliure").total == 0
    assert search.search(viewer=coordinator, text="#reliure").total == 1
    events.publish_event(event=event, by=coordinator)
    assert titles("reliure") == ["Atelier <mark>reliure</mark>"]


def test_index_changes_roll_back_with_their_transaction() -> None:
    from django.db import transaction

    article = ArticleFactory(title="Gravure sur bois")
    with pytest.raises(RuntimeError), transaction.atomic():
        search.index(article)
        assert search.search(viewer=None, text="gravure").total == 1
        raise RuntimeError
    assert search.search(viewer=None, text="gravure").total == 0


def test_the_task_indexes_an_object_or_forgets_a_deleted_one() -> None:
    from maillage.core.search import tasks

    article = ArticleFactory(title="Linogravure")
    tasks.index_object("articles.article", article.pk)
    assert search.search(viewer=None, text="linogravure").total == 1
    article_id = article.pk
    article.delete()
    tasks.index_object("articles.article", article_id)
    assert not SearchDocument.objects.filter(model="articles.article").exists()


def test_prune_drops_documents_of_objects_deleted_behind_the_index_back() -> None:
    from maillage.core.search import indexing

    article = ArticleFactory(title="Sérigraphie")
    search.index(article)
    type(article).objects.filter(pk=article.pk).delete()
    assert indexing.prune() == 1
    assert search.search(viewer=None, text="serigraphie").total == 0
