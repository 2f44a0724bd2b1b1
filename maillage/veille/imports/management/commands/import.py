"""`maillage import bookmarks FILE --owner EMAIL`: import a bookmarks file or a table from the
command line, with a progress bar; the same path as the web page (a report is kept)."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.tags import split_tag_names
from maillage.core.visibility import Visibility
from maillage.veille.imports import services
from maillage.veille.imports.cli import ProgressBar, member_by_email
from maillage.veille.imports.errors import ImportRefused
from maillage.veille.imports.mapping import Field, TableMapping, header_key
from maillage.veille.imports.models import ImportJob, JobOrigin, JobStatus

SHOWN_ISSUES = 20


def _column_index(mapping: TableMapping, name: str) -> int | None:
    """A column by its header ("Mots-clés") or its letter ("D")."""
    key = header_key(name)
    for index, header in enumerate(mapping.headers):
        if header and header_key(header) == key:
            return index
    if re.fullmatch(r"[A-Za-z]{1,3}", name.strip()):
        index = 0
        for letter in name.strip().upper():
            index = index * 26 + ord(letter) - 64
        return index - 1
    return None


class Command(BaseCommand):
    help = gettext_lazy("Import bookmarks for a member.")  # type: ignore[assignment]
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="bookmarks")
        bookmarks = kinds.add_parser(
            "bookmarks",
            help=_("A bookmarks file (HTML, JSON, XML) or a table (CSV, XLSX, ODS, XLS)."),
            description=_(
                "Import a file of bookmarks for a member, as the import page does: the file's "
                "kind is found from its content; a page the member already kept gets the new "
                "tags and notes. Everything is imported, or nothing."
            ),
        )
        bookmarks.add_argument("file", help=_("The file to import."))
        bookmarks.add_argument("--owner", required=True, help=_("The member's email address."))
        bookmarks.add_argument(
            "--visibility",
            choices=Visibility.values,
            default=Visibility.MEMBERS,
            help=_("Who may see the imported bookmarks (default: %(default)s)."),
        )
        bookmarks.add_argument(
            "--tag",
            action="append",
            default=[],
            dest="tags",
            help=_("A tag added to every bookmark (repeat the option for several)."),
        )
        bookmarks.add_argument(
            "--no-folder-tags",
            action="store_false",
            dest="folders_as_tags",
            help=_("Do not turn the folders of a bookmarks file into tags."),
        )
        bookmarks.add_argument("--sheet", help=_("The sheet of a spreadsheet to import."))
        bookmarks.add_argument(
            "--all-sheets",
            action="store_true",
            help=_("Import every sheet, each sheet's name becoming a tag."),
        )
        bookmarks.add_argument(
            "--column",
            action="append",
            default=[],
            metavar=_("COLUMN=FIELD"),
            help=_(
                "Correct a guessed column, by name or letter: --column 'Vu par=tags'. "
                "Fields: %(fields)s."
            )
            % {"fields": ", ".join(Field.values)},
        )
        bookmarks.add_argument(
            "--month-first", action="store_true", help=_("Dates are written 03/26/2014.")
        )
        bookmarks.add_argument("--quiet", action="store_true", help=_("No progress bar."))

    def handle(self, *args: Any, **options: Any) -> None:
        owner = member_by_email(options["owner"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        started = time.monotonic()
        try:
            with path.open("rb") as handle:
                job = services.start_import(
                    owner=owner,
                    file=File(handle, name=path.name),
                    original_name=path.name,
                    settings=services.ImportSettings(
                        visibility=options["visibility"],
                        tags=tuple(split_tag_names(options["tags"])),
                        folders_as_tags=options["folders_as_tags"],
                    ),
                    origin=JobOrigin.COMMAND_LINE,
                    run_in_background=False,
                )
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stderr.write(
            _("%(file)s: %(format)s") % {"file": path.name, "format": job.get_format_display()}
        )
        if job.status == JobStatus.MAPPING:
            self._confirm_columns(job, options)
        bar = ProgressBar(sys.stderr, quiet=options["quiet"])
        job = services.run_import(job_id=job.pk, on_progress=bar.update) or job
        bar.finish()
        elapsed = time.monotonic() - started
        self._report(job, elapsed)

    def _confirm_columns(self, job: ImportJob, options: dict[str, Any]) -> None:
        sheet = options["sheet"] or job.option("sheet", "")
        if sheet not in services.sheet_names(job):
            raise CommandError(
                _("No sheet “%(sheet)s”; the sheets are: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(services.sheet_names(job))}
            )
        mapping = services.preview(job, sheet=sheet).mapping
        for correction in options["column"]:
            name, _equals, field = correction.rpartition("=")
            index = _column_index(mapping, name) if name else None
            if index is None or field not in Field.values:
                raise CommandError(
                    _("Cannot read --column %(value)s: give COLUMN=FIELD, FIELD one of %(fields)s.")
                    % {"value": correction, "fields": ", ".join(Field.values)}
                )
            mapping.columns += [Field.IGNORE] * (index + 1 - len(mapping.columns))
            mapping.columns[index] = field
        described = [
            f"{header or index + 1} → {Field(column).label}"
            for index, (header, column) in enumerate(
                zip(mapping.headers + [""] * len(mapping.columns), mapping.columns, strict=False)
            )
            if column != Field.IGNORE
        ]
        self.stderr.write(
            _("Columns (row %(line)s): %(columns)s")
            % {"line": mapping.header_line or "—", "columns": "; ".join(described)}
        )
        try:
            services.confirm_mapping(
                job=job,
                mapping=mapping,
                sheets_as_tags=options["all_sheets"],
                day_first=not options["month_first"],
                run_in_background=False,
            )
        except services.MappingError as error:
            raise CommandError(
                _("%(error)s Use --column, for example --column 'Lien=url'.") % {"error": error}
            ) from None

    def _report(self, job: ImportJob, elapsed: float) -> None:
        if job.status != JobStatus.DONE:
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": job.error_message})
        self.stdout.write(
            _(
                "%(imported)s imported, %(merged)s merged, %(rejected)s not imported, out of "
                "%(read)s rows read, in %(seconds).1f s."
            )
            % {
                "imported": job.imported,
                "merged": job.merged,
                "rejected": job.rejected,
                "read": job.rows_read,
                "seconds": elapsed,
            }
        )
        issues = list(job.issues.order_by("pk")[:SHOWN_ISSUES])
        for issue in issues:
            where = f"{issue.sheet} " if issue.sheet else ""
            self.stderr.write(
                _("  %(where)sline %(line)s: %(reason)s")
                % {"where": where, "line": issue.line, "reason": issue.reason_text}
            )
        total = job.issues.count()
        if total > len(issues):
            self.stderr.write(_("  … and %(count)s more.") % {"count": total - len(issues)})
        if total:
            self.stderr.write(
                _("The whole report: %(url)s") % {"url": settings.SITE_URL + job.get_absolute_url()}
            )
