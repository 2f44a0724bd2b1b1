"""Writing an import in batches: new bookmarks with bulk inserts, the owner's existing ones (and
repeats within the file) merged by the rule of veille.services.save_bookmark — tags added,
notes appended, "to read" kept, an empty title filled; visibility and date left as they were.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from maillage.core.models import Tag
from maillage.core.tags import clean_tag_name, tag_slug
from maillage.core.visibility import Visibility
from maillage.veille.imports.bulk import (
    RowInserter,
    RowUpdater,
    cyclic_gc_paused,
    lookup_chunk,
)
from maillage.veille.imports.models import ImportIssue, ImportJob, IssueKind
from maillage.veille.imports.progress import Progress
from maillage.veille.imports.rows import ParsedRow, Reason, Rejection
from maillage.veille.models import URL_MAX_LENGTH, Bookmark, BookmarkSource
from maillage.veille.services import merge_notes
from maillage.veille.urls_normalise import InvalidBookmarkURL, normalise_url, url_digest

BATCH_SIZE = 2000
MAX_TAGS_PER_BOOKMARK = 50
TITLE_MAX_LENGTH = 300
PROGRESS_INTERVAL = 0.5
# Between flushes, how often to see whether the progress shown is due for an update.
REPORT_EVERY_ROWS = 500
# Most open first: a file never makes a bookmark more open than the level chosen for the import.
OPENNESS: dict[str, int] = {Visibility.PUBLIC: 2, Visibility.MEMBERS: 1, Visibility.PRIVATE: 0}


class RowLimitExceeded(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass(slots=True)
class _Pending:
    row: ParsedRow
    url: str
    normalised: str
    tag_slugs: dict[str, str] = field(default_factory=dict)
    # The notes of each occurrence in the file, merged one by one like separate saves.
    notes: list[str] = field(default_factory=list)


def visibility_for(row: ParsedRow, chosen: str) -> str:
    if row.private:
        return Visibility.PRIVATE
    if row.visibility in OPENNESS and OPENNESS[row.visibility] < OPENNESS[chosen]:
        return row.visibility
    return chosen


@dataclass(slots=True)
class Prepared:
    """A row whose address was checked, with its digest and its tags' slugs."""

    row: ParsedRow
    url: str
    normalised: str
    digest: str
    slugs: dict[str, str]
    remarks: list[tuple[str, str]]


class Preparer:
    """What can be decided about a row alone, without the database: the checks of its address
    (refusals), its normal form and digest, its tags' slugs."""

    def __init__(self) -> None:
        self._slugs: dict[str, tuple[str, str]] = {}

    def prepare(self, item: ParsedRow | Rejection) -> Prepared | Rejection:
        if isinstance(item, Rejection):
            return item
        row = item
        url = row.url.strip()
        raw = row.raw or f"{url} {row.title}".strip()[:300]
        if not url:
            return Rejection(row.line, Reason.MISSING_URL, "", raw, row.sheet)
        if len(url) > URL_MAX_LENGTH:
            return Rejection(row.line, Reason.URL_TOO_LONG, "", raw[:300], row.sheet)
        try:
            normalised = normalise_url(url)
        except InvalidBookmarkURL:
            return Rejection(row.line, Reason.INVALID_URL, url[:200], raw, row.sheet)
        if len(normalised) > URL_MAX_LENGTH:
            return Rejection(row.line, Reason.URL_TOO_LONG, "", raw[:300], row.sheet)
        slugs: dict[str, str] = {}
        for name in row.tags:
            known = self._slugs.get(name)
            if known is None:
                clean = clean_tag_name(name)
                known = self._slugs[name] = (tag_slug(clean), clean)
            slug, clean = known
            if slug and slug not in slugs:
                slugs[slug] = clean
        remarks = list(row.remarks)
        if len(slugs) > MAX_TAGS_PER_BOOKMARK:
            remarks.append((Reason.TOO_MANY_TAGS, str(MAX_TAGS_PER_BOOKMARK)))
            slugs = dict(list(slugs.items())[:MAX_TAGS_PER_BOOKMARK])
        return Prepared(row, url, normalised, url_digest(normalised), slugs, remarks)


class ImportWriter:
    """Feed it rows and rejections; it writes them in batches into the current transaction."""

    def __init__(
        self,
        *,
        job: ImportJob,
        visibility: str,
        extra_tags: Iterable[str] = (),
        max_rows: int,
        batch_size: int = BATCH_SIZE,
        on_progress: Callable[[Progress], None] | None = None,
        fraction: Callable[[], float] = lambda: 0.0,
        now: datetime | None = None,
    ) -> None:
        self.job = job
        self.owner_id = job.owner_id
        self.visibility = visibility if visibility in OPENNESS else Visibility.MEMBERS
        self.extra_tags = {tag_slug(name): clean_tag_name(name) for name in extra_tags}
        self.extra_tags.pop("", None)
        self.max_rows = max_rows
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.fraction = fraction
        self.progress = Progress()
        self.remarks = 0
        self.first_bookmark_id = 0
        self.last_bookmark_id = 0
        self.now = now or timezone.now()
        self._pending: dict[str, _Pending] = {}
        self._issues: list[ImportIssue] = []
        self._tag_ids: dict[str, int] = {}
        self._last_report = 0.0
        self._through = Bookmark.tags.through
        self._chunk = lookup_chunk()
        # Bookmarks this import created, by digest: a page met again in a later batch is found
        # here, and an owner with no bookmark before needs no lookup at all.
        self._created: dict[str, int] = {}
        self._owner_had_bookmarks = Bookmark.objects.filter(owner_id=self.owner_id).exists()
        self._updater = RowUpdater(Bookmark, fields=["notes", "title", "to_read", "updated_at"])
        self._inserter = RowInserter(
            Bookmark,
            varying=[
                "owner",
                "url",
                "normalised_url",
                "url_digest",
                "title",
                "notes",
                "visibility",
                "to_read",
                "source",
                "created_at",
                "updated_at",
            ],
        )
        self._link_inserter = RowInserter(self._through, varying=["bookmark", "tag"])

    # --- Reading --------------------------------------------------------------------------

    def consume(self, items: Iterable[ParsedRow | Rejection]) -> Progress:
        """Write everything `items` yields.

        One thread reads and writes: a reading thread beside it made the import slower, not
        faster (bench/README.md), as the two contend for the interpreter lock that SQLite
        takes back after each row it writes.
        """
        preparer = Preparer()
        progress = self.progress
        with cyclic_gc_paused():
            for item in items:
                prepared = preparer.prepare(item)
                progress.rows_read += 1
                if progress.rows_read > self.max_rows:
                    raise RowLimitExceeded(self.max_rows)
                if isinstance(prepared, Rejection):
                    self._reject(
                        prepared.line,
                        prepared.reason,
                        prepared.detail,
                        prepared.raw,
                        prepared.sheet,
                    )
                else:
                    self._add(prepared)
                if len(self._pending) >= self.batch_size:
                    self.flush()
                elif not progress.rows_read % REPORT_EVERY_ROWS:
                    self.report()
            self.flush()
        self._write_issues()
        self.report(force=True)
        return self.progress

    def _reject(self, line: int, reason: str, detail: str, raw: str, sheet: str) -> None:
        self.progress.rejected += 1
        self._issues.append(
            ImportIssue(
                job_id=self.job.pk,
                kind=IssueKind.REJECTED,
                sheet=sheet[:100],
                line=line,
                reason=reason,
                detail=detail[:300],
                raw=raw,
            )
        )

    def _remark(self, row: ParsedRow, reason: str, detail: str) -> None:
        self._issues.append(
            ImportIssue(
                job_id=self.job.pk,
                kind=IssueKind.REMARK,
                sheet=row.sheet[:100],
                line=row.line,
                reason=reason,
                detail=detail[:300],
                raw=row.raw or f"{row.url} {row.title}".strip()[:300],
            )
        )

    def _add(self, prepared: Prepared) -> None:
        row = prepared.row
        for reason, detail in prepared.remarks:
            self._remark(row, reason, detail)
        if prepared.remarks:
            self.remarks += 1
        slugs = prepared.slugs
        for slug, name in self.extra_tags.items():
            slugs.setdefault(slug, name)
        digest = prepared.digest
        earlier = self._pending.get(digest)
        if earlier is None:
            self._pending[digest] = _Pending(
                row, prepared.url, prepared.normalised, slugs, [row.notes]
            )
            return
        # The same page twice in the file: the second merges into the first.
        self.progress.merged += 1
        first = earlier.row
        earlier.notes.append(row.notes)
        first.to_read = first.to_read or row.to_read
        if not first.title and row.title:
            first.title = row.title
        for slug, name in slugs.items():
            earlier.tag_slugs.setdefault(slug, name)

    # --- Writing --------------------------------------------------------------------------

    def _resolve_tags(self, batch: Iterable[_Pending]) -> None:
        wanted: dict[str, str] = {}
        for pending in batch:
            for slug, name in pending.tag_slugs.items():
                if slug not in self._tag_ids:
                    wanted.setdefault(slug, name)
        if wanted:
            for tag in Tag.objects.for_names(list(wanted.values())):
                self._tag_ids[tag.slug] = tag.pk

    def _existing(self, digests: list[str]) -> dict[str, Bookmark]:
        """The owner's bookmarks for these pages: made earlier by this import, or before it."""
        found: dict[str, Bookmark] = {}
        fields = ("pk", "url_digest", "title", "notes", "to_read")
        # No ORDER BY: sorting by date would lead the planner away from the unique index.
        again = [self._created[digest] for digest in digests if digest in self._created]
        for start in range(0, len(again), self._chunk):
            ids = again[start : start + self._chunk]
            for bookmark in Bookmark.objects.filter(pk__in=ids).order_by().only(*fields):
                found[bookmark.url_digest] = bookmark
        if self._owner_had_bookmarks:
            others = [digest for digest in digests if digest not in self._created]
            for start in range(0, len(others), self._chunk):
                chunk = others[start : start + self._chunk]
                for bookmark in (
                    Bookmark.objects.filter(owner_id=self.owner_id, url_digest__in=chunk)
                    .order_by()
                    .only(*fields)
                ):
                    found[bookmark.url_digest] = bookmark
        return found

    def flush(self) -> None:
        if not self._pending:
            self.report()
            return
        batch = self._pending
        self._pending = {}
        self._resolve_tags(batch.values())
        existing = self._existing(list(batch))
        new_rows: list[tuple[str, tuple[Any, ...]]] = []
        links: list[tuple[int, int]] = []
        for digest, pending in batch.items():
            current = existing.get(digest)
            if current is None:
                new_rows.append((digest, self._new_bookmark(digest, pending)))
        self._merge_existing(batch, existing, links)
        if new_rows:
            # In digest order: the two indexes keyed by it fill page by page, not at random.
            new_rows.sort(key=lambda item: item[0])
            self._inserter.insert([bookmark for _digest, bookmark in new_rows])
            ids = self._ids_for([digest for digest, _bookmark in new_rows])
            for digest, _bookmark in new_rows:
                bookmark_id = self._created[digest] = ids[digest]
                self.last_bookmark_id = max(self.last_bookmark_id, bookmark_id)
                if not self.first_bookmark_id or bookmark_id < self.first_bookmark_id:
                    self.first_bookmark_id = bookmark_id
                for slug in batch[digest].tag_slugs:
                    links.append((bookmark_id, self._tag_ids[slug]))
            self.progress.imported += len(new_rows)
        if links:
            self._link_inserter.insert(links)
        self._write_issues()
        self.report()

    def _ids_for(self, digests: list[str]) -> dict[str, int]:
        """The ids the inserts gave, by digest: plain SQL, as the ORM prepares each of the IN
        list's parameters on its own (a third of a second per 100,000 rows)."""
        meta = Bookmark._meta
        quote = connection.ops.quote_name
        digest_column = quote(meta.get_field("url_digest").column)
        select = (
            f"SELECT {digest_column}, {quote(meta.pk.column if meta.pk else 'id')} "  # noqa: S608
            f"FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.get_field('owner').column)} = %s AND {digest_column} IN "
        )
        ids: dict[str, int] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(digests), self._chunk):
                chunk = digests[start : start + self._chunk]
                cursor.execute(
                    select + f"({', '.join(['%s'] * len(chunk))})", [self.owner_id, *chunk]
                )
                ids.update(cursor.fetchall())
        return ids

    def _new_bookmark(self, digest: str, pending: _Pending) -> tuple[Any, ...]:
        """The values of a new bookmark, in RowInserter's `varying` order."""
        row = pending.row
        created: datetime = row.created_at or self.now
        notes = ""
        for part in pending.notes:
            notes = merge_notes(notes, part)
        return (
            self.owner_id,
            pending.url,
            pending.normalised,
            digest,
            row.title[:TITLE_MAX_LENGTH],
            notes,
            visibility_for(row, self.visibility),
            row.to_read,
            BookmarkSource.IMPORT,
            created,
            max(row.updated_at or created, created),
        )

    def _merge_existing(
        self,
        batch: dict[str, _Pending],
        existing: dict[str, Bookmark],
        links: list[tuple[int, int]],
    ) -> None:
        if not existing:
            return
        self.progress.merged += len(existing)
        known: dict[int, set[int]] = {bookmark.pk: set() for bookmark in existing.values()}
        ids = list(known)
        for start in range(0, len(ids), self._chunk):
            for bookmark_id, tag_id in (
                self._through.objects.filter(bookmark_id__in=ids[start : start + self._chunk])
                .order_by()
                .values_list("bookmark_id", "tag_id")
            ):
                known[bookmark_id].add(tag_id)
        changed: list[Bookmark] = []
        for digest, bookmark in existing.items():
            row = batch[digest].row
            notes = bookmark.notes
            for part in batch[digest].notes:
                notes = merge_notes(notes, part)
            title = bookmark.title or row.title[:TITLE_MAX_LENGTH]
            to_read = bookmark.to_read or row.to_read
            new_tags = False
            for slug in batch[digest].tag_slugs:
                tag_id = self._tag_ids[slug]
                if tag_id not in known[bookmark.pk]:
                    links.append((bookmark.pk, tag_id))
                    known[bookmark.pk].add(tag_id)
                    new_tags = True
            fields = (notes, title, to_read)
            if new_tags or fields != (bookmark.notes, bookmark.title, bookmark.to_read):
                bookmark.notes, bookmark.title, bookmark.to_read = fields
                # The mark by which the search index finds what this import changed.
                bookmark.updated_at = self.now
                changed.append(bookmark)
        if changed:
            self._updater.update(changed)

    def _write_issues(self) -> None:
        if self._issues:
            ImportIssue.objects.bulk_create(self._issues, batch_size=1000)
            self._issues = []

    def report(self, *, force: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_report >= PROGRESS_INTERVAL:
            self._last_report = now
            self.progress.fraction = 1.0 if force else self.fraction()
            self.on_progress(self.progress)
