"""Articles are open to comments too: their authors hear of new ones."""

from __future__ import annotations

import pytest

from maillage.articles.comments import selectors, services, targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_comment_on_an_article_tells_its_authors(trusted, smtp, committed):
    first = UserFactory(email="auteur1@example.org")
    second = UserFactory(email="auteur2@example.org")
    article = ArticleFactory(authors=[first, second])
    assert targets.key_of(article) == "article"
    with committed():
        services.post_comment(target=article, author=trusted, body="Bel article")
    smtp.wait_for(2)
    assert sorted(m.envelope_to[0] for m in smtp.messages) == [
        "auteur1@example.org",
        "auteur2@example.org",
    ]
    assert selectors.comments_for(article, None).count == 1


def test_a_members_only_article_keeps_its_comments_from_the_public(client, trusted):
    article = ArticleFactory(visibility="members")
    services.post_comment(target=article, author=trusted, body="Entre nous")
    assert not targets.can_see(None, article)
    assert targets.can_see(trusted, article)
    assert "Entre nous" not in client.get("/commentaires/flux.xml").content.decode()
