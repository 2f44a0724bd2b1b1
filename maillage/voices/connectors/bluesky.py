"""Bluesky through the atproto SDK: createSession with an app password, then createRecord (with
uploadBlob for the image and its alt text), and likes, reposts and replies read with getPosts.

The SDK speaks httpx: its client is given core.fetch's guarded transport, so the PDS's address
(and any redirect) is checked like every other outgoing request.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Literal

import httpx
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.core.fetch import GuardedTransport
from maillage.voices.connectors.base import (
    Connector,
    ConnectorError,
    CredentialField,
    Engagement,
    Outgoing,
    Published,
    RateLimited,
)
from maillage.voices.connectors.guard import check_address

DEFAULT_PDS = "https://bsky.social"


class BlueskyConnector(Connector):
    kind = "bluesky"
    label = _("Bluesky")
    default_max_length = 300
    needs_server = True
    reads_engagement = True
    credential_fields = (
        CredentialField(
            "app_password",
            _("App password"),
            _("From Settings → Privacy and security → App passwords (never the main password)."),
        ),
    )

    def _client(self) -> Any:
        from atproto import Client
        from atproto_client.request import Request

        base_url = (self.channel.base_url or DEFAULT_PDS).rstrip("/")
        check_address(base_url)
        password = self.credentials.get("app_password", "")
        if not password or not self.channel.account:
            raise ConnectorError(gettext("The account or app password is missing."), permanent=True)
        request = Request(
            transport=GuardedTransport(),
            timeout=httpx.Timeout(
                settings.FETCH_READ_TIMEOUT, connect=settings.FETCH_CONNECT_TIMEOUT
            ),
            headers={"User-Agent": settings.FETCH_USER_AGENT},
            trust_env=False,
        )
        client = Client(base_url=base_url, request=request)
        with translated_errors():
            client.login(self.channel.account, password, fetch_bsky_profile=False)
        return client

    def publish(self, outgoing: Outgoing) -> Published:
        from atproto import client_utils

        client = self._client()
        # The repository is the logged-in account (the profile lookup, which would set
        # client.me, is skipped: not every PDS serves it).
        repo = client._session.did if client._session else None
        builder = client_utils.TextBuilder().text(outgoing.text.strip())
        if outgoing.link:
            builder.text("\n").link(outgoing.link, outgoing.link)
        with translated_errors():
            if outgoing.image_path:
                response = client.send_image(
                    text=builder,
                    image=Path(outgoing.image_path).read_bytes(),
                    image_alt=outgoing.image_alt,
                    langs=["fr"],
                    profile_identify=repo,
                )
            else:
                response = client.send_post(builder, langs=["fr"], profile_identify=repo)
        uri = str(response.uri)
        return Published(remote_id=uri, remote_url=web_address(uri, self.channel.account))

    def engagement(self, remote_id: str) -> Engagement | None:
        client = self._client()
        with translated_errors():
            response = client.get_posts([remote_id])
        if not response.posts:
            return None
        post = response.posts[0]
        return Engagement(
            replies=int(post.reply_count or 0),
            reposts=int(post.repost_count or 0) + int(getattr(post, "quote_count", 0) or 0),
            favourites=int(post.like_count or 0),
        )


def web_address(uri: str, handle: str) -> str:
    """at://did/app.bsky.feed.post/rkey → the post's page on bsky.app."""
    rkey = uri.rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{handle}/post/{rkey}" if handle and rkey else ""


class translated_errors:
    """The SDK's exceptions as ConnectorError, with the XRPC error and message."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> Literal[False]:
        if error is None:
            return False
        from atproto_client import exceptions

        if isinstance(error, exceptions.RateLimitExceededError):
            raise RateLimited(
                gettext("Bluesky: too many requests, trying again later."),
                retry_after=_retry_after(error),
            ) from error
        if isinstance(error, exceptions.UnauthorizedError):
            raise ConnectorError(
                gettext("Bluesky refused the login: %(error)s") % {"error": _message(error)},
                permanent=True,
            ) from error
        if isinstance(error, exceptions.BadRequestError):
            raise ConnectorError(
                gettext("Bluesky refused the post: %(error)s") % {"error": _message(error)},
                permanent=True,
            ) from error
        if isinstance(error, exceptions.NetworkError | exceptions.InvokeTimeoutError):
            raise ConnectorError(
                gettext("Bluesky could not be reached: %(error)s") % {"error": _message(error)}
            ) from error
        if isinstance(error, exceptions.AtProtocolError):
            raise ConnectorError(
                gettext("Bluesky answered with an error: %(error)s") % {"error": _message(error)}
            ) from error
        return False


def _message(error: Exception) -> str:
    response = getattr(error, "response", None)
    content = getattr(response, "content", None)
    name = getattr(content, "error", None)
    message = getattr(content, "message", None)
    status = getattr(response, "status_code", None)
    parts = [part for part in (name, message) if part]
    text = ": ".join(str(part) for part in parts) or error.__class__.__name__
    return f"{text} ({status})" if status else text


def _retry_after(error: Exception) -> float:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    reset = headers.get("ratelimit-reset")
    if reset and str(reset).isdigit():
        return max(1.0, float(reset) - time.time())
    after = headers.get("retry-after")
    if after and str(after).isdigit():
        return max(1.0, float(after))
    return 300.0
