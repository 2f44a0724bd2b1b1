"""Background jobs for partner feeds: the periodic round of due feeds, and one feed's fetch.

A fetch claims its feed first (fetching.fetch_subscription), so the same feed queued twice (by
the round and by a "fetch now") is fetched once; failures are recorded, not retried here: the
feed's own schedule backs off.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.articles.syndication import fetching


@db_task()
def fetch_partner_feed(subscription_id: int, force: bool = False) -> None:
    fetching.fetch_subscription(subscription_id=subscription_id, force=force)


@db_periodic_task(crontab(minute="*/15"))
def fetch_due_partner_feeds() -> None:
    for subscription_id in fetching.due_subscription_ids():
        fetch_partner_feed(subscription_id)
