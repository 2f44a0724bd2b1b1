"""Sending list mail: one delivery row per recipient, one email per recipient, in batches on
one SMTP connection. An SMTP outage leaves the rows waiting with their next attempt (a periodic
task takes them again): mail is delayed, never lost. Digests go through the same batches.

Each copy is re-sent from the list's own address ("Camille via Doc@Rennes" <reseau@…>, as
Mailman does) so that recipients who check DMARC accept it, with the list headers (RFC 2369,
2919, 8058), the message's own Message-ID and its In-Reply-To/References for threading, a reply
address of the recipient's own (which authenticates their answer), and a VERP envelope sender
(which names the delivery a bounce is about).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import format_datetime, formataddr
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.core.db import lock_for_update
from maillage.core.mail import one_click_unsubscribe_headers
from maillage.core.text import render_markdown
from maillage.mailing import addresses
from maillage.mailing.models import (
    Delivery,
    DeliveryMode,
    DeliveryState,
    Digest,
    MailingList,
    Message,
    MessageStatus,
    ReplyPolicy,
    Subscription,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# Retries: 2 min, 4, 8 … up to 6 h between attempts; given up after MAX_ATTEMPTS (about three
# days), when the row stays "failed" with its error for a coordinator to send again.
FIRST_RETRY = timedelta(minutes=2)
LONGEST_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 20
# Rows handed to a batch task are left to it this long before the periodic sweep may take them
# (a worker that died mid-batch): the sweep never races a batch that is running.
CLAIM = timedelta(minutes=15)

Row = TypeVar("Row", Delivery, Digest)


def retry_delay(attempts: int) -> timedelta:
    return min(LONGEST_RETRY, FIRST_RETRY * (2 ** max(0, attempts - 1)))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Deliveries of a message ------------------------------------------------------------------


def distribute(*, message_id: int) -> list[int]:
    """Create a delivery row for each recipient receiving every message and return their ids,
    once: a second run adds nobody and hands out nothing (what still waits then is the
    sweep's, once its claim has passed)."""
    with transaction.atomic():
        message = lock_for_update(
            Message.objects.filter(pk=message_id, status=MessageStatus.PUBLISHED)
        ).first()
        if message is None or message.distributed_at is not None:
            return []
        subscriptions = (
            Subscription.objects.receiving()
            .filter(mailing_list_id=message.mailing_list_id, mode=DeliveryMode.EVERY_MESSAGE)
            .select_related("member")
        )
        now = timezone.now()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    message=message,
                    member=subscription.member,
                    address=subscription.member.email,
                    next_attempt_at=now + CLAIM,
                )
                for subscription in subscriptions
                if subscription.member.email
            ],
            ignore_conflicts=True,
        )
        message.distributed_at = now
        message.save(update_fields=["distributed_at"])
    return list(
        Delivery.objects.filter(message_id=message_id, state=DeliveryState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def batches(ids: Sequence[int], size: int = BATCH_SIZE) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


@dataclass
class MessageParts:
    """What every copy of one message shares, rendered once per batch."""

    html_body: str
    headers: dict[str, str]
    context: dict[str, Any]


def _subject(mailing_list: MailingList, subject: str) -> str:
    prefix = mailing_list.subject_prefix.strip()
    if prefix and prefix.lower() not in subject.lower():
        return f"{prefix} {subject}"
    return subject


def list_headers(mailing_list: MailingList, *, unsubscribe_url: str) -> dict[str, str]:
    """The headers of every mail of a list (RFC 2369, 2919, 8058), and what stops loops."""
    address = addresses.list_address(mailing_list)
    return {
        "List-Id": addresses.list_id(mailing_list),
        "List-Post": f"<mailto:{address}>",
        "List-Archive": f"<{absolute(mailing_list.get_absolute_url())}>",
        **one_click_unsubscribe_headers(unsubscribe_url),
        "Precedence": "list",
        # Out-of-office replies of Exchange and others are asked not to answer.
        "X-Auto-Response-Suppress": "All",
        "X-Loop": address,
    }


def _message_parts(message: Message) -> MessageParts:
    mailing_list = message.mailing_list
    thread = message.thread
    headers = {
        "Message-ID": message.message_id,
        "Date": format_datetime(message.published_at or message.created_at),
    }
    if message.parent_id is not None and message.references:
        headers["In-Reply-To"] = message.reference_ids[-1]
        headers["References"] = message.references
    context = {
        "message": message,
        "thread": thread,
        "mailing_list": mailing_list,
        "site_name": settings.SITE_NAME,
        "list_address": addresses.list_address(mailing_list),
        "thread_url": absolute(thread.get_absolute_url()),
        "message_url": absolute(message.get_absolute_url()),
        "archive_url": absolute(mailing_list.get_absolute_url()),
        "subscriptions_url": absolute(reverse("mailing:subscriptions")),
        "attachments": [
            (attachment.filename, absolute(attachment.get_absolute_url()), attachment.size)
            for attachment in message.attachments.all()
        ],
        "replies_to_list": mailing_list.reply_policy == ReplyPolicy.LIST,
    }
    return MessageParts(html_body=render_markdown(message.body), headers=headers, context=context)


def delivery_email(
    delivery: Delivery, *, parts: MessageParts, subscription_token: str
) -> EmailMultiAlternatives:
    message = delivery.message
    mailing_list = message.mailing_list
    unsubscribe_url = absolute(reverse("mailing:unsubscribe", kwargs={"token": subscription_token}))
    context = {**parts.context, "unsubscribe_url": unsubscribe_url, "html_body": parts.html_body}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("mailing/emails/message.txt", context)
        html = render_to_string("mailing/emails/message.html", context)
        display = _("%(name)s via %(list)s") % {
            "name": message.author_name,
            "list": mailing_list.name,
        }
    headers = {
        **list_headers(mailing_list, unsubscribe_url=unsubscribe_url),
        **parts.headers,
        "From": formataddr((display, addresses.list_address(mailing_list))),
    }
    if mailing_list.reply_policy == ReplyPolicy.AUTHOR and message.author is not None:
        headers["Reply-To"] = formataddr((message.author_name, message.author.email))
    else:
        headers["Reply-To"] = formataddr(
            (
                mailing_list.name,
                addresses.reply_address(
                    mailing_list, member_id=delivery.member_id, thread_id=message.thread_id
                ),
            )
        )
    email = EmailMultiAlternatives(
        subject=_subject(mailing_list, message.subject),
        body=text,
        from_email=addresses.bounce_address(delivery_id=delivery.pk),
        to=[delivery.address],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email


def send_deliveries(*, delivery_ids: Sequence[int]) -> BatchResult:
    """Send these deliveries (those still waiting) on one SMTP connection."""
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, state=DeliveryState.PENDING)
        .select_related("message__thread", "message__mailing_list", "message__author")
        .prefetch_related("message__attachments")
        .order_by("pk")
    )
    if not deliveries:
        return BatchResult()
    tokens = {
        (list_id, member_id): token
        for list_id, member_id, token in Subscription.objects.filter(
            mailing_list_id__in={d.message.mailing_list_id for d in deliveries},
            member_id__in={d.member_id for d in deliveries},
        ).values_list("mailing_list_id", "member_id", "token")
    }
    parts: dict[int, MessageParts] = {}

    def build(delivery: Delivery) -> EmailMultiAlternatives | None:
        message = delivery.message
        token = tokens.get((message.mailing_list_id, delivery.member_id))
        if token is None or message.status != MessageStatus.PUBLISHED:
            return None  # unsubscribed and removed since, or the message was taken back
        if message.pk not in parts:
            parts[message.pk] = _message_parts(message)
        return delivery_email(delivery, parts=parts[message.pk], subscription_token=token)

    return send_batch(Delivery, deliveries, build)


# --- Batches on one connection ---------------------------------------------------------------


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def _permanent(error: smtplib.SMTPException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def _defer(model: type[Row], ids: list[int], error: BaseException) -> None:
    if not ids:
        return
    now = timezone.now()
    rows = model.objects.filter(pk__in=ids, state=DeliveryState.PENDING)
    attempts = (rows.order_by("-attempts").values_list("attempts", flat=True).first() or 0) + 1
    rows.update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + retry_delay(attempts),
        last_error=_error_text(error),
    )
    gave_up = model.objects.filter(pk__in=ids, attempts__gte=MAX_ATTEMPTS)
    gave_up.filter(state=DeliveryState.PENDING).update(state=DeliveryState.FAILED)
    logger.warning("%s %s deferred (attempt %s): %s", len(ids), model.__name__, attempts, error)


def _fail(model: type[Row], row_id: int, error: BaseException) -> None:
    model.objects.filter(pk=row_id).update(
        state=DeliveryState.FAILED,
        attempts=F("attempts") + 1,
        last_error=_error_text(error),
    )


def _mark_sent(model: type[Row], ids: list[int]) -> None:
    if ids:
        model.objects.filter(pk__in=ids).update(
            state=DeliveryState.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
        )


def send_batch(
    model: type[Row],
    rows: Sequence[Row],
    build: Callable[[Row], EmailMessage | None],
) -> BatchResult:
    """Send one email per row on one connection; rows are marked as they go, every 50."""
    result = BatchResult()
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        result.deferred = [row.pk for row in rows]
        _defer(model, result.deferred, error)
        return result
    pending_sent: list[int] = []
    try:
        for index, row in enumerate(rows):
            email = build(row)
            if email is None:
                result.skipped.append(row.pk)
                continue
            email.connection = connection
            try:
                email.send()
            except smtplib.SMTPException as error:
                if _permanent(error):
                    result.failed.append(row.pk)
                    _fail(model, row.pk, error)
                    continue
                if isinstance(
                    error,
                    smtplib.SMTPRecipientsRefused
                    | smtplib.SMTPDataError
                    | smtplib.SMTPSenderRefused,
                ):
                    # A temporary refusal of this one message (4xx): the others may go.
                    result.deferred.append(row.pk)
                    _defer(model, [row.pk], error)
                    continue
                remaining = [later.pk for later in rows[index:]]
                result.deferred.extend(remaining)
                _defer(model, remaining, error)
                break
            except OSError as error:
                remaining = [later.pk for later in rows[index:]]
                result.deferred.extend(remaining)
                _defer(model, remaining, error)
                break
            pending_sent.append(row.pk)
            result.sent.append(row.pk)
            if len(pending_sent) >= 50:
                _mark_sent(model, pending_sent)
                pending_sent = []
    finally:
        _mark_sent(model, pending_sent)
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    if result.skipped:
        model.objects.filter(pk__in=result.skipped, state=DeliveryState.PENDING).update(
            state=DeliveryState.SKIPPED, last_error="no longer to be sent"
        )
    return result


def claim_due(model: type[Row], *, limit: int = 5000) -> list[int]:
    """The ids of rows whose next attempt has come, claimed for the caller (see CLAIM)."""
    with transaction.atomic():
        ids = list(model.objects.due().order_by("pk").values_list("pk", flat=True)[:limit])
        model.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() + CLAIM)
    return ids


def retry_deliveries_now() -> None:
    """For a coordinator (admin action) and tests: whatever failed or waits, due at once."""
    Delivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=timezone.now())
