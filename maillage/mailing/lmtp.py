"""An LMTP server (RFC 2033, aiosmtpd) for Postfix to hand the list's mail to.

Each recipient is checked at RCPT (an address that is not ours is refused there, 550), and
answered separately after DATA, as LMTP requires. The email is stored before it is read
(services.incoming): once we said 250 it is kept, whatever comes of it. When the database
cannot even store it, the answer is 451 and Postfix tries again later.

    # main.cf: hand the list domain to us
    virtual_mailbox_domains = lists.example.org
    virtual_transport = lmtp:inet:127.0.0.1:8024
    recipient_delimiter = +
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.db import close_old_connections

from maillage.mailing import addresses
from maillage.mailing.services import incoming

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8024


def _with_connection(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ORM code in an executor thread with a fresh, then closed, database connection."""
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        close_old_connections()


class ListHandler:
    """aiosmtpd handler: checks recipients, then stores and handles the email per recipient."""

    async def _run(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None, partial(_with_connection, function, *args, **kwargs)
        )

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        try:
            recipient = await self._run(addresses.parse_recipient, address)
        except Exception:
            logger.exception("LMTP: could not check recipient %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if recipient.kind == "unknown":
            return "550 5.1.1 No such list here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or b""
        replies = []
        for address in envelope.rcpt_tos:
            try:
                outcome = await self._run(
                    incoming.receive,
                    raw=raw,
                    recipient=address,
                    envelope_from=envelope.mail_from or "",
                )
            except Exception:
                logger.exception("LMTP: could not store mail for %s", address)
                replies.append("451 4.3.0 Temporary failure, try again later")
            else:
                replies.append(outcome.smtp_reply)
        # One reply per accepted recipient, in their order (RFC 2033, 4.2).
        return "\r\n".join(replies)


class LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def controller(*, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> LMTPController:
    return LMTPController(
        ListHandler(),
        hostname=host,
        port=port,
        data_size_limit=incoming.max_message_bytes(),
        enable_SMTPUTF8=True,
        ident="Maillage LMTP",
    )
