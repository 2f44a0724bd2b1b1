"""Channels' connectors behind one interface (see base.py)."""

from maillage.voices.connectors.base import (
    Connector,
    ConnectorError,
    Engagement,
    Outgoing,
    Published,
    RateLimited,
    available_kinds,
    connector_class,
    connector_for,
    register_connector,
    unregister_connector,
)


def register_builtin_connectors() -> None:
    """Our pages, Mastodon and Bluesky. The newsletter connector comes with the mailing list
    app (maillage.mailing), which registers a `Connector` of kind "newsletter" when it exists;
    until then that kind is not offered."""
    from maillage.voices.connectors.bluesky import BlueskyConnector
    from maillage.voices.connectors.mastodon import MastodonConnector
    from maillage.voices.connectors.site import SiteConnector

    for connector in (SiteConnector, MastodonConnector, BlueskyConnector):
        register_connector(connector)


__all__ = [
    "Connector",
    "ConnectorError",
    "Engagement",
    "Outgoing",
    "Published",
    "RateLimited",
    "available_kinds",
    "connector_class",
    "connector_for",
    "register_builtin_connectors",
    "register_connector",
    "unregister_connector",
]
