"""Indexing several objects at once (bulk actions, imports): bookmarks are read as plain values,
and must make the very rows their model instances made; the SQLite index numbers a batch's
documents itself, as SQLite would have one by one; what follows an object (the comments of an
article) is still indexed with it."""

from __future__ import annotations

import pytest
from django.db import connection

from maillage.core import search
from maillage.core.search import indexing
from maillage.core.search.models import SearchDocument
from maillage.core.search.registry import has_dependents, registration_for
from maillage.veille.models import Bookmark
from maillage.veille.search import bookmark_values_for
from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.search.test_scale import index_contents, some_bookmarks

pytestmark = pytest.mark.django_db


def without_ids(contents: tuple[list[tuple], list[tuple]]) -> tuple[list[tuple], list[tuple]]:
    """index_contents() but the text's row ids (on SQLite they carry the documents' ids)."""
    documents, text = contents
    return documents, sorted(row[1:] for row in text)


def test_bookmarks_read_as_values_make_the_rows_their_instances_made() -> None:
    some_bookmarks()
    registration = registration_for(Bookmark)
    assert registration is not None and registration.values_for is not None
    bookmarks = list(registration.queryset())
    assert {b.visibility for b in bookmarks} >= {"private", "members", "public"}
    assert any(b.notes for b in bookmarks) and any(b.tags.all() for b in bookmarks)
    ids = [bookmark.pk for bookmark in bookmarks]
    postgres = connection.vendor == "postgresql"

    from_instances = [row for b in bookmarks for row in indexing._rows_for(registration, b)]
    pairs = list(bookmark_values_for(list(reversed(ids))))
    from_values = indexing._rows_of_values(registration, pairs, postgres)

    # Same objects in the same order (the queryset's), and the same rows, text analysed.
    assert [pk for pk, _values in pairs] == ids
    assert from_values == from_instances
    assert any(row.tags and row.facets for row in from_values)


def test_values_are_read_only_for_the_ids_asked() -> None:
    some_bookmarks()
    wanted = sorted(Bookmark.objects.values_list("pk", flat=True))[1:3]
    assert sorted(pk for pk, _values in bookmark_values_for(wanted)) == wanted
    assert list(bookmark_values_for([])) == []


def test_index_many_makes_the_index_that_indexing_one_by_one_made() -> None:
    some_bookmarks()
    ids = list(Bookmark.objects.values_list("pk", flat=True))
    for bookmark in Bookmark.objects.all():
        search.index(bookmark)
    one_by_one = index_contents()
    search.remove(Bookmark, ids)
    assert SearchDocument.objects.count() == 0

    search.index_many(Bookmark, ids)
    assert without_ids(index_contents()) == without_ids(one_by_one)
    yann = Bookmark.objects.get(visibility="private").owner
    assert search.search(viewer=yann, text="principal").total == 1
    assert search.search(viewer=None, text="principal").total == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite index's own numbering")
def test_sqlite_numbers_a_batch_after_every_id_ever_given() -> None:
    """As AUTOINCREMENT would: the ids of documents dropped are not given again, and each
    document's full-text row id carries its own id."""
    some_bookmarks()
    ids = sorted(Bookmark.objects.values_list("pk", flat=True))
    search.index_many(Bookmark, ids)
    first = set(SearchDocument.objects.values_list("id", flat=True))
    assert len(first) == len(ids)
    search.index_many(Bookmark, ids)  # drops the documents, then indexes them anew
    second = list(SearchDocument.objects.order_by("id").values_list("id", "fts_rowid"))
    assert min(pk for pk, _rowid in second) == max(first) + 1
    assert [pk for pk, _rowid in second] == list(range(max(first) + 1, max(first) + 1 + len(ids)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM core_search_fts ORDER BY rowid")
        assert [rowid for (rowid,) in cursor.fetchall()] == sorted(r for _pk, r in second)
    assert all(search.backends.serial_of(rowid) == pk for pk, rowid in second)

    # One document indexed on its own afterwards comes next.
    search.index(Bookmark.objects.get(pk=ids[0]))
    assert SearchDocument.objects.get(object_id=ids[0]).id == max(first) + 1 + len(ids)


def test_what_follows_an_object_is_indexed_with_it() -> None:
    assert not has_dependents(Bookmark)
    coordinator = UserFactory(role="coordinator", trust_level=4)
    article = ArticleFactory(title="Le fanzine", created_by=coordinator)
    comment = CommentFactory(target=article, body="Un zine photocopié")
    assert has_dependents(type(article))
    search.index(article)
    search.remove(type(comment), [comment.pk])
    assert search.search(viewer=None, text="photocopié").total == 0
    search.index_many(type(article), [article.pk])
    assert search.search(viewer=None, text="photocopié").total == 1


def test_bookmarks_without_a_values_path_still_index_from_instances() -> None:
    some_bookmarks()
    registration = registration_for(Bookmark)
    assert registration is not None
    ids = list(Bookmark.objects.values_list("pk", flat=True))
    search.index_many(Bookmark, ids)
    with_values = without_ids(index_contents())
    search.register(
        Bookmark,
        kind=registration.kind,
        documents=registration.documents,
        queryset=registration.queryset,
    )
    try:
        search.index_many(Bookmark, ids)
        assert without_ids(index_contents()) == with_values
    finally:
        search.register(
            Bookmark,
            kind=registration.kind,
            documents=registration.documents,
            queryset=registration.queryset,
            all_values=registration.all_values,
            document_from_values=registration.document_from_values,
            values_for=registration.values_for,
        )
