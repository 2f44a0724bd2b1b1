"""The coordinators' pages: who may open them, subscribing, changing a subscription, and a list
whose query count does not grow with its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.articles.syndication.models import FetchStatus, Subscription
from maillage.core.licences import Licence
from tests.factories import ArticleFactory, FeedItemFactory, SubscriptionFactory
from tests.syndication.feeds import RSS_TYPE, Entry, rss

pytestmark = pytest.mark.django_db

LIST = reverse("syndication:list")


def pages_and_actions() -> list[tuple[str, str]]:
    subscription = SubscriptionFactory()
    item = FeedItemFactory(subscription=subscription)
    return [
        ("get", LIST),
        ("get", reverse("syndication:detail", args=[subscription.pk])),
        ("post", reverse("syndication:create")),
        ("post", reverse("syndication:edit", args=[subscription.pk])),
        ("post", reverse("syndication:fetch", args=[subscription.pk])),
        ("post", reverse("syndication:republish", args=[item.pk])),
        ("post", reverse("syndication:excerpt", args=[item.pk])),
    ]


def test_visitors_are_sent_to_log_in(client):
    for method, url in pages_and_actions():
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("members:login")), url


def test_members_who_are_not_coordinators_are_refused(client, member):
    client.force_login(member)
    for method, url in pages_and_actions():
        assert getattr(client, method)(url).status_code == 403, url
    assert not Subscription.objects.filter(name="Intrus").exists()


def test_staff_without_the_coordinator_role_are_refused(client):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(LIST).status_code == 403


def test_actions_only_answer_post(client, coordinator):
    client.force_login(coordinator)
    item = FeedItemFactory()
    assert client.get(reverse("syndication:republish", args=[item.pk])).status_code == 405


def test_the_coordinator_page_lists_subscriptions_and_items(client, coordinator):
    partner = SubscriptionFactory(name="Bretagne en communs", last_status=FetchStatus.OK)
    FeedItemFactory(subscription=partner, title="Nos photos sur Flickr")
    shared = FeedItemFactory(subscription=partner, title="Déjà repris")
    shared.article = ArticleFactory(title="Déjà repris chez nous")
    shared.save()
    client.force_login(coordinator)
    page = client.get(LIST).content.decode()
    assert "<title>Partner feeds · " in page
    assert "Bretagne en communs" in page and "2 items, 1 not shared" in page
    assert "Nos photos sur Flickr" in page
    assert "Republished:" in page and "Déjà repris chez nous" in page
    assert 'for="id_subscription-feed_url"' in page


def test_a_coordinator_subscribes_and_the_first_fetch_runs(client, coordinator, http_server,
                                                           committed):  # fmt: skip
    body = rss([Entry("1", "Premier billet", "https://partenaire.example/1")])
    http_server.route("/feed.xml", body=body, headers={"Content-Type": RSS_TYPE})
    client.force_login(coordinator)
    with committed():
        response = client.post(
            reverse("syndication:create"),
            {
                "subscription-name": "Bretagne en communs",
                "subscription-feed_url": http_server.url("/feed.xml"),
                "subscription-default_licence": "",
                "subscription-is_active": "on",
            },
        )
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == subscription.get_absolute_url()
    assert subscription.created_by == coordinator
    assert subscription.last_status == FetchStatus.OK
    page = client.get(subscription.get_absolute_url()).content.decode()
    assert "Premier billet" in page and "Subscribed to Bretagne en communs" in page


@pytest.mark.parametrize(
    ("feed_url", "error"),
    [
        ("ftp://partenaire.example/feed", "Enter a valid URL."),
        ("", "This field is required."),
        ("https://deja.example/feed/", "Partner feed with this Feed address already exists."),
    ],
)
def test_a_wrong_subscription_is_shown_again_with_its_errors(client, coordinator, feed_url,
                                                             error):  # fmt: skip
    SubscriptionFactory(feed_url="https://deja.example/feed/")
    client.force_login(coordinator)
    response = client.post(
        reverse("syndication:create"),
        {"subscription-name": "Partenaire", "subscription-feed_url": feed_url},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Subscription.objects.count() == 1


def test_changing_the_feed_address_forgets_what_the_old_one_said(client, coordinator):
    subscription = SubscriptionFactory(
        etag='"v1"', last_status=FetchStatus.ERROR, last_error="Boom", failure_count=4
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("syndication:edit", args=[subscription.pk]),
        {
            "subscription-name": "Nouveau nom",
            "subscription-feed_url": "https://ailleurs.example/feed/",
            "subscription-site_url": "https://ailleurs.example/",
            "subscription-default_licence": Licence.CC_BY,
        },
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.name == "Nouveau nom" and not subscription.is_active
    assert subscription.default_licence == Licence.CC_BY
    assert (subscription.etag, subscription.failure_count, subscription.last_error) == ("", 0, "")
    assert subscription.last_status == FetchStatus.NEVER


def test_an_invalid_change_shows_the_form_again(client, coordinator):
    subscription = SubscriptionFactory(name="Ancien")
    client.force_login(coordinator)
    response = client.post(
        reverse("syndication:edit", args=[subscription.pk]),
        {"subscription-name": "", "subscription-feed_url": "pas une adresse"},
    )
    assert response.status_code == 400
    assert "<h1>Ancien" in response.content.decode()


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_query_count_does_not_grow_with_feeds_and_items(client, coordinator):
    client.force_login(coordinator)

    def create(count: int) -> None:
        for _index in range(count):
            subscription = SubscriptionFactory(last_status=FetchStatus.ERROR, last_error="x")
            FeedItemFactory(subscription=subscription, licence=Licence.CC_BY)
            FeedItemFactory(subscription=subscription, licence="")
            shared = FeedItemFactory(subscription=subscription)
            shared.article = ArticleFactory()
            shared.save()

    create(1)
    few = _queries(client, LIST)
    create(6)
    many = _queries(client, LIST)
    assert few == many
    subscription = Subscription.objects.first()
    assert subscription is not None
    detail = reverse("syndication:detail", args=[subscription.pk])
    before = _queries(client, detail)
    for _index in range(8):
        FeedItemFactory(subscription=subscription)
    assert _queries(client, detail) == before


def test_the_detail_page_is_paginated(client, coordinator):
    subscription = SubscriptionFactory()
    for _index in range(27):
        FeedItemFactory(subscription=subscription)
    client.force_login(coordinator)
    first = client.get(subscription.get_absolute_url()).content.decode()
    assert first.count('class="card feed-item"') == 25 and 'rel="next"' in first
    second = client.get(subscription.get_absolute_url(), {"page": 2}).content.decode()
    assert second.count('class="card feed-item"') == 2
    assert "page 2" in second.split("</title>")[0]


def test_the_articles_list_links_coordinators_to_partner_feeds(client, coordinator, member):
    client.force_login(member)
    assert LIST not in client.get(reverse("articles:list")).content.decode()
    client.force_login(coordinator)
    assert LIST in client.get(reverse("articles:list")).content.decode()


def test_partenaires_is_not_an_article_slug():
    article = ArticleFactory(title="Partenaires")
    assert article.slug != "partenaires"
