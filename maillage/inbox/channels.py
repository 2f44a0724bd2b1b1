"""Conversations on network channels: the replies and mentions we read as questions, and the
answers we post back under them.

voices' connectors publish posts and read their engagement; reading what people say to us and
answering under it is this one small interface more, per channel kind:

    class Conversation:
        def mentions(self, *, since_id: str | None) -> list[Mention]    # oldest first
        def reply(self, *, mention: ReplyTarget, text: str, key: str) -> Published

Mastodon speaks it here (Mastodon.py: notifications of type "mention", a status in reply to
one). Bluesky has no conversation yet (its listNotifications and a reply's root and parent
references would be the next class); our own pages and the newsletter have nothing to read.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from maillage.core.text import html_to_text
from maillage.voices.connectors.base import Published, connector_for
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
        raise NotImplementedError

    @abstractmethod
    def reply(self, *, mention: ReplyTarget, text: str, key: str) -> Published:
        raise NotImplementedError


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


_registry: dict[str, type[Conversation]] = {"mastodon": MastodonConversation}


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
