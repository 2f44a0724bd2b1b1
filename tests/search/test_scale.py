"""What keeps search fast on a big index, checked on a small one: the reindex reads bookmarks
as plain values (the same documents as one by one) and may analyse text in other processes
(the same index); counts stop at a limit and say "more than"; when a kind has more matches
than can be ranked at once, those with a searched word in their title come first; the row ids
of the SQLite index are re-packed by kind by a migration."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from maillage.core import search
from maillage.core.models import Tag
from maillage.core.search import backends, indexing
from maillage.core.search.models import SearchDocument
from maillage.veille.models import Bookmark
from maillage.veille.search import all_bookmark_values, bookmark_documents, document_from_values
from tests.factories import ArticleFactory, BookmarkFactory, UserFactory

pytestmark = pytest.mark.django_db


def some_bookmarks() -> None:
    camille = UserFactory(display_name="Camille Le Goff")
    yann = UserFactory(display_name="Yann Morvan")
    patrimoine, musees = Tag.objects.create(name="Patrimoine"), Tag.objects.create(name="Musées")
    BookmarkFactory(owner=camille, title="Les musées et Wikipédia", tags=[musees, patrimoine])
    BookmarkFactory(
        owner=yann,
        title="",
        page_title="Titre lu sur la page",
        notes="**Important** : voir [le guide](https://example.org/guide).\n\n- un\n- deux",
        page_description="Une description.",
        page_text="Le texte principal de la page, assez long.",
        page_language="en-GB",
        site_name="Exemple",
        visibility="private",
        tags=[patrimoine],
    )
    BookmarkFactory(owner=yann, title="", page_title="", visibility="public")
    BookmarkFactory(owner=camille, title="Sans étiquette", notes="Des notes simples.")


def test_the_bulk_reading_gives_the_documents_of_one_by_one() -> None:
    some_bookmarks()
    bulk = {pk: document_from_values(values) for pk, values in all_bookmark_values()}
    bookmarks = Bookmark.objects.select_related("owner").prefetch_related("tags")
    assert set(bulk) == {bookmark.pk for bookmark in bookmarks}
    for bookmark in bookmarks:
        assert bulk[bookmark.pk] == bookmark_documents(bookmark), bookmark


def index_contents() -> tuple[list[tuple], list[tuple]]:
    with connection.cursor() as cursor:
        columns = ", ".join(backends.COLUMNS)
        cursor.execute(f"SELECT {columns} FROM core_searchdocument ORDER BY model, object_id")  # noqa: S608
        documents = cursor.fetchall()
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, title, tags, body, facets FROM core_search_fts")
        else:
            cursor.execute("SELECT object_id, search_vector::text FROM core_searchdocument")
        text = sorted(cursor.fetchall())
    return documents, text


def test_a_rebuild_analysing_in_other_processes_makes_the_same_index() -> None:
    some_bookmarks()
    ArticleFactory(title="Les réseaux sociaux en bibliothèque")
    indexing.rebuild(workers=1)
    alone = index_contents()
    indexing.rebuild(workers=2)
    assert index_contents() == alone
    assert search.search(viewer=None, text="reseaux").total == 1


def test_big_rebuilds_use_every_processor() -> None:
    assert indexing.default_workers(10) == 1
    assert indexing.default_workers(indexing.PARALLEL_FROM) >= 1


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "COUNT_LIMIT", 3)
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 3)


def test_counts_stop_at_the_limit_and_say_more(small_limits: None, client) -> None:
    for number in range(5):
        BookmarkFactory(title=f"Gravure {number}", visibility="public")
    ArticleFactory(title="Gravure sur bois")
    search.rebuild()
    results = search.search(viewer=None, text="gravure", page_size=2)
    assert results.counts == {"bookmark": 3, "article": 1}
    assert results.more_than == {"bookmark"} and results.total_is_more
    assert results.total == 4 and results.page_count == 2
    assert results.kind_counts[1][2:] == (3, True)
    only_articles = search.search(viewer=None, text="gravure", kinds=("article",))
    assert only_articles.total == 1 and not only_articles.total_is_more
    html = client.get("/recherche/", {"q": "gravure"}).content.decode()
    assert "Plus de 4 résultats" in html or "More than 4 results" in html
    assert "(3+)" in html


def test_with_many_matches_title_matches_come_first(small_limits: None) -> None:
    now = timezone.now()
    older = BookmarkFactory(title="Xylographie", visibility="public")
    Bookmark.objects.filter(pk=older.pk).update(created_at=now - timedelta(days=3000))
    recent = []
    for number in range(5):
        bookmark = BookmarkFactory(
            title=f"Atelier {number}", notes="On y parle de xylographie.", visibility="public"
        )
        Bookmark.objects.filter(pk=bookmark.pk).update(created_at=now - timedelta(days=number))
        recent.append(bookmark)
    search.rebuild()

    def page(number: int) -> list[str]:
        found = search.search(viewer=None, text="xylographie", page=number, page_size=3)
        return [hit.url for hit in found.hits]

    # The old title match first, though older than the most recent matches; then the text
    # matches, best (here: most recent) first, across pages.
    expected = [f"/veille/signets/{b.pk}/" for b in [older, *recent]]
    assert page(1) + page(2) == expected


def test_the_migration_packs_row_ids_by_kind() -> None:
    migration = importlib.import_module("maillage.core.migrations.0004_search_rowids_by_kind")
    cases = [(19_000, "bookmark", "private", 123_456), (0, "event", "public", 1)]
    cases += [(65_535, "post", "anonymous", (1 << 34) - 1), (20_300, "member", "members", 7)]
    for day, kind, audience, serial in cases:
        codes = (backends.KIND_CODES[kind], backends.AUDIENCE_CODES[audience])
        old = (day << 40) | (codes[0] << 36) | (codes[1] << 34) | serial
        new = backends.pack_rowid(day=day, kind=kind, audience=audience, serial=serial)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + migration.TO_NEW.format(r=str(old)))
            assert cursor.fetchone()[0] == new
            cursor.execute("SELECT " + migration.TO_OLD.format(r=str(new)))
            assert cursor.fetchone()[0] == old
        assert backends.serial_of(new) == serial


def test_search_documents_count_once_per_object() -> None:
    some_bookmarks()
    search.rebuild()
    assert SearchDocument.objects.filter(model="veille.bookmark").count() == 4


def test_the_factory_makes_documents_that_are_found() -> None:
    from tests.factories import SearchDocumentFactory

    owner = UserFactory()
    found = SearchDocumentFactory(title="Sérigraphie en atelier")
    SearchDocumentFactory(title="Sérigraphie privée", audience="private", owner_id=owner.pk)
    assert str(found) and found.kind == "article"
    assert found.fts_rowid or connection.vendor == "postgresql"  # SQLite: its FTS5 row
    assert [hit.url for hit in search.search(viewer=None, text="serigraphie").hits] == [found.url]
    assert search.search(viewer=owner, text="serigraphie").total == 2
