"""Feeds out: RSS 2.0 and Atom of the shared watch, a tag, a member, a list. Parsed back with
feedparser; only public bookmarks ever appear, whoever asks."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.members.models import User
from maillage.veille.feeds import FEED_SIZE
from maillage.veille.models import BookmarkList, ListItem
from tests.factories import BookmarkFactory, TagFactory, UserFactory
from tests.veille.lists.conftest import Shelf

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]


def parse(client: Client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    content_type = response["Content-Type"]
    assert content_type.startswith(("application/rss+xml", "application/atom+xml"))
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def titles(feed: feedparser.FeedParserDict) -> list[str]:
    return [entry.title for entry in feed.entries]


@pytest.fixture
def watch(owner: User, other: User) -> dict[str, object]:
    wiki = TagFactory(name="Wikipédia")
    now = timezone.now()
    return {
        "public": BookmarkFactory(
            owner=owner,
            title="Public & <sûr>",
            url="https://fr.wikipedia.org/wiki/Biblioth%C3%A8que",
            visibility="public",
            notes="Une **bonne** lecture <script>alert(1)</script>",
            tags=[wiki],
            created_at=now - timedelta(days=1),
        ),
        "public_other": BookmarkFactory(
            owner=other, title="Public de Yann", visibility="public", created_at=now
        ),
        "members": BookmarkFactory(owner=owner, title="Réservé aux membres", tags=[wiki]),
        "private": BookmarkFactory(
            owner=owner, title="Privé de Sophie", visibility="private", tags=[wiki]
        ),
        "gone": BookmarkFactory(
            owner=UserFactory(is_active=False), title="Compte fermé", visibility="public"
        ),
        "tag": wiki,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_the_shared_watch_feed_has_only_public_bookmarks(
    client: Client, watch: dict[str, object], owner: User, kind: str
) -> None:
    # Logged in or not, a feed is the same: feed readers never log in.
    for logged_in in (False, True):
        if logged_in:
            client.force_login(owner)
        feed = parse(client, reverse(f"veille:feed_{kind}"))
        assert titles(feed) == ["Public de Yann", "Public & <sûr>"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_item_carries_author_link_tags_and_date(
    client: Client, watch: dict[str, object], kind: str
) -> None:
    feed = parse(client, reverse(f"veille:feed_{kind}"))
    entry = feed.entries[1]
    assert entry.link == "https://fr.wikipedia.org/wiki/Biblioth%C3%A8que"
    assert entry.author == "Sophie Le Bihan"
    assert [tag.term for tag in entry.tags] == ["Wikipédia"]
    assert entry.id.endswith(reverse("veille:bookmark", args=[watch["public"].pk]))  # type: ignore[attr-defined]
    assert entry.published_parsed or entry.updated_parsed
    summary = entry.summary
    assert "<strong>bonne</strong>" in summary
    assert "<script>" not in summary
    assert feed.feed.title.endswith("shared watch")


@pytest.mark.parametrize("kind", KINDS)
def test_the_tag_feed(client: Client, watch: dict[str, object], kind: str) -> None:
    feed = parse(client, reverse(f"veille:tag_feed_{kind}", args=["wikipedia"]))
    assert titles(feed) == ["Public & <sûr>"]
    assert "Wikipédia" in feed.feed.title
    assert client.get(reverse(f"veille:tag_feed_{kind}", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_the_member_feed(client: Client, watch: dict[str, object], owner: User, kind: str) -> None:
    feed = parse(client, reverse(f"veille:member_feed_{kind}", args=[owner.pk]))
    assert titles(feed) == ["Public & <sûr>"]
    assert "Sophie Le Bihan" in feed.feed.title
    # No feed (and no name given away) for a member who shares nothing publicly.
    quiet = UserFactory(display_name="Discrète")
    BookmarkFactory(owner=quiet, visibility="members")
    assert client.get(reverse(f"veille:member_feed_{kind}", args=[quiet.pk])).status_code == 404
    assert client.get(reverse(f"veille:member_feed_{kind}", args=[99999])).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_the_list_feed_keeps_the_list_order_and_notes(
    client: Client, shelf: Shelf, owner: User, kind: str
) -> None:
    second = BookmarkFactory(owner=owner, title="Deuxième publique", visibility="public")
    ListItem.objects.filter(bookmark_list=shelf.bookmark_list).update(position=F("position") + 1)
    ListItem.objects.create(bookmark_list=shelf.bookmark_list, bookmark=second, position=0)
    ListItem.objects.filter(bookmark=shelf.public).update(note="Pour commencer")
    feed = parse(client, reverse(f"veille:list_feed_{kind}", args=[shelf.bookmark_list.slug]))
    # Members-only and private bookmarks of a public list stay out of its feed.
    assert titles(feed) == ["Deuxième publique", "Page publique"]
    assert "Pour commencer" in feed.entries[1].summary
    assert "Ressources pour community managers" in feed.feed.title


@pytest.mark.parametrize("visibility", ["members", "private"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_list_that_is_not_public_has_no_feed(
    client: Client, shelf: Shelf, owner: User, kind: str, visibility: str
) -> None:
    BookmarkList.objects.filter(pk=shelf.bookmark_list.pk).update(visibility=visibility)
    client.force_login(owner)
    url = reverse(f"veille:list_feed_{kind}", args=[shelf.bookmark_list.slug])
    assert client.get(url).status_code == 404


def test_feeds_are_capped(client: Client, owner: User) -> None:
    BookmarkFactory.create_batch(FEED_SIZE + 5, owner=owner, visibility="public")
    assert len(parse(client, reverse("veille:feed_rss")).entries) == FEED_SIZE


def test_no_private_or_members_bookmark_in_any_feed(
    client: Client, watch: dict[str, object], shelf: Shelf, owner: User
) -> None:
    urls = [
        reverse(f"veille:{name}_{kind}", args=args)
        for kind in KINDS
        for name, args in [
            ("feed", []),
            ("tag_feed", ["wikipedia"]),
            ("member_feed", [owner.pk]),
            ("list_feed", [shelf.bookmark_list.slug]),
        ]
    ]
    for url in urls:
        content = client.get(url).content.decode()
        for secret in ("Réservé aux membres", "Privé de Sophie", "Page privée", "Compte fermé"):
            assert secret not in content, (url, secret)
        assert "Page des membres" not in content


def test_the_feed_query_count_does_not_grow(client: Client, owner: User) -> None:
    tags = [TagFactory(), TagFactory()]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("veille:feed_atom")).status_code == 200
        return len(queries)

    BookmarkFactory.create_batch(3, owner=owner, visibility="public", tags=tags)
    few = count()
    BookmarkFactory.create_batch(27, owner=owner, visibility="public", tags=tags)
    assert count() == few
