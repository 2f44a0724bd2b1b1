"""Bulk edit from the list pages: add or remove tags, change visibility, delete (after a
confirmation), without JavaScript (post, then back to the list) and with htmx (the list swapped);
only ever on one's own bookmarks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import Tag
from maillage.veille import services
from maillage.veille.models import Bookmark
from tests.factories import BookmarkFactory

pytestmark = pytest.mark.django_db

MINE = reverse("veille:mine")
SHARED = reverse("veille:shared")
HTMX = {"HX-Request": "true"}


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def tag_names(bookmark: Bookmark) -> list[str]:
    return sorted(bookmark.tags.values_list("name", flat=True))


@pytest.fixture
def mine(camille):  # type: ignore[no-untyped-def]
    museums = Tag.objects.create(name="Musées")
    return [
        BookmarkFactory(owner=camille, title=f"Mien {index}", tags=[museums], visibility="members")
        for index in range(3)
    ]


@pytest.fixture
def theirs(yann):  # type: ignore[no-untyped-def]
    museums, _ = Tag.objects.get_or_create(slug="musees", defaults={"name": "Musées"})
    return BookmarkFactory(owner=yann, title="À Yann", tags=[museums], visibility="public")


# --- Without JavaScript --------------------------------------------------------------------------


def test_add_tags_to_ticked_bookmarks_then_back_to_the_list(client, camille, mine):
    client.force_login(camille)
    url = f"{MINE}?sort=title&tags=musees"
    data = {"ids": [mine[0].pk, mine[1].pk], "action": "add_tags", "bulk_tags": "Archives, web"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    assert tag_names(mine[0]) == tag_names(mine[1]) == ["Archives", "Musées", "web"]
    assert tag_names(mine[2]) == ["Musées"]
    page = html(client.get(url))
    assert "Tags added to 2 bookmarks." in page


def test_remove_tags(client, camille, mine):
    client.force_login(camille)
    ids = [bookmark.pk for bookmark in mine]
    response = client.post(MINE, {"ids": ids, "action": "remove_tags", "bulk_tags": "musées"})
    assert response.status_code == 302
    assert all(tag_names(bookmark) == [] for bookmark in mine)
    assert "Tags removed from 3 bookmarks." in html(client.get(MINE))


def test_change_visibility(client, camille, mine):
    client.force_login(camille)
    response = client.post(
        MINE, {"ids": [mine[2].pk], "action": "set_visibility", "bulk_visibility": "private"}
    )
    assert response.status_code == 302
    mine[2].refresh_from_db()
    assert mine[2].visibility == "private"
    assert "1 bookmark is now visible to: only me." in html(client.get(MINE))


def test_delete_asks_for_confirmation_first(client, camille, mine):
    client.force_login(camille)
    ids = [mine[0].pk, mine[1].pk]
    response = client.post(MINE, {"ids": ids, "action": "delete"})
    assert response.status_code == 200
    page = html(response)
    assert "<title>Delete bookmarks – My bookmarks · " in page
    assert "Delete these 2 bookmarks?" in page
    assert "Mien 0" in page and "Mien 1" in page and "Mien 2" not in page
    assert Bookmark.objects.count() == 3

    response = client.post(MINE, {"ids": ids, "action": "delete", "confirm": "on"})
    assert response.status_code == 302
    assert list(Bookmark.objects.values_list("title", flat=True)) == ["Mien 2"]
    assert "2 bookmarks deleted." in html(client.get(MINE))


def test_form_errors_keep_the_ticks(client, camille, mine):
    client.force_login(camille)
    response = client.post(MINE, {"action": "add_tags", "bulk_tags": "web"})
    assert "Tick at least one bookmark first." in html(response)
    response = client.post(MINE, {"ids": [mine[1].pk], "action": "add_tags", "bulk_tags": " , "})
    page = html(response)
    assert "Give at least one tag." in page
    assert f'value="{mine[1].pk}" id="select-{mine[1].pk}" checked' in page
    assert f'value="{mine[0].pk}" id="select-{mine[0].pk}">' in page
    response = client.post(MINE, {"ids": [mine[1].pk], "action": "set_visibility"})
    assert "Choose who can see them." in html(response)
    response = client.post(MINE, {"ids": [mine[1].pk], "action": "everything"})
    assert response.status_code == 200
    assert Bookmark.objects.count() == 3


# --- With htmx -----------------------------------------------------------------------------------


def test_htmx_bulk_edit_swaps_the_list(client, camille, mine):
    client.force_login(camille)
    url = f"{MINE}?sort=title"
    data = {"ids": [mine[0].pk], "action": "add_tags", "bulk_tags": "Archives"}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert "Tags added to 1 bookmark." in page
    assert 'id="results-title"' in page
    assert reverse("veille:tag", args=["archives"]) in page
    assert tag_names(mine[0]) == ["Archives", "Musées"]
    # The message was shown in the swapped list: it does not come back on the next page.
    assert "Tags added" not in html(client.get(url))


def test_htmx_delete_confirms_in_place(client, camille, mine):
    client.force_login(camille)
    ids = [mine[0].pk]
    response = client.post(MINE, {"ids": ids, "action": "delete"}, headers=HTMX)
    page = html(response)
    assert "<html" not in page
    assert "Delete this bookmark?" in page
    assert 'hx-post="/veille/mes-signets/"' in page
    assert Bookmark.objects.count() == 3
    response = client.post(MINE, {"ids": ids, "action": "delete", "confirm": "on"}, headers=HTMX)
    page = html(response)
    assert "1 bookmark deleted." in page
    assert "2 bookmarks" in page
    assert Bookmark.objects.count() == 2


# --- Only one's own bookmarks --------------------------------------------------------------------


def test_checkboxes_only_on_ones_own_bookmarks(client, camille, mine, theirs):
    client.force_login(camille)
    page = html(client.get(SHARED))
    assert page.count('name="ids"') == 3
    assert f'value="{theirs.pk}"' not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_others_bookmarks_are_refused_and_left_alone(client, camille, mine, theirs, htmx):
    client.force_login(camille)
    headers = HTMX if htmx else {}
    for action, extra in [
        ("add_tags", {"bulk_tags": "piraté"}),
        ("remove_tags", {"bulk_tags": "musées"}),
        ("set_visibility", {"bulk_visibility": "private"}),
        ("delete", {"confirm": "on"}),
    ]:
        data = {"ids": [theirs.pk, mine[0].pk], "action": action, **extra}
        response = client.post(SHARED, data, headers=headers, follow=not htmx)
        page = html(response)
        assert "1 ticked bookmark is not yours: it was left as it was." in page, action
        theirs.refresh_from_db()
        assert theirs.visibility == "public"
        assert tag_names(theirs) == ["Musées"]
    assert not Bookmark.objects.filter(pk=mine[0].pk).exists()


def test_deleting_only_others_bookmarks_asks_nothing_and_refuses(client, camille, theirs):
    client.force_login(camille)
    response = client.post(SHARED, {"ids": [theirs.pk], "action": "delete"}, follow=True)
    page = html(response)
    assert "Delete this bookmark?" not in page
    assert "1 ticked bookmark is not yours" in page
    assert Bookmark.objects.filter(pk=theirs.pk).exists()


def test_services_take_the_owner_and_ids(camille, yann, mine, theirs):
    ids = [bookmark.pk for bookmark in mine] + [theirs.pk, 999999]
    result = services.bulk_add_tags(owner=camille, ids=ids, tags="Archives")
    assert result == services.BulkResult(changed=3, refused=2)
    # Adding a tag twice is harmless.
    assert services.bulk_add_tags(owner=camille, ids=ids, tags="archives").changed == 3
    assert all(tag_names(bookmark) == ["Archives", "Musées"] for bookmark in mine)
    assert services.bulk_remove_tags(owner=camille, ids=ids, tags=["ARCHIVES"]).changed == 3
    assert all(tag_names(bookmark) == ["Musées"] for bookmark in mine)
    assert services.bulk_set_visibility(owner=camille, ids=ids, visibility="public").changed == 3
    with pytest.raises(services.BookmarkError):
        services.bulk_set_visibility(owner=camille, ids=ids, visibility="everyone")
    assert services.bulk_delete(owner=yann, ids=[mine[0].pk]) == services.BulkResult(0, 1)
    assert services.bulk_delete(owner=camille, ids=ids) == services.BulkResult(3, 2)
    assert list(Bookmark.objects.all()) == [theirs]
    assert tag_names(theirs) == ["Musées"] and theirs.visibility == "public"
