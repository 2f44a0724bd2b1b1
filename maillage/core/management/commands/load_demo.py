"""Load the demo network: every app's demo loader, in one transaction, as often as you like."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.demo import load_demo_data

# Demo accounts share a published password: never in a production database by accident.
MODES_ALLOWING_DEMO = {"demo", "development", "test"}


class Command(BaseCommand):
    help = gettext_lazy("Load the demo data (loading it again changes nothing).")  # type: ignore[assignment]
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Load it even in production mode (its password is public)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE not in MODES_ALLOWING_DEMO and not options["force"]:
            raise CommandError(
                _(
                    "Refusing to load the demo data in %(mode)s mode: its accounts share a "
                    "public password. Use MAILLAGE_MODE=demo, or --force."
                )
                % {"mode": settings.MODE}
            )
        for name, summary in load_demo_data():
            if options["verbosity"] >= 1:
                line = _("%(label)s: %(detail)s") % {"label": name, "detail": summary}
                self.stdout.write(line if summary else name)
