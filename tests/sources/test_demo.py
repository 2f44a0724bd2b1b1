"""The demo's feed subscriptions: the network's three blogs and two members' own, with entries
stored as a fetch would store them (nothing fetched), loaded twice the same, readable at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.text import french_spacing
from maillage.members import demo as members_demo
from maillage.members.models import User
from maillage.veille.sources import demo
from maillage.veille.sources.models import Entry, Feed, ReadEntry, Subscription

pytestmark = pytest.mark.django_db


def load() -> None:
    """The members the feeds belong to, then the feeds: the whole demo is tests/test_demo.py's."""
    members_demo.load_members()
    demo.load_sources()


def counts() -> tuple[int, int, int, int]:
    return (
        Feed.objects.count(),
        Subscription.objects.count(),
        Entry.objects.count(),
        ReadEntry.objects.count(),
    )


def test_loading_twice_changes_nothing() -> None:
    load()
    first = counts()
    load()
    assert counts() == first
    posts = sum(len(feed.posts) for feed in demo.FEEDS)
    assert first[2] >= posts


def test_the_network_follows_three_blogs_and_two_members_their_own() -> None:
    load()
    network = Subscription.objects.filter(for_network=True)
    assert network.count() == 3
    assert all(subscription.tags.exists() for subscription in network)
    personal = Subscription.objects.filter(for_network=False).select_related("member")
    assert {subscription.member.email.split("@")[0] for subscription in personal} == {
        "bastien.coquelin",
        "anne-laure.kervella",
    }
    # Stored as freshly read, not waiting for a fetch of a site that does not exist.
    assert not Feed.objects.due().exists()
    assert set(Feed.objects.values_list("url", flat=True)) >= {feed.url for feed in demo.FEEDS}
    assert all(".example/" in url for url in Entry.objects.values_list("link", flat=True))


def test_a_member_reads_the_network_feeds_and_their_own_unread_first() -> None:
    load()
    bastien = User.objects.get(email__startswith="bastien.coquelin@")
    client = Client()
    client.force_login(bastien)
    response = client.get(reverse("sources:reader"))
    assert response.status_code == 200
    shown = {entry.title for entry in response.context["entries"]}
    assert french_spacing("« Valider de ne pas tout valider »") in shown  # his own feed
    assert "Quand les squelettes prennent la parole" in shown  # the network's
    assert "Une charte de prise de parole en une page" not in {
        entry.title for entry in response.context["entries"] if not entry.is_read
    }


def test_an_author_named_like_the_feed_is_not_said_twice() -> None:
    load()
    bastien = User.objects.get(email__startswith="bastien.coquelin@")
    client = Client()
    client.force_login(bastien)
    page = client.get(reverse("sources:reader")).content.decode()
    assert "Le carnet du community manager culturel · " in page
    assert " · Le carnet du community manager culturel<" not in page
    assert " · Collectif Bibliothèques en réseaux<" in page  # an author of their own
