"""Refreshing feeds from a real local HTTP server: conditional GET (ETag, Last-Modified), backoff
on errors, deduplication, bozo feeds, caps, SSRF refusals, and the nightly purge."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.members.models import User
from maillage.veille.sources import refresh, tasks
from maillage.veille.sources.models import Entry, Feed
from tests.factories import (
    FeedEntryFactory,
    FeedFactory,
    KeptEntryFactory,
    SourceSubscriptionFactory,
)
from tests.http_server import LocalHTTPServer
from tests.sources.conftest import RSS_HEADERS, items, rss

pytestmark = pytest.mark.django_db


def followed_feed(http_server: LocalHTTPServer, path: str = "/feed.xml", **fields: Any) -> Feed:
    feed = FeedFactory(url=http_server.url(path), title="", **fields)
    SourceSubscriptionFactory(feed=feed)
    return feed


def test_a_due_feed_is_fetched_and_its_entries_stored(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=rss(items=items(3)), headers=RSS_HEADERS, etag='"v1"')
    feed = followed_feed(http_server)

    report = refresh.refresh_due_feeds()

    assert (report.feeds, report.new_documents, report.entries_created) == (1, 1, 3)
    feed.refresh_from_db()
    assert feed.title == "Le blog de la médiathèque"
    assert feed.site_url == "https://mediatheque.example.org/"
    assert feed.etag == '"v1"'
    assert feed.last_success_at is not None and feed.consecutive_errors == 0
    assert feed.next_fetch_at > timezone.now() + timedelta(minutes=25)
    titles = list(feed.entries.order_by("-sort_at").values_list("title", flat=True))
    assert titles == ["Billet 0", "Billet 1", "Billet 2"]
    entry = feed.entries.get(guid="billet-0")
    assert entry.link == "https://mediatheque.example.org/billet/0"
    assert entry.summary == "Résumé du billet 0."


def test_feeds_nobody_follows_or_not_due_are_left_alone(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=rss(items=items(1)), headers=RSS_HEADERS)
    FeedFactory(url=http_server.url("/feed.xml"))  # nobody follows it
    later = followed_feed(http_server, "/later.xml")
    Feed.objects.filter(pk=later.pk).update(next_fetch_at=timezone.now() + timedelta(minutes=5))

    assert refresh.refresh_due_feeds().feeds == 0
    assert http_server.requests == []


def test_etag_then_304_changes_nothing(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=rss(items=items(2)), headers=RSS_HEADERS, etag='"v1"')
    feed = followed_feed(http_server)
    refresh.refresh_due_feeds()
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())

    report = refresh.refresh_due_feeds()

    assert (report.not_modified, report.new_documents, report.entries_created) == (1, 0, 0)
    assert http_server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert Entry.objects.filter(feed=feed).count() == 2
    feed.refresh_from_db()
    assert feed.next_fetch_at > timezone.now() + timedelta(minutes=25)


def test_last_modified_then_304(http_server: LocalHTTPServer) -> None:
    stamp = "Wed, 26 Mar 2014 18:00:00 GMT"
    http_server.route(
        "/feed.xml", body=rss(items=items(2)), headers=RSS_HEADERS, last_modified=stamp
    )
    feed = followed_feed(http_server)
    refresh.refresh_due_feeds()
    assert Feed.objects.get(pk=feed.pk).last_modified == stamp
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())

    report = refresh.refresh_due_feeds()

    assert report.not_modified == 1
    assert http_server.requests[-1].headers["If-Modified-Since"] == stamp


def test_a_server_without_conditional_get_sending_the_same_bytes(
    http_server: LocalHTTPServer,
) -> None:
    http_server.route("/feed.xml", body=rss(items=items(2)), headers=RSS_HEADERS)
    feed = followed_feed(http_server)
    refresh.refresh_due_feeds()
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())

    report = refresh.refresh_due_feeds()

    assert (report.unchanged, report.new_documents) == (1, 0)


def test_entries_are_stored_once_by_guid_or_link(http_server: LocalHTTPServer) -> None:
    now = timezone.now()
    first = items(3, now=now)
    http_server.route("/feed.xml", body=rss(items=first), headers=RSS_HEADERS)
    feed = followed_feed(http_server)
    refresh.refresh_due_feeds()

    # Two new ones on top, one edited (same guid, new title), and one without guid (by link).
    edited = {**first[0], "title": "Billet 0, corrigé"}
    no_guid = {"title": "Sans guid", "link": "https://mediatheque.example.org/sans-guid"}
    second = [*items(2, start=10, now=now + timedelta(hours=2)), edited, *first[1:], no_guid]
    http_server.route("/feed.xml", body=rss(items=second), headers=RSS_HEADERS)
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())
    report = refresh.refresh_due_feeds()
    assert report.entries_created == 3

    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now(), content_digest="")
    assert refresh.refresh_due_feeds().entries_created == 0
    assert Entry.objects.filter(feed=feed).count() == 6
    assert Entry.objects.get(feed=feed, guid="billet-0").title == "Billet 0"


def test_the_same_entry_in_two_feeds_is_stored_for_each(http_server: LocalHTTPServer) -> None:
    body = rss(items=items(2))
    http_server.route("/a.xml", body=body, headers=RSS_HEADERS)
    http_server.route("/b.xml", body=body, headers=RSS_HEADERS)
    followed_feed(http_server, "/a.xml")
    followed_feed(http_server, "/b.xml")

    assert refresh.refresh_due_feeds().entries_created == 4


def test_errors_back_off_exponentially_up_to_a_day_and_are_shown(
    http_server: LocalHTTPServer, client: Client, member: User
) -> None:
    http_server.route("/feed.xml", status=503, body=b"maintenance")
    feed = FeedFactory(url=http_server.url("/feed.xml"), title="Blog en panne")
    SourceSubscriptionFactory(feed=feed, member=member)

    delays = []
    for _ in range(7):
        Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())
        before = timezone.now()
        refresh.refresh_due_feeds()
        feed.refresh_from_db()
        delays.append(round((feed.next_fetch_at - before).total_seconds() / 3600, 1))

    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 24.0, 24.0]
    assert feed.consecutive_errors == 7
    assert "HTTP 503" in feed.last_error

    client.force_login(member)
    page = client.get(reverse("sources:list")).content.decode()
    assert "Cannot be read:" in page
    assert "The server answered with an error (HTTP 503)." in page
    assert "7 failures in a row" in page

    http_server.route("/feed.xml", body=rss(items=items(1)), headers=RSS_HEADERS)
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=timezone.now())
    refresh.refresh_due_feeds()
    feed.refresh_from_db()
    assert (feed.consecutive_errors, feed.last_error) == (0, "")
    assert "Cannot be read" not in client.get(reverse("sources:list")).content.decode()


def test_a_bozo_feed_is_kept_with_a_warning_shown(
    http_server: LocalHTTPServer, client: Client, member: User
) -> None:
    broken = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Bricolage</title>'
        b"<item><title>Un & deux</title><link>https://bricolage.example/1</link></item>"
        b"<item><title>Pas ferm\xc3\xa9e<link>https://bricolage.example/2</link></item>"
    )
    http_server.route("/feed.xml", body=broken, headers=RSS_HEADERS)
    feed = FeedFactory(url=http_server.url("/feed.xml"))
    SourceSubscriptionFactory(feed=feed, member=member)

    report = refresh.refresh_due_feeds()

    feed.refresh_from_db()
    assert report.entries_created >= 1 and feed.consecutive_errors == 0
    assert "not well-formed" in feed.bozo_warning
    client.force_login(member)
    assert "not well-formed" in client.get(reverse("sources:list")).content.decode()


def test_something_that_is_not_a_feed_is_an_error(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=b"\x89PNG\r\n\x1a\n", headers={"Content-Type": "image/png"})
    feed = followed_feed(http_server)

    refresh.refresh_due_feeds()

    feed.refresh_from_db()
    assert feed.consecutive_errors == 1
    assert "could not be read as a feed" in feed.last_error


def test_a_huge_feed_is_cut_off(http_server: LocalHTTPServer, settings: Any) -> None:
    settings.FEEDS_MAX_BYTES = 64 * 1024
    http_server.route("/feed.xml", headers=RSS_HEADERS, stream_bytes=1024 * 1024)
    feed = followed_feed(http_server)

    refresh.refresh_due_feeds()

    feed.refresh_from_db()
    assert "larger than" in feed.last_error
    assert Entry.objects.filter(feed=feed).count() == 0


def test_entry_html_is_never_stored(http_server: LocalHTTPServer) -> None:
    item = {
        "guid": "x",
        "title": "<script>alert(1)</script>Titre",
        "link": "javascript:alert(1)",
        "description": '<img src=x onerror="alert(1)"><p>Texte <b>gras</b></p>',
    }
    http_server.route("/feed.xml", body=rss(items=[item]), headers=RSS_HEADERS)
    feed = followed_feed(http_server)

    refresh.refresh_due_feeds()

    entry = Entry.objects.get(feed=feed)
    assert entry.link == ""
    assert "<" not in entry.title and "<" not in entry.summary
    assert entry.summary == "Texte gras"


def test_an_entity_bomb_is_harmless(http_server: LocalHTTPServer) -> None:
    declarations = ['<!ENTITY e0 "lol">'] + [
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(declarations) + "]>"
        '<rss version="2.0"><channel><title>&e9;</title><item><title>&e9;</title>'
        "<link>https://bomb.example/1</link></item></channel></rss>"
    ).encode()
    http_server.route("/feed.xml", body=bomb, headers=RSS_HEADERS)
    feed = followed_feed(http_server)

    refresh.refresh_due_feeds()

    feed.refresh_from_db()
    entry = Entry.objects.get(feed=feed)
    assert len(entry.title) < 100 and len(feed.title) < 100
    assert entry.link == "https://bomb.example/1"


def test_feeds_on_private_addresses_are_refused(
    http_server: LocalHTTPServer, settings: Any
) -> None:
    http_server.route("/feed.xml", body=rss(items=items(1)), headers=RSS_HEADERS)
    feed = followed_feed(http_server)
    settings.FETCH_ALLOW_LOOPBACK = False

    refresh.refresh_due_feeds()

    feed.refresh_from_db()
    assert "Refused to fetch from 127.0.0.1" in feed.last_error
    assert http_server.requests == []
    assert not Entry.objects.exists()


def test_a_redirect_to_a_private_address_is_refused(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/feed.xml", "http://10.0.0.7/internal-feed.xml")
    feed = followed_feed(http_server)

    refresh.refresh_due_feeds()

    feed.refresh_from_db()
    assert "Refused to fetch from 10.0.0.7" in feed.last_error


def test_the_periodic_task_refreshes_due_feeds(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=rss(items=items(2)), headers=RSS_HEADERS)
    feed = followed_feed(http_server)

    tasks.refresh_due_feeds()  # huey runs tasks in-process in tests

    assert Entry.objects.filter(feed=feed).count() == 2


# --- The purge ------------------------------------------------------------------------------


def test_the_purge_keeps_90_days_and_kept_entries() -> None:
    now = timezone.now()
    day = timedelta(days=1)
    feed = FeedFactory(last_success_at=now, content_changed_at=now - timedelta(hours=1))
    SourceSubscriptionFactory(feed=feed)
    gone = {"last_seen_at": now - 80 * day}  # no longer in the feed's current document
    old = FeedEntryFactory(feed=feed, fetched_at=now - 91 * day, **gone)
    recent = FeedEntryFactory(feed=feed, fetched_at=now - 89 * day, **gone)
    kept = FeedEntryFactory(feed=feed, fetched_at=now - 200 * day, **gone)
    KeptEntryFactory(entry=kept)
    # Still listed by the feed's current document: purged, it would come back as new.
    listed = FeedEntryFactory(
        feed=feed, fetched_at=now - 120 * day, last_seen_at=now - timedelta(hours=1)
    )

    tasks.purge_old_entries()  # the nightly task, run in-process by huey in tests

    remaining = set(Entry.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, kept.pk, listed.pk}
    assert old.pk not in remaining


def test_the_purge_drops_what_a_dead_feed_still_lists_after_90_days() -> None:
    now = timezone.now()
    feed = FeedFactory(
        last_success_at=now - timedelta(days=100), content_changed_at=now - timedelta(days=120)
    )
    SourceSubscriptionFactory(feed=feed)
    entry = FeedEntryFactory(
        feed=feed, fetched_at=now - timedelta(days=120), last_seen_at=now - timedelta(days=120)
    )

    report = refresh.purge_old_entries(now=now)

    assert report.entries == 1
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_the_purge_drops_feeds_nobody_follows_unless_they_hold_kept_entries() -> None:
    long_ago = timezone.now() - timedelta(days=3)
    followed = FeedFactory(created_at=long_ago)
    SourceSubscriptionFactory(feed=followed)
    orphan = FeedFactory(created_at=long_ago)
    FeedEntryFactory(feed=orphan)
    with_kept = FeedFactory(created_at=long_ago)
    KeptEntryFactory(entry=FeedEntryFactory(feed=with_kept))
    just_added = FeedFactory()

    report = refresh.purge_old_entries()

    assert report.feeds == 1
    assert set(Feed.objects.values_list("pk", flat=True)) == {
        followed.pk,
        with_kept.pk,
        just_added.pk,
    }
