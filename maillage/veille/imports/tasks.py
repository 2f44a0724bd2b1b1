"""Background work of imports: running one, indexing what it wrote for search, restarting
those a dead worker left, reading the pages of imported bookmarks a few at a time, and dropping
old files.

Tasks take ids and are idempotent: an import that is not waiting to run is left alone.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.veille.imports import services, upkeep

logger = logging.getLogger(__name__)


@db_task()
def run_import_job(job_id: int) -> None:
    services.run_import(job_id=job_id)


@db_task(retries=2, retry_delay=60)
def index_imported_bookmarks(job_id: int) -> None:
    upkeep.index_imported_bookmarks(job_id=job_id)


@db_periodic_task(crontab(minute="*/5"))
def restart_stalled_imports() -> None:
    count = upkeep.restart_stalled_imports()
    if count:
        logger.warning("%d stalled bookmark imports started again", count)


@db_periodic_task(crontab(minute="*"))
def read_imported_pages() -> None:
    """Hand a few imported pages a minute to the page reader: a 100,000-bookmark import must
    neither flood the queue (emails wait behind it) nor hit the sites all at once."""
    from maillage.veille.tasks import read_bookmark_page

    for bookmark_id in upkeep.pages_to_read(budget=settings.IMPORT_PAGES_READ_PER_MINUTE):
        read_bookmark_page(bookmark_id)


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_old_import_files() -> None:
    upkeep.purge_old_files(older_than=timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS))
