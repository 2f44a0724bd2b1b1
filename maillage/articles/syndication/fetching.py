"""Fetching partner feeds (from a task): through core.feeds (core.fetch underneath), never
inside a database transaction; what a fetch finds is stored in one. Each item is kept once, with
the licence it declares; every outcome is recorded on its subscription, and a feed that keeps
failing is fetched less and less often.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.articles.syndication.models import (
    FETCH_INTERVAL,
    MAX_BACKOFF,
    FeedItem,
    FetchStatus,
    Subscription,
)
from maillage.core.db import write_transaction
from maillage.core.feeds import (
    FEED_ERRORS,
    FeedEntry,
    FeedFetch,
    NotAFeed,
    ParsedFeed,
    backoff,
    fetch_feed,
    find_feeds,
)
from maillage.core.licences import Licence, licence_for, licence_from_declaration

# How long a fetch in progress keeps others from starting on the same feed.
FETCH_CLAIM = timedelta(minutes=10)


def due_subscription_ids(now: datetime | None = None) -> list[int]:
    return list(
        Subscription.objects.due(now).order_by("next_fetch_at").values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class FetchReport:
    status: str
    new_items: int = 0
    updated_items: int = 0
    message: str = ""


def _claim(subscription_id: int, *, force: bool, now: datetime) -> Subscription | None:
    """The subscription, if this fetch may run: a scheduled one only when due and not already
    being fetched (the claim pushes the next fetch time away while this one runs)."""
    queryset = Subscription.objects.filter(pk=subscription_id)
    if not force:
        queryset = queryset.filter(is_active=True, next_fetch_at__lte=now)
    with write_transaction():
        claimed = queryset.update(next_fetch_at=now + FETCH_CLAIM)
    return Subscription.objects.filter(pk=subscription_id).first() if claimed else None


def _download(subscription: Subscription) -> tuple[FeedFetch, str | None]:
    """The feed (conditional GET), and the feed address found when the subscription gave a
    blog's page instead: the page's <link rel="alternate"> (or a usual place such as /feed/)."""
    try:
        return (
            fetch_feed(
                subscription.feed_url,
                etag=subscription.etag or None,
                last_modified=subscription.last_modified or None,
            ),
            None,
        )
    except NotAFeed:
        search = find_feeds(subscription.feed_url)
        if search.is_feed or not search.feeds:
            raise NotAFeed(
                _("This page announces no RSS or Atom feed: give the feed's own address.")
            ) from None
        discovered = search.feeds[0].url
        return fetch_feed(discovered), discovered


def fetch_subscription(
    *, subscription_id: int, force: bool = False, now: datetime | None = None
) -> FetchReport | None:
    """Fetch one partner feed (through core.feeds) and keep its new items; None when it was not
    due (or is gone).

    Every outcome is recorded on the subscription (status, error or warning, next fetch time,
    backing off while it keeps failing), so coordinators see it on their page.
    """
    now = now or timezone.now()
    subscription = _claim(subscription_id, force=force, now=now)
    if subscription is None:
        return None
    try:
        fetched, discovered = _download(subscription)
    except FEED_ERRORS as error:
        return _record_failure(subscription, str(getattr(error, "message", "") or error), now)
    if fetched.feed is None:
        return _record(subscription, FetchReport(FetchStatus.NOT_MODIFIED), fetched, now)
    return _store(subscription, fetched, fetched.feed, discovered, now)


def _record(
    subscription: Subscription, report: FetchReport, fetched: FeedFetch, now: datetime
) -> FetchReport:
    with write_transaction():
        Subscription.objects.filter(pk=subscription.pk).update(
            last_status=report.status,
            last_error=report.message,
            last_fetched_at=now,
            failure_count=0,
            etag=(fetched.etag or "")[:300],
            last_modified=(fetched.last_modified or "")[:100],
            next_fetch_at=now + FETCH_INTERVAL,
        )
    return report


def _record_failure(subscription: Subscription, message: str, now: datetime) -> FetchReport:
    failures = subscription.failure_count + 1
    with write_transaction():
        Subscription.objects.filter(pk=subscription.pk).update(
            last_status=FetchStatus.ERROR,
            last_error=message,
            last_fetched_at=now,
            failure_count=failures,
            next_fetch_at=now + backoff(failures, interval=FETCH_INTERVAL, longest=MAX_BACKOFF),
        )
    return FetchReport(FetchStatus.ERROR, message=message)


def entry_licence(
    entry: FeedEntry, feed: ParsedFeed, *, default: str = ""
) -> tuple[Licence | None, str]:
    """The licence of an entry and the declaration it comes from: what the entry declares
    itself, else what its feed declares, else the subscription's default (declared as "").

    An entry that declares something we do not recognise stays unknown: its feed's licence
    does not speak for it.
    """
    own = [
        value
        for value, inherited in ((entry.licence_url, feed.licence_url), (entry.rights, feed.rights))
        if value and value != inherited
    ]
    inherited = [value for value in (feed.licence_url, feed.rights) if value]
    for declarations in (own, inherited):
        if declarations:
            for declaration in declarations:
                licence = licence_from_declaration(declaration)
                if licence is not None:
                    return licence, declaration
            return None, declarations[0]
    return licence_for(default), ""


def _language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()[:10]


def _values(entry: FeedEntry, feed: ParsedFeed, subscription: Subscription) -> dict[str, Any]:
    licence, declared = entry_licence(entry, feed, default=subscription.default_licence)
    return {
        "guid": (entry.guid or entry.key)[:500],
        "link": entry.link if len(entry.link) <= 500 else "",
        "title": (entry.title or entry.link)[:300],
        "author": entry.author[:200],
        "published_at": entry.date,
        "language": _language(entry.language),
        "summary": entry.summary,
        "content": entry.content,
        "licence": licence.value if licence else "",
        "licence_declared": declared[:500],
    }


def _store(
    subscription: Subscription,
    fetched: FeedFetch,
    feed: ParsedFeed,
    discovered: str | None,
    now: datetime,
) -> FetchReport:
    with write_transaction():
        if discovered and discovered != subscription.feed_url:
            taken = Subscription.objects.filter(feed_url=discovered).exclude(pk=subscription.pk)
            if taken.exists():
                message = _("The network already follows the feed this page announces (%(url)s).")
                return _record_failure(subscription, message % {"url": discovered}, now)
            site = subscription.site_url or subscription.feed_url
            Subscription.objects.filter(pk=subscription.pk).update(
                feed_url=discovered, site_url=site
            )
        elif not subscription.site_url and feed.site_url:
            Subscription.objects.filter(pk=subscription.pk).update(site_url=feed.site_url[:500])
        new, updated = _store_items(subscription, feed, now)
        Subscription.objects.filter(pk=subscription.pk).update(feed_title=feed.title)
        status = FetchStatus.WARNING if feed.warning else FetchStatus.OK
        report = FetchReport(status, new_items=new, updated_items=updated, message=feed.warning)
        return _record(subscription, report, fetched, now)


def _store_items(subscription: Subscription, feed: ParsedFeed, now: datetime) -> tuple[int, int]:
    """Keep each entry once: found again by its digest (its guid, else its link), or else by its
    link (a partner whose blog changes its identifiers does not get its posts duplicated)."""
    entries = [entry for entry in feed.entries if entry.digest and (entry.title or entry.link)]
    digests = [entry.digest for entry in entries]
    links = [entry.link for entry in entries if entry.link]
    known = list(
        FeedItem.objects.filter(subscription=subscription).filter(
            Q(digest__in=digests) | Q(link__in=links)
        )
    )
    by_digest = {item.digest: item for item in known}
    by_link = {item.link: item for item in known if item.link}
    created: list[FeedItem] = []
    updated = 0
    seen: set[int] = set()
    for entry in entries:
        existing = by_digest.get(entry.digest) or (by_link.get(entry.link) if entry.link else None)
        values = _values(entry, feed, subscription)
        if existing is None:
            row = FeedItem(
                subscription=subscription,
                digest=entry.digest,
                fetched_at=now,
                updated_at=now,
                **values,
            )
            created.append(row)
            by_digest[entry.digest] = row
            if row.link:
                by_link[row.link] = row
            continue
        if existing.pk is None or existing.pk in seen:
            continue  # the same post twice in one feed
        seen.add(existing.pk)
        values.pop("guid")
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            existing.updated_at = now
            existing.save(update_fields=[*changed, "updated_at"])
            updated += 1
    FeedItem.objects.bulk_create(created)
    return len(created), updated
