"""`maillage export bookmarks --owner EMAIL --format html|csv|json`: a member's own bookmarks,
all of them, on the standard output or into a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.veille.imports import exports
from maillage.veille.imports.cli import member_by_email


class Command(BaseCommand):
    help = gettext_lazy("Export a member's bookmarks.")  # type: ignore[assignment]
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="bookmarks")
        bookmarks = kinds.add_parser(
            "bookmarks",
            help=_("All the member's bookmarks, whatever their visibility."),
            description=_(
                "Write all of a member's bookmarks: as a bookmarks file (html, which browsers "
                "and this site import back), a table (csv) or data (json)."
            ),
        )
        bookmarks.add_argument("--owner", required=True, help=_("The member's email address."))
        bookmarks.add_argument(
            "--format",
            dest="format_name",
            choices=sorted(exports.EXPORT_FORMATS),
            default="html",
            help=_("The format (default: %(default)s)."),
        )
        bookmarks.add_argument(
            "--output", "-o", help=_("The file to write (default: the standard output).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = member_by_email(options["owner"])
        chunks = exports.export_chunks(owner, options["format_name"])
        output = options.get("output")
        if not output or output == "-":
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        path = Path(output)
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(_("Written: %(path)s") % {"path": path})
