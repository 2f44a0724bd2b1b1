"""Lists: who may make and edit them, adding, ordering, noting and removing items."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from maillage.members.models import User
from maillage.veille import lists
from maillage.veille.lists import ListContent, ListError
from maillage.veille.models import Bookmark, BookmarkList, ListItem
from tests.factories import BookmarkFactory, BookmarkListFactory, UserFactory
from tests.veille.lists.conftest import Shelf

pytestmark = pytest.mark.django_db


def titles(viewer: object, bookmark_list: BookmarkList) -> list[str]:
    return [item.bookmark.title for item in lists.items_for(viewer, bookmark_list)]


def test_a_member_makes_a_list(owner: User) -> None:
    made = lists.create_list(
        by=owner,
        content=ListContent(title="  Musées en ligne ", description="Des **exemples**."),
    )
    assert made.title == "Musées en ligne"
    assert made.slug == "musees-en-ligne"
    assert made.owner == owner
    assert not made.is_network_list
    assert made.visibility == "members"


def test_only_coordinators_keep_network_lists(owner: User, coordinator: User) -> None:
    content = ListContent(title="Liens pour aller plus loin", is_network_list=True)
    with pytest.raises(ListError, match="coordinator"):
        lists.create_list(by=owner, content=content)
    made = lists.create_list(by=coordinator, content=content)
    assert made.is_network_list
    with pytest.raises(ListError):
        lists.create_list(by=AnonymousUser(), content=ListContent(title="x"))


def test_who_edits_which_list(owner: User, other: User, coordinator: User) -> None:
    mine = BookmarkListFactory(owner=owner)
    network = BookmarkListFactory(owner=coordinator, is_network_list=True)
    assert lists.can_edit_list(owner, mine)
    assert not lists.can_edit_list(other, mine)
    assert not lists.can_edit_list(coordinator, mine)  # a member's list is theirs
    assert not lists.can_edit_list(owner, network)
    assert lists.can_edit_list(coordinator, network)
    assert lists.can_edit_list(UserFactory(role="coordinator"), network)
    assert not lists.can_edit_list(AnonymousUser(), mine)
    owner.is_active = False
    assert not lists.can_edit_list(owner, mine)


def test_a_member_cannot_turn_a_list_into_a_network_list(owner: User) -> None:
    mine = BookmarkListFactory(owner=owner)
    lists.update_list(
        bookmark_list=mine,
        by=owner,
        content=ListContent(title="Nouveau titre", visibility="public", is_network_list=True),
    )
    mine.refresh_from_db()
    assert mine.title == "Nouveau titre" and mine.visibility == "public"
    assert not mine.is_network_list
    with pytest.raises(ListError):
        lists.update_list(bookmark_list=mine, by=owner, content=ListContent(title=" "))


def test_items_are_added_at_the_end_once(owner: User) -> None:
    mine = BookmarkListFactory(owner=owner)
    first, second = BookmarkFactory(owner=owner), BookmarkFactory(owner=owner)
    added = lists.add_to_list(bookmark_list=mine, bookmark=first, by=owner)
    assert added.created and added.item.position == 0
    assert lists.add_to_list(bookmark_list=mine, bookmark=second, by=owner).item.position == 1
    again = lists.add_to_list(bookmark_list=mine, bookmark=first, by=owner, note="À lire d’abord")
    assert not again.created
    assert again.item.note == "À lire d’abord"
    assert ListItem.objects.filter(bookmark_list=mine).count() == 2


def test_only_a_bookmark_the_editor_may_see_can_be_added(owner: User, other: User) -> None:
    mine = BookmarkListFactory(owner=owner)
    hidden = BookmarkFactory(owner=other, visibility="private")
    with pytest.raises(ListError):
        lists.add_to_list(bookmark_list=mine, bookmark=hidden, by=owner)
    shared = BookmarkFactory(owner=other, visibility="members")
    assert lists.add_to_list(bookmark_list=mine, bookmark=shared, by=owner).created
    with pytest.raises(ListError):
        lists.add_to_list(bookmark_list=mine, bookmark=shared, by=other)


def test_adding_by_address_uses_the_bookmark_already_kept(owner: User, other: User) -> None:
    mine = BookmarkListFactory(owner=owner, visibility="public")
    others = BookmarkFactory(owner=other, url="https://creativecommons.org/licenses/by/4.0/")
    added = lists.add_address_to_list(
        bookmark_list=mine,
        url="https://creativecommons.org/licenses/by/4.0/?utm_source=lettre",
        by=owner,
    )
    assert added.item.bookmark == others
    own = BookmarkFactory(owner=owner, url="https://wikimedia.fr/")
    assert lists.add_address_to_list(bookmark_list=mine, url=own.url, by=owner).item.bookmark == own


def test_adding_a_new_address_keeps_it_for_the_editor_first(owner: User) -> None:
    mine = BookmarkListFactory(owner=owner, visibility="public")
    added = lists.add_address_to_list(
        bookmark_list=mine, url="https://www.europeana.eu/fr", by=owner, note="Musées d’Europe"
    )
    bookmark = added.item.bookmark
    assert bookmark.owner == owner
    # Never published further than members-only on the person's behalf.
    assert bookmark.visibility == "members"
    assert added.item.note == "Musées d’Europe"
    private_list = BookmarkListFactory(owner=owner, visibility="private")
    added = lists.add_address_to_list(
        bookmark_list=private_list, url="https://example.org/brouillon", by=owner
    )
    assert added.item.bookmark.visibility == "private"


def test_moving_up_and_down_renumbers_positions(owner: User) -> None:
    mine = BookmarkListFactory(owner=owner)
    a, b, c = (BookmarkFactory(owner=owner, title=name) for name in "ABC")
    items = [lists.add_to_list(bookmark_list=mine, bookmark=x, by=owner).item for x in (a, b, c)]
    ListItem.objects.filter(pk=items[2].pk).update(position=7)  # gaps from older edits
    assert lists.move_item(bookmark_list=mine, item_id=items[2].pk, by=owner, direction="up")
    assert titles(owner, mine) == ["A", "C", "B"]
    assert list(
        ListItem.objects.filter(bookmark_list=mine)
        .order_by("position")
        .values_list("position", flat=True)
    ) == [0, 1, 2]
    assert not lists.move_item(bookmark_list=mine, item_id=items[0].pk, by=owner, direction="up")
    assert lists.move_item(bookmark_list=mine, item_id=items[0].pk, by=owner, direction="down")
    assert titles(owner, mine) == ["C", "A", "B"]
    assert not lists.move_item(bookmark_list=mine, item_id=items[1].pk, by=owner, direction="down")
    with pytest.raises(ListError):
        lists.move_item(bookmark_list=mine, item_id=items[1].pk, by=owner, direction="sideways")


def test_moving_skips_what_the_editor_cannot_see(coordinator: User, other: User) -> None:
    network = BookmarkListFactory(owner=coordinator, is_network_list=True)
    shown = BookmarkFactory(owner=coordinator, title="Visible")
    hidden = BookmarkFactory(owner=other, title="Caché", visibility="private")
    moved = BookmarkFactory(owner=coordinator, title="Déplacé")
    for position, bookmark in enumerate([shown, hidden, moved]):
        ListItem.objects.create(bookmark_list=network, bookmark=bookmark, position=position)
    item = ListItem.objects.get(bookmark=moved)
    assert lists.move_item(bookmark_list=network, item_id=item.pk, by=coordinator, direction="up")
    assert titles(coordinator, network) == ["Déplacé", "Visible"]
    assert titles(other, network) == ["Déplacé", "Visible", "Caché"]
    assert lists.move_item(bookmark_list=network, item_id=item.pk, by=coordinator, direction="down")
    assert titles(other, network) == ["Visible", "Déplacé", "Caché"]
    with pytest.raises(ListError):
        hidden_item = ListItem.objects.get(bookmark=hidden)
        lists.move_item(
            bookmark_list=network, item_id=hidden_item.pk, by=coordinator, direction="up"
        )


def test_notes_and_removal(owner: User, other: User) -> None:
    mine = BookmarkListFactory(owner=owner)
    bookmark = BookmarkFactory(owner=owner)
    item = lists.add_to_list(bookmark_list=mine, bookmark=bookmark, by=owner).item
    lists.set_item_note(bookmark_list=mine, item_id=item.pk, by=owner, note="  Pour commencer ")
    item.refresh_from_db()
    assert item.note == "Pour commencer"
    with pytest.raises(ListError):
        lists.set_item_note(bookmark_list=mine, item_id=item.pk, by=other, note="Non")
    with pytest.raises(ListError):
        lists.remove_from_list(bookmark_list=mine, item_id=item.pk, by=other)
    lists.remove_from_list(bookmark_list=mine, item_id=item.pk, by=owner)
    assert not ListItem.objects.filter(pk=item.pk).exists()
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
    with pytest.raises(ListError, match="no longer"):
        lists.remove_from_list(bookmark_list=mine, item_id=item.pk, by=owner)


def test_deleting_a_list_keeps_its_bookmarks(shelf: Shelf, owner: User, other: User) -> None:
    with pytest.raises(ListError):
        lists.delete_list(bookmark_list=shelf.bookmark_list, by=other)
    lists.delete_list(bookmark_list=shelf.bookmark_list, by=owner)
    assert not BookmarkList.objects.exists()
    assert Bookmark.objects.count() == 4


# --- Visibility matrix --------------------------------------------------------------------------

VIEWERS = ["anonymous", "other", "owner", "coordinator"]


def viewer_for(name: str, shelf: Shelf, owner: User, other: User, coordinator: User) -> object:
    return {"anonymous": AnonymousUser(), "other": other, "owner": owner}.get(name, coordinator)


@pytest.mark.parametrize(
    ("viewer_name", "expected"),
    [
        ("anonymous", ["Page publique"]),
        ("other", ["Page publique", "Page des membres", "Page privée de Yann"]),
        ("owner", ["Page publique", "Page des membres", "Page privée de Sophie"]),
        ("coordinator", ["Page publique", "Page des membres"]),
    ],
)
def test_a_list_shows_only_the_bookmarks_the_viewer_may_see(
    shelf: Shelf,
    owner: User,
    other: User,
    coordinator: User,
    viewer_name: str,
    expected: list[str],
) -> None:
    viewer = viewer_for(viewer_name, shelf, owner, other, coordinator)
    assert titles(viewer, shelf.bookmark_list) == expected
    counted = lists.lists_for(viewer).get(pk=shelf.bookmark_list.pk)
    assert counted.visible_count == len(expected)


@pytest.mark.parametrize(
    ("visibility", "is_network_list", "seen_by"),
    [
        ("public", False, {"anonymous", "other", "owner", "coordinator"}),
        ("members", False, {"other", "owner", "coordinator"}),
        ("private", False, {"owner"}),
        ("private", True, {"owner", "coordinator"}),
    ],
)
def test_who_sees_which_list(
    shelf: Shelf,
    owner: User,
    other: User,
    coordinator: User,
    visibility: str,
    is_network_list: bool,
    seen_by: set[str],
) -> None:
    BookmarkList.objects.filter(pk=shelf.bookmark_list.pk).update(
        visibility=visibility, is_network_list=is_network_list
    )
    slug = shelf.bookmark_list.slug
    for name in VIEWERS:
        viewer = viewer_for(name, shelf, owner, other, coordinator)
        assert (lists.list_for(viewer, slug) is not None) == (name in seen_by), name
        assert lists.lists_for(viewer).filter(slug=slug).exists() == (name in seen_by), name


def test_public_list_items_are_only_public_bookmarks_of_public_lists(shelf: Shelf) -> None:
    assert [item.bookmark for item in lists.public_list_items(shelf.bookmark_list)] == [
        shelf.public
    ]
    shelf.bookmark_list.visibility = "members"
    assert not lists.public_list_items(shelf.bookmark_list).exists()


def test_lists_containing_a_bookmark(shelf: Shelf, owner: User, other: User) -> None:
    BookmarkListFactory(owner=owner, visibility="private").items.create(bookmark=shelf.public)
    assert lists.lists_containing(owner, shelf.public).count() == 2
    assert list(lists.lists_containing(other, shelf.public)) == [shelf.bookmark_list]
    assert list(lists.editable_lists_for(other)) == []
    assert list(lists.editable_lists_for(AnonymousUser())) == []
