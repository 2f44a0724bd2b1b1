"""What the search index holds of bookmarks (core.search): shared ones as their visibility
says, private ones for their owner only; with the text of the page once it has been read.

A full reindex reads bookmarks as plain values (`all_bookmark_values`), not as model
instances, and so does re-indexing some of them (`bookmark_values_for`: bulk actions, imports):
the same `document_from_values` builds what is indexed either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch

from maillage.core import search
from maillage.veille.models import Bookmark

# What a document needs, in the order `document_from_values` takes them (then the tags).
FIELDS = (
    "pk",
    "title",
    "page_title",
    "normalised_url",
    "url",
    "notes",
    "page_description",
    "page_text",
    "page_language",
    "visibility",
    "owner_id",
    "created_at",
    "site_name",
    "owner__display_name",
)
BATCH = 2_000


def _url(pk: int, url: str) -> str:
    try:
        return search.fast_url("veille:bookmark", "pk", pk)
    except NoReverseMatch:  # the watch's pages are not routed: the page itself
        return url


def document_from_values(values: tuple[Any, ...]) -> search.Document:
    """The document of a bookmark from its FIELDS' values followed by its tag names."""
    (
        pk,
        title,
        page_title,
        normalised_url,
        url,
        notes,
        page_description,
        page_text,
        page_language,
        visibility,
        owner_id,
        created_at,
        site_name,
        owner_name,
        tags,
    ) = values
    return search.Document(
        title=title or page_title or normalised_url,  # Bookmark.display_title
        body="\n".join(
            part for part in (search.plain_text(notes), page_description, page_text) if part
        ),
        tags=list(tags),
        language=(page_language or "fr")[:20],
        audience=visibility,
        owner_id=owner_id,
        members=[owner_id],
        date=created_at,
        url=_url(pk, url),
        subject=site_name,
        byline=owner_name,
    )


def bookmark_documents(bookmark: Bookmark) -> search.Document:
    values = (
        bookmark.pk,
        bookmark.title,
        bookmark.page_title,
        bookmark.normalised_url,
        bookmark.url,
        bookmark.notes,
        bookmark.page_description,
        bookmark.page_text,
        bookmark.page_language,
        bookmark.visibility,
        bookmark.owner_id,
        bookmark.created_at,
        bookmark.site_name,
        bookmark.owner.display_name,
        [tag.name for tag in bookmark.tags.all()],
    )
    return document_from_values(values)


def _with_tags(
    batch: list[tuple[Any, ...]], links: QuerySet[Any]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of `batch` followed by their tag names, read from `links` (tag links holding
    at least the batch's), in the order of the tags' slugs (Tag's ordering, as `tags.all()`)."""
    tags: defaultdict[int, list[str]] = defaultdict(list)
    found = links.order_by("bookmark_id", "tag__slug").values_list("bookmark_id", "tag__name")
    for bookmark_id, name in found:
        tags[bookmark_id].append(name)
    for row in batch:
        yield row[0], (*row, tags.get(row[0], []))


def all_bookmark_values() -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Every bookmark as plain values, read in batches (tags: one query per batch)."""
    rows = Bookmark.objects.order_by("pk").values_list(*FIELDS).iterator(chunk_size=BATCH)
    tagged = Bookmark.tags.through.objects
    while batch := list(islice(rows, BATCH)):
        yield from _with_tags(
            batch, tagged.filter(bookmark_id__gte=batch[0][0], bookmark_id__lte=batch[-1][0])
        )


def bookmark_values_for(ids: Sequence[int]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The same values for the bookmarks among `ids`, in the order `indexed_bookmarks()` reads
    them (Bookmark's ordering: the index numbers their documents in that order)."""
    rows = Bookmark.objects.filter(pk__in=ids).values_list(*FIELDS).iterator(chunk_size=BATCH)
    tagged = Bookmark.tags.through.objects
    while batch := list(islice(rows, BATCH)):
        yield from _with_tags(batch, tagged.filter(bookmark_id__in=[row[0] for row in batch]))


def indexed_bookmarks() -> QuerySet[Bookmark]:
    return Bookmark.objects.select_related("owner").prefetch_related("tags")


search.register(
    Bookmark,
    kind=search.Kind.BOOKMARK,
    documents=bookmark_documents,
    queryset=indexed_bookmarks,
    all_values=all_bookmark_values,
    document_from_values=document_from_values,
    values_for=bookmark_values_for,
)
