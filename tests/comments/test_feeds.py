"""The comments' RSS feeds parse back (feedparser, no bozo) with the right items."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from maillage.articles.comments import services

pytestmark = pytest.mark.django_db


def test_latest_comments_feed(client, report, event, trusted):
    services.post_comment(target=report, author=trusted, body="Sur le **compte-rendu**")
    services.post_comment(target=event, author=trusted, body="Sur l’atelier")
    response = client.get(reverse("comments:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert len(parsed.entries) == 2
    newest = parsed.entries[0]
    assert "Yann Le Goff" in newest.title
    assert newest.link.startswith("http://testserver/ateliers/")
    assert "#comment-" in newest.link
    assert "<strong>compte-rendu</strong>" in parsed.entries[1].description


def test_feed_per_target(client, report, event, trusted):
    services.post_comment(target=report, author=trusted, body="Ici")
    services.post_comment(target=event, author=trusted, body="Ailleurs")
    url = reverse("comments:target_feed", kwargs={"kind": "article", "object_id": report.pk})
    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo
    assert [entry.description for entry in parsed.entries] == ["<p>Ici</p>"]
    assert report.event.title in parsed.feed.title
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page


def test_unknown_target_has_no_feed(client):
    url = reverse("comments:target_feed", kwargs={"kind": "inconnu", "object_id": 1})
    assert client.get(url).status_code == 404
