"""Background jobs of the search index (huey finds them through core's ready())."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.core.search import indexing


@db_task(retries=3, retry_delay=30)
def index_object(label: str, object_id: int) -> None:
    """Index one object as it is now (or drop it when it is gone): safe to run twice."""
    indexing.index_by_label(label, object_id)


@db_periodic_task(crontab(hour="3", minute="40"))
def prune_index() -> None:
    """Drop documents whose object was deleted without its app telling the index (a cascade)."""
    indexing.prune()
