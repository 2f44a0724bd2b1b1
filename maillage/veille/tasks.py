"""Background jobs of the watch: reading a bookmarked page.

Tasks take ids, re-read their rows and are idempotent (a page already read is not read again).
"""

from __future__ import annotations

from huey.api import Task
from huey.contrib.djhuey import db_task

from maillage.veille import reading

# Network errors are retried after 1, 2, 4 then 8 minutes; the last attempt marks the page failed.
READ_RETRIES = 4


@db_task(retries=READ_RETRIES, retry_delay=60, retry_backoff=2, context=True)
def read_bookmark_page(bookmark_id: int, force: bool = False, task: Task | None = None) -> None:
    final_attempt = task is None or task.retries <= 0
    reading.read_bookmark_page(bookmark_id=bookmark_id, force=force, final_attempt=final_attempt)
