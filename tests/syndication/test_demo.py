"""The demo's partner feed: stored without any fetch, one item republished with attribution."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from maillage.articles.models import ArticleOrigin, ArticleStatus
from maillage.articles.syndication.models import FeedItem, FetchStatus, Subscription
from maillage.core.licences import Licence, Republication

pytestmark = pytest.mark.django_db


def test_the_demo_partner_feed_loads_once_without_fetching(client, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    call_command("load_demo", stdout=io.StringIO())

    subscription = Subscription.objects.get()
    # Paused, and as the demo stored it: no fetch ran (a fictional site could only fail).
    assert not subscription.is_active
    assert subscription.last_status == FetchStatus.OK
    assert subscription.last_fetched_at is not None and subscription.last_fetched_at.year == 2014
    items = {item.link: item for item in FeedItem.objects.filter(subscription=subscription)}
    assert len(items) == 3
    relay, photos, programme = sorted(items.values(), key=lambda item: item.published_at)
    # The seed's story: the report relayed "via un article de docarennes" under a CC licence.
    assert "Via un article de docarennes" in relay.content
    assert relay.republication is Republication.VERBATIM
    assert programme.republication is Republication.EXCERPT and programme.article is None

    article = photos.article
    assert article is not None and article.origin == ArticleOrigin.REPUBLISHED
    assert article.status == ArticleStatus.PUBLISHED and article.published_at.year == 2014
    assert article.licence == Licence.CC_BY_SA and article.original_url == photos.link
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Via an article from" in page and "Finistère en communs" in page
    assert f'<link rel="canonical" href="{photos.link}">' in page

    call_command("load_demo", stdout=io.StringIO())
    assert Subscription.objects.count() == 1 and FeedItem.objects.count() == 3
    assert FeedItem.objects.filter(article__isnull=False).count() == 1
