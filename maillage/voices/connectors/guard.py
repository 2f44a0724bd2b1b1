"""Checking a channel's server address with core.fetch's guard before a client library calls it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext

from maillage.core.fetch import BlockedAddress, FetchError, resolve_checked
from maillage.voices.connectors.base import ConnectorError


def check_address(base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectorError(
            gettext("“%(url)s” is not a server address.") % {"url": base_url}, permanent=True
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        resolve_checked(parts.hostname, port)
    except FetchError as error:
        raise ConnectorError(str(error), permanent=isinstance(error, BlockedAddress)) from error
