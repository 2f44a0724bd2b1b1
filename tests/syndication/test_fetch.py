"""Fetching partner feeds from a real local HTTP server: RSS and Atom with their licences,
conditional GET, deduplication, malformed and huge feeds, scripts, private addresses, redirects,
the page a blog's home page announces, backing off after errors, and the periodic task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.articles.syndication import fetching, tasks
from maillage.articles.syndication.models import FeedItem, FetchStatus, Subscription
from maillage.core.licences import Licence
from tests.factories import SubscriptionFactory
from tests.syndication.feeds import ATOM_TYPE, RSS_TYPE, Entry, atom, rss

pytestmark = pytest.mark.django_db

BY_SA = "https://creativecommons.org/licenses/by-sa/3.0/fr/"
BY_ND = "http://creativecommons.org/licenses/by-nd/4.0/"


def subscription_to(http_server, path: str = "/feed.xml", **values):  # type: ignore[no-untyped-def]
    return SubscriptionFactory(feed_url=http_server.url(path), site_url="", **values)


def fetched(subscription, **options):  # type: ignore[no-untyped-def]
    report = fetching.fetch_subscription(subscription_id=subscription.pk, force=True, **options)
    subscription.refresh_from_db()
    return report


def items(subscription) -> dict[str, FeedItem]:  # type: ignore[no-untyped-def]
    """The stored items by their guid (core.feeds resolves a relative one against the feed)."""
    kept = FeedItem.objects.filter(subscription=subscription)
    return {item.guid.rsplit("/", 1)[-1]: item for item in kept}


def test_rss_items_are_kept_with_their_licence_author_and_date(http_server):
    entries = [
        Entry("billet-1", "Nos photos sur Flickr", "https://partenaire.example/1",
              content="<p>Le <b>texte</b> complet.</p>", licence_url=BY_SA),
        Entry("billet-2", "Un atelier payant", "https://partenaire.example/2",
              rights="© 2014 Bretagne en communs"),
        Entry("billet-3", "Sans licence", "https://partenaire.example/3"),
    ]  # fmt: skip
    http_server.route("/feed.xml", body=rss(entries), headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server)

    report = fetched(subscription)

    assert report is not None and report.new_items == 3 and report.status == FetchStatus.OK
    assert subscription.last_status == FetchStatus.OK and subscription.last_error == ""
    assert subscription.feed_title == "Bretagne en communs"
    assert subscription.site_url == "https://partenaire.example/"
    kept = items(subscription)
    first = kept["billet-1"]
    assert first.title == "Nos photos sur Flickr" and first.author == "Anne Le Roux"
    assert first.link == "https://partenaire.example/1"
    assert first.published_at is not None and first.published_at.isoformat().startswith(
        "2014-04-02T07:30"
    )
    assert first.licence == Licence.CC_BY_SA and first.licence_declared == BY_SA
    assert first.content == "<p>Le texte complet.</p>"
    assert first.language == "fr"
    assert kept["billet-2"].licence == Licence.ALL_RIGHTS_RESERVED
    assert kept["billet-3"].licence == ""


def test_atom_items_and_the_feed_licence_for_items_without_one(http_server):
    entries = [
        Entry("urn:billet:1", "Verbatim seulement", "https://partenaire.example/a",
              licence_url=BY_ND),
        Entry("urn:billet:2", "Sous la licence du flux", "https://partenaire.example/b"),
        Entry("urn:billet:3", "Une licence inconnue", "https://partenaire.example/c",
              rights="Licence maison, nous demander"),
    ]  # fmt: skip
    body = atom(entries, licence_url="https://creativecommons.org/licenses/by/4.0/")
    http_server.route("/atom", body=body, headers={"Content-Type": ATOM_TYPE})
    subscription = subscription_to(http_server, "/atom")

    assert fetched(subscription).new_items == 3
    kept = items(subscription)
    assert kept["urn:billet:1"].licence == Licence.CC_BY_ND
    assert kept["urn:billet:2"].licence == Licence.CC_BY
    # The item said something of its own: the feed's licence does not override it.
    assert kept["urn:billet:3"].licence == ""
    assert kept["urn:billet:3"].licence_declared == "Licence maison, nous demander"


def test_the_subscription_default_licence_fills_in_only_when_nothing_is_declared(http_server):
    entries = [
        Entry("1", "Rien de déclaré", "https://partenaire.example/1"),
        Entry("2", "Tous droits", "https://partenaire.example/2", rights="Tous droits réservés"),
    ]
    http_server.route("/feed.xml", body=rss(entries), headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server, default_licence=Licence.CC_BY_NC_SA)
    fetched(subscription)
    kept = items(subscription)
    assert kept["1"].licence == Licence.CC_BY_NC_SA and kept["1"].licence_declared == ""
    assert kept["2"].licence == Licence.ALL_RIGHTS_RESERVED


def test_conditional_get_answers_304_and_changes_nothing(http_server):
    body = rss([Entry("1", "Premier", "https://partenaire.example/1")])
    http_server.route(
        "/feed.xml",
        body=body,
        headers={"Content-Type": RSS_TYPE},
        etag='"v1"',
        last_modified="Wed, 02 Apr 2014 08:00:00 GMT",
    )
    subscription = subscription_to(http_server)
    fetched(subscription)
    assert subscription.etag == '"v1"'
    assert subscription.last_modified == "Wed, 02 Apr 2014 08:00:00 GMT"

    report = fetched(subscription)

    assert report is not None and report.status == FetchStatus.NOT_MODIFIED
    second = http_server.requests[-1]
    assert second.headers["If-None-Match"] == '"v1"'
    assert second.headers["If-Modified-Since"] == "Wed, 02 Apr 2014 08:00:00 GMT"
    assert subscription.last_status == FetchStatus.NOT_MODIFIED
    assert FeedItem.objects.filter(subscription=subscription).count() == 1


def test_items_are_kept_once_and_updated_in_place(http_server):
    first = [
        Entry("1", "Premier", "https://partenaire.example/1"),
        Entry("2", "Deuxième", "https://partenaire.example/2"),
    ]
    http_server.route("/feed.xml", body=rss(first), headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server)
    fetched(subscription)
    original = items(subscription)

    again = [
        Entry("1", "Premier, corrigé", "https://partenaire.example/1"),
        # The partner's blog changed its identifiers: the same post, known by its link.
        Entry("tag:blog,2014:2", "Deuxième", "https://partenaire.example/2"),
        Entry("3", "Troisième", "https://partenaire.example/3"),
        Entry("3", "Troisième", "https://partenaire.example/3"),
    ]
    http_server.route("/feed.xml", body=rss(again), headers={"Content-Type": RSS_TYPE})
    report = fetched(subscription)

    assert report is not None and (report.new_items, report.updated_items) == (1, 1)
    kept = items(subscription)
    assert set(kept) == {"1", "2", "3"}
    assert kept["1"].pk == original["1"].pk and kept["1"].title == "Premier, corrigé"
    assert kept["2"].pk == original["2"].pk


def test_a_malformed_feed_is_kept_when_usable_with_a_warning(http_server, client, coordinator):
    broken = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog &eacute;trange</title>'
        b"<item><title>Lisible malgr\xc3\xa9 tout</title><link>https://partenaire.example/1</link>"
        b"<description>Un &nbsp; texte &amp; plus</description></item></channel>"
    )
    http_server.route("/feed.xml", body=broken, headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server)

    report = fetched(subscription)

    assert report is not None and report.status == FetchStatus.WARNING
    assert subscription.last_status == FetchStatus.WARNING
    assert "This feed is not well-formed" in subscription.last_error
    [item] = items(subscription).values()
    assert item.title == "Lisible malgré tout"
    client.force_login(coordinator)
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert "Warning:" in page and "not well-formed" in page


def test_a_document_that_is_not_a_feed_is_an_error(http_server):
    http_server.route("/feed.xml", body=b"hello, world", headers={"Content-Type": "text/plain"})
    subscription = subscription_to(http_server)
    report = fetched(subscription)
    assert report is not None and report.status == FetchStatus.ERROR
    assert subscription.last_error == "This document could not be read as a feed (RSS or Atom)."
    assert not FeedItem.objects.exists()


def test_a_huge_feed_is_refused_with_a_clear_error(http_server, settings):
    settings.FEEDS_MAX_BYTES = 256 * 1024
    http_server.route("/feed.xml", stream_bytes=1024 * 1024, headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server)
    report = fetched(subscription)
    assert report is not None and report.status == FetchStatus.ERROR
    assert subscription.last_error == (
        "The document is larger than 256.0\xa0KB, the most we accept."
    )
    assert subscription.failure_count == 1


def test_scripts_in_items_are_removed_before_anything_is_stored(http_server, client, coordinator):
    hostile = (
        '<p onclick="steal()">Bonjour<script>alert("x")</script></p>'
        '<img src="https://partenaire.example/a.png" onerror="alert(1)">'
        '<a href="javascript:alert(2)">clic</a><iframe src="https://evil.example/"></iframe>'
        "<svg><script>alert(3)</script></svg><style>body{display:none}</style>"
    )
    entries = [
        Entry("1", 'Titre <script>alert("t")</script>', "https://partenaire.example/1",
              summary=hostile, content=hostile, licence_url=BY_SA),
    ]  # fmt: skip
    http_server.route("/feed.xml", body=rss(entries), headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server)
    fetched(subscription)
    [item] = items(subscription).values()
    for stored in (item.summary, item.content, item.title):
        lowered = stored.lower()
        for danger in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<svg", "<style"):
            assert danger not in lowered, (danger, stored)
    assert "Bonjour" in item.content
    client.force_login(coordinator)
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert "alert(" not in page


def test_a_private_address_is_refused_and_the_error_shown(http_server, settings, client,
                                                          coordinator):  # fmt: skip
    http_server.route("/feed.xml", body=rss([]), headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server)
    settings.FETCH_ALLOW_LOOPBACK = False

    report = fetched(subscription)

    assert report is not None and report.status == FetchStatus.ERROR
    assert subscription.last_error.startswith("Refused to fetch from 127.0.0.1")
    assert http_server.requests == []
    client.force_login(coordinator)
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert "The last fetch failed:" in page and "Refused to fetch from 127.0.0.1" in page


def test_a_redirect_to_a_private_address_is_refused(http_server, settings):
    http_server.redirect("/feed.xml", "http://10.0.0.1/feed.xml")
    subscription = subscription_to(http_server)
    fetched(subscription)
    assert subscription.last_status == FetchStatus.ERROR
    assert "10.0.0.1" in subscription.last_error


def test_redirects_are_followed(http_server):
    http_server.redirect("/ancien-flux", "/feed.xml", status=301)
    body = rss([Entry("1", "Déménagé", "https://partenaire.example/1")])
    http_server.route("/feed.xml", body=body, headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server, "/ancien-flux")
    assert fetched(subscription).new_items == 1
    assert http_server.paths() == ["/ancien-flux", "/feed.xml"]


def test_a_blog_home_page_leads_to_its_feed(http_server):
    page = (
        b"<!doctype html><html><head><title>Blog</title>"
        b'<link rel="stylesheet" href="/style.css">'
        b'<link rel="alternate" type="application/atom+xml" title="Flux" href="/atom.xml">'
        b"</head><body>Bienvenue</body></html>"
    )
    http_server.route("/", body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    body = atom([Entry("urn:1", "Trouvé", "https://partenaire.example/1")])
    http_server.route("/atom.xml", body=body, headers={"Content-Type": ATOM_TYPE})
    subscription = subscription_to(http_server, "/")

    assert fetched(subscription).new_items == 1
    assert subscription.feed_url == http_server.url("/atom.xml")
    assert subscription.site_url == http_server.url("/")


def test_a_page_without_a_feed_says_so(http_server):
    page = b"<!doctype html><html><head><title>Blog</title></head><body>x</body></html>"
    http_server.route("/", body=page, headers={"Content-Type": "text/html"})
    subscription = subscription_to(http_server, "/")
    fetched(subscription)
    assert subscription.last_error == (
        "This page announces no RSS or Atom feed: give the feed's own address."
    )


def test_failures_back_off_and_a_success_resets(http_server):
    http_server.route("/feed.xml", status=503, body=b"busy")
    subscription = subscription_to(http_server)
    waits = []
    for _attempt in range(3):
        now = timezone.now()
        fetched(subscription, now=now)
        waits.append(subscription.next_fetch_at - now)
    assert subscription.failure_count == 3
    assert subscription.last_error == "The server answered with an error (HTTP 503)."
    assert waits == [timedelta(hours=2), timedelta(hours=4), timedelta(hours=8)]

    body = rss([Entry("1", "Revenu", "https://partenaire.example/1")])
    http_server.route("/feed.xml", body=body, headers={"Content-Type": RSS_TYPE})
    now = timezone.now()
    fetched(subscription, now=now)
    assert subscription.failure_count == 0 and subscription.last_status == FetchStatus.OK
    assert subscription.next_fetch_at - now == timedelta(hours=1)


def test_the_wait_never_exceeds_a_day(http_server):
    http_server.route("/feed.xml", status=500)
    subscription = subscription_to(http_server, failure_count=20)
    now = timezone.now()
    fetched(subscription, now=now)
    assert subscription.next_fetch_at - now == timedelta(hours=24)


def test_the_periodic_task_fetches_due_active_feeds_only(http_server):
    body = rss([Entry("1", "Dû", "https://partenaire.example/1")])
    http_server.route("/due.xml", body=body, headers={"Content-Type": RSS_TYPE})
    http_server.route("/later.xml", body=body, headers={"Content-Type": RSS_TYPE})
    http_server.route("/paused.xml", body=body, headers={"Content-Type": RSS_TYPE})
    past = timezone.now() - timedelta(minutes=1)
    due = subscription_to(http_server, "/due.xml", next_fetch_at=past)
    subscription_to(http_server, "/later.xml", next_fetch_at=timezone.now() + timedelta(hours=1))
    subscription_to(http_server, "/paused.xml", next_fetch_at=past, is_active=False)

    tasks.fetch_due_partner_feeds()

    assert http_server.paths() == ["/due.xml"]
    due.refresh_from_db()
    assert due.last_status == FetchStatus.OK and due.next_fetch_at > timezone.now()
    # Run again at once: nothing is due any more, nothing is fetched twice.
    tasks.fetch_due_partner_feeds()
    assert http_server.paths() == ["/due.xml"]


def test_a_scheduled_fetch_of_a_feed_not_due_does_nothing(http_server):
    subscription = subscription_to(http_server, next_fetch_at=timezone.now() + timedelta(hours=1))
    assert fetching.fetch_subscription(subscription_id=subscription.pk) is None
    assert http_server.requests == []
    assert fetching.fetch_subscription(subscription_id=0) is None


def test_fetch_now_runs_the_task_after_the_commit(http_server, client, coordinator, committed):
    body = rss([Entry("1", "Tout de suite", "https://partenaire.example/1")])
    http_server.route("/feed.xml", body=body, headers={"Content-Type": RSS_TYPE})
    subscription = subscription_to(http_server, next_fetch_at=timezone.now() + timedelta(hours=1))
    client.force_login(coordinator)
    with committed():
        response = client.post(f"{subscription.get_absolute_url()}relever/")
    assert response.status_code == 302
    assert Subscription.objects.get(pk=subscription.pk).last_status == FetchStatus.OK
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert "Tout de suite" in page
