"""The lists' pages: index, list page, editing without JavaScript (and with htmx), adding from a
bookmark's page, visibility in the HTML, query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.members.models import User
from maillage.veille.models import BookmarkList, ListItem
from tests.factories import (
    BookmarkFactory,
    BookmarkListFactory,
    ListItemFactory,
    TagFactory,
    UserFactory,
)
from tests.veille.lists.conftest import Shelf

pytestmark = pytest.mark.django_db

INDEX = reverse("veille:lists")


def html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def order(bookmark_list: BookmarkList) -> list[str]:
    return list(
        ListItem.objects.filter(bookmark_list=bookmark_list)
        .order_by("position", "pk")
        .values_list("bookmark__title", flat=True)
    )


# --- Reading ------------------------------------------------------------------------------------


def test_the_list_page_shows_title_description_and_items_in_order(
    client: Client, shelf: Shelf
) -> None:
    shelf.bookmark_list.description = "Pour **bien démarrer** <script>alert(1)</script>"
    shelf.bookmark_list.save()
    ListItem.objects.filter(bookmark=shelf.public).update(note="Le premier à lire")
    page = html(client.get(shelf.bookmark_list.get_absolute_url()))
    assert "<title>Ressources pour community managers ·" in page
    assert "<strong>bien démarrer</strong>" in page
    assert "<script>alert" not in page
    assert "Le premier à lire" in page
    assert "Page publique" in page
    assert "A list by" in page and "Sophie Le Bihan" in page


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("anonymous", ["Page publique"], ["Page des membres", "Page privée"]),
        ("other", ["Page publique", "Page des membres", "Page privée de Yann"], ["de Sophie"]),
        ("owner", ["Page publique", "Page des membres", "Page privée de Sophie"], ["de Yann"]),
    ],
)
def test_a_private_bookmark_in_a_public_list_is_hidden_from_others(
    client: Client,
    shelf: Shelf,
    owner: User,
    other: User,
    who: str,
    shown: list[str],
    hidden: list[str],
) -> None:
    if who != "anonymous":
        client.force_login(owner if who == "owner" else other)
    for url in (shelf.bookmark_list.get_absolute_url(), INDEX):
        page = html(client.get(url))
        if url == INDEX:
            count = len(shown)
            assert re.search(rf"{count} pages?\b", page), page
            continue
        for title in shown:
            assert title in page
        for title in hidden:
            assert title not in page


def test_a_members_list_is_not_found_by_anonymous_visitors(client: Client, shelf: Shelf) -> None:
    BookmarkList.objects.filter(pk=shelf.bookmark_list.pk).update(visibility="members")
    assert client.get(shelf.bookmark_list.get_absolute_url()).status_code == 404
    assert "Ressources pour community managers" not in html(client.get(INDEX))


def test_the_index_groups_network_and_member_lists(
    client: Client, owner: User, coordinator: User
) -> None:
    BookmarkListFactory(owner=coordinator, is_network_list=True, title="Liste du réseau")
    BookmarkListFactory(owner=owner, title="Liste de Sophie", visibility="public")
    BookmarkListFactory(owner=owner, title="Brouillon de Sophie", visibility="private")
    client.force_login(owner)
    page = html(client.get(INDEX))
    assert page.index("Liste du réseau") < page.index("Lists of the members")
    assert page.index("Lists of the members") < page.index("Liste de Sophie")
    assert "Brouillon de Sophie" in page
    assert "Make a list" in page
    client.force_login(coordinator)
    assert "Brouillon de Sophie" not in html(client.get(INDEX))


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("as_member", [False, True])
def test_index_query_count_does_not_grow_with_lists(
    client: Client, owner: User, as_member: bool
) -> None:
    if as_member:
        client.force_login(owner)
    people = [UserFactory(), UserFactory(), owner]

    def create(count: int) -> None:
        for index in range(count):
            bookmark_list = BookmarkListFactory(
                owner=people[index % 3], visibility="public", is_network_list=index % 4 == 0
            )
            ListItemFactory.create_batch(2, bookmark_list=bookmark_list)

    create(3)
    few = _queries(client, INDEX)
    create(27)
    many = _queries(client, INDEX)
    assert many == few, f"{few} queries for 3 lists, {many} for 30"


@pytest.mark.parametrize("as_editor", [False, True])
def test_list_page_query_count_does_not_grow_with_items(
    client: Client, owner: User, as_editor: bool
) -> None:
    if as_editor:
        client.force_login(owner)
    bookmark_list = BookmarkListFactory(owner=owner, visibility="public")
    tags = [TagFactory(), TagFactory()]
    people = [UserFactory(), UserFactory(), owner]

    def create(count: int) -> None:
        for index in range(count):
            bookmark = BookmarkFactory(
                owner=people[index % 3], visibility="public", tags=tags, favicon="x.png"
            )
            ListItemFactory(bookmark_list=bookmark_list, bookmark=bookmark, note="Note")

    url = bookmark_list.get_absolute_url()
    create(3)
    few = _queries(client, url)
    create(27)
    many = _queries(client, url)
    assert many == few, f"{few} queries for 3 items, {many} for 30"
    assert few <= (12 if as_editor else 8)


# --- Making and editing -------------------------------------------------------------------------


def test_a_member_makes_edits_and_deletes_a_list(client: Client, owner: User) -> None:
    client.force_login(owner)
    create_url = reverse("veille:list_create")
    page = html(client.get(create_url))
    assert 'name="is_network_list"' not in page  # coordinators only
    response = client.post(
        create_url,
        {"title": "Musées en ligne", "description": "Des *exemples*.", "visibility": "public"},
    )
    made = BookmarkList.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.owner == owner and made.visibility == "public"

    edit_url = reverse("veille:list_edit", args=[made.slug])
    assert "Musées en ligne" in html(client.get(edit_url))
    client.post(edit_url, {"title": "Musées", "description": "", "visibility": "members"})
    made.refresh_from_db()
    assert (made.title, made.visibility) == ("Musées", "members")

    bookmark = BookmarkFactory(owner=owner)
    ListItemFactory(bookmark_list=made, bookmark=bookmark)
    delete_url = reverse("veille:list_delete", args=[made.slug])
    assert "Delete the list" in html(client.get(delete_url))
    response = client.post(delete_url)
    assert response["Location"] == INDEX
    assert not BookmarkList.objects.exists()
    bookmark.refresh_from_db()  # still there


def test_a_coordinator_makes_a_network_list(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    assert 'name="is_network_list"' in html(client.get(reverse("veille:list_create")))
    client.post(
        reverse("veille:list_create"),
        {"title": "Liens pour aller plus loin", "visibility": "public", "is_network_list": "on"},
    )
    assert BookmarkList.objects.get().is_network_list


def test_a_form_error_is_shown_beside_the_field(client: Client, owner: User) -> None:
    client.force_login(owner)
    page = html(client.post(reverse("veille:list_create"), {"title": "", "visibility": "public"}))
    assert "This field is required." in page
    assert not BookmarkList.objects.exists()


@pytest.mark.parametrize("name", ["list_edit", "list_delete"])
def test_others_cannot_edit_or_delete(
    client: Client, shelf: Shelf, other: User, coordinator: User, name: str
) -> None:
    url = reverse(f"veille:{name}", args=[shelf.bookmark_list.slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(other)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Piraté", "visibility": "public"}).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    assert BookmarkList.objects.filter(title="Ressources pour community managers").exists()


def test_editing_controls_only_for_the_editor(
    client: Client, shelf: Shelf, owner: User, other: User
) -> None:
    url = shelf.bookmark_list.get_absolute_url()
    client.force_login(other)
    page = html(client.get(url))
    assert "Move up" not in page and "Manage this list" not in page
    client.force_login(owner)
    page = html(client.get(url))
    assert "Move up" in page and "Manage this list" in page and "Add a note" in page


def test_moving_items_without_javascript(client: Client, shelf: Shelf, owner: User) -> None:
    client.force_login(owner)
    item = ListItem.objects.get(bookmark=shelf.private)
    url = reverse("veille:item_move", args=[shelf.bookmark_list.slug, item.pk])
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == f"{shelf.bookmark_list.get_absolute_url()}#item-{item.pk}"
    assert order(shelf.bookmark_list) == [
        "Page publique",
        "Page privée de Sophie",
        "Page des membres",
        "Page privée de Yann",
    ]
    page = html(client.get(shelf.bookmark_list.get_absolute_url()))
    assert page.index("Page privée de Sophie") < page.index("Page des membres")


def test_moving_an_item_with_htmx_returns_the_items_only(
    client: Client, shelf: Shelf, owner: User
) -> None:
    client.force_login(owner)
    item = ListItem.objects.get(bookmark=shelf.public)
    url = reverse("veille:item_move", args=[shelf.bookmark_list.slug, item.pk])
    response = client.post(url, {"direction": "down"}, headers={"HX-Request": "true"})
    page = html(response)
    assert "<html" not in page
    assert page.index("Page des membres") < page.index("Page publique")
    # Focus stays on the moved item (its "down" button), nowhere else.
    assert page.count("autofocus") == 1
    start = page.index(f'id="item-{item.pk}"')
    end = page.find('id="item-', start + 1)
    assert "autofocus" in page[start : end if end > 0 else None]
    # No "up" on the first item, no "down" on the last.
    assert page.count("Move up") == page.count("Move down") == 2
    assert response["Vary"].count("HX-Request") == 1


def test_others_cannot_move_remove_or_note(
    client: Client, shelf: Shelf, other: User, coordinator: User
) -> None:
    item = ListItem.objects.get(bookmark=shelf.public)
    slug = shelf.bookmark_list.slug
    for user in (other, coordinator):
        client.force_login(user)
        for name, data in [
            ("item_move", {"direction": "down"}),
            ("item_remove", {}),
            ("item_note", {"note": "x"}),
        ]:
            assert (
                client.post(reverse(f"veille:{name}", args=[slug, item.pk]), data).status_code
                == 403
            )
    assert (
        client.post(
            reverse("veille:list_add", args=[slug]), {"url": "https://example.org/"}
        ).status_code
        == 403
    )
    assert ListItem.objects.filter(bookmark_list=shelf.bookmark_list).count() == 4
    item.refresh_from_db()
    assert item.note == ""


def test_removing_and_noting_an_item(client: Client, shelf: Shelf, owner: User) -> None:
    client.force_login(owner)
    slug = shelf.bookmark_list.slug
    item = ListItem.objects.get(bookmark=shelf.members)
    client.post(reverse("veille:item_note", args=[slug, item.pk]), {"note": "Indispensable"})
    item.refresh_from_db()
    assert item.note == "Indispensable"
    response = client.post(reverse("veille:item_note", args=[slug, item.pk]), {"note": "x" * 400})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "Indispensable"
    client.post(reverse("veille:item_remove", args=[slug, item.pk]))
    assert "Page des membres" not in order(shelf.bookmark_list)


def test_adding_a_page_from_the_list(client: Client, shelf: Shelf, owner: User) -> None:
    client.force_login(owner)
    url = reverse("veille:list_add", args=[shelf.bookmark_list.slug])
    response = client.post(url, {"url": "https://www.europeana.eu/fr", "note": "Musées"})
    assert response.status_code == 302
    last = ListItem.objects.filter(bookmark_list=shelf.bookmark_list).order_by("position").last()
    assert last is not None
    assert (last.bookmark.url, last.bookmark.owner, last.note) == (
        "https://www.europeana.eu/fr",
        owner,
        "Musées",
    )
    page = html(client.get(shelf.bookmark_list.get_absolute_url()))
    assert "europeana.eu" in page and "Musées" in page
    response = client.post(url, {"url": "ftp://example.org/x"})
    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()


def test_adding_a_bookmark_from_its_page(
    client: Client, shelf: Shelf, owner: User, other: User
) -> None:
    bookmark = BookmarkFactory(owner=other, title="Partagé par Yann", visibility="members")
    url = reverse("veille:bookmark_add_to_list", args=[bookmark.pk])
    client.force_login(owner)
    response = client.post(url, {"bookmark_list": shelf.bookmark_list.pk, "note": "Vu par Yann"})
    assert response.status_code == 302 and response["Location"] == bookmark.get_absolute_url()
    item = ListItem.objects.get(bookmark=bookmark)
    assert item.bookmark_list == shelf.bookmark_list and item.note == "Vu par Yann"
    # Someone else's list is not among the choices.
    theirs = BookmarkListFactory(owner=other)
    client.post(url, {"bookmark_list": theirs.pk})
    assert not ListItem.objects.filter(bookmark_list=theirs).exists()
    # A bookmark the member may not see cannot be added at all.
    hidden = BookmarkFactory(owner=other, visibility="private")
    hidden_url = reverse("veille:bookmark_add_to_list", args=[hidden.pk])
    assert client.post(hidden_url, {"bookmark_list": shelf.bookmark_list.pk}).status_code == 404


def test_the_lists_box_of_a_bookmark_page(
    client: Client, shelf: Shelf, owner: User, other: User
) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = owner
    template = Template("{% load veille_lists %}{% bookmark_lists_box bookmark %}")
    box = template.render(Context({"request": request, "bookmark": shelf.public}))
    assert "Ressources pour community managers" in box
    assert reverse("veille:bookmark_add_to_list", args=[shelf.public.pk]) in box
    request.user = other
    box = template.render(Context({"request": request, "bookmark": shelf.public}))
    assert "make a list" in box
    assert 'name="bookmark_list"' not in box


def test_the_pages_announce_their_feeds(client: Client, shelf: Shelf) -> None:
    page = html(client.get(shelf.bookmark_list.get_absolute_url()))
    rss = reverse("veille:list_feed_rss", args=[shelf.bookmark_list.slug])
    atom = reverse("veille:list_feed_atom", args=[shelf.bookmark_list.slug])
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert f'href="{rss}"' in page and f'href="{atom}"' in page
    assert f'href="{reverse("veille:feed_rss")}"' in html(client.get(INDEX))
    BookmarkList.objects.filter(pk=shelf.bookmark_list.pk).update(visibility="members")
    client.force_login(shelf.bookmark_list.owner)
    assert rss not in html(client.get(shelf.bookmark_list.get_absolute_url()))
