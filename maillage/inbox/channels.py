"""Conversations on network channels: the replies and mentions we read as questions, and the
answers we post back under them.

voices' connectors publish posts and read their engagement; reading what people say to us and
answering under it is this one small interface more, per channel kind:

    class Conversation:
        def mentions(self, *, since_id: str | None) -> list[Mention]    # oldest first
        def reply(self, *, mention: ReplyTarget, text: str, key: str) -> Published

Mastodon speaks it here (Mastodon.py: notifications of type "mention", a status in reply to
one), and Bluesky (listNotifications' mentions and replies, read forward from the last one's
indexedAt; an answer is a post whose `reply` names the thread's root and the question as
parent). Our own pages and the newsletter have nothing to read.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from django.utils.translation import gettext

from maillage.core.text import html_to_text
from maillage.voices.connectors.base import ConnectorError, Published, connector_for
from maillage.voices.connectors.bluesky import BlueskyConnector, web_address
from maillage.voices.connectors.mastodon import MastodonConnector, translated_errors
from maillage.voices.models import Channel


@dataclass(frozen=True)
class Mention:
    remote_id: str
    text: str
    author_handle: str
    author_name: str = ""
    url: str = ""
    created_at: datetime | None = None
    # Where the next reading starts (given back as `since_id`) when it is not remote_id:
    # Bluesky reads forward from a notification's indexedAt.
    cursor: str = ""


@dataclass(frozen=True)
class ReplyTarget:
    remote_id: str
    author_handle: str


class Conversation(ABC):
    """What a channel kind needs to take questions and answer them where they were asked."""

    kind: ClassVar[str] = ""

    def __init__(self, channel: Channel, credentials: dict[str, Any]) -> None:
        self.channel = channel
        self.credentials = credentials

    @abstractmethod
    def mentions(self, *, since_id: str | None) -> list[Mention]:
        """The mentions and replies newer than `since_id` (all recent ones when None), oldest
        first; each carries what reading on from it needs (its id, or a cursor)."""

    @abstractmethod
    def reply(self, *, mention: ReplyTarget, text: str, key: str) -> Published:
        """Answer under `mention` where it was asked; `key` makes a retried answer the same one
        where the network allows it."""


class MastodonConversation(MastodonConnector, Conversation):
    """Mentions of the account, and answers as public replies that mention the asker."""

    kind = "mastodon"

    def mentions(self, *, since_id: str | None) -> list[Mention]:
        client = self._client()
        with translated_errors():
            found = client.notifications(types=["mention"], since_id=since_id, limit=40)
        mentions = []
        for notification in found or []:
            status = notification.get("status") or {}
            account = notification.get("account") or status.get("account") or {}
            if not status.get("id"):
                continue
            mentions.append(
                Mention(
                    remote_id=str(status["id"]),
                    text=html_to_text(str(status.get("content") or ""), keep_lines=True),
                    author_handle="@" + str(account.get("acct") or "").lstrip("@"),
                    author_name=str(account.get("display_name") or ""),
                    url=str(status.get("url") or ""),
                    created_at=_aware(status.get("created_at")),
                )
            )
        return sorted(mentions, key=lambda mention: _numeric(mention.remote_id))

    def reply(self, *, mention: ReplyTarget, text: str, key: str) -> Published:
        client = self._client()
        handle = mention.author_handle.strip()
        body = text.strip()
        if handle and handle not in body:
            body = f"{handle} {body}"
        with translated_errors():
            status = client.status_post(
                body,
                in_reply_to_id=mention.remote_id,
                visibility="public",
                language="fr",
                idempotency_key=key,
            )
        return Published(remote_id=str(status["id"]), remote_url=str(status.get("url") or ""))


class BlueskyConversation(BlueskyConnector, Conversation):
    """Mentions of the account and replies to its posts; answers threaded under the question."""

    kind = "bluesky"
    reasons = ("mention", "reply")
    page_size = 50
    # Read back this many pages at most when many came since the last reading.
    max_pages = 10

    def mentions(self, *, since_id: str | None) -> list[Mention]:
        """Those indexed after `since_id` (the last one's indexedAt); the first reading takes the
        latest page only, as Mastodon's does."""
        from atproto import models

        since = _aware(since_id) if since_id else None
        found: dict[str, Mention] = {}
        cursor = None
        for _page in range(self.max_pages):
            params = models.AppBskyNotificationListNotifications.Params(
                limit=self.page_size, cursor=cursor, reasons=list(self.reasons)
            )
            response = self._call(partial(_list_notifications, params=params))
            reached = False
            for notification in response.notifications or []:
                indexed = _aware(notification.indexed_at)
                if since is not None and (indexed is None or indexed <= since):
                    reached = True
                    continue
                mention = _bluesky_mention(notification)
                if mention is not None:
                    found.setdefault(mention.remote_id, mention)
            cursor = response.cursor
            if since is None or reached or not cursor:
                break
        return sorted(found.values(), key=lambda mention: _aware(mention.cursor) or _EPOCH)

    def reply(self, *, mention: ReplyTarget, text: str, key: str) -> Published:
        """A post whose `reply` names the thread's root and the question (uri and cid, read
        with getPosts: the notification's cid is not kept), so it shows under the question and
        its author is notified without a mention. Bluesky has no idempotency key: `key` is
        unused, and a retry after a reply that did go out posts it twice."""
        from atproto import models
        from atproto_client.utils import facet_detection

        body = text.strip()

        def send(client: Any) -> Any:
            found = client.get_posts([mention.remote_id])
            if not found.posts:
                raise ConnectorError(
                    gettext("The question's post is no longer on Bluesky."), permanent=True
                )
            post = found.posts[0]
            parent = models.ComAtprotoRepoStrongRef.Main(uri=post.uri, cid=post.cid)
            thread = getattr(post.record, "reply", None)
            root = (
                models.ComAtprotoRepoStrongRef.Main(uri=thread.root.uri, cid=thread.root.cid)
                if thread is not None
                else parent
            )
            repo = client._session.did if client._session else None
            return client.send_post(
                body,
                facets=facet_detection.detect_facets(body) or None,
                reply_to=models.AppBskyFeedPost.ReplyRef(root=root, parent=parent),
                langs=["fr"],
                profile_identify=repo,
            )

        uri = str(self._call(send).uri)
        return Published(remote_id=uri, remote_url=web_address(uri, self.channel.account))


def _list_notifications(client: Any, *, params: Any) -> Any:
    return client.app.bsky.notification.list_notifications(params=params)


def _bluesky_mention(notification: Any) -> Mention | None:
    if notification.reason not in BlueskyConversation.reasons:
        return None
    author = notification.author
    handle = str(getattr(author, "handle", "") or "")
    record = notification.record
    text = str(getattr(record, "text", "") or "")
    if not notification.uri or not text.strip():
        return None
    return Mention(
        remote_id=str(notification.uri),
        text=text,
        author_handle="@" + handle if handle else "",
        author_name=str(getattr(author, "display_name", "") or ""),
        url=web_address(str(notification.uri), handle),
        created_at=_aware(getattr(record, "created_at", None)) or _aware(notification.indexed_at),
        cursor=str(notification.indexed_at),
    )


def _numeric(identifier: str) -> tuple[int, str]:
    return (int(identifier), "") if identifier.isdigit() else (0, identifier)


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")

_registry: dict[str, type[Conversation]] = {
    "mastodon": MastodonConversation,
    "bluesky": BlueskyConversation,
}


def register_conversation(conversation: type[Conversation]) -> None:
    _registry[conversation.kind] = conversation


def conversation_for(channel: Channel) -> Conversation | None:
    """The channel's conversation, with its decrypted credentials; None when its kind has none."""
    cls = _registry.get(channel.kind)
    if cls is None:
        return None
    # The connector decrypts the credentials (or says, in words, why it cannot).
    connector = connector_for(channel)
    return cls(channel, connector.credentials)


def reads_mentions(channel: Channel) -> bool:
    return channel.kind in _registry and channel.active and channel.has_credentials
