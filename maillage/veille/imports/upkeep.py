"""After an import: the search index of what it wrote, the pages of its bookmarks read a few
at a time, imports a dead worker left restarted (nothing of them was written), files dropped
once old, an import forgotten on request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from maillage.core import search
from maillage.veille.imports.errors import ErrorCode
from maillage.veille.imports.models import ImportJob, JobStatus
from maillage.veille.imports.progress import read_progress
from maillage.veille.imports.services import MAX_ATTEMPTS, STALE_AFTER, enqueue, fail
from maillage.veille.models import Bookmark, BookmarkSource, PageFetchStatus

INDEX_CHUNK = 2000


def imported_bookmark_ids(job: ImportJob) -> list[int]:
    """The bookmarks an import created or changed (see ImportJob.first_bookmark_id)."""
    condition = Q(updated_at=job.started_at)
    if job.first_bookmark_id:
        condition |= Q(pk__gte=job.first_bookmark_id, pk__lte=job.last_bookmark_id)
    return list(
        Bookmark.objects.filter(condition, owner_id=job.owner_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def index_imported_bookmarks(*, job_id: int, chunk: int = INDEX_CHUNK) -> int:
    """Put what an import wrote into the search index, a chunk per transaction.

    After the import's commit rather than inside it: the index's French analysis costs several
    times the import itself (bench/README.md), and an import must not hold the database that
    long. Idempotent (index_many replaces what it indexes)."""
    job = ImportJob.objects.filter(pk=job_id, status=JobStatus.DONE).first()
    if job is None:
        return 0
    ids = imported_bookmark_ids(job)
    for start in range(0, len(ids), chunk):
        search.index_many(Bookmark, ids[start : start + chunk])
    return len(ids)


# --- Looking after imports ------------------------------------------------------------------------


def restart_stalled_imports(*, now: Any = None) -> int:
    """Imports whose worker died (no news for STALE_AFTER) start again — nothing of them was
    written — or fail after MAX_ATTEMPTS; queued ones whose task was lost are queued again."""
    now = now or timezone.now()
    limit = now - STALE_AFTER
    count = 0
    candidates = ImportJob.objects.filter(
        Q(status=JobStatus.RUNNING, started_at__lt=limit)
        | Q(status=JobStatus.QUEUED, created_at__lt=limit)
    )
    for job in candidates:
        progress = read_progress(job.pk)
        if progress and progress.heartbeat >= limit.timestamp():
            continue
        if job.attempts >= MAX_ATTEMPTS:
            fail(job, ErrorCode.INTERRUPTED, {})
            continue
        if job.status == JobStatus.RUNNING:
            updated = ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED
            )
            if not updated:
                continue
        enqueue(job)
        count += 1
    return count


def pages_to_read(*, budget: int) -> list[int]:
    """Ids of pages imported bookmarks still wait to have read, oldest imports first, at most
    `budget`; each import's cursor moves past them (so they are handed out once)."""
    ids: list[int] = []
    jobs = ImportJob.objects.filter(
        status=JobStatus.DONE, reading_cursor__lt=F("last_bookmark_id")
    ).order_by("finished_at", "pk")
    for job in jobs:
        if len(ids) >= budget:
            break
        requested = budget - len(ids)
        chunk = list(
            Bookmark.objects.filter(
                owner_id=job.owner_id,
                pk__gt=job.reading_cursor,
                pk__lte=job.last_bookmark_id,
            )
            .order_by("pk")
            .values_list("pk", "source", "fetch_status")[:requested]
        )
        if not chunk:
            ImportJob.objects.filter(pk=job.pk).update(reading_cursor=job.last_bookmark_id)
            continue
        ids += [
            pk
            for pk, source, status in chunk
            if source == BookmarkSource.IMPORT and status == PageFetchStatus.PENDING
        ]
        cursor = chunk[-1][0] if len(chunk) == requested else job.last_bookmark_id
        ImportJob.objects.filter(pk=job.pk).update(reading_cursor=cursor)
    return ids


def delete_job(*, job: ImportJob) -> bool:
    """Forget an import (its file and its report; the bookmarks stay). Not while it runs."""
    if job.status in {JobStatus.QUEUED, JobStatus.RUNNING}:
        return False
    if job.file:
        job.file.delete(save=False)
    job.delete()
    return True


def purge_old_files(*, older_than: timedelta, now: Any = None) -> int:
    """Finished imports keep their report but not their file beyond `older_than`; tables whose
    columns were never checked that long are forgotten altogether. The number of files dropped."""
    now = now or timezone.now()
    count = 0
    for job in ImportJob.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=now - older_than
    ).exclude(file=""):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    for job in ImportJob.objects.filter(status=JobStatus.MAPPING, created_at__lt=now - older_than):
        count += bool(job.file)
        delete_job(job=job)
    return count
