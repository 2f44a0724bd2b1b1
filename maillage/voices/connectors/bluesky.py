"""Bluesky through the atproto SDK: createSession with an app password, then createRecord (with
uploadBlob for the image and its alt text), and likes, reposts and replies read with getPosts.

The session is kept between calls, beside the app password in the channel's encrypted
credentials: a PDS limits how many sessions an account may open, and a worker posting every few
minutes would reach that limit. An expired access token is refreshed (the SDK does it from the
token's own expiry; the PDS saying "ExpiredToken" does it too), and only when refreshing fails is
a new session created with the app password.

The SDK speaks httpx: its client is given core.fetch's guarded transport, so the PDS's address
(and any redirect) is checked like every other outgoing request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

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
# Where the session lives in the channel's credentials (beside "app_password").
SESSION = "session"
# What a PDS answers when the access token is no longer good; refresh, then retry once.
STALE_TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})

T = TypeVar("T")


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

    def _server(self) -> str:
        return (self.channel.base_url or DEFAULT_PDS).rstrip("/")

    def _client(self) -> Any:
        """A client on the kept session when there is one for this account and server, else
        logged in with the app password."""
        from atproto import Client
        from atproto_client.request import Request

        base_url = self._server()
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
        client.on_session_change(lambda _event, _session: self._keep_session(client))
        kept = self._kept_session()
        with translated_errors():
            if kept:
                # No request: the SDK refreshes before the first call if the token has expired.
                client.login(session_string=kept, fetch_bsky_profile=False)
            else:
                self._log_in(client)
        return client

    def _log_in(self, client: Any) -> None:
        client.login(
            self.channel.account, self.credentials.get("app_password", ""), fetch_bsky_profile=False
        )

    def _kept_session(self) -> str:
        kept = self.credentials.get(SESSION)
        if not isinstance(kept, dict):
            return ""
        # A session opened for another account or server (the channel was changed) is not ours.
        if kept.get("account") != self.channel.account or kept.get("server") != self._server():
            return ""
        return str(kept.get("string") or "")

    def _keep_session(self, client: Any) -> None:
        """Store the session the SDK just created, refreshed or imported (encrypted)."""
        from django.db import transaction

        from maillage.core.db import lock_for_update
        from maillage.voices.crypto import (
            CredentialsUnreadable,
            decrypt_credentials,
            encrypt_credentials,
        )
        from maillage.voices.models import Channel

        if client._session is None:
            return
        kept = {
            "string": client.export_session_string(),
            "account": self.channel.account,
            "server": self._server(),
        }
        if self.credentials.get(SESSION) == kept:
            return
        self.credentials = {**self.credentials, SESSION: kept}
        if self.channel.pk is None:
            return
        with transaction.atomic():
            row = lock_for_update(Channel.objects.filter(pk=self.channel.pk)).first()
            if row is None:
                return
            try:
                stored = decrypt_credentials(row.credentials)
            except CredentialsUnreadable:
                return
            if stored.get("app_password") != self.credentials.get("app_password"):
                return  # the password was changed meanwhile: this session is not to be kept
            row.credentials = encrypt_credentials({**stored, SESSION: kept})
            Channel.objects.filter(pk=row.pk).update(credentials=row.credentials)
        self.channel.credentials = row.credentials

    def _call(self, action: Callable[[Any], T]) -> T:
        """`action(client)`, once more after a refresh (or a new session) when the PDS says the
        access token has expired."""
        from atproto_client import exceptions

        client = self._client()
        with translated_errors():
            try:
                return action(client)
            except (exceptions.BadRequestError, exceptions.UnauthorizedError) as error:
                if _error_name(error) not in STALE_TOKEN_ERRORS:
                    raise
            try:
                client._refresh_and_set_session()
            except exceptions.AtProtocolError:
                self._log_in(client)
            return action(client)

    def publish(self, outgoing: Outgoing) -> Published:
        from atproto import client_utils

        builder = client_utils.TextBuilder().text(outgoing.text.strip())
        if outgoing.link:
            builder.text("\n").link(outgoing.link, outgoing.link)

        def send(client: Any) -> Any:
            # The repository is the logged-in account (the profile lookup, which would set
            # client.me, is skipped: not every PDS serves it).
            repo = client._session.did if client._session else None
            if outgoing.image_path:
                return client.send_image(
                    text=builder,
                    image=Path(outgoing.image_path).read_bytes(),
                    image_alt=outgoing.image_alt,
                    langs=["fr"],
                    profile_identify=repo,
                )
            return client.send_post(builder, langs=["fr"], profile_identify=repo)

        uri = str(self._call(send).uri)
        return Published(remote_id=uri, remote_url=web_address(uri, self.channel.account))

    def engagement(self, remote_id: str) -> Engagement | None:
        response = self._call(lambda client: client.get_posts([remote_id]))
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


def _error_name(error: Exception) -> str:
    content = getattr(getattr(error, "response", None), "content", None)
    return str(getattr(content, "error", "") or "")


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
