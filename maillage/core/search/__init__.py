"""Search that understands French, on SQLite (FTS5) and PostgreSQL (tsvector).

Each content app registers what to index in its own `search.py` (found at start-up):

    search.register(Bookmark, kind=Kind.BOOKMARK, documents=bookmark_documents)

and its services call `search.index(instance)` in the transaction that changed it (or
`search.index_later(instance)` for a task right after the commit), `search.remove(Model, ids)`
when it deletes. `maillage search reindex` rebuilds everything. Pages ask `search.search(...)`.
"""

from maillage.core.search.engine import Hit, SearchResults, search
from maillage.core.search.indexing import index, index_later, index_many, rebuild, remove
from maillage.core.search.registry import (
    Audience,
    Document,
    Kind,
    documents_for,
    fast_url,
    plain_text,
    register,
    register_dependents,
    unregister,
)

__all__ = [
    "Audience",
    "Document",
    "Hit",
    "Kind",
    "SearchResults",
    "documents_for",
    "fast_url",
    "index",
    "index_later",
    "index_many",
    "plain_text",
    "rebuild",
    "register",
    "register_dependents",
    "remove",
    "search",
    "unregister",
]
