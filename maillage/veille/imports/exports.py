"""A member's own bookmarks, all of them, as a Netscape bookmarks file (which browsers and this
import read back), CSV or JSON; and an import's report as CSV. Streamed, a chunk of rows at a
time: nothing builds the whole file in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.visibility import Visibility
from maillage.veille.imports.models import ImportIssue, ImportJob
from maillage.veille.models import Bookmark

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json; charset=utf-8", "json"),
}
CSV_HEADER = ["url", "title", "notes", "tags", "created", "updated", "visibility", "to_read"]


def bookmarks_to_export(owner: Any) -> QuerySet[Bookmark]:
    """The owner's bookmarks, whatever their visibility; nobody else's."""
    return (
        Bookmark.objects.filter(owner=owner)
        .order_by("created_at", "pk")
        .prefetch_related("tags")
        .only(
            "pk",
            "url",
            "title",
            "page_title",
            "notes",
            "visibility",
            "to_read",
            "created_at",
            "updated_at",
        )
    )


def _each(owner: Any) -> Iterator[tuple[Bookmark, list[str]]]:
    for bookmark in bookmarks_to_export(owner).iterator(chunk_size=CHUNK):
        yield bookmark, [tag.name for tag in bookmark.tags.all()]


def _timestamp(value: datetime | None) -> str:
    return str(int(value.timestamp())) if value else ""


def netscape_lines(owner: Any) -> Iterator[str]:
    heading = escape(_("Bookmarks"))
    yield (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        "<!-- This file is read by browsers and by bookmark services. -->\n"
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
        f"<TITLE>{heading}</TITLE>\n"
        f"<H1>{heading}</H1>\n"
        "<DL><p>\n"
    )
    lines: list[str] = []
    for bookmark, tags in _each(owner):
        attributes = [
            f'HREF="{escape(bookmark.url)}"',
            f'ADD_DATE="{_timestamp(bookmark.created_at)}"',
            f'LAST_MODIFIED="{_timestamp(bookmark.updated_at)}"',
            f'PRIVATE="{1 if bookmark.visibility == Visibility.PRIVATE else 0}"',
            f'TOREAD="{1 if bookmark.to_read else 0}"',
            f'VISIBILITY="{bookmark.visibility}"',
        ]
        if tags:
            attributes.append(f'TAGS="{escape(",".join(tags))}"')
        title = escape(bookmark.title or bookmark.page_title, quote=False)
        lines.append(f"    <DT><A {' '.join(attributes)}>{title}</A>\n")
        if bookmark.notes:
            lines.append(f"    <DD>{escape(bookmark.notes, quote=False)}\n")
        if len(lines) >= CHUNK:
            yield "".join(lines)
            lines = []
    yield "".join(lines) + "</DL><p>\n"


def _neutral(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (the import takes the apostrophe off)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_rows(rows: Iterable[list[str]], header: list[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads the accents right with a byte-order mark
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_neutral(cell) for cell in row])
        if not count % CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _iso(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def csv_lines(owner: Any) -> Iterator[str]:
    return _csv_rows(
        (
            [
                bookmark.url,
                bookmark.title or bookmark.page_title,
                bookmark.notes,
                ", ".join(tags),
                _iso(bookmark.created_at),
                _iso(bookmark.updated_at),
                bookmark.visibility,
                "yes" if bookmark.to_read else "",
            ]
            for bookmark, tags in _each(owner)
        ),
        CSV_HEADER,
    )


def json_chunks(owner: Any) -> Iterator[str]:
    yield "["
    first = True
    parts: list[str] = []
    for bookmark, tags in _each(owner):
        record = {
            "url": bookmark.url,
            "title": bookmark.title or bookmark.page_title,
            "notes": bookmark.notes,
            "tags": tags,
            "created": _iso(bookmark.created_at),
            "updated": _iso(bookmark.updated_at),
            "visibility": bookmark.visibility,
            "to_read": bookmark.to_read,
        }
        parts.append(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False))
        first = False
        if len(parts) >= CHUNK:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "\n]\n"


def export_chunks(owner: Any, format_name: str) -> Iterator[str]:
    if format_name == "html":
        return netscape_lines(owner)
    if format_name == "csv":
        return csv_lines(owner)
    if format_name == "json":
        return json_chunks(owner)
    raise ValueError(format_name)


def export_filename(format_name: str) -> str:
    return f"signets-{timezone.localdate().isoformat()}.{EXPORT_FORMATS[format_name][1]}"


def issues_csv_lines(job: ImportJob) -> Iterator[str]:
    """The import's report: one row per line refused or imported with a remark."""
    header = [_("Sheet"), _("Line"), _("Result"), _("Reason"), _("Content")]
    if not job.is_table or not any(job.issues.exclude(sheet="").values_list("pk")[:1]):
        header = header[1:]

    def rows() -> Iterator[list[str]]:
        issues: Iterable[ImportIssue] = job.issues.order_by("pk").iterator(chunk_size=CHUNK)
        for issue in issues:
            row = [
                str(issue.line),
                str(issue.get_kind_display()),
                issue.reason_text,
                issue.raw,
            ]
            yield [issue.sheet, *row] if len(header) == 5 else row

    return _csv_rows(rows(), header)
