"""Actions on sources: subscribe (from a feed or a site's address, found in the background),
change or end a subscription, mark entries read, and keep an entry as a bookmark."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.feeds import FEED_ERRORS, find_feeds
from maillage.core.models import Tag
from maillage.veille.models import BookmarkSource
from maillage.veille.services import SavedBookmark, save_bookmark
from maillage.veille.sources.models import (
    Discovery,
    DiscoveryStatus,
    Entry,
    Feed,
    KeptEntry,
    ReadEntry,
    ReadUpTo,
    Subscription,
)
from maillage.veille.urls_normalise import InvalidBookmarkURL, normalise_url, url_digest


class SourceError(Exception):
    """An action on sources that cannot be done; str(error) says why, to the person."""


def can_manage_network(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_coordinator)


def can_change(user: Any, subscription: Subscription) -> bool:
    if subscription.for_network:
        return can_manage_network(user)
    return bool(getattr(user, "is_authenticated", False) and subscription.member_id == user.pk)


def normalise_feed_url(url: str) -> str:
    try:
        return normalise_url(url)
    except InvalidBookmarkURL as error:
        raise SourceError(_("This is not a web address (http:// or https://).")) from error


def check_can_subscribe(*, user: Any, for_network: bool) -> None:
    if for_network and not can_manage_network(user):
        raise SourceError(_("Only the network's coordinators manage its sources."))


def refresh_after_commit(feed_ids: list[int]) -> None:
    if not feed_ids:
        return
    from maillage.veille.sources.tasks import refresh_feeds_now

    transaction.on_commit(lambda: refresh_feeds_now(feed_ids))


def feed_for(url: str, *, title: str = "") -> tuple[Feed, bool]:
    normalised = normalise_feed_url(url)
    feed, created = Feed.objects.get_or_create(
        url_digest=url_digest(normalised),
        defaults={"url": normalised, "title": title[:300]},
    )
    return feed, created


@dataclass(frozen=True)
class Subscribed:
    subscription: Subscription
    created: bool


def subscribe_one(
    *,
    user: Any,
    url: str,
    for_network: bool = False,
    title: str = "",
    tags: str | Iterable[str] = "",
    feed_title: str = "",
) -> Subscribed:
    """Follow the feed at `url` (a member for themselves, a coordinator for the network).
    Following it again only adds the new tags. Runs inside the caller's transaction."""
    check_can_subscribe(user=user, for_network=for_network)
    feed, _created = feed_for(url, title=feed_title)
    owner = {"for_network": True, "member": None} if for_network else {"member": user}
    subscription, created = Subscription.objects.get_or_create(
        feed=feed, **owner, defaults={"title": title.strip()[:200], "added_by": user}
    )
    tag_objects = Tag.objects.for_names(tags) if tags else []
    if created:
        subscription.tags.set(tag_objects)
    elif tag_objects:
        subscription.tags.add(*tag_objects)
    return Subscribed(subscription, created)


@transaction.atomic
def subscribe(
    *,
    user: Any,
    urls: Iterable[str],
    for_network: bool = False,
    title: str = "",
    tags: str | Iterable[str] = "",
    feed_titles: dict[str, str] | None = None,
) -> list[Subscribed]:
    """Follow feeds whose address is known; the ones never read are fetched right after."""
    feed_titles = feed_titles or {}
    results = [
        subscribe_one(
            user=user,
            url=url,
            for_network=for_network,
            title=title,
            tags=tags,
            feed_title=feed_titles.get(url, ""),
        )
        for url in urls
    ]
    refresh_after_commit([result.subscription.feed_id for result in results if result.created])
    return results


# --- Subscribing from any address: feed or site, found by a task ----------------------------


@transaction.atomic
def start_discovery(
    *, user: Any, url: str, for_network: bool = False, title: str = "", tags: str = ""
) -> Discovery:
    """Look for the feed(s) at `url` in the background; the task subscribes when there is one."""
    check_can_subscribe(user=user, for_network=for_network)
    normalise_feed_url(url)
    discovery = Discovery.objects.create(
        requested_by=user,
        for_network=for_network,
        url=url.strip(),
        title=title.strip()[:200],
        tags=tags.strip()[:500],
    )
    from maillage.veille.sources.tasks import discover_feeds

    transaction.on_commit(lambda: discover_feeds(discovery.pk))
    return discovery


def run_discovery(*, discovery_id: int) -> Discovery | None:
    """Fetch the address (through core.fetch, from a task) and subscribe to its feed, or list
    its feeds for the person to choose. Does nothing for a search already answered."""
    discovery = (
        Discovery.objects.select_related("requested_by")
        .filter(pk=discovery_id, status=DiscoveryStatus.PENDING)
        .first()
    )
    if discovery is None:
        return None
    try:
        search = find_feeds(discovery.url)
    except FEED_ERRORS as error:
        discovery.status = DiscoveryStatus.FAILED
        discovery.error = str(getattr(error, "message", error))[:500]
        discovery.save(update_fields=["status", "error"])
        return discovery
    discovery.page_title = search.page_title
    discovery.feeds = [{"url": feed.url, "title": feed.title} for feed in search.feeds]
    if not search.feeds:
        discovery.status = DiscoveryStatus.FAILED
        discovery.error = _(
            "No feed found at this address: the site does not announce one. "
            "Look on the site for an RSS or Atom link and give that address."
        )
    elif len(search.feeds) == 1:
        feed = search.feeds[0]
        try:
            with transaction.atomic():
                (result,) = subscribe(
                    user=discovery.requested_by,
                    urls=[feed.url],
                    for_network=discovery.for_network,
                    title=discovery.title,
                    tags=discovery.tags,
                    feed_titles={feed.url: feed.title},
                )
                discovery.subscriptions.add(result.subscription)
        except SourceError as error:
            discovery.status = DiscoveryStatus.FAILED
            discovery.error = str(error)[:500]
        else:
            discovery.status = DiscoveryStatus.DONE
    else:
        discovery.status = DiscoveryStatus.CHOOSE
    discovery.save(update_fields=["status", "error", "page_title", "feeds"])
    return discovery


@transaction.atomic
def choose_discovered(*, discovery: Discovery, user: Any, urls: Iterable[str]) -> list[Subscribed]:
    """Subscribe to the feeds the person picked among those the search found."""
    if discovery.requested_by_id != user.pk:
        raise SourceError(_("This search is someone else's."))
    if discovery.status != DiscoveryStatus.CHOOSE:
        raise SourceError(_("This search is over."))
    offered = {feed["url"]: feed.get("title", "") for feed in discovery.feeds}
    chosen = [url for url in urls if url in offered]
    if not chosen:
        raise SourceError(_("Choose at least one feed."))
    results = subscribe(
        user=user,
        urls=chosen,
        for_network=discovery.for_network,
        title=discovery.title if len(chosen) == 1 else "",
        tags=discovery.tags,
        feed_titles=offered,
    )
    discovery.status = DiscoveryStatus.DONE
    discovery.save(update_fields=["status"])
    discovery.subscriptions.add(*(result.subscription for result in results))
    return results


# --- Changing a subscription ----------------------------------------------------------------


@transaction.atomic
def update_subscription(
    *, subscription: Subscription, user: Any, title: str, tags: str | Iterable[str]
) -> Subscription:
    if not can_change(user, subscription):
        raise SourceError(_("You cannot change this source."))
    subscription.title = title.strip()[:200]
    subscription.save(update_fields=["title"])
    subscription.tags.set(Tag.objects.for_names(tags))
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: Subscription, user: Any) -> None:
    """Stop following; the feed and its entries stay while others follow it (or the purge
    finds them)."""
    if not can_change(user, subscription):
        raise SourceError(_("You cannot change this source."))
    subscription.delete()


# --- Reading ------------------------------------------------------------------------------


def mark_read(*, user: Any, entry: Entry) -> None:
    ReadEntry.objects.get_or_create(user=user, entry=entry)


@transaction.atomic
def mark_all_read(*, user: Any, feed_ids: Iterable[int], up_to: datetime | None = None) -> int:
    """Everything these feeds brought up to `up_to` (the time the page was shown, so that what
    arrived since stays unread) is read. Returns the number of feeds."""
    now = timezone.now()
    moment = min(up_to, now) if up_to else now
    ids = sorted(set(feed_ids))
    ReadUpTo.objects.bulk_create(
        [ReadUpTo(user=user, feed_id=feed_id, read_before=moment) for feed_id in ids],
        update_conflicts=True,
        unique_fields=["user", "feed"],
        update_fields=["read_before"],
    )
    # Single marks under the new line say nothing more.
    ReadEntry.objects.filter(
        user=user, entry__feed_id__in=ids, entry__fetched_at__lte=moment
    ).delete()
    return len(ids)


@dataclass(frozen=True)
class Kept:
    saved: SavedBookmark
    entry: Entry


@transaction.atomic
def keep_entry(*, user: Any, entry: Entry, tags: Iterable[str] = ()) -> Kept:
    """Turn an entry into a bookmark of `user` (source "feed"), tagged like their subscription;
    the entry is then read, and never purged while the bookmark exists."""
    if not entry.link:
        raise SourceError(_("This entry has no address to keep."))
    saved = save_bookmark(
        owner=user,
        url=entry.link,
        title=entry.title,
        tags=list(tags),
        source=BookmarkSource.FEED,
    )
    KeptEntry.objects.get_or_create(user=user, entry=entry, defaults={"bookmark": saved.bookmark})
    ReadEntry.objects.get_or_create(user=user, entry=entry)
    return Kept(saved=saved, entry=entry)
