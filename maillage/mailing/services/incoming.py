"""Receiving an email for the list (from `maillage mail receive` or the LMTP server).

The email is stored whole first, in its own transaction: whatever happens next, it is kept,
with an outcome that says what became of it. Then it is read: a bounce to a VERP address is
recorded; our own mail coming back and machines' replies are ignored (no loops); a member's
email becomes a message — in the thread its reply address names, else the thread of the message
it answers (In-Reply-To, References), else the thread of the same subject, else a new one —
published or held as the list and the review policy decide. A sender we cannot verify (no reply
address of ours, no DMARC pass from our own server) is held for review, never published.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.mailing import addresses, parsing, quotes
from maillage.mailing.models import (
    Attachment,
    InboundMail,
    InboundOutcome,
    MailingList,
    Message,
    MessageSource,
    MessageStatus,
    Thread,
)
from maillage.mailing.services import bounces, posting
from maillage.members.models import User

logger = logging.getLogger(__name__)

# A thread is found by its subject only among threads active this recently.
SUBJECT_MATCH_DAYS = 60

# Exit codes for an MTA pipe (sysexits.h): the MTA bounces on 65/67 and retries on 75.
EX_OK, EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 0, 65, 67, 75


@dataclass(frozen=True)
class Outcome:
    outcome: str
    detail: str = ""
    inbound_id: int | None = None
    message_id: int | None = None

    @property
    def smtp_reply(self) -> str:
        """The LMTP answer for this recipient (RFC 2033: one per recipient)."""
        if self.outcome == InboundOutcome.UNKNOWN_RECIPIENT:
            return "550 5.1.1 No such list here"
        if self.outcome == InboundOutcome.TOO_LARGE:
            return "552 5.3.4 Message too big for the list"
        return f"250 2.0.0 Kept ({self.outcome})"

    @property
    def exit_code(self) -> int:
        if self.outcome == InboundOutcome.UNKNOWN_RECIPIENT:
            return EX_NOUSER
        if self.outcome == InboundOutcome.TOO_LARGE:
            return EX_DATAERR
        return EX_OK


def max_message_bytes() -> int:
    return int(getattr(settings, "MAILING_MAX_MESSAGE_BYTES", 25 * 1024 * 1024))


def store(*, raw: bytes, recipient: str, envelope_from: str | None) -> InboundMail:
    """Keep the email as it came, before reading it (its own transaction)."""
    with transaction.atomic():
        inbound = InboundMail(
            recipient=recipient[:320],
            # "<>" for a null sender (bounces, auto-replies), "" when the envelope is unknown.
            envelope_from="" if envelope_from is None else (envelope_from.strip() or "<>")[:320],
            size=len(raw),
        )
        inbound.raw.save("message.eml", ContentFile(raw), save=False)
        inbound.save()
    return inbound


def _finish(
    inbound: InboundMail, outcome: str, detail: str = "", message: Message | None = None
) -> Outcome:
    inbound.outcome = outcome
    inbound.detail = detail[:5000]
    inbound.handled_at = timezone.now()
    inbound.save(update_fields=["outcome", "detail", "handled_at"])
    return Outcome(
        outcome=outcome,
        detail=detail,
        inbound_id=inbound.pk,
        message_id=message.pk if message is not None else None,
    )


def receive(*, raw: bytes, recipient: str, envelope_from: str | None = None) -> Outcome:
    """Store, then handle, one email for one recipient address."""
    too_large = len(raw) > max_message_bytes()
    inbound = store(
        raw=raw[: max_message_bytes()] if too_large else raw,
        recipient=recipient,
        envelope_from=envelope_from,
    )
    if too_large:
        return _finish(
            inbound,
            InboundOutcome.TOO_LARGE,
            f"{len(raw)} bytes, more than {max_message_bytes()} (the first ones are kept)",
        )
    return handle(inbound)


def handle(inbound: InboundMail) -> Outcome:
    """Read a stored email and act on it; an unexpected error is recorded, never lost."""
    with inbound.raw.open("rb") as stream:
        raw = stream.read()
    try:
        return _handle(inbound, raw)
    except Exception as error:
        logger.exception("Handling inbound mail %s failed", inbound.pk)
        return _finish(inbound, InboundOutcome.ERROR, f"{type(error).__name__}: {error}")


def _handle(inbound: InboundMail, raw: bytes) -> Outcome:
    recipient = addresses.parse_recipient(inbound.recipient)
    try:
        parsed = parsing.parse(raw)
    except Exception as error:  # the parser gave up: the email stays stored
        return _finish(inbound, InboundOutcome.MALFORMED, f"{type(error).__name__}: {error}")
    inbound.sender = parsed.sender[:320]
    inbound.subject = parsed.subject[:255]
    inbound.message_id_header = parsed.message_id[:255]
    inbound.save(update_fields=["sender", "subject", "message_id_header"])
    envelope_from = inbound.envelope_from or None

    if recipient.kind == "unknown":
        return _finish(inbound, InboundOutcome.UNKNOWN_RECIPIENT, inbound.recipient)
    loop = _our_own(parsed)
    if loop:
        return _finish(inbound, InboundOutcome.LOOP, loop)
    if recipient.kind == "bounce":
        if recipient.forged:
            return _finish(inbound, InboundOutcome.BOUNCE, "bounce address with a wrong signature")
        return _finish(
            inbound,
            InboundOutcome.BOUNCE,
            bounces.record(parsed=parsed, recipient=recipient, inbound=inbound),
        )
    if parsed.is_delivery_report and parsing.null_sender(envelope_from):
        return _finish(
            inbound,
            InboundOutcome.BOUNCE,
            bounces.record(parsed=parsed, recipient=recipient, inbound=inbound),
        )
    automatic = parsing.automatic_reason(parsed, envelope_from=envelope_from)
    if automatic:
        return _finish(inbound, InboundOutcome.AUTOMATIC, automatic)
    if not parsed.sender:
        return _finish(inbound, InboundOutcome.MALFORMED, "no sender address (From)")
    if recipient.kind == "other":
        owner = addresses.owner_named(recipient.owner)
        if owner is None:
            return _finish(inbound, InboundOutcome.UNKNOWN_RECIPIENT, inbound.recipient)
        detail = owner.receive(parsed=parsed, recipient=inbound.recipient)
        return _finish(inbound, InboundOutcome.HANDED, detail)
    assert recipient.mailing_list is not None
    return _post(inbound, parsed, recipient)


def _our_own(parsed: parsing.ParsedMail) -> str:
    """Our own list mail come back (a member's forwarding rule, another list): a loop."""
    domain = addresses.domain()
    for value in parsed.all_headers("X-Loop"):
        if value.strip().lower().endswith(f"@{domain}"):
            return f"X-Loop: {value.strip()}"
    list_ids = {
        f"{local_part}.{domain}"
        for local_part in MailingList.objects.values_list("local_part", flat=True)
    }
    list_id = parsed.header("List-Id").lower()
    for identifier in list_ids:
        if f"<{identifier}>" in list_id:
            return f"List-Id: {list_id}"
    return ""


def _sender_member(address: str) -> User | None:
    return User.objects.filter(email__iexact=address, is_active=True).first()


def _find_thread(
    mailing_list: MailingList, parsed: parsing.ParsedMail, recipient: addresses.Recipient
) -> tuple[Thread | None, Message | None]:
    """The thread (and message) this email answers: reply address, then headers, then subject."""
    answered_ids = [*reversed(parsed.in_reply_to), *reversed(parsed.references)]
    parent = None
    if answered_ids:
        found = {
            message.message_id: message
            for message in Message.objects.filter(
                mailing_list=mailing_list, message_id__in=answered_ids
            ).select_related("thread")
        }
        parent = next((found[i] for i in answered_ids if i in found), None)
    if recipient.kind == "reply" and recipient.thread_id is not None:
        thread = Thread.objects.filter(pk=recipient.thread_id, mailing_list=mailing_list).first()
        if thread is not None:
            if parent is not None and parent.thread_id != thread.pk:
                parent = None
            return thread, parent
    if parent is not None:
        return parent.thread, parent
    subject = posting.bare_subject(parsed.subject)
    if subject and subject != parsed.subject.strip():
        since = timezone.now() - timedelta(days=SUBJECT_MATCH_DAYS)
        thread = (
            Thread.objects.filter(
                mailing_list=mailing_list, subject__iexact=subject, last_message_at__gte=since
            )
            .order_by("-last_message_at")
            .first()
        )
        if thread is not None:
            return thread, None
    return None, None


def _notes(parsed: parsing.ParsedMail, shown: str) -> str:
    notes = []
    reasons = {
        "type": _("this type of file is not accepted"),
        "size": _("too large"),
        "count": _("too many attachments"),
    }
    for refused in parsed.refused:
        notes.append(
            _("Attachment “%(name)s” not kept: %(reason)s.")
            % {"name": refused.filename, "reason": reasons.get(refused.reason, refused.reason)}
        )
    if parsed.from_html:
        notes.append(_("Sent as HTML only: converted to text."))
    if len(shown) > posting.BODY_MAX_LENGTH:
        notes.append(_("The text was cut: it is longer than a message may be."))
    return "\n".join(notes)


def _post(
    inbound: InboundMail, parsed: parsing.ParsedMail, recipient: addresses.Recipient
) -> Outcome:
    mailing_list = recipient.mailing_list
    assert mailing_list is not None
    member = _sender_member(parsed.sender)
    if member is None:
        return _finish(inbound, InboundOutcome.UNKNOWN_SENDER, parsed.sender)
    if parsed.message_id:
        existing = Message.objects.filter(message_id=parsed.message_id).first()
        if existing is not None:
            return _finish(
                inbound, InboundOutcome.DUPLICATE, f"message {existing.pk}", message=existing
            )
    verified = (
        recipient.kind == "reply" and recipient.member_id == member.pk
    ) or parsing.authenticated_sender(parsed)
    detail = [] if verified else ["sender not verified"]
    if recipient.forged:
        detail.append("reply address with a wrong signature")
    elif recipient.kind == "reply" and recipient.member_id != member.pk:
        detail.append(f"reply address of member {recipient.member_id}, sent by {member.pk}")
    try:
        posting.check_rate(member)
    except posting.TooManyMessages as error:
        return _finish(inbound, InboundOutcome.NOT_ALLOWED, str(error))
    thread, parent = _find_thread(mailing_list, parsed, recipient)
    shown = quotes.visible_text(parsed.text)
    notes = _notes(parsed, shown)
    body = shown[: posting.BODY_MAX_LENGTH] or _("(no text)")
    common: dict[str, Any] = {
        "author": member,
        "body": body,
        "source": MessageSource.EMAIL,
        "message_id": parsed.message_id,
        "verified": verified,
        "inbound": inbound,
        "notes": notes,
    }
    try:
        with transaction.atomic():
            if thread is None:
                message = posting.start_thread(
                    mailing_list=mailing_list,
                    subject=parsed.subject or _("(no subject)"),
                    **common,
                )
            else:
                message = posting.reply(
                    thread=thread, parent=parent, subject=parsed.subject, **common
                )
            for found in parsed.attachments:
                attachment = Attachment(
                    message=message,
                    filename=found.filename,
                    content_type=found.content_type,
                    size=len(found.content),
                )
                attachment.file.save(found.filename, ContentFile(found.content), save=False)
                attachment.save()
    except posting.PostingError as error:
        return _finish(inbound, InboundOutcome.NOT_ALLOWED, str(error))
    outcome = (
        InboundOutcome.POSTED if message.status == MessageStatus.PUBLISHED else InboundOutcome.HELD
    )
    detail.append(f"message {message.pk} in thread {message.thread_id}")
    return _finish(inbound, outcome, "; ".join(detail), message=message)
