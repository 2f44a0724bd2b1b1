"""Feeds of articles, RSS 2.0 and Atom: valid, with the author and licence of every item."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import Tag
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]


def parse(client, name: str, *args: object):  # type: ignore[no-untyped-def]
    response = client.get(reverse(f"articles:{name}", args=args))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def licence_of(entry) -> str:  # type: ignore[no-untyped-def]
    links = [link.href for link in entry.get("links", []) if link.get("rel") == "license"]
    return entry.get("license") or (links[0] if links else "")


@pytest.mark.parametrize("kind", KINDS)
def test_feed_items_carry_author_and_licence(client, kind):
    lea, yann = UserFactory(display_name="Léa Durand"), UserFactory(display_name="Yann Le Gall")
    ArticleFactory(title="Ensemble", authors=[lea, yann], licence="CC-BY-4.0")
    ArticleFactory(title="Seule", authors=[lea])

    feed = parse(client, f"feed_{kind}")

    assert [entry.title for entry in feed.entries] == ["Seule", "Ensemble"]
    together = feed.entries[1]
    assert "Léa Durand" in together.author and "Yann Le Gall" in together.author
    assert "CC BY 4.0" in together.rights
    assert licence_of(together) == "https://creativecommons.org/licenses/by/4.0/"
    assert licence_of(feed.entries[0]) == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert together.link.endswith(reverse("articles:list") + "ensemble/")
    assert "<strong>Markdown</strong>" in together.summary


@pytest.mark.parametrize("kind", KINDS)
def test_drafts_scheduled_members_only_and_archived_stay_out(client, kind):
    ArticleFactory(title="Public")
    ArticleFactory(title="Brouillon", status="draft", published_at=None)
    ArticleFactory(title="Plus tard", published_at=timezone.now() + timezone.timedelta(days=1))
    ArticleFactory(title="Membres", visibility="members")
    ArticleFactory(title="Archivé", status="archived")
    member = UserFactory()
    client.force_login(member)  # a logged-in reader gets the same public feed

    feed = parse(client, f"feed_{kind}")

    assert [entry.title for entry in feed.entries] == ["Public"]


@pytest.mark.parametrize("kind", KINDS)
def test_tag_and_author_feeds(client, kind):
    wiki = Tag.objects.create(name="Wikipédia")
    lea = UserFactory(display_name="Léa")
    ArticleFactory(title="Wiki", tags=[wiki])
    ArticleFactory(title="De Léa", authors=[lea])

    by_tag = parse(client, f"tag_feed_{kind}", "wikipedia")
    assert [entry.title for entry in by_tag.entries] == ["Wiki"]
    assert "Wikipédia" in by_tag.feed.title
    by_author = parse(client, f"author_feed_{kind}", lea.pk)
    assert [entry.title for entry in by_author.entries] == ["De Léa"]
    assert "Léa" in by_author.feed.title


def test_unknown_tag_or_author_is_404(client):
    assert client.get(reverse("articles:tag_feed_rss", args=["nope"])).status_code == 404
    assert client.get(reverse("articles:author_feed_atom", args=[999])).status_code == 404
    nobody = UserFactory()
    assert client.get(reverse("articles:author_feed_rss", args=[nobody.pk])).status_code == 404


def test_feed_content_is_sanitised(client):
    ArticleFactory(title="<b>x</b>", body="<script>alert(1)</script>\n\n[a](javascript:alert(1))")
    response = client.get(reverse("articles:feed_rss"))
    body = response.content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;alert" not in body.replace("&amp;lt;script&amp;gt;", "")
    parsed = feedparser.parse(response.content)
    assert "<script" not in parsed.entries[0].summary
