"""The one small interface every channel speaks: publish a post, read its engagement.

A connector is built for one channel (its address, account and decrypted credentials) and is
given an `Outgoing` post; it answers `Published` (the channel's identifier and address) or raises
`ConnectorError` with the channel's own message: `RateLimited` says when to try again,
`permanent` errors are not retried. The ActivityPub channel (each voice an actor on the
institution's domain) will be one more class here, registered under its own kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from maillage.voices.models import Channel

# Mastodon counts every link as 23 characters, whatever its length.
MASTODON_LINK_WEIGHT = 23


@dataclass(frozen=True)
class Outgoing:
    """A post as a channel receives it."""

    post_id: int
    text: str
    link: str = ""
    url: str = ""  # the post's own page on our site
    image_path: str | None = None
    image_type: str = ""
    image_alt: str = ""
    author_name: str = ""


@dataclass(frozen=True)
class Published:
    remote_id: str
    remote_url: str = ""


@dataclass(frozen=True)
class Engagement:
    replies: int = 0
    reposts: int = 0
    favourites: int = 0


class ConnectorError(Exception):
    """What the channel answered when it refused or failed, in its words."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.permanent = permanent


class RateLimited(ConnectorError):
    def __init__(self, message: str, *, retry_after: float = 300.0) -> None:
        super().__init__(message, retry_after=retry_after)


@dataclass(frozen=True)
class CredentialField:
    name: str
    label: Any
    help_text: Any = ""


class Connector(ABC):
    """Base class: subclasses set the class attributes and implement publish/engagement."""

    kind: ClassVar[str] = ""
    label: ClassVar[Any] = ""
    default_max_length: ClassVar[int] = 500
    link_weight: ClassVar[int | None] = None  # None: a link counts its own length
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    needs_server: ClassVar[bool] = False
    # Engagement can be read back from the channel's API.
    reads_engagement: ClassVar[bool] = False

    def __init__(self, channel: Channel, credentials: dict[str, Any]) -> None:
        self.channel = channel
        self.credentials = credentials

    @classmethod
    def compose(cls, text: str, link: str) -> str:
        """The text as sent: the link on its own line after the text."""
        text = text.strip()
        return f"{text}\n{link}" if link else text

    @classmethod
    def length(cls, text: str, link: str) -> int:
        """The length the channel counts (code points: never less than Bluesky's graphemes)."""
        text = text.strip()
        if not link:
            return len(text)
        weight = cls.link_weight if cls.link_weight is not None else len(link)
        return len(text) + 1 + weight

    @abstractmethod
    def publish(self, outgoing: Outgoing) -> Published:
        """Send the post to the channel and say where it now lives (its remote id and URL)."""

    def engagement(self, remote_id: str) -> Engagement | None:
        return None


_registry: dict[str, type[Connector]] = {}


def register_connector(connector: type[Connector]) -> None:
    _registry[connector.kind] = connector


def unregister_connector(kind: str) -> None:
    _registry.pop(kind, None)


def connector_class(kind: str) -> type[Connector] | None:
    return _registry.get(kind)


def available_kinds() -> list[str]:
    return list(_registry)


def connector_for(channel: Channel) -> Connector:
    from maillage.voices.crypto import CredentialsUnreadable, decrypt_credentials

    cls = connector_class(channel.kind)
    if cls is None:
        raise ConnectorError(
            str(_("No connector is installed for this kind of channel yet.")), permanent=True
        )
    try:
        credentials = decrypt_credentials(channel.credentials)
    except CredentialsUnreadable as error:
        raise ConnectorError(
            str(_("The stored credentials cannot be read: enter them again.")), permanent=True
        ) from error
    return cls(channel, credentials)


PublishHook = Callable[[Outgoing], Published]
