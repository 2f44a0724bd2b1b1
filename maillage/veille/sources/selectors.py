"""Reading sources: a member's subscriptions and the network's, and the reader's entries.

A member's subscriptions are theirs alone; the network's are read by every member. Entries are
seen through a subscription the viewer may read, never through someone else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from maillage.core.models import Tag
from maillage.veille.sources.models import (
    Discovery,
    Entry,
    KeptEntry,
    ReadEntry,
    ReadUpTo,
    Subscription,
)

READER_PAGE_SIZE = 30


def _with_feed_and_tags(queryset: QuerySet[Subscription]) -> QuerySet[Subscription]:
    return queryset.select_related("feed").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("slug"))
    )


def member_subscriptions(viewer: Any) -> list[Subscription]:
    return list(
        _with_feed_and_tags(Subscription.objects.of_member(viewer)).order_by(
            "feed__title", "title", "pk"
        )
    )


def network_subscriptions(viewer: Any) -> list[Subscription]:
    if not (getattr(viewer, "is_authenticated", False) and viewer.is_active):
        return []
    return list(
        _with_feed_and_tags(Subscription.objects.of_network()).order_by(
            "feed__title", "title", "pk"
        )
    )


def readable_subscriptions(viewer: Any) -> list[Subscription]:
    """The viewer's own subscriptions first, then the network's."""
    return sorted(
        _with_feed_and_tags(Subscription.objects.readable_by(viewer)),
        key=lambda subscription: (
            subscription.for_network,
            subscription.display_title.casefold(),
            subscription.pk,
        ),
    )


def subscription_for(viewer: Any, pk: Any) -> Subscription | None:
    """A subscription the viewer may read (their own or the network's), else None."""
    try:
        return (
            _with_feed_and_tags(Subscription.objects.readable_by(viewer)).filter(pk=int(pk)).first()
        )
    except (TypeError, ValueError):
        return None


def discovery_for(viewer: Any, pk: int) -> Discovery | None:
    if not getattr(viewer, "is_authenticated", False):
        return None
    return Discovery.objects.filter(pk=pk, requested_by=viewer).first()


# --- The reader -----------------------------------------------------------------------------


def _read_condition(viewer: Any) -> Q:
    marked = Exists(ReadEntry.objects.filter(user=viewer, entry=OuterRef("pk")))
    under_line = Exists(
        ReadUpTo.objects.filter(
            user=viewer, feed=OuterRef("feed_id"), read_before__gte=OuterRef("fetched_at")
        )
    )
    return Q(marked) | Q(under_line)


def readable_entries(viewer: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(
        feed_id__in=Subscription.objects.readable_by(viewer).values("feed_id")
    )


@dataclass(frozen=True)
class ReaderFilters:
    subscription: Subscription | None = None
    unread_only: bool = False


def reader_entries(viewer: Any, filters: ReaderFilters | None = None) -> QuerySet[Entry]:
    """Entries of the viewer's sources and the network's: unread first, then newest; each with
    is_read and is_kept for the viewer."""
    filters = filters or ReaderFilters()
    entries = readable_entries(viewer)
    if filters.subscription is not None:
        entries = entries.filter(feed_id=filters.subscription.feed_id)
    read = _read_condition(viewer)
    if filters.unread_only:
        entries = entries.exclude(read)
    return entries.annotate(
        is_read=ExpressionWrapper(read, output_field=BooleanField()),
        is_kept=Exists(KeptEntry.objects.filter(user=viewer, entry=OuterRef("pk"))),
    ).order_by("is_read", "-sort_at", "-pk")


def entry_for(viewer: Any, pk: Any) -> Entry | None:
    """An entry the viewer reaches through a subscription they may read, annotated like the
    reader's, else None."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    return reader_entries(viewer).filter(pk=number).first()


def unread_counts(viewer: Any) -> dict[int, int]:
    """Unread entries per feed id, for the viewer's readable feeds (one query)."""
    rows = (
        readable_entries(viewer)
        .exclude(_read_condition(viewer))
        .values("feed_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["feed_id"]: row["count"] for row in rows}


def source_titles(subscriptions: list[Subscription]) -> dict[int, Subscription]:
    """The subscription to name each feed by: the viewer's own before the network's."""
    chosen: dict[int, Subscription] = {}
    for subscription in subscriptions:
        current = chosen.get(subscription.feed_id)
        if current is None or (current.for_network and not subscription.for_network):
            chosen[subscription.feed_id] = subscription
    return chosen


def tags_for_keeping(viewer: Any, entry: Entry) -> list[str]:
    """The tags a kept entry takes: those of the viewer's subscription to its feed, else the
    network's."""
    subscriptions = sorted(
        Subscription.objects.readable_by(viewer)
        .filter(feed_id=entry.feed_id)
        .prefetch_related("tags"),
        key=lambda subscription: subscription.for_network,
    )
    if not subscriptions:
        return []
    return [tag.name for tag in subscriptions[0].tags.all()]
