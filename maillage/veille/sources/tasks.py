"""Background jobs for sources: the round of due feeds every five minutes (one task, a small
thread pool inside: see bench/sources_refresh.py for why), new feeds fetched at once, the search
for a site's feeds, and the nightly purge. Tasks take ids and are idempotent."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from maillage.veille.sources import refresh, services
from maillage.veille.sources.models import Feed

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
@lock_task("sources-refresh-due-feeds")
def refresh_due_feeds() -> None:
    refresh.refresh_due_feeds()


@db_task()
def refresh_feeds_now(feed_ids: list[int]) -> None:
    """Fetch feeds just subscribed to, so that their entries show without waiting a round."""
    feeds = list(Feed.objects.filter(pk__in=feed_ids, last_fetched_at__isnull=True))
    if feeds:
        refresh.refresh_feeds(feeds)


@db_task()
def discover_feeds(discovery_id: int) -> None:
    services.run_discovery(discovery_id=discovery_id)


@db_periodic_task(crontab(hour="3", minute="41"))
def purge_old_entries() -> None:
    report = refresh.purge_old_entries()
    if report.entries or report.feeds:
        logger.info(
            "sources purge: %d entries, %d feeds nobody follows", report.entries, report.feeds
        )
