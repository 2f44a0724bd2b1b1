"""Mastodon through Mastodon.py: a status with its image (alt text as the media description),
and its replies, boosts and favourites read back from the status.

Mastodon.py speaks through `requests`, not core.fetch: the instance's address is checked by
core.fetch's guard (no private or loopback address unless the setting allows it) before each
call, and redirects are not followed to elsewhere by the API calls we make.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.voices.connectors.base import (
    MASTODON_LINK_WEIGHT,
    Connector,
    ConnectorError,
    CredentialField,
    Engagement,
    Outgoing,
    Published,
    RateLimited,
)
from maillage.voices.connectors.guard import check_address

# The version we speak to: Mastodon.py then needs not ask the instance for it first.
API_VERSION = "4.2.0"


class MastodonConnector(Connector):
    kind = "mastodon"
    label = _("Mastodon")
    default_max_length = 500
    link_weight = MASTODON_LINK_WEIGHT
    needs_server = True
    reads_engagement = True
    credential_fields = (
        CredentialField(
            "access_token",
            _("Access token"),
            _(
                "From Preferences → Development → New application (scope write:statuses, "
                "write:media, read:statuses)."
            ),
        ),
    )

    def _client(self) -> Any:
        from mastodon import Mastodon

        base_url = self.channel.base_url.rstrip("/")
        check_address(base_url)
        token = self.credentials.get("access_token", "")
        if not token:
            raise ConnectorError(gettext("The access token is missing."), permanent=True)
        return Mastodon(
            access_token=token,
            api_base_url=base_url,
            ratelimit_method="throw",
            request_timeout=settings.FETCH_READ_TIMEOUT,
            mastodon_version=API_VERSION,
            version_check_mode="none",
            user_agent=settings.FETCH_USER_AGENT,
        )

    def publish(self, outgoing: Outgoing) -> Published:
        client = self._client()
        with translated_errors():
            media_ids = []
            if outgoing.image_path:
                media = client.media_post(
                    outgoing.image_path,
                    mime_type=outgoing.image_type or None,
                    description=outgoing.image_alt,
                )
                media_ids.append(media["id"])
            status = client.status_post(
                self.compose(outgoing.text, outgoing.link),
                media_ids=media_ids or None,
                visibility="public",
                language="fr",
                idempotency_key=f"maillage-post-{outgoing.post_id}",
            )
        return Published(remote_id=str(status["id"]), remote_url=str(status.get("url") or ""))

    def engagement(self, remote_id: str) -> Engagement:
        client = self._client()
        with translated_errors():
            status = client.status(remote_id)
        return Engagement(
            replies=int(status.get("replies_count") or 0),
            reposts=int(status.get("reblogs_count") or 0),
            favourites=int(status.get("favourites_count") or 0),
        )


class translated_errors:
    """Mastodon.py's exceptions as ConnectorError, keeping the instance's own message."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> Literal[False]:
        if error is None:
            return False
        from mastodon import (
            MastodonAPIError,
            MastodonError,
            MastodonNetworkError,
            MastodonRatelimitError,
            MastodonServerError,
            MastodonUnauthorizedError,
        )

        if isinstance(error, MastodonRatelimitError):
            raise RateLimited(
                gettext("Mastodon: too many requests, trying again later.")
            ) from error
        if isinstance(error, MastodonUnauthorizedError):
            raise ConnectorError(
                gettext("Mastodon refused the access token: %(error)s")
                % {"error": _api_message(error)},
                permanent=True,
            ) from error
        if isinstance(error, MastodonServerError | MastodonNetworkError):
            raise ConnectorError(
                gettext("Mastodon could not be reached: %(error)s") % {"error": _api_message(error)}
            ) from error
        if isinstance(error, MastodonAPIError):
            raise ConnectorError(
                gettext("Mastodon refused the post: %(error)s") % {"error": _api_message(error)},
                permanent=True,
            ) from error
        if isinstance(error, MastodonError):
            raise ConnectorError(str(error)) from error
        return False


def _api_message(error: Exception) -> str:
    """Mastodon.py's API errors carry (text, status, reason, message): the message, else all."""
    args = [str(arg) for arg in getattr(error, "args", ()) if arg]
    if len(args) >= 4:
        return f"{args[3]} ({args[1]})"
    return " ".join(args) or error.__class__.__name__


def instance_host(base_url: str) -> str:
    return urlsplit(base_url).hostname or ""
