"""Queries that read lists, threads and messages, always on behalf of a viewer.

Who reads what: a list's archive is for members of the network, or for everyone when its
coordinators made it public. Held messages are seen by their author (and, from the moderation
queue, by the coordinators), rejected ones by nobody. Archive pages cost the same few queries
whatever their length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from maillage.mailing.models import (
    ArchiveAccess,
    Attachment,
    MailingList,
    Message,
    MessageStatus,
    Subscription,
    Thread,
)
from maillage.mailing.services.subscriptions import network_list

THREAD_PAGE_SIZE = 25


def is_member(viewer: Any) -> bool:
    return bool(
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and getattr(viewer, "is_active", False)
    )


def is_coordinator(viewer: Any) -> bool:
    return is_member(viewer) and bool(getattr(viewer, "is_coordinator", False))


def can_read_archive(viewer: Any, mailing_list: MailingList) -> bool:
    return mailing_list.archive_access == ArchiveAccess.PUBLIC or is_member(viewer)


def lists_for(viewer: Any) -> QuerySet[MailingList]:
    """The lists whose archive the viewer may read, the network's first."""
    lists = MailingList.objects.active()
    if not is_member(viewer):
        lists = lists.filter(archive_access=ArchiveAccess.PUBLIC)
    return lists


def list_for(viewer: Any, slug: str) -> MailingList | None:
    """A list's archive, closed lists' included (closing stops the mail, not the reading)."""
    mailing_list = MailingList.objects.filter(slug=slug).first()
    if mailing_list is None or not can_read_archive(viewer, mailing_list):
        return None
    return mailing_list


def lists_to_manage(viewer: Any) -> QuerySet[MailingList]:
    """Every list, closed ones included, for a coordinator; none for anybody else."""
    if not is_coordinator(viewer):
        return MailingList.objects.none()
    return MailingList.objects.order_by("-is_active", "-is_network_list", "name")


def subscriptions_of(viewer: Any) -> dict[int, Subscription]:
    """The viewer's subscriptions, by list id (left ones included: they say "unsubscribed")."""
    if not is_member(viewer):
        return {}
    return {
        subscription.mailing_list_id: subscription
        for subscription in Subscription.objects.filter(member=viewer)
    }


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


def threads_for(mailing_list: MailingList, *, month: date | None = None) -> QuerySet[Thread]:
    """The archive: threads with published messages, latest activity first."""
    threads = (
        mailing_list.threads.with_messages()
        .select_related("started_by")
        .order_by("-last_message_at", "-pk")
    )
    if month is not None:
        threads = threads.filter(
            last_message_at__year=month.year, last_message_at__month=month.month
        )
    return threads


def months_of(mailing_list: MailingList) -> list[MonthCount]:
    """Months of activity with their thread counts, latest first (the archive's "by date")."""
    rows = (
        mailing_list.threads.with_messages()
        .annotate(month=TruncMonth("last_message_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    return [
        MonthCount(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            count=row["count"],
        )
        for row in rows
        if row["month"] is not None
    ]


def _visible_messages(viewer: Any) -> Q:
    condition = Q(status=MessageStatus.PUBLISHED)
    if is_member(viewer):
        condition |= Q(status=MessageStatus.HELD, author=viewer)
    return condition


def thread_for(viewer: Any, mailing_list: MailingList, thread_id: int) -> Thread | None:
    """A thread of a list whose archive the viewer reads, if it has a message they may see."""
    thread = mailing_list.threads.filter(pk=thread_id).first()
    if thread is None:
        return None
    if thread.message_count > 0:
        return thread
    if is_member(viewer) and thread.messages.filter(_visible_messages(viewer)).exists():
        return thread
    return None


def messages_of(viewer: Any, thread: Thread) -> list[Message]:
    """The thread's messages the viewer may see, oldest first, with authors and attachments."""
    return list(
        thread.messages.filter(_visible_messages(viewer))
        .select_related("author", "parent")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def message_for(viewer: Any, mailing_list: MailingList, message_id: int) -> Message | None:
    return (
        mailing_list.messages.filter(_visible_messages(viewer), pk=message_id)
        .select_related("thread")
        .first()
    )


def can_see_source(viewer: Any, message: Message) -> bool:
    """The email as received holds its sender's address and headers: for its author and the
    coordinators only, whatever the archive's audience."""
    if message.inbound_id is None or not is_member(viewer):
        return False
    return is_coordinator(viewer) or message.author_id == viewer.pk


def attachment_for(viewer: Any, mailing_list: MailingList, pk: int) -> Attachment | None:
    return (
        Attachment.objects.filter(
            pk=pk,
            message__mailing_list=mailing_list,
            message__in=mailing_list.messages.filter(_visible_messages(viewer)),
        )
        .select_related("message")
        .first()
    )


def the_network_list() -> MailingList | None:
    return network_list()
