"""What the search index holds of bookmarks (core.search): shared ones as their visibility
says, private ones for their owner only; with the text of the page once it has been read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import NoReverseMatch

from maillage.core import search
from maillage.veille.models import Bookmark


def bookmark_documents(bookmark: Bookmark) -> search.Document:
    try:
        url = search.fast_url("veille:bookmark", "pk", bookmark.pk)
    except NoReverseMatch:  # the watch's pages are not routed: the page itself
        url = bookmark.url
    return search.Document(
        title=bookmark.display_title,
        body="\n".join(
            part
            for part in (
                search.plain_text(bookmark.notes),
                bookmark.page_description,
                bookmark.page_text,
            )
            if part
        ),
        tags=[tag.name for tag in bookmark.tags.all()],
        language=(bookmark.page_language or "fr")[:20],
        audience=bookmark.visibility,
        owner_id=bookmark.owner_id,
        members=[bookmark.owner_id],
        date=bookmark.created_at,
        url=url,
        subject=bookmark.site_name,
        byline=bookmark.owner.display_name,
    )


def indexed_bookmarks() -> QuerySet[Bookmark]:
    return Bookmark.objects.select_related("owner").prefetch_related("tags")


search.register(
    Bookmark, kind=search.Kind.BOOKMARK, documents=bookmark_documents, queryset=indexed_bookmarks
)
