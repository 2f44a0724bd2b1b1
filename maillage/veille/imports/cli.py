"""What the `import` and `export` commands share: finding the member, a progress bar."""

from __future__ import annotations

import time
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from maillage.veille.imports.progress import Progress

BAR_WIDTH = 28


def member_by_email(email: str) -> Any:
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(_("No member has the address %(email)s.") % {"email": email})
    return user


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


class ProgressBar:
    """A bar redrawn in place on a terminal; elsewhere (a log, a pipe) a line now and then."""

    def __init__(self, stream: TextIO, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.interactive = bool(getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last_line = 0.0
        self.drawn = False

    def describe(self, progress: Progress) -> str:
        return _(
            "%(read)s rows read, %(imported)s imported, %(merged)s merged, %(rejected)s not "
            "imported"
        ) % {
            "read": _thousands(progress.rows_read),
            "imported": _thousands(progress.imported),
            "merged": _thousands(progress.merged),
            "rejected": _thousands(progress.rejected),
        }

    def update(self, progress: Progress) -> None:
        if self.quiet:
            return
        percent = min(max(int(progress.fraction * 100), 0), 100)
        if self.interactive:
            filled = BAR_WIDTH * percent // 100
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            self.stream.write(f"\r{bar} {percent:3d} %  {self.describe(progress)}\033[K")
            self.stream.flush()
            self.drawn = True
        elif time.monotonic() - self.last_line >= 5 or progress.fraction >= 1:
            self.last_line = time.monotonic()
            self.stream.write(f"{percent:3d} %  {self.describe(progress)}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
