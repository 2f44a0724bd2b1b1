"""Keeping the sources fresh: which feeds are due, fetching them (conditional GET, on a bounded
pool that is polite to each host: core.feeds.fetch_feeds), storing new entries once, backing off
on errors, and the nightly purge that keeps 90 days.

Fetching happens outside any transaction, in the pool's threads; what they bring back is stored
here, in the calling thread, one short transaction per feed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from maillage.core import feeds
from maillage.core.feeds import FeedEntry, FeedOutcome, FeedRequest, fetch_feeds
from maillage.veille.sources.models import Discovery, Entry, Feed, KeptEntry, Subscription

logger = logging.getLogger(__name__)

RETENTION = timedelta(days=90)
LONGEST_BACKOFF = timedelta(hours=24)


def refresh_interval() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "SOURCES_REFRESH_MINUTES", 30)))


def pool_size() -> int:
    # Threads mostly wait on servers (a feed takes 0.1–1 s to come): 16 keep a round of 1,000
    # feeds under 30 s with 200 ms servers (bench/sources_refresh.py); parsing holds the GIL.
    return int(getattr(settings, "SOURCES_FETCH_WORKERS", 16))


def per_host() -> int:
    return int(getattr(settings, "SOURCES_FETCH_PER_HOST", 2))


def batch_size() -> int:
    return int(getattr(settings, "SOURCES_REFRESH_BATCH", 2000))


def backoff(errors: int) -> timedelta:
    """How long to wait after `errors` failures in a row: 1 h, 2 h, 4 h… up to a day (with the
    default half-hour interval)."""
    return feeds.backoff(errors, interval=refresh_interval(), longest=LONGEST_BACKOFF)


@dataclass
class RefreshReport:
    feeds: int = 0
    new_documents: int = 0
    not_modified: int = 0
    unchanged: int = 0
    failed: int = 0
    entries_created: int = 0
    bytes_read: int = 0

    def __str__(self) -> str:
        return (
            f"{self.feeds} feeds: {self.new_documents} new documents, {self.not_modified} not "
            f"modified, {self.unchanged} unchanged, {self.failed} failed; "
            f"{self.entries_created} new entries"
        )


def _request(feed: Feed) -> FeedRequest:
    return FeedRequest(
        key=feed.pk,
        url=feed.url,
        etag=feed.etag or None,
        last_modified=feed.last_modified or None,
        known_digest=feed.content_digest,
    )


def due_feeds(*, now: datetime | None = None, limit: int | None = None) -> list[Feed]:
    return list(
        Feed.objects.due(now)
        .order_by("next_fetch_at", "pk")
        .only("pk", "url", "etag", "last_modified", "content_digest", "consecutive_errors")[
            : limit or batch_size()
        ]
    )


def refresh_feeds(
    feeds: Iterable[Feed], *, workers: int | None = None, hosts_at_once: int | None = None
) -> RefreshReport:
    """Fetch these feeds concurrently and store what they bring; errors are recorded per feed."""
    by_id = {feed.pk: feed for feed in feeds}
    report = RefreshReport()
    outcomes = fetch_feeds(
        [_request(feed) for feed in by_id.values()],
        workers=workers or pool_size(),
        per_host=hosts_at_once or per_host(),
    )
    for outcome in outcomes:
        feed = by_id[cast(int, outcome.request.key)]
        try:
            record_outcome(feed=feed, outcome=outcome, report=report)
        except Exception:  # one feed's bad data must not stop the round
            logger.exception("storing the feed %s failed", feed.url)
    return report


def refresh_due_feeds(*, now: datetime | None = None, limit: int | None = None) -> RefreshReport:
    report = refresh_feeds(due_feeds(now=now, limit=limit))
    if report.feeds:
        logger.info("sources: %s", report)
    return report


def refresh_feed(*, feed_id: int) -> RefreshReport:
    """Refresh one feed now (a new subscription, one task per feed)."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return RefreshReport()
    return refresh_feeds([feed], workers=1)


def record_outcome(
    *, feed: Feed, outcome: FeedOutcome, report: RefreshReport, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    report.feeds += 1
    fetched = outcome.fetched
    if fetched is None:
        report.failed += 1
        errors = feed.consecutive_errors + 1
        Feed.objects.filter(pk=feed.pk).update(
            consecutive_errors=errors,
            last_error=outcome.message[:500],
            last_error_at=now,
            last_fetched_at=now,
            next_fetch_at=now + backoff(errors),
        )
        return
    changes = {
        "etag": (fetched.etag or "")[:500],
        "last_modified": (fetched.last_modified or "")[:100],
        "consecutive_errors": 0,
        "last_error": "",
        "last_fetched_at": now,
        "last_success_at": now,
        "next_fetch_at": now + refresh_interval(),
    }
    parsed = fetched.feed
    if parsed is None:
        if fetched.not_modified:
            report.not_modified += 1
        else:
            report.unchanged += 1
        Feed.objects.filter(pk=feed.pk).update(**changes)
        return
    report.new_documents += 1
    report.bytes_read += fetched.size
    changes.update(
        content_digest=fetched.content_digest,
        content_changed_at=now,
        bozo_warning=parsed.warning[:500],
    )
    if parsed.title:
        changes["title"] = parsed.title[:300]
    if parsed.site_url:
        changes["site_url"] = parsed.site_url
    with transaction.atomic():
        report.entries_created += store_entries(feed_id=feed.pk, entries=parsed.entries, now=now)
        Feed.objects.filter(pk=feed.pk).update(**changes)


def store_entries(*, feed_id: int, entries: Iterable[FeedEntry], now: datetime) -> int:
    """Store the entries not stored yet (the unique constraint on feed + digest is the last word
    when two fetches race); the others are marked as still listed. Returns how many are new."""
    by_digest = {entry.digest: entry for entry in entries if entry.digest}
    if not by_digest:
        return 0
    known = set(
        Entry.objects.filter(feed_id=feed_id, digest__in=list(by_digest)).values_list(
            "digest", flat=True
        )
    )
    new = [
        Entry(
            feed_id=feed_id,
            digest=digest,
            guid=entry.guid,
            link=entry.link,
            title=entry.title,
            author=entry.author,
            summary=entry.excerpt,
            published_at=entry.date,
            fetched_at=now,
            sort_at=min(entry.date or now, now),
            last_seen_at=now,
        )
        for digest, entry in by_digest.items()
        if digest not in known
    ]
    if new:
        Entry.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    if known:
        Entry.objects.filter(feed_id=feed_id, digest__in=list(known)).update(last_seen_at=now)
    return len(new)


# --- The nightly purge ----------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    entries: int
    feeds: int
    searches: int


def purge_old_entries(*, now: datetime | None = None) -> PurgeReport:
    """Drop entries first read more than 90 days ago — unless someone kept one as a bookmark,
    or a live feed still lists it (it would come back as new at the next fetch). Feeds nobody
    follows any more go too, with their entries, unless they hold kept ones."""
    now = now or timezone.now()
    cutoff = now - RETENTION
    kept = KeptEntry.objects.filter(entry=OuterRef("pk"))
    still_listed = Q(last_seen_at__gte=F("feed__content_changed_at")) & Q(
        feed__last_success_at__gte=cutoff
    )
    old = Entry.objects.filter(fetched_at__lt=cutoff).exclude(Exists(kept)).exclude(still_listed)
    _total, deleted = old.delete()
    orphans = (
        Feed.objects.filter(created_at__lt=now - timedelta(days=1))
        .exclude(Exists(Subscription.objects.filter(feed=OuterRef("pk"))))
        .exclude(Exists(KeptEntry.objects.filter(entry__feed=OuterRef("pk"))))
    )
    feeds = orphans.count()
    orphans.delete()
    _total, searches = Discovery.objects.filter(created_at__lt=now - timedelta(days=2)).delete()
    return PurgeReport(
        entries=deleted.get(Entry._meta.label, 0),
        feeds=feeds,
        searches=searches.get(Discovery._meta.label, 0),
    )
