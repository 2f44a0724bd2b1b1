"""Exports read back by the import give the same bookmarks: the round trip, for each format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from maillage.veille.imports import exports
from maillage.veille.models import Bookmark
from tests.factories import BookmarkFactory, TagFactory, UserFactory
from tests.veille_imports.helpers import run

pytestmark = pytest.mark.django_db


def kept_by(owner) -> dict[str, tuple]:
    return {
        bookmark.url: (
            bookmark.title,
            bookmark.notes,
            sorted(tag.name for tag in bookmark.tags.all()),
            bookmark.created_at.replace(microsecond=0),
            bookmark.visibility,
            bookmark.to_read,
        )
        for bookmark in Bookmark.objects.filter(owner=owner).prefetch_related("tags")
    }


@pytest.fixture
def watch():
    owner = UserFactory()
    musees, libre = TagFactory(name="Musées"), TagFactory(name="licences libres")
    BookmarkFactory(
        owner=owner,
        url="https://musee.example.org/collections?id=3&lang=fr",
        title="Les collections <en ligne> & ouvertes",
        notes="Première ligne\n\nSeconde, avec un lien https://x.example/ et « guillemets ».",
        tags=[musees, libre],
        visibility="public",
        created_at=datetime(2014, 3, 26, 18, 30, 5, tzinfo=UTC),
        to_read=True,
    )
    BookmarkFactory(
        owner=owner,
        url="https://archives.example.org/",
        title="=SOMME(A1:A3) n’est pas une formule",
        notes="",
        visibility="private",
        created_at=datetime(2013, 10, 2, 9, 0, tzinfo=UTC),
    )
    BookmarkFactory(
        owner=owner,
        url="https://bib.example.org/page",
        title="",
        page_title="",
        notes="-- une note qui commence par des tirets",
        tags=[libre],
        visibility="members",
        created_at=datetime(2014, 1, 7, 12, 0, tzinfo=UTC),
    )
    return owner


@pytest.mark.parametrize(
    ("format_name", "extension"), [("html", "html"), ("csv", "csv"), ("json", "json")]
)
def test_round_trip(watch, write, format_name: str, extension: str) -> None:
    text = "".join(exports.export_chunks(watch, format_name))
    path = write(f"signets.{extension}", text)
    other = UserFactory()
    job = run(other, path, visibility="public")
    assert (job.status, job.imported, job.rejected) == ("done", 3, 0)
    assert kept_by(other) == kept_by(watch)


def test_the_csv_export_protects_cells_from_formulas(watch) -> None:
    text = "".join(exports.export_chunks(watch, "csv"))
    assert text.startswith("\ufeffurl,title,notes,tags,created,updated,visibility,to_read\r\n")
    assert "'=SOMME(A1:A3)" in text
    assert "'-- une note" in text


def test_the_html_export_is_a_netscape_file_browsers_read(watch) -> None:
    text = "".join(exports.export_chunks(watch, "html"))
    assert text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert (
        '<DT><A HREF="https://musee.example.org/collections?id=3&amp;lang=fr" ADD_DATE="1395858605"'
        in text
    )
    assert 'PRIVATE="1"' in text and 'TOREAD="1"' in text
    assert 'TAGS="licences libres,Musées"' in text or 'TAGS="Musées,licences libres"' in text
    assert "Les collections &lt;en ligne&gt; &amp; ouvertes</A>" in text


def test_an_export_of_many_bookmarks_comes_in_pieces(django_assert_max_num_queries) -> None:
    owner = UserFactory()
    tag = TagFactory(name="veille")
    bookmarks = BookmarkFactory.create_batch(30, owner=owner)
    for bookmark in bookmarks:
        bookmark.tags.add(tag)
    with django_assert_max_num_queries(3):
        chunks = list(exports.export_chunks(owner, "html"))
    assert "".join(chunks).count("<DT>") == 30
