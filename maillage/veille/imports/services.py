"""Imports from start to end: take a file (its kind found from its bytes), let the person check
the columns of a table, run the import in one transaction (all of it is written, or nothing),
and keep the report of the lines refused.

Why all-or-nothing rather than resumable: an import either happened or did not, so running it
again is always safe (a worker that died mid-way left nothing behind, and the sweep simply
starts it again). Progress goes to the cache meanwhile (see progress.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from maillage.core.db import bulk_writing
from maillage.core.tags import split_tag_names
from maillage.core.visibility import Visibility
from maillage.veille.imports.detect import detect, detect_encoding
from maillage.veille.imports.errors import ErrorCode, ImportRefused
from maillage.veille.imports.formats import FileFormat
from maillage.veille.imports.limits import ImportLimits
from maillage.veille.imports.mapping import (
    Preview,
    TableMapping,
    TableReader,
    build_preview,
    guess_mapping,
    read_first_rows,
)
from maillage.veille.imports.models import (
    ImportIssue,
    ImportJob,
    IssueKind,
    JobOrigin,
    JobStatus,
)
from maillage.veille.imports.parsers import Reader
from maillage.veille.imports.parsers.jsonfile import JSONReader
from maillage.veille.imports.parsers.netscape import NetscapeReader
from maillage.veille.imports.parsers.tables import (
    CalamineTable,
    CSVTable,
    Table,
    XLSXTable,
    is_empty,
)
from maillage.veille.imports.parsers.xmlfile import XMLReader
from maillage.veille.imports.progress import Progress, forget_progress, save_progress
from maillage.veille.imports.rows import Reason
from maillage.veille.imports.writer import BATCH_SIZE, ImportWriter, RowLimitExceeded

logger = logging.getLogger(__name__)

# A running import reports at least every few seconds; this long without news, its worker died.
STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3
REASON_SHEET_SKIPPED = Reason.SHEET_SKIPPED


class MappingError(Exception):
    """The columns chosen cannot make bookmarks; str(error) says why."""


@dataclass(frozen=True)
class ImportSettings:
    visibility: str = Visibility.MEMBERS
    tags: tuple[str, ...] = ()
    folders_as_tags: bool = True

    def as_options(self) -> dict[str, Any]:
        return {
            "visibility": self.visibility,
            "tags": list(self.tags),
            "folders_as_tags": self.folders_as_tags,
        }


def import_limits() -> ImportLimits:
    return ImportLimits.from_settings()


# --- Starting ------------------------------------------------------------------------------------


def start_import(
    *,
    owner: Any,
    file: File[Any],
    original_name: str,
    settings: ImportSettings,
    origin: str = JobOrigin.WEB,
    run_in_background: bool = True,
) -> ImportJob:
    """Keep the file privately, find out what it is, and either queue the import (bookmark
    files) or wait for the person to check the columns (tables).

    Raises ImportRefused, keeping nothing, when the file cannot be imported at all.
    """
    limits = import_limits()
    size = file.size or 0
    if size > limits.max_bytes:
        raise ImportRefused(ErrorCode.FILE_TOO_LARGE, size=size, limit=limits.max_bytes)
    if settings.visibility not in Visibility.values:
        settings = ImportSettings(Visibility.MEMBERS, settings.tags, settings.folders_as_tags)
    job = ImportJob(
        owner=owner,
        original_name=Path(original_name).name[:255],
        size=size,
        options=settings.as_options(),
        origin=origin,
    )
    job.file.save(original_name or "import", file, save=False)
    try:
        detected = detect(Path(job.file.path), limits=limits)
        job.format = detected.format
        job.encoding = detected.encoding
        if job.is_table:
            _guess_table(job)
            job.status = JobStatus.MAPPING
        else:
            job.status = JobStatus.QUEUED
        job.save()
    except BaseException:
        job.file.delete(save=False)
        raise
    if job.status == JobStatus.QUEUED and run_in_background:
        _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from maillage.veille.imports.tasks import run_import_job

    job_id = job.pk
    transaction.on_commit(lambda: run_import_job(job_id))


def open_table(job: ImportJob) -> Table:
    path = Path(job.file.path)
    if job.format == FileFormat.CSV:
        return CSVTable(
            path,
            encoding=job.encoding or detect_encoding(path),
            delimiter=job.option("delimiter") or None,
        )
    if job.format == FileFormat.XLSX:
        return XLSXTable(path)
    if job.format in {FileFormat.ODS, FileFormat.XLS}:
        return CalamineTable(path)
    raise ValueError(job.format)


def _guess_table(job: ImportJob) -> None:
    """Guess the header and columns of every sheet; choose the first sheet with addresses."""
    table = open_table(job)
    try:
        mappings: dict[str, dict[str, Any]] = {}
        chosen = ""
        fallback = ""
        for sheet in table.sheet_names():
            rows = read_first_rows(table, sheet)
            mapping = guess_mapping(sheet, rows, epoch=table.epoch)
            mappings[sheet] = mapping.as_json()
            if not fallback and any(not is_empty(row) for row in rows):
                fallback = sheet
            if not chosen and mapping.has_url():
                chosen = sheet
        if not mappings:
            raise ImportRefused(ErrorCode.NO_SHEET)
        options = dict(job.options)
        options["mappings"] = mappings
        options["sheet"] = chosen or fallback or next(iter(mappings))
        options.setdefault("sheets_as_tags", False)
        options.setdefault("day_first", True)
        if isinstance(table, CSVTable):
            options["delimiter"] = table.delimiter
        job.options = options
    finally:
        table.close()


# --- Checking the columns of a table -------------------------------------------------------------


def stored_mapping(job: ImportJob, sheet: str) -> TableMapping | None:
    data = (job.option("mappings") or {}).get(sheet)
    return TableMapping.from_json(data) if data else None


def preview(job: ImportJob, *, sheet: str | None = None, header_line: int | None = None) -> Preview:
    """The first rows of a sheet with its stored mapping, or with the columns guessed again
    under another header row (`header_line`, 0 for none)."""
    sheet = sheet if sheet is not None else job.option("sheet", "")
    table = open_table(job)
    try:
        names = table.sheet_names()
        if sheet not in names:
            sheet = names[0]
        mapping = stored_mapping(job, sheet)
        if mapping is None or (
            header_line is not None and header_line != (mapping.header_line or 0)
        ):
            rows = read_first_rows(table, sheet)
            mapping = guess_mapping(sheet, rows, epoch=table.epoch, header_line=header_line)
        return build_preview(table, sheet, mapping=mapping)
    finally:
        table.close()


def sheet_names(job: ImportJob) -> list[str]:
    return list((job.option("mappings") or {}).keys())


@transaction.atomic
def confirm_mapping(
    *,
    job: ImportJob,
    mapping: TableMapping,
    sheets_as_tags: bool = False,
    day_first: bool = True,
    settings: ImportSettings | None = None,
    run_in_background: bool = True,
) -> ImportJob:
    """Keep the columns the person chose and queue the import."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.MAPPING:
        return job
    if not mapping.has_url():
        raise MappingError(ImportRefused(ErrorCode.NO_URL_COLUMN))
    options = dict(job.options)
    mappings = dict(options.get("mappings") or {})
    mappings[mapping.sheet] = mapping.as_json()
    options.update(
        mappings=mappings,
        sheet=mapping.sheet,
        sheets_as_tags=sheets_as_tags,
        day_first=day_first,
    )
    if settings is not None:
        options.update(settings.as_options())
    job.options = options
    job.status = JobStatus.QUEUED
    job.save(update_fields=["options", "status"])
    if run_in_background:
        _enqueue(job)
    return job


# --- Running -------------------------------------------------------------------------------------


def _reader_for(job: ImportJob) -> tuple[Reader, Callable[[], None], list[str]]:
    """The reader of the job's file, what closes it, and the sheets left out (no addresses)."""
    path = Path(job.file.path)
    encoding = job.encoding or ""
    if job.format == FileFormat.NETSCAPE:
        reader: Reader = NetscapeReader(
            path,
            encoding=encoding or detect_encoding(path),
            folders_as_tags=bool(job.option("folders_as_tags", True)),
        )
        return reader, lambda: None, []
    if job.format == FileFormat.JSON:
        return JSONReader(path, encoding=encoding or detect_encoding(path)), lambda: None, []
    if job.format == FileFormat.XML:
        return XMLReader(path), lambda: None, []
    table = open_table(job)
    sheets_as_tags = bool(job.option("sheets_as_tags"))
    chosen = job.option("sheet", "")
    sheets = table.sheet_names() if sheets_as_tags else [chosen]
    mappings: list[TableMapping] = []
    skipped: list[str] = []
    for sheet in sheets:
        mapping = stored_mapping(job, sheet)
        if mapping is None and sheet in table.sheet_names():
            mapping = guess_mapping(sheet, read_first_rows(table, sheet), epoch=table.epoch)
        if mapping is None or not mapping.has_url():
            if sheet == chosen:
                table.close()
                raise ImportRefused(ErrorCode.NO_URL_COLUMN)
            skipped.append(sheet)
            continue
        mappings.append(mapping)
    reader = TableReader(
        table,
        mappings,
        day_first=bool(job.option("day_first", True)),
        sheets_as_tags=sheets_as_tags,
    )
    return reader, table.close, skipped


def fail(job: ImportJob, code: str, params: dict[str, Any]) -> None:
    job.status = JobStatus.FAILED
    job.error_code = code
    job.error_params = params
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_code", "error_params", "finished_at"])


def run_import(
    *,
    job_id: int,
    on_progress: Callable[[Progress], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportJob | None:
    """Run a queued import: everything it writes is written in one transaction, with its report
    and its final figures; if anything fails, nothing of it stays and the job says why.

    Idempotent: a job that is not waiting to run (already running, done, failed) is left alone.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        error_code="",
        error_params={},
    )
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if not claimed or job is None:
        return job

    def report(progress: Progress) -> None:
        save_progress(job_id, progress)
        if on_progress is not None:
            on_progress(progress)

    report(Progress())
    limits = import_limits()
    close: Callable[[], None] = lambda: None  # noqa: E731
    try:
        reader, close, skipped = _reader_for(job)
        with bulk_writing(), transaction.atomic():
            writer = ImportWriter(
                job=job,
                visibility=job.option("visibility", Visibility.MEMBERS),
                extra_tags=split_tag_names(job.option("tags") or []),
                max_rows=limits.max_rows,
                batch_size=batch_size,
                on_progress=report,
                fraction=reader.fraction,
                now=job.started_at,
            )
            if skipped:
                ImportIssue.objects.bulk_create(
                    ImportIssue(
                        job=job,
                        kind=IssueKind.REMARK,
                        sheet=sheet[:100],
                        line=0,
                        reason=REASON_SHEET_SKIPPED,
                    )
                    for sheet in skipped
                )
            progress = writer.consume(reader)
            job.status = JobStatus.DONE
            job.rows_read = progress.rows_read
            job.imported = progress.imported
            job.merged = progress.merged
            job.rejected = progress.rejected
            job.remarks = writer.remarks
            job.finished_at = timezone.now()
            job.first_bookmark_id = writer.first_bookmark_id
            job.last_bookmark_id = writer.last_bookmark_id
            job.reading_cursor = (writer.first_bookmark_id - 1) if writer.first_bookmark_id else 0
            job.save()
            _index_after_commit(job)
    except ImportRefused as refusal:
        fail(job, refusal.code, refusal.params)
    except RowLimitExceeded as exceeded:
        fail(job, ErrorCode.TOO_MANY_ROWS, {"limit": exceeded.limit})
    except DatabaseError as error:
        logger.warning("Import %s failed in the database: %s", job_id, error)
        fail(job, ErrorCode.DATABASE, {"detail": f"{type(error).__name__}: {error}"[:200]})
    except Exception as error:
        logger.exception("Import %s failed", job_id)
        fail(job, ErrorCode.UNEXPECTED, {"detail": f"{type(error).__name__}: {error}"[:200]})
    finally:
        close()
    forget_progress(job_id)
    return job


def _index_after_commit(job: ImportJob) -> None:
    from maillage.veille.imports.tasks import index_imported_bookmarks

    if job.imported or job.merged:
        job_id = job.pk
        transaction.on_commit(lambda: index_imported_bookmarks(job_id))


def enqueue(job: ImportJob) -> None:
    """Queue the import (after the commit that made it ready)."""
    _enqueue(job)
