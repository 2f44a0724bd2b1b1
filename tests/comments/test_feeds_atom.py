"""The comments' feeds in RSS 2.0 and Atom: valid (feedparser, no bozo), each item with its author
and licence, advertised in the pages' <head>, and never carrying what the public may not read."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.articles.comments import services
from maillage.articles.comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, EventFactory

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]
CONTENT_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def all_comments_url(kind: str) -> str:
    return reverse("comments:feed" if kind == "rss" else "comments:feed_atom")


def target_url(kind: str, key: str, object_id: int) -> str:
    name = "comments:target_feed" if kind == "rss" else "comments:target_feed_atom"
    return reverse(name, kwargs={"kind": key, "object_id": object_id})


def parse(client, url: str, kind: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith(CONTENT_TYPES[kind])
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version.startswith(kind)
    return parsed


def licence_of(entry) -> str:  # type: ignore[no-untyped-def]
    links = [link.href for link in entry.get("links", []) if link.get("rel") == "license"]
    return entry.get("license") or (links[0] if links else "")


@pytest.mark.parametrize("kind", KINDS)
def test_items_carry_author_licence_and_sanitised_text(client, kind, trusted):
    article = ArticleFactory(title="Wikipédia et nous")
    services.post_comment(target=article, author=trusted, body="Très **utile** <script>x</script>")
    CommentFactory(
        target=article,
        author=None,
        guest_name="Anne Bénévole",
        guest_email="anne@example.org",
        body="Merci !",
        published_at=timezone.now() + timedelta(seconds=1),
    )

    feed = parse(client, all_comments_url(kind), kind)

    assert [entry.author for entry in feed.entries] == ["Anne Bénévole", "Yann Le Goff"]
    for entry in feed.entries:
        assert "CC BY-SA 4.0" in entry.rights
        assert licence_of(entry) == CC_BY_SA
        assert "Wikipédia et nous" in entry.title
        assert entry.link.startswith(f"http://testserver{article.get_absolute_url()}#comment-")
        assert entry.get("published")
    text = feed.entries[1].summary
    assert "<strong>utile</strong>" in text and "<script" not in text
    assert email_nowhere(client, all_comments_url(kind), "anne@example.org")


def email_nowhere(client, url: str, email: str) -> bool:  # type: ignore[no-untyped-def]
    return email not in client.get(url).content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_the_feed_of_one_article(client, kind, trusted):
    article = ArticleFactory(title="Ici")
    elsewhere = ArticleFactory(title="Ailleurs")
    services.post_comment(target=article, author=trusted, body="Sur cet article")
    services.post_comment(target=elsewhere, author=trusted, body="Sur un autre")

    feed = parse(client, target_url(kind, "article", article.pk), kind)

    assert [entry.summary for entry in feed.entries] == ["<p>Sur cet article</p>"]
    assert "Ici" in feed.feed.title
    assert feed.feed.link == f"http://testserver{article.get_absolute_url()}#comments"


@pytest.mark.parametrize("kind", KINDS)
def test_only_what_the_public_may_read_goes_out(client, kind, trusted, newcomer):
    public = ArticleFactory(title="Public")
    services.post_comment(target=public, author=trusted, body="Visible")
    services.post_comment(target=public, author=newcomer, body="Retenu par la relecture")
    services.post_comment(
        target=public, guest_name="Invité", guest_email="invite@example.org", body="Non confirmé"
    )
    deleted = services.post_comment(target=public, author=trusted, body="Effacé ensuite")
    services.delete_comment(comment=deleted, user=trusted)
    CommentFactory(target=public, status="rejected", body="Refusé")
    CommentFactory(target=public, status="spam", body="Pourriel")
    hidden_targets = {
        "article": [
            ArticleFactory(title="Brouillon", status="draft", published_at=None),
            ArticleFactory(title="Plus tard", published_at=timezone.now() + timedelta(days=2)),
            ArticleFactory(title="Entre membres", visibility="members"),
        ],
        "evenement": [
            EventFactory(visibility="members"),
            EventFactory(visibility="private"),
            EventFactory(status="draft"),
        ],
    }
    for hidden in hidden_targets.values():
        for target in hidden:
            CommentFactory(target=target, body=f"Caché sur {target}")
    archived = ArticleFactory(title="Archivé", status="archived")
    CommentFactory(target=archived, body="Sur un article archivé")
    assert Comment.objects.filter(body__startswith="Caché").count() == 6

    feed = parse(client, all_comments_url(kind), kind)
    texts = [entry.summary for entry in feed.entries]
    assert texts == ["<p>Sur un article archivé</p>", "<p>Visible</p>"]
    public_feed = parse(client, target_url(kind, "article", public.pk), kind)
    assert [entry.summary for entry in public_feed.entries] == ["<p>Visible</p>"]
    # A logged-in reader gets the same public feed; hidden pages have no feed at all.
    client.force_login(trusted)
    assert [e.summary for e in parse(client, all_comments_url(kind), kind).entries] == texts
    for key, hidden in hidden_targets.items():
        for target in hidden:
            assert client.get(target_url(kind, key, target.pk)).status_code == 404


def test_pages_name_the_feeds_in_their_head(client):
    article = ArticleFactory(title="Ouvert")
    page = client.get(article.get_absolute_url()).content.decode()
    head, body = page.split("</head>")
    rss, atom = target_url("rss", "article", article.pk), target_url("atom", "article", article.pk)
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Comments on “Ouvert” (RSS)" '
        f'href="{rss}">'
    ) in head
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Comments on “Ouvert” (Atom)" '
        f'href="{atom}">'
    ) in head
    assert f'href="{rss}"' in body and f'href="{atom}"' in body  # beside the comments too
    head = client.get(reverse("articles:list")).content.decode().split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Latest comments (Atom)" '
        f'href="{all_comments_url("atom")}">'
    ) in head
    assert f'href="{all_comments_url("rss")}"' in head
    # A draft has no comments, and names no feed of them.
    author = article.authors.get()
    draft = ArticleFactory(status="draft", published_at=None, authors=[author])
    client.force_login(author)
    assert "Comments on" not in client.get(draft.get_absolute_url()).content.decode()
