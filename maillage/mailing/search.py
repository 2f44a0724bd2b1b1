"""What the search index holds of the list (core.search): published messages, found by whom
may read their list's archive (members, or everyone for a public list), tagged with the list's
name so that an archive searches itself alone."""

from __future__ import annotations

from django.db.models import QuerySet

from maillage.core import search
from maillage.mailing.models import ArchiveAccess, MailingList, Message, MessageStatus


def message_documents(message: Message) -> search.Document | None:
    mailing_list = message.mailing_list
    # A closed list's archive is still read, and searched.
    if message.status != MessageStatus.PUBLISHED:
        return None
    audience = (
        search.Audience.PUBLIC
        if mailing_list.archive_access == ArchiveAccess.PUBLIC
        else search.Audience.MEMBERS
    )
    return search.Document(
        title=message.subject,
        body=search.plain_text(message.body),
        tags=[mailing_list.name],
        audience=audience,
        members=[message.author_id] if message.author_id else [],
        date=message.published_at or message.created_at,
        url=message.get_absolute_url(),
        subject=mailing_list.name,
        byline=message.author_name,
    )


def indexed_messages() -> QuerySet[Message]:
    return Message.objects.select_related("mailing_list")


def messages_of(mailing_list: MailingList) -> QuerySet[Message]:
    return indexed_messages().filter(mailing_list=mailing_list)


search.register(
    Message, kind=search.Kind.MESSAGE, documents=message_documents, queryset=indexed_messages
)
# A list made public (or members-only again) changes who finds its messages.
search.register_dependents(MailingList, messages_of)
