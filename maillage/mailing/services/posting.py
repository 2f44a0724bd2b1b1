"""Posting to a list, from the web or by email: a new thread or a reply, published or held as
the review policy and the list's setting decide; the callbacks of the moderation queue."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import search
from maillage.core.ratelimit import RateLimit, too_many_attempts_message
from maillage.mailing import addresses, review
from maillage.mailing.models import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    InboundMail,
    MailingList,
    Message,
    MessageSource,
    MessageStatus,
    Thread,
)

logger = logging.getLogger(__name__)

# At most this many ids in References: enough for any mail client to thread.
MAX_REFERENCES = 20
_REPLY_PREFIX = re.compile(
    r"^\s*((re|fwd?|tr|réf|ref|aw|sv|wg)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)


class PostingError(Exception):
    """A message that cannot be posted; the text is for the person."""

    status_code = 400


class NotAllowed(PostingError):
    status_code = 403


class TooManyMessages(PostingError):
    status_code = 429


def post_limit() -> RateLimit:
    return RateLimit(
        "list-post",
        getattr(settings, "MAILING_POST_RATE_LIMIT", 20),
        getattr(settings, "MAILING_POST_RATE_WINDOW", 60 * 60),
    )


def may_post(member: Any, mailing_list: MailingList) -> bool:
    """Every active member may write; the list's policy decides whether it waits for review."""
    return bool(
        mailing_list.is_active
        and member is not None
        and getattr(member, "is_authenticated", False)
        and member.is_active
    )


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{addresses.domain()}>"


def bare_subject(subject: str) -> str:
    """The subject without "Re:", "Fwd:", "TR :"… nor a list's [prefix]."""
    subject = re.sub(r"\[[^\]]{1,40}\]\s*", "", subject or "")
    previous = None
    while previous != subject:
        previous = subject
        subject = _REPLY_PREFIX.sub("", subject).strip()
    return re.sub(r"\s+", " ", subject).strip()


def clean_subject(subject: str) -> str:
    subject = re.sub(r"\s+", " ", subject or "").strip()
    if not subject:
        raise PostingError(_("Give your message a subject."))
    return subject[:SUBJECT_MAX_LENGTH]


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise PostingError(_("Write something before sending."))
    if len(body) > BODY_MAX_LENGTH:
        raise PostingError(
            _("A message is at most %(count)s characters long.") % {"count": BODY_MAX_LENGTH}
        )
    return body


def check_rate(member: Any) -> None:
    """Count one message; refuse past the limit (a runaway auto-responder stops here too)."""
    limit = post_limit()
    wait = limit.seconds_left(account=str(member.pk))
    if wait:
        raise TooManyMessages(too_many_attempts_message(wait))
    limit.record(account=str(member.pk))


def _references(parent: Message | None) -> str:
    if parent is None:
        return ""
    ids = [*parent.reference_ids, parent.message_id]
    return " ".join(ids[-MAX_REFERENCES:])


def _create(
    *,
    thread: Thread,
    author: Any,
    subject: str,
    body: str,
    parent: Message | None,
    source: str,
    message_id: str,
    verified: bool,
    inbound: InboundMail | None,
    notes: str,
) -> Message:
    decision = review.decide(
        author=author,
        text=f"{subject}\n{body}",
        mailing_list=thread.mailing_list,
        verified=verified,
    )
    if decision.action == review.policy.ReviewAction.REJECT:
        raise PostingError(_("This message cannot be published. Please rephrase it."))
    message = Message.objects.create(
        thread=thread,
        mailing_list=thread.mailing_list,
        author=author,
        author_name=author.display_name or author.email,
        subject=subject,
        body=body,
        parent=parent,
        message_id=message_id or new_message_id(),
        references=_references(parent),
        source=source,
        status=MessageStatus.HELD,
        inbound=inbound,
        notes=notes,
    )
    review.record(message=message, decision=decision)
    if decision.visible_now:
        publish(message)
    return message


@transaction.atomic
def start_thread(
    *,
    mailing_list: MailingList,
    author: Any,
    subject: str,
    body: str,
    source: str = MessageSource.WEB,
    message_id: str = "",
    verified: bool = True,
    inbound: InboundMail | None = None,
    notes: str = "",
) -> Message:
    """A new thread and its first message."""
    if not may_post(author, mailing_list):
        raise NotAllowed(_("Only members of the network write to the list."))
    subject = clean_subject(subject)
    body = clean_body(body)
    thread = Thread.objects.create(mailing_list=mailing_list, subject=subject, started_by=author)
    return _create(
        thread=thread,
        author=author,
        subject=subject,
        body=body,
        parent=None,
        source=source,
        message_id=message_id,
        verified=verified,
        inbound=inbound,
        notes=notes,
    )


def last_message_of(thread: Thread) -> Message | None:
    return thread.messages.published().order_by("-created_at", "-pk").first()


@transaction.atomic
def reply(
    *,
    thread: Thread,
    author: Any,
    body: str,
    parent: Message | None = None,
    subject: str = "",
    source: str = MessageSource.WEB,
    message_id: str = "",
    verified: bool = True,
    inbound: InboundMail | None = None,
    notes: str = "",
) -> Message:
    """A reply in `thread`, to `parent` (else to the thread's last message, as mail clients
    answer the message in front of them)."""
    if not may_post(author, thread.mailing_list):
        raise NotAllowed(_("Only members of the network write to the list."))
    body = clean_body(body)
    if parent is not None and parent.thread_id != thread.pk:
        parent = None
    if parent is None:
        parent = last_message_of(thread)
    subject = re.sub(r"\s+", " ", subject or "").strip()[:SUBJECT_MAX_LENGTH]
    if not bare_subject(subject):
        # "Re: " in every language (RFC 5322, 3.6.5): mail clients recognise it, not "Re : ".
        subject = f"Re: {thread.subject}"
    return _create(
        thread=thread,
        author=author,
        subject=subject[:SUBJECT_MAX_LENGTH],
        body=body,
        parent=parent,
        source=source,
        message_id=message_id,
        verified=verified,
        inbound=inbound,
        notes=notes,
    )


def publish(message: Message, *, when: datetime | None = None) -> None:
    """Make a message visible, count it in its thread, index it and send it to the list."""
    from maillage.mailing import tasks

    now = when or timezone.now()
    message.status = MessageStatus.PUBLISHED
    message.published_at = message.published_at or now
    message.save(update_fields=["status", "published_at"])
    Thread.objects.filter(pk=message.thread_id).update(
        message_count=F("message_count") + 1,
        last_message_at=Greatest(
            F("last_message_at"), Value(message.published_at, output_field=DateTimeField())
        ),
    )
    search.index(message)
    message_id = message.pk
    transaction.on_commit(lambda: tasks.distribute_message(message_id))


def _take_back(message: Message, status: str) -> None:
    was_published = message.status == MessageStatus.PUBLISHED
    message.status = status
    message.save(update_fields=["status"])
    if was_published:
        Thread.objects.filter(pk=message.thread_id, message_count__gt=0).update(
            message_count=F("message_count") - 1
        )
    search.remove(Message, [message.pk])


# --- The moderation queue's callbacks (core.review) ------------------------------------------


def approve_message(message: Message) -> None:
    if message.status == MessageStatus.HELD:
        publish(message)


def reject_message(message: Message, reason: str) -> None:
    _take_back(message, MessageStatus.REJECTED)


def mark_message_as_spam(message: Message) -> None:
    _take_back(message, MessageStatus.SPAM)


def describe_message(message: Message) -> str:
    return _("Message “%(subject)s” on the list %(list)s") % {
        "subject": message.subject,
        "list": message.mailing_list.name,
    }


def message_url(message: Message) -> str:
    return message.get_absolute_url()
