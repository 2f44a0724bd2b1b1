"""The demo's search index: built once every app has loaded its demo data (whatever path each
took to create it), so that the search box finds the demo network at once."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maillage.core.demo import register_demo_loader
from maillage.core.search.indexing import rebuild


def index_demo_data() -> str:
    count = rebuild()
    return _("%(count)s documents in the search index") % {"count": count}


register_demo_loader("search", index_demo_data, order=10_000)
