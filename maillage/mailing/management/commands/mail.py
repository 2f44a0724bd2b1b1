"""`maillage mail receive` reads one email on standard input (an MTA's pipe);
`maillage mail lmtp` runs the LMTP server Postfix hands the list's mail to."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.mailing import lmtp
from maillage.mailing.services import incoming


class Command(BaseCommand):
    help = gettext_lazy("Receive the list's mail: one email on standard input, or an LMTP server.")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="receive|lmtp")
        receive = commands.add_parser(
            "receive", help=_("Read one email on standard input (for an MTA's pipe).")
        )
        receive.add_argument(
            "--recipient",
            default="",
            help=_(
                "The address it was sent to (default: $ORIGINAL_RECIPIENT or $RECIPIENT, "
                "as Postfix's pipe sets them)."
            ),
        )
        receive.add_argument(
            "--sender",
            default=None,
            help=_("The envelope sender (default: $SENDER; empty for a bounce)."),
        )
        server = commands.add_parser("lmtp", help=_("Run the LMTP server for Postfix."))
        server.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        server.add_argument(
            "--port", type=int, default=lmtp.DEFAULT_PORT, help=_("Port to listen on.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "receive":
            self.receive(options)
        else:
            self.serve(options)

    def receive(self, options: dict[str, Any]) -> None:
        recipient = (
            options["recipient"]
            or os.environ.get("ORIGINAL_RECIPIENT", "")
            or os.environ.get("RECIPIENT", "")
        )
        if not recipient:
            raise CommandError(_("Which address was it sent to? Give --recipient."), returncode=64)
        sender = options["sender"] if options["sender"] is not None else os.environ.get("SENDER")
        limit = incoming.max_message_bytes()
        raw = sys.stdin.buffer.read(limit + 1)
        if len(raw) > limit:
            # Read the rest so the MTA's pipe is not broken, without keeping it.
            while sys.stdin.buffer.read(1 << 20):
                pass
        try:
            outcome = incoming.receive(raw=raw, recipient=recipient, envelope_from=sender)
        except Exception as error:  # the database is away: the MTA keeps it and tries again
            self.stderr.write(f"4.3.0 {error}")
            sys.exit(incoming.EX_TEMPFAIL)
        self.stdout.write(f"{outcome.outcome}: {outcome.detail}")
        if outcome.exit_code:
            self.stderr.write(outcome.smtp_reply)
            sys.exit(outcome.exit_code)

    def serve(self, options: dict[str, Any]) -> None:
        server = lmtp.controller(host=options["host"], port=options["port"])
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        server.start()
        self.stdout.write(
            _("LMTP server listening on %(host)s:%(port)s")
            % {"host": options["host"], "port": options["port"]}
        )
        try:
            stop.wait()
        finally:
            server.stop()
