"""The reader: entries of my sources and the network's, unread first then newest; marking read
one by one or all at once; "Keep" makes a bookmark in one click; nobody reads through someone
else's subscription; the query count does not grow with the entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.members.models import User
from maillage.veille.models import Bookmark
from maillage.veille.sources import refresh, selectors
from maillage.veille.sources.models import Entry, KeptEntry, ReadEntry
from tests.factories import (
    BookmarkFactory,
    FeedEntryFactory,
    FeedFactory,
    ReadEntryFactory,
    SourceSubscriptionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

READER = reverse("sources:reader")


def titles(client: Client, url: str = READER) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [entry.title for entry in response.context["entries"]]


@pytest.fixture
def sources(member: User, other: User) -> dict[str, object]:
    """My feed, the network's feed, and another member's private feed, each with entries."""
    now = timezone.now()
    mine = SourceSubscriptionFactory(
        member=member,
        title="Mon blog",
        feed=FeedFactory(title="Blog"),
        tags=[TagFactory(name="musées")],
    )
    network = SourceSubscriptionFactory(
        member=None, for_network=True, feed=FeedFactory(title="Réseau")
    )
    theirs = SourceSubscriptionFactory(
        member=other, title="Secret", feed=FeedFactory(title="Privé")
    )
    for hours, feed, title in [
        (1, mine.feed, "Mien récent"),
        (5, mine.feed, "Mien ancien"),
        (3, network.feed, "Réseau"),
        (2, theirs.feed, "Caché"),
    ]:
        FeedEntryFactory(feed=feed, title=title, published_at=now - timedelta(hours=hours))
    return {"mine": mine, "network": network, "theirs": theirs}


def test_unread_first_then_newest(client: Client, member: User, sources: dict) -> None:
    ReadEntryFactory(user=member, entry=Entry.objects.get(title="Mien récent"))
    client.force_login(member)

    assert titles(client) == ["Réseau", "Mien ancien", "Mien récent"]


def test_someone_elses_subscription_is_invisible(
    client: Client, member: User, other: User, sources: dict
) -> None:
    client.force_login(member)
    hidden = Entry.objects.get(title="Caché")

    reader = client.get(READER).content.decode()
    page = client.get(reverse("sources:list")).content.decode()
    assert "Caché" not in reader and "Secret" not in reader and "Privé" not in reader
    assert "Secret" not in page and "Privé" not in page
    assert titles(client, f"{READER}?source={sources['theirs'].pk}") == [
        "Mien récent",
        "Réseau",
        "Mien ancien",
    ]  # an unknown source is no filter
    for name in ("sources:entry_read", "sources:entry_keep"):
        assert client.post(reverse(name, args=[hidden.pk])).status_code == 404
    response = client.post(reverse("sources:mark_all_read"), {"source": sources["theirs"].pk})
    assert response.status_code == 404
    assert not Bookmark.objects.exists() and not ReadEntry.objects.exists()

    # Following the same feed oneself shows its entries, under one's own name for it.
    SourceSubscriptionFactory(member=member, feed=sources["theirs"].feed, title="Aussi à moi")
    reader = client.get(READER).content.decode()
    assert "Caché" in reader and "Aussi à moi" in reader and "Secret" not in reader


def test_anonymous_visitors_see_nothing(client: Client, sources: dict) -> None:
    assert client.get(READER).status_code == 302
    assert selectors.reader_entries(None).count() == 0


def test_filter_by_source(client: Client, member: User, sources: dict) -> None:
    client.force_login(member)
    assert titles(client, f"{READER}?source={sources['mine'].pk}") == ["Mien récent", "Mien ancien"]
    assert titles(client, f"{READER}?source={sources['network'].pk}") == ["Réseau"]


def test_unread_only(client: Client, member: User, sources: dict) -> None:
    ReadEntryFactory(user=member, entry=Entry.objects.get(title="Réseau"))
    client.force_login(member)
    assert titles(client, f"{READER}?unread=on") == ["Mien récent", "Mien ancien"]


def test_mark_one_read_without_javascript(client: Client, member: User, sources: dict) -> None:
    entry = Entry.objects.get(title="Mien ancien")
    client.force_login(member)

    response = client.post(
        reverse("sources:entry_read", args=[entry.pk]), {"next": f"{READER}?page=1"}
    )

    assert response.status_code == 302 and response["Location"] == f"{READER}?page=1"
    assert titles(client) == ["Mien récent", "Réseau", "Mien ancien"]


def test_mark_one_read_with_htmx_returns_the_entry(
    client: Client, member: User, sources: dict
) -> None:
    entry = Entry.objects.get(title="Réseau")
    client.force_login(member)

    response = client.post(
        reverse("sources:entry_read", args=[entry.pk]), headers={"HX-Request": "true"}
    )

    text = response.content.decode()
    assert "<html" not in text and f'id="entry-{entry.pk}"' in text
    assert "entry-read" in text and "Mark as read" not in text


def test_next_never_leaves_the_site(client: Client, member: User, sources: dict) -> None:
    entry = Entry.objects.get(title="Réseau")
    client.force_login(member)
    response = client.post(
        reverse("sources:entry_read", args=[entry.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == READER


def test_mark_all_read_keeps_what_arrived_since(
    client: Client, member: User, sources: dict
) -> None:
    client.force_login(member)
    shown_at = timezone.now()
    later = FeedEntryFactory(
        feed=sources["mine"].feed,
        title="Arrivé après",
        fetched_at=shown_at + timedelta(seconds=5),
    )

    response = client.post(
        reverse("sources:mark_all_read"), {"shown_at": shown_at.isoformat(), "next": READER}
    )

    assert response.status_code == 302
    entries = client.get(READER).context["entries"]
    assert (entries[0].title, entries[0].is_read) == (later.title, False)
    assert all(entry.is_read for entry in entries[1:])


def test_mark_one_source_read(client: Client, member: User, sources: dict) -> None:
    client.force_login(member)
    client.post(reverse("sources:mark_all_read"), {"source": sources["network"].pk})
    read = {entry.title: entry.is_read for entry in client.get(READER).context["entries"]}
    assert read == {"Réseau": True, "Mien récent": False, "Mien ancien": False}


def test_keep_makes_a_bookmark_in_one_click(client: Client, member: User, sources: dict) -> None:
    entry = Entry.objects.get(title="Mien récent")
    client.force_login(member)

    response = client.post(reverse("sources:entry_keep", args=[entry.pk]), {"next": READER})

    assert response.status_code == 302
    bookmark = Bookmark.objects.get(owner=member)
    assert bookmark.url == entry.link and bookmark.title == "Mien récent"
    assert bookmark.source == "feed"
    assert [tag.name for tag in bookmark.tags.all()] == ["musées"]
    assert KeptEntry.objects.get().bookmark == bookmark
    reader = client.get(READER, follow=True).content.decode()
    assert "Kept in your bookmarks." in reader
    kept = next(e for e in client.get(READER).context["entries"] if e.pk == entry.pk)
    assert kept.is_kept and kept.is_read

    # Keeping again, or a page already bookmarked by hand, merges into the same bookmark.
    with_htmx = client.post(
        reverse("sources:entry_keep", args=[entry.pk]), headers={"HX-Request": "true"}
    )
    assert "Already in your bookmarks" in with_htmx.content.decode()
    assert Bookmark.objects.filter(owner=member).count() == 1


def test_keeping_an_entry_already_bookmarked(client: Client, member: User, sources: dict) -> None:
    entry = Entry.objects.get(title="Réseau")
    BookmarkFactory(owner=member, url=entry.link, title="Mon titre")
    client.force_login(member)

    response = client.post(
        reverse("sources:entry_keep", args=[entry.pk]), headers={"HX-Request": "true"}
    )

    assert "Already in your bookmarks" in response.content.decode()
    assert Bookmark.objects.get(owner=member).title == "Mon titre"


def test_an_entry_without_address_cannot_be_kept(
    client: Client, member: User, sources: dict
) -> None:
    entry = FeedEntryFactory(feed=sources["mine"].feed, link="", title="Sans lien")
    client.force_login(member)
    assert "entry_keep" not in str(client.get(READER).content)
    response = client.post(
        reverse("sources:entry_keep", args=[entry.pk]), headers={"HX-Request": "true"}
    )
    assert "no address to keep" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_a_kept_entry_survives_the_purge(client: Client, member: User, sources: dict) -> None:
    entry = Entry.objects.get(title="Mien récent")
    client.force_login(member)
    client.post(reverse("sources:entry_keep", args=[entry.pk]))
    Entry.objects.update(fetched_at=timezone.now() - timedelta(days=100))

    refresh.purge_old_entries()

    assert list(Entry.objects.values_list("title", flat=True)) == ["Mien récent"]


def test_pagination(client: Client, member: User) -> None:
    feed = SourceSubscriptionFactory(member=member).feed
    now = timezone.now()
    for number in range(selectors.READER_PAGE_SIZE + 5):
        FeedEntryFactory(
            feed=feed, title=f"E{number}", published_at=now - timedelta(minutes=number)
        )
    client.force_login(member)

    first = client.get(READER)
    second = client.get(f"{READER}?page=2")

    assert len(first.context["entries"]) == selectors.READER_PAGE_SIZE
    assert [entry.title for entry in second.context["entries"]] == [f"E{n}" for n in range(30, 35)]
    assert "page 2" in second.content.decode()


def test_the_reader_and_the_sources_page_make_a_fixed_number_of_queries(
    client: Client, member: User
) -> None:
    def fill(count: int) -> None:
        for _ in range(count):
            subscription = SourceSubscriptionFactory(member=member, tags=[TagFactory()])
            network = SourceSubscriptionFactory(member=None, for_network=True, tags=[TagFactory()])
            for feed in (subscription.feed, network.feed):
                ReadEntryFactory(user=member, entry=FeedEntryFactory(feed=feed))
                FeedEntryFactory(feed=feed)

    client.force_login(member)
    counts = []
    for count in (1, 6):
        fill(count)
        for url in (READER, reverse("sources:list"), f"{READER}?unread=on"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append((url, len(queries)))
    assert counts[:3] == counts[3:]
    assert max(count for _url, count in counts) <= 8


def test_htmx_filter_returns_the_results_only(client: Client, member: User, sources: dict) -> None:
    client.force_login(member)
    response = client.get(READER, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "<html" not in text and "3 entries" in text
    assert response["Vary"].count("HX-Request") == 1
