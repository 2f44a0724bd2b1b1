"""Our own pages: the institution's and the voice's public pages and their RSS/Atom feeds.

Publishing here is marking the post as published; the pages and feeds read it from there.
Engagement on our pages is the members' reactions, counted from the database.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from maillage.voices.connectors.base import Connector, Outgoing, Published


class SiteConnector(Connector):
    kind = "site"
    label = _("our pages and their RSS/Atom feeds")
    default_max_length = 5000

    def publish(self, outgoing: Outgoing) -> Published:
        return Published(remote_id=str(outgoing.post_id), remote_url=outgoing.url)
