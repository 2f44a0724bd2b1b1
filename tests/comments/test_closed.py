"""An archived article stays readable with its discussion, closed: its comments are shown, nobody
adds, answers or edits one, and the page says the discussion is closed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.articles import services as articles
from maillage.articles.comments import selectors, services
from maillage.articles.comments.models import Comment
from maillage.members.models import Role
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSED = "The discussion is closed; its comments stay readable."


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.COORDINATOR, trust_level=3)


@pytest.fixture
def archived(coordinator, trusted):  # type: ignore[no-untyped-def]
    """An article archived after a short discussion: a comment, an answer, a deleted one."""
    article = ArticleFactory(title="Un atelier de 2014")
    first = services.post_comment(target=article, author=trusted, body="Merci pour ce compte-rendu")
    services.post_comment(target=article, author=coordinator, body="Avec plaisir", parent=first)
    gone = services.post_comment(target=article, author=trusted, body="Doublon")
    services.delete_comment(comment=gone, user=trusted)
    articles.archive_article(article=article, by=coordinator)
    return article


def test_the_comments_of_an_archived_article_stay_visible_read_only(client, archived, trusted):
    for viewer in (None, trusted):
        if viewer:
            client.force_login(viewer)
        response = client.get(archived.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert "Archived" in page
        assert "Comments (2)" in page
        assert "Merci pour ce compte-rendu" in page and "Avec plaisir" in page
        assert "Doublon" not in page
        assert CLOSED in page
        assert 'id="comment-form"' not in page and "comment-body" in page
        assert "?repondre=" not in page and "?citer=" not in page
        # Within its 15 minutes, the author may no longer edit it either.
        assert "/modifier/" not in page.split('id="comments"')[1]
        assert "No comments yet" not in page


def test_no_new_comment_nor_answer_nor_edit(client, archived, trusted):
    first = Comment.objects.get(body="Merci pour ce compte-rendu")
    before = Comment.objects.count()
    with pytest.raises(services.DiscussionClosed, match="closed"):
        services.post_comment(target=archived, author=trusted, body="Encore un mot")
    with pytest.raises(services.DiscussionClosed):
        services.post_comment(
            target=archived, guest_name="Anne", guest_email="anne@example.org", body="Et moi ?"
        )
    with pytest.raises(services.DiscussionClosed):
        services.edit_comment(comment=first, user=trusted, body="Corrigé")

    client.force_login(trusted)
    url = reverse("comments:post", kwargs={"kind": "article", "object_id": archived.pk})
    response = client.post(url, {"comment-body": "Par un vieil onglet", "comment-parent": first.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{archived.get_absolute_url()}#comments"
    assert CLOSED in client.get(response["Location"]).content.decode()
    response = client.post(url, {"comment-body": "Avec htmx"}, headers={"HX-Request": "true"})
    assert (
        CLOSED in response.content.decode() and 'id="comment-form"' not in response.content.decode()
    )
    response = client.post(first.edit_url(), {"comment-body": "Corrigé"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.body == "Merci pour ce compte-rendu"
    assert Comment.objects.count() == before
    # Taking one's words back stays possible.
    response = client.post(first.delete_url())
    assert response.status_code == 302
    assert selectors.comments_for(archived, None).count == 1


def test_publishing_again_reopens_the_discussion(client, archived, coordinator, trusted):
    articles.publish_article(article=archived, by=coordinator)
    services.post_comment(target=archived, author=trusted, body="De retour")
    page = client.get(archived.get_absolute_url()).content.decode()
    assert CLOSED not in page and 'id="comment-form"' in page and "De retour" in page


def test_drafts_take_no_comments_even_from_their_authors(trusted):
    draft = ArticleFactory(status="draft", published_at=None, authors=[trusted])
    with pytest.raises(services.DiscussionClosed):
        services.post_comment(target=draft, author=trusted, body="Note pour moi")


def test_an_archived_article_without_comments(client, coordinator):
    article = ArticleFactory()
    articles.archive_article(article=article, by=coordinator)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "No comments." in page and CLOSED in page and "No comments yet" not in page


def test_the_closed_discussion_reads_in_french(archived):
    page = Client(headers={"Accept-Language": "fr"}).get(archived.get_absolute_url())
    text = page.content.decode()
    assert "La discussion est close\u202f; ses commentaires restent lisibles." in text
    assert "Commentaires (2)" in text
