"""`maillage search reindex`: rebuild the search index, with a progress bar.

`maillage search stats` says what the index holds; `maillage search query "…"` tries a query
as someone not logged in would.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db.models import Count
from django.utils.translation import gettext as _

from maillage.core.search import engine, indexing, registry
from maillage.core.search.models import SearchDocument

BAR_WIDTH = 30


class ProgressBar:
    """[######·····]  45 %  450,000/1,000,000 on a terminal (redrawn in place); elsewhere a line
    every tenth, so that logs stay short."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        elapsed = time.monotonic() - self.started
        line = _("%(bar)s %(percent)3d %% %(done)s/%(total)s (%(seconds).0f s)") % {
            "bar": "["
            + "#" * int(share * BAR_WIDTH)
            + "·" * (BAR_WIDTH - int(share * BAR_WIDTH))
            + "]",
            "percent": int(share * 100),
            "done": f"{done:,}",
            "total": f"{total:,}",
            "seconds": elapsed,
        }
        if self.interactive:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        elif int(share * 10) > self.last_tenth:
            self.last_tenth = int(share * 10)
            self.stream.write(line)

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("")


class Command(BaseCommand):
    help = "The search index: reindex (with a progress bar), stats, query."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION")
        reindex = actions.add_parser(
            "reindex", help=_("Rebuild the whole search index (or one kind's).")
        )
        reindex.add_argument(
            "--kind",
            choices=[kind.value for kind in registry.Kind],
            help=_("Only the content of this kind."),
        )
        reindex.add_argument(
            "--no-progress", action="store_true", help=_("Do not show the progress bar.")
        )
        reindex.add_argument(
            "--processes",
            type=int,
            help=_("Processes analysing the text (default: one per processor for big indexes)."),
        )
        actions.add_parser("stats", help=_("How many documents of each kind the index holds."))
        query = actions.add_parser("query", help=_("Search as someone not logged in."))
        query.add_argument("text")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "reindex":
            self.reindex(
                kind=options.get("kind"),
                progress=not options["no_progress"],
                processes=options.get("processes"),
            )
        elif action == "stats":
            self.stats()
        elif action == "query":
            self.query(options["text"])
        else:
            raise CommandError(_("Say what to do: reindex, stats or query."))

    def reindex(self, *, kind: str | None, progress: bool, processes: int | None = None) -> None:
        chosen = None
        if kind:
            chosen = [r.model for r in registry.registrations() if r.kind == kind]
        bar = ProgressBar(self.stdout)
        started = time.monotonic()
        count = indexing.rebuild(
            progress=bar if progress else None, models_to_index=chosen, workers=processes
        )
        if progress:
            bar.finish()
        self.stdout.write(
            _("%(count)s documents indexed in %(seconds).1f s.")
            % {"count": f"{count:,}", "seconds": time.monotonic() - started}
        )

    def stats(self) -> None:
        rows = SearchDocument.objects.values("kind", "audience").annotate(count=Count("pk"))
        for row in rows.order_by("kind", "audience"):
            self.stdout.write(f"{row['kind']}\t{row['audience']}\t{row['count']}")

    def query(self, text: str) -> None:
        results = engine.search(viewer=None, text=text)
        self.stdout.write(
            _("%(total)s results: %(counts)s")
            % {"total": results.total, "counts": dict(results.counts)}
        )
        for hit in results.hits:
            self.stdout.write(f"{hit.kind}\t{hit.url}\t{hit.title}")
