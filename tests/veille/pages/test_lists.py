"""The watch's list pages: who sees what, filters combined, sort, pagination, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import Tag
from maillage.veille.models import Bookmark
from maillage.veille.selectors import BOOKMARK_PAGE_SIZE
from tests.factories import BookmarkFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

SHARED = reverse("veille:shared")
MINE = reverse("veille:mine")
TO_READ = reverse("veille:to_read")


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return [bookmark.display_title for bookmark in response.context["bookmarks"]]


def days_ago(days: int):  # type: ignore[no-untyped-def]
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def tags(db):  # type: ignore[no-untyped-def]
    names = ["Réseaux sociaux", "Bibliothèques", "Musées", "Creative Commons"]
    return {tag.slug: tag for tag in (Tag.objects.create(name=name) for name in names)}


@pytest.fixture
def watch(camille, yann, tags):  # type: ignore[no-untyped-def]
    """Camille's and Yann's bookmarks, one of each visibility each."""
    social, libraries = tags["reseaux-sociaux"], tags["bibliotheques"]
    return {
        "camille_public": BookmarkFactory(
            owner=camille,
            title="Public de Camille",
            visibility="public",
            tags=[social, libraries],
            created_at=days_ago(1),
        ),
        "camille_members": BookmarkFactory(
            owner=camille,
            title="Réservé de Camille",
            visibility="members",
            tags=[social],
            created_at=days_ago(2),
        ),
        "camille_private": BookmarkFactory(
            owner=camille,
            title="Secret de Camille",
            visibility="private",
            tags=[social, tags["musees"]],
            to_read=True,
            created_at=days_ago(3),
        ),
        "yann_public": BookmarkFactory(
            owner=yann,
            title="Public de Yann",
            visibility="public",
            tags=[libraries],
            created_at=days_ago(4),
        ),
        "yann_private": BookmarkFactory(
            owner=yann,
            title="Secret de Yann",
            visibility="private",
            to_read=True,
            created_at=days_ago(5),
        ),
    }


# --- Each page -----------------------------------------------------------------------------------


def test_shared_watch_for_the_public_shows_public_bookmarks_only(client, watch):
    response = client.get(SHARED)
    assert titles(response) == ["Public de Camille", "Public de Yann"]
    page = html(response)
    assert "<title>Shared watch · " in page
    assert page.count("<h1") == 1
    assert "Réservé" not in page and "Secret" not in page
    # No bulk edit for visitors, no link to add.
    assert 'name="ids"' not in page
    assert reverse("veille:add") not in page


def test_shared_watch_for_a_member_leaves_private_bookmarks_out_even_their_own(client, watch, yann):
    client.force_login(yann)
    response = client.get(SHARED)
    assert titles(response) == ["Public de Camille", "Réservé de Camille", "Public de Yann"]
    assert "Secret" not in html(response)


def test_my_bookmarks_needs_logging_in_and_shows_all_mine(client, watch, camille):
    response = client.get(MINE)
    assert response.status_code == 302
    assert reverse("members:login") in response["Location"]
    client.force_login(camille)
    response = client.get(MINE)
    assert titles(response) == ["Public de Camille", "Réservé de Camille", "Secret de Camille"]
    page = html(response)
    assert "<title>My bookmarks · " in page
    # Every one of them can be ticked for bulk edit.
    assert page.count('name="ids"') == 3


def test_to_read_is_the_viewers_own_reading_list(client, watch, camille):
    assert client.get(TO_READ).status_code == 302
    client.force_login(camille)
    response = client.get(TO_READ)
    assert titles(response) == ["Secret de Camille"]
    assert "Secret de Yann" not in html(response)
    assert "<title>To read · " in html(response)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (None, ["Public de Camille"]),
        ("yann", ["Public de Camille", "Réservé de Camille"]),
        ("camille", ["Public de Camille", "Réservé de Camille", "Secret de Camille"]),
    ],
)
def test_member_page_shows_what_the_viewer_may_see(client, watch, camille, yann, viewer, expected):
    if viewer:
        client.force_login({"camille": camille, "yann": yann}[viewer])
    response = client.get(reverse("veille:member", args=[camille.pk]))
    assert titles(response) == expected
    assert "<title>Bookmarks of Camille Martin · " in html(response)


def test_member_page_of_an_inactive_or_unknown_member_is_404(client):
    gone = UserFactory(is_active=False)
    assert client.get(reverse("veille:member", args=[gone.pk])).status_code == 404
    assert client.get(reverse("veille:member", args=[gone.pk + 1000])).status_code == 404


def test_tag_page_with_related_tags_counted_on_visible_bookmarks(client, watch, yann, tags):
    url = reverse("veille:tag", args=["reseaux-sociaux"])
    response = client.get(url)
    assert titles(response) == ["Public de Camille"]
    assert [(r.tag.name, r.count) for r in response.context["related_tags"]] == [
        ("Bibliothèques", 1)
    ]
    client.force_login(yann)
    response = client.get(url)
    assert titles(response) == ["Public de Camille", "Réservé de Camille"]
    # "Musées" sits only on Camille's private bookmark: Yann never hears of it.
    assert [(r.tag.name, r.count) for r in response.context["related_tags"]] == [
        ("Bibliothèques", 1)
    ]
    page = html(response)
    assert "<title>Tag: Réseaux sociaux · " in page
    assert "Musées" not in page
    # A related tag narrows the page to the bookmarks with both.
    assert 'href="?tags=bibliotheques"' in page
    narrowed = client.get(url, {"tags": "bibliotheques"})
    assert titles(narrowed) == ["Public de Camille"]
    assert "<title>Tag: Réseaux sociaux – filtered · " in html(narrowed)


def test_tag_page_counts_related_tags_for_their_owner(client, watch, camille):
    client.force_login(camille)
    response = client.get(reverse("veille:tag", args=["reseaux-sociaux"]))
    assert len(titles(response)) == 3
    related = {r.tag.name: r.count for r in response.context["related_tags"]}
    assert related == {"Bibliothèques": 1, "Musées": 1}


def test_unknown_tag_is_404(client):
    assert client.get(reverse("veille:tag", args=["inconnu"])).status_code == 404


def test_cards_show_domain_owner_date_tags_notes_and_markers(client, camille, tags):
    BookmarkFactory(
        owner=camille,
        url="https://www.bib.example.fr/agenda?utm_source=x",
        title="Agenda de la bibliothèque",
        notes="**Utile** pour <script>alert(1)</script> l’atelier",
        visibility="public",
        tags=[tags["bibliotheques"]],
        to_read=True,
        created_at=timezone.make_aware(timezone.datetime(2014, 3, 26, 10, 0)),
    )
    page = html(client.get(SHARED))
    assert "bib.example.fr" in page
    assert "Camille Martin" in page
    assert "26 March 2014" in page
    assert "<strong>Utile</strong>" in page
    assert "<script>alert" not in page
    assert reverse("veille:tag", args=["bibliotheques"]) in page
    assert "To read" in page
    assert "Public" in page
    # No icon stored: no icon shown (and never one from a third-party service).
    assert 'class="favicon"' not in page


# --- Filters, sort, pagination -------------------------------------------------------------------


def test_filters_combine(client, camille, yann, tags):
    social, libraries, museums = tags["reseaux-sociaux"], tags["bibliotheques"], tags["musees"]
    client.force_login(yann)
    BookmarkFactory(owner=camille, title="Les deux, Camille, récent", tags=[social, libraries])
    BookmarkFactory(
        owner=camille,
        title="Les deux, Camille, ancien",
        tags=[social, libraries],
        created_at=timezone.now() - timedelta(days=400),
    )
    BookmarkFactory(owner=yann, title="Les deux, Yann", tags=[social, libraries])
    BookmarkFactory(owner=camille, title="Un seul", tags=[social])
    BookmarkFactory(
        owner=camille,
        title="Autre sujet",
        tags=[museums],
        notes="Un musée qui tweete",
        url="https://musee.example.org/facebook",
    )

    both = {"tags": "Réseaux sociaux, bibliothèques"}
    assert sorted(titles(client.get(SHARED, both))) == [
        "Les deux, Camille, ancien",
        "Les deux, Camille, récent",
        "Les deux, Yann",
    ]
    assert titles(client.get(SHARED, {**both, "owner": camille.pk})) == [
        "Les deux, Camille, récent",
        "Les deux, Camille, ancien",
    ]
    recent = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert titles(client.get(SHARED, {**both, "owner": camille.pk, "since": recent})) == [
        "Les deux, Camille, récent"
    ]
    old = (timezone.localdate() - timedelta(days=300)).isoformat()
    assert titles(client.get(SHARED, {**both, "until": old})) == ["Les deux, Camille, ancien"]
    # Text in the title, the notes or the address.
    assert titles(client.get(SHARED, {"q": "tweete"})) == ["Autre sujet"]
    assert titles(client.get(SHARED, {"q": "FACEBOOK"})) == ["Autre sujet"]
    assert titles(client.get(SHARED, {"q": "un seul", "tags": "réseaux sociaux"})) == ["Un seul"]
    # On a tag page, the filters narrow that tag's bookmarks.
    tag_page = reverse("veille:tag", args=["reseaux-sociaux"])
    response = client.get(tag_page, {"tags": "bibliothèques", "owner": yann.pk})
    assert titles(response) == ["Les deux, Yann"]
    assert response.context["related_tags"] == []
    # Values that make no sense are left out rather than refused.
    assert len(titles(client.get(SHARED, {"owner": "x", "since": "hier", "sort": "?"}))) == 5


def test_filters_are_shown_in_the_title_and_can_be_cleared(client, camille, tags):
    BookmarkFactory(owner=camille, visibility="public", tags=[tags["musees"]])
    page = html(client.get(SHARED, {"tags": "musées"}))
    assert "<title>Shared watch – filtered · " in page
    assert "Clear the filters" in page
    assert 'value="musées"' in page


def test_sort_by_date_or_title(client, camille):
    client.force_login(camille)
    BookmarkFactory(owner=camille, title="banane", created_at=days_ago(3))
    BookmarkFactory(owner=camille, title="Abricot", created_at=days_ago(1))
    BookmarkFactory(owner=camille, title="", page_title="cerise", created_at=days_ago(2))
    assert titles(client.get(MINE)) == ["Abricot", "cerise", "banane"]
    assert titles(client.get(MINE, {"sort": "oldest"})) == ["banane", "cerise", "Abricot"]
    assert titles(client.get(MINE, {"sort": "title"})) == ["Abricot", "banane", "cerise"]


def test_pagination_keeps_the_filters(client, camille, tags):
    for index in range(BOOKMARK_PAGE_SIZE + 3):
        BookmarkFactory(
            owner=camille,
            title=f"Signet {index:02d}",
            visibility="public",
            tags=[tags["musees"]],
            created_at=days_ago(index + 1),
        )
    BookmarkFactory(owner=camille, title="Sans mot-clé", visibility="public")
    first = client.get(SHARED, {"tags": "musees"})
    assert len(titles(first)) == BOOKMARK_PAGE_SIZE
    assert 'rel="next"' in html(first)
    assert "tags=musees" in html(first).split('rel="next"')[0].rsplit("href=", 1)[1]
    second = client.get(SHARED, {"tags": "musees", "page": 2})
    assert titles(second) == ["Signet 20", "Signet 21", "Signet 22"]
    assert "page 2" in html(second)


def test_htmx_filter_request_gets_only_the_list(client, camille):
    BookmarkFactory(owner=camille, title="Un signet", visibility="public")
    response = client.get(SHARED, {"q": "signet"}, headers={"HX-Request": "true"})
    page = html(response)
    assert "<html" not in page
    assert "Un signet" in page
    assert "HX-Request" in response["Vary"]


# --- Visibility matrix ---------------------------------------------------------------------------


def _pages_showing(camille, tags) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        SHARED,
        f"{SHARED}?q=Secret",
        f"{SHARED}?tags=musees",
        f"{SHARED}?owner={camille.pk}",
        reverse("veille:member", args=[camille.pk]),
        f"{reverse('veille:member', args=[camille.pk])}?sort=title",
        reverse("veille:tag", args=["reseaux-sociaux"]),
        reverse("veille:tag", args=["musees"]),
        reverse("veille:tag", args=["bibliotheques"]),
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "yann"])
def test_private_bookmarks_are_absent_from_every_page_of_someone_else(
    client, watch, camille, yann, tags, viewer
):
    if viewer == "yann":
        client.force_login(yann)
    secret = watch["camille_private"]
    # Someone who keeps only private bookmarks is not even a choice of the member filter.
    BookmarkFactory(owner=UserFactory(display_name="Zoé Discrète"), visibility="private")
    for url in _pages_showing(camille, tags):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Secret de Camille" not in html(response), url
        assert "Zoé Discrète" not in html(response), url
        assert secret.pk not in [b.pk for b in response.context["bookmarks"]], url
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("veille:favicon", args=[secret.pk])).status_code == 404
    assert client.get(reverse("veille:edit", args=[secret.pk])).status_code in (302, 404)


def test_members_only_bookmarks_are_absent_for_the_public(client, watch, camille, tags):
    hidden = watch["camille_members"]
    for url in _pages_showing(camille, tags):
        page = html(client.get(url))
        assert "Réservé de Camille" not in page, url
    assert client.get(hidden.get_absolute_url()).status_code == 404


# --- Query counts --------------------------------------------------------------------------------


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PUBLIC_LISTS = ["shared", "shared_filtered", "member", "tag", "tag_filtered"]
LIST_CASES = [(name, False) for name in PUBLIC_LISTS] + [
    (name, True) for name in [*PUBLIC_LISTS, "mine", "to_read"]
]


def _url(name: str, owner, tag: Tag) -> str:  # type: ignore[no-untyped-def]
    return {
        "shared": SHARED,
        "shared_filtered": f"{SHARED}?tags=musees,archives&owner={owner.pk}&q=e&sort=title",
        "mine": MINE,
        "to_read": TO_READ,
        "member": reverse("veille:member", args=[owner.pk]),
        "tag": reverse("veille:tag", args=[tag.slug]),
        "tag_filtered": f"{reverse('veille:tag', args=[tag.slug])}?tags=archives&owner={owner.pk}",
    }[name]


@pytest.mark.parametrize(("name", "as_owner"), LIST_CASES)
def test_list_query_count_does_not_grow_with_bookmarks(client, camille, name, as_owner):
    if as_owner:
        client.force_login(camille)
    museums, archives = Tag.objects.create(name="Musées"), Tag.objects.create(name="Archives")
    others = [UserFactory(), UserFactory()]

    def create(count: int) -> None:
        for index in range(count):
            BookmarkFactory(
                owner=camille if index % 2 else others[index % 3 % 2],
                visibility="public",
                title=f"Une page {index}",
                notes="Des *notes*",
                to_read=True,
                tags=[museums, archives, TagFactory(name=f"sujet {count} {index}")],
            )

    create(3)
    url = _url(name, camille, museums)
    few = _queries(client, url)
    create(27)
    assert Bookmark.objects.count() == 30
    many = _queries(client, url)
    assert few == many, f"{name}: {few} queries with 3 bookmarks, {many} with 30"
