"""Subscribing from a feed's or a site's address (autodiscovery, in a task), choosing among a
site's feeds, editing and ending subscriptions; the network's sources are the coordinators'."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.members.models import User
from maillage.veille.sources import services
from maillage.veille.sources.models import Discovery, DiscoveryStatus, Entry, Feed, Subscription
from tests.factories import DiscoveryFactory, SourceSubscriptionFactory, TagFactory
from tests.http_server import LocalHTTPServer
from tests.sources.conftest import HTML_HEADERS, RSS_HEADERS, items, rss

pytestmark = pytest.mark.django_db

Committed = Callable[[], AbstractContextManager[Any]]


def site_page(*feeds: tuple[str, str]) -> bytes:
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" title="{title}" href="{href}">'
        for href, title in feeds
    )
    return f"<!doctype html><html><head><title>Médiathèque</title>{links}</head></html>".encode()


def follow(client: Client, committed: Committed, **data: Any) -> Any:
    with committed():
        response = client.post(reverse("sources:subscribe"), data)
    return response


def test_subscribing_to_a_feed_address_fetches_it_at_once(
    client: Client, member: User, http_server: LocalHTTPServer, committed: Committed
) -> None:
    http_server.route("/feed.xml", body=rss(items=items(3)), headers=RSS_HEADERS)
    client.force_login(member)

    response = follow(
        client, committed, url=http_server.url("/feed.xml"), title="", tags="musées, Web"
    )

    discovery = Discovery.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sources:discovery", args=[discovery.pk])
    assert discovery.status == DiscoveryStatus.DONE
    subscription = Subscription.objects.get()
    assert subscription.member == member and not subscription.for_network
    assert subscription.feed.title == "Le blog de la médiathèque"
    assert {tag.name for tag in subscription.tags.all()} == {"musées", "Web"}
    assert Entry.objects.filter(feed=subscription.feed).count() == 3

    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == reverse("sources:list")
    text = page.content.decode()
    assert "Subscribed to «\u00a0Le blog de la médiathèque\u00a0»" in text
    assert "3 unread" in text


def test_a_site_with_one_feed_is_subscribed_to_that_feed(
    client: Client, member: User, http_server: LocalHTTPServer, committed: Committed
) -> None:
    http_server.route("/", body=site_page(("/feed.xml", "Billets")), headers=HTML_HEADERS)
    http_server.route("/feed.xml", body=rss(items=items(1)), headers=RSS_HEADERS)
    client.force_login(member)

    follow(client, committed, url=http_server.url("/"), title="Ma médiathèque")

    subscription = Subscription.objects.get()
    assert subscription.feed.url == http_server.url("/feed.xml")
    assert subscription.display_title == "Ma médiathèque"


def test_a_site_with_several_feeds_lets_the_person_choose(
    client: Client, member: User, http_server: LocalHTTPServer, committed: Committed
) -> None:
    http_server.route(
        "/",
        body=site_page(("/feed.xml", "Billets"), ("/comments.xml", "Commentaires")),
        headers=HTML_HEADERS,
    )
    http_server.route("/feed.xml", body=rss("Billets", items(2)), headers=RSS_HEADERS)
    http_server.route("/comments.xml", body=rss("Commentaires", items(1)), headers=RSS_HEADERS)
    client.force_login(member)

    response = follow(client, committed, url=http_server.url("/"), tags="bibliothèques")
    page = client.get(response["Location"])

    assert not Subscription.objects.exists()
    text = page.content.decode()
    assert "<title>Several feeds found" in text
    assert "Médiathèque offers several feeds" in text
    assert "Commentaires" in text

    refused = client.post(
        response["Location"],
        {"feeds": [http_server.url("/feed.xml"), "https://evil.example/not-offered.xml"]},
    )
    assert refused.status_code == 200 and not Subscription.objects.exists()
    with committed():
        chosen = client.post(response["Location"], {"feeds": [http_server.url("/feed.xml")]})
    assert chosen.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.feed.url == http_server.url("/feed.xml")
    assert [tag.name for tag in subscription.tags.all()] == ["bibliothèques"]
    assert Entry.objects.filter(feed=subscription.feed).count() == 2
    assert Discovery.objects.get().status == DiscoveryStatus.DONE


def test_choosing_nothing_says_so(client: Client, member: User) -> None:
    search = DiscoveryFactory(
        requested_by=member,
        status=DiscoveryStatus.CHOOSE,
        feeds=[
            {"url": "https://a.example/1.xml", "title": "Un"},
            {"url": "https://a.example/2.xml", "title": ""},
        ],
    )
    client.force_login(member)

    response = client.post(reverse("sources:discovery", args=[search.pk]), {})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_a_site_without_feed_says_what_to_do(
    client: Client, member: User, http_server: LocalHTTPServer, committed: Committed
) -> None:
    http_server.route("/", body=site_page(), headers=HTML_HEADERS)
    client.force_login(member)

    response = follow(client, committed, url=http_server.url("/"))
    page = client.get(response["Location"]).content.decode()

    assert "<title>No feed found" in page
    assert "the site does not announce one" in page
    assert 'value="' + http_server.url("/") + '"' in page  # the form to try again, filled in
    assert not Subscription.objects.exists()


def test_a_search_still_running_polls_and_htmx_is_sent_on_when_done(
    client: Client, member: User
) -> None:
    search = DiscoveryFactory(requested_by=member)
    client.force_login(member)
    url = reverse("sources:discovery", args=[search.pk])

    page = client.get(url).content.decode()
    assert "Looking for the feed" in page and 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "every 2s" in partial

    subscription = SourceSubscriptionFactory(member=member)
    search.subscriptions.add(subscription)
    Discovery.objects.filter(pk=search.pk).update(status=DiscoveryStatus.DONE)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == reverse("sources:list")


def test_someone_elses_search_is_not_found(client: Client, member: User, other: User) -> None:
    search = DiscoveryFactory(requested_by=other)
    client.force_login(member)
    assert client.get(reverse("sources:discovery", args=[search.pk])).status_code == 404


def test_an_address_on_a_private_network_is_refused_without_any_request(
    client: Client,
    member: User,
    http_server: LocalHTTPServer,
    committed: Committed,
    settings: Any,
) -> None:
    http_server.route("/feed.xml", body=rss(items=items(1)), headers=RSS_HEADERS)
    settings.FETCH_ALLOW_LOOPBACK = False
    client.force_login(member)

    response = follow(client, committed, url=http_server.url("/feed.xml"))
    page = client.get(response["Location"]).content.decode()

    assert "Refused to fetch from 127.0.0.1" in page
    assert http_server.requests == []
    assert not Feed.objects.exists()


@pytest.mark.parametrize(
    "address", ["ftp://example.org/feed", "javascript:alert(1)", "pas une adresse"]
)
def test_what_is_not_a_web_address_is_refused_by_the_form(
    client: Client, member: User, address: str
) -> None:
    client.force_login(member)
    response = client.post(reverse("sources:subscribe"), {"url": address})
    assert response.status_code == 400
    assert not Discovery.objects.exists()


def test_only_coordinators_subscribe_the_network(
    client: Client,
    member: User,
    coordinator: User,
    http_server: LocalHTTPServer,
    committed: Committed,
) -> None:
    http_server.route("/feed.xml", body=rss(items=items(1)), headers=RSS_HEADERS)
    client.force_login(member)
    assert "for_network" not in client.get(reverse("sources:list")).content.decode()
    follow(client, committed, url=http_server.url("/feed.xml"), for_network="on")
    assert not Subscription.objects.filter(for_network=True).exists()  # the field is ignored
    with pytest.raises(services.SourceError):
        services.start_discovery(user=member, url="https://a.example/", for_network=True)

    client.force_login(coordinator)
    follow(client, committed, url=http_server.url("/feed.xml"), for_network="on")
    network = Subscription.objects.get(for_network=True)
    assert network.member is None and network.added_by == coordinator
    # One feed row, shared by both subscriptions.
    assert Feed.objects.count() == 1


def test_subscribing_again_merges_the_tags(member: User, committed: Committed) -> None:
    with committed():
        services.subscribe(user=member, urls=["https://blog.example.org/feed"], tags="a")
        (again,) = services.subscribe(user=member, urls=["https://blog.example.org/feed"], tags="b")
    assert not again.created
    assert sorted(tag.name for tag in again.subscription.tags.all()) == ["a", "b"]


def test_editing_and_ending_a_subscription(client: Client, member: User) -> None:
    subscription = SourceSubscriptionFactory(member=member, tags=[TagFactory(name="archives")])
    client.force_login(member)
    edit_url = reverse("sources:edit", args=[subscription.pk])

    form = client.get(edit_url).content.decode()
    assert 'value="archives"' in form
    response = client.post(edit_url, {"title": "Le blog des archives", "tags": "patrimoine"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.title == "Le blog des archives"
    assert [tag.name for tag in subscription.tags.all()] == ["patrimoine"]

    client.post(reverse("sources:unsubscribe", args=[subscription.pk]))
    assert not Subscription.objects.exists()
    assert Feed.objects.filter(pk=subscription.feed_id).exists()  # for others, or the purge


def test_no_one_changes_someone_elses_subscription(
    client: Client, member: User, other: User
) -> None:
    theirs = SourceSubscriptionFactory(member=other)
    network = SourceSubscriptionFactory(member=None, for_network=True)
    client.force_login(member)

    for subscription in (theirs, network):
        assert client.get(reverse("sources:edit", args=[subscription.pk])).status_code == 404
        response = client.post(reverse("sources:unsubscribe", args=[subscription.pk]))
        assert response.status_code == 404
    assert Subscription.objects.count() == 2


def test_a_coordinator_manages_the_network_sources(client: Client, coordinator: User) -> None:
    network = SourceSubscriptionFactory(member=None, for_network=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("sources:edit", args=[network.pk]), {"title": "Veille du réseau", "tags": ""}
    )
    assert response.status_code == 302
    client.post(reverse("sources:unsubscribe", args=[network.pk]))
    assert not Subscription.objects.exists()


def test_the_sources_page_needs_a_login(client: Client) -> None:
    for name in ("sources:list", "sources:reader", "sources:opml_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/membres/" in response["Location"]
