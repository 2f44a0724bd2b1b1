"""Queries that read partner feeds for the coordinators' pages (a few queries per page)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from maillage.articles.syndication.models import FeedItem, FeedItemQuerySet, Subscription

LATEST_ITEMS = 20
ITEM_PAGE_SIZE = 25


def subscriptions_with_counts() -> QuerySet[Subscription]:
    return Subscription.objects.annotate(
        item_count=Count("items"),
        new_count=Count("items", filter=Q(items__article__isnull=True)),
    ).order_by("name", "pk")


def latest_items(limit: int = LATEST_ITEMS) -> FeedItemQuerySet:
    """The newest items of every feed, each with its feed and the article made of it."""
    return FeedItem.objects.with_list_data().latest_first()[:limit]


def items_of(subscription: Subscription) -> FeedItemQuerySet:
    return FeedItem.objects.filter(subscription=subscription).with_list_data().latest_first()
