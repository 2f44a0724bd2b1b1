"""Background jobs of the showcase: reading an evidence's page, verifying a Webmention.

Tasks take ids, re-read their rows and are idempotent (an item already read or verified is left
as it is). Network errors that may pass are retried after 1, 2, 4 then 8 minutes.
"""

from __future__ import annotations

from huey.api import Task
from huey.contrib.djhuey import db_task

from maillage.showcase import evidence, webmentions

RETRIES = 4


@db_task(retries=RETRIES, retry_delay=60, retry_backoff=2, context=True)
def read_evidence_source(evidence_id: int, task: Task | None = None) -> None:
    final_attempt = task is None or task.retries <= 0
    evidence.read_evidence_source(evidence_id=evidence_id, final_attempt=final_attempt)


@db_task(retries=RETRIES, retry_delay=60, retry_backoff=2, context=True)
def verify_webmention(webmention_id: int, task: Task | None = None) -> None:
    final_attempt = task is None or task.retries <= 0
    webmentions.verify_webmention(webmention_id=webmention_id, final_attempt=final_attempt)
