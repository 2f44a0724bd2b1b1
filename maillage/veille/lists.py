"""Curated lists of bookmarks: who may see and edit them, what they show, and the actions on them.

A list is seen by those its visibility allows (a coordinator also sees every network list); its
items are filtered again by the visibility of each bookmark, so a private bookmark put in a public
list stays hidden from everyone but its owner. A network list is edited by the coordinators, a
member's list by that member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.visibility import Visibility, visible_q
from maillage.veille.models import Bookmark, BookmarkList, ListItem
from maillage.veille.services import save_bookmark
from maillage.veille.urls_normalise import normalise_url, url_digest

NOTE_MAX_LENGTH = 300


class ListError(Exception):
    """An action on a list that cannot be done; str(error) says why, for the person."""


def _is_member(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _is_coordinator(user: Any) -> bool:
    return _is_member(user) and bool(getattr(user, "is_coordinator", False))


# --- Who may do what ----------------------------------------------------------------------------


def can_create_list(user: Any) -> bool:
    return _is_member(user)


def can_keep_network_lists(user: Any) -> bool:
    return _is_coordinator(user)


def can_edit_list(user: Any, bookmark_list: BookmarkList) -> bool:
    if not _is_member(user):
        return False
    if bookmark_list.is_network_list:
        return _is_coordinator(user)
    return bool(bookmark_list.owner_id == user.pk)


# --- Reads --------------------------------------------------------------------------------------


def _visible_lists_q(viewer: Any) -> Q:
    condition = visible_q(viewer)
    if _is_coordinator(viewer):
        # The coordinators keep the network's lists, drafts (private ones) included.
        condition |= Q(is_network_list=True)
    return condition


def visible_bookmarks(viewer: Any) -> QuerySet[Bookmark]:
    return Bookmark.objects.visible_to(viewer)


def _visible_items_q(viewer: Any, *, prefix: str = "") -> Q:
    return visible_q(
        viewer, field=f"{prefix}bookmark__visibility", owner_field=f"{prefix}bookmark__owner"
    )


def lists_for(viewer: Any) -> QuerySet[BookmarkList]:
    """The lists the viewer may see, network lists first, each with the number of its items the
    viewer may see (`visible_count`) and its owner: one query."""
    return (
        BookmarkList.objects.filter(_visible_lists_q(viewer))
        .select_related("owner")
        .annotate(
            visible_count=Count("items", filter=_visible_items_q(viewer, prefix="items__")),
        )
        .order_by("-is_network_list", "title", "pk")
    )


def list_for(viewer: Any, slug: str) -> BookmarkList | None:
    return (
        BookmarkList.objects.filter(_visible_lists_q(viewer), slug=slug)
        .select_related("owner")
        .first()
    )


def items_for(viewer: Any, bookmark_list: BookmarkList) -> QuerySet[ListItem]:
    """The list's items whose bookmark the viewer may see, in order, with what the page shows."""
    return (
        ListItem.objects.filter(_visible_items_q(viewer), bookmark_list=bookmark_list)
        .select_related("bookmark", "bookmark__owner")
        .prefetch_related("bookmark__tags")
        .defer("bookmark__page_text")
        .order_by("position", "pk")
    )


def editable_lists_for(user: Any) -> QuerySet[BookmarkList]:
    """The lists `user` may add a bookmark to (theirs, and the network's for coordinators)."""
    if not _is_member(user):
        return BookmarkList.objects.none()
    condition = Q(owner=user, is_network_list=False)
    if _is_coordinator(user):
        condition |= Q(is_network_list=True)
    return BookmarkList.objects.filter(condition).order_by("-is_network_list", "title", "pk")


def lists_containing(viewer: Any, bookmark: Bookmark) -> QuerySet[BookmarkList]:
    """The lists (that the viewer may see) in which this bookmark appears."""
    return (
        BookmarkList.objects.filter(_visible_lists_q(viewer), items__bookmark=bookmark)
        .distinct()
        .order_by("-is_network_list", "title", "pk")
    )


def public_list_items(bookmark_list: BookmarkList) -> QuerySet[ListItem]:
    """What anyone may read of a list (its feed): nothing unless the list itself is public."""
    if bookmark_list.visibility != Visibility.PUBLIC:
        return ListItem.objects.none()
    return items_for(None, bookmark_list)


# --- Actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListContent:
    title: str
    description: str = ""
    visibility: str = Visibility.MEMBERS
    is_network_list: bool = False


def _check_content(*, by: Any, content: ListContent) -> None:
    if not content.title.strip():
        raise ListError(_("Give the list a title."))
    if content.visibility not in Visibility.values:
        raise ListError(_("Choose who can see the list."))
    if content.is_network_list and not can_keep_network_lists(by):
        raise ListError(_("Only a coordinator can keep a list of the network."))


@transaction.atomic
def create_list(*, by: Any, content: ListContent) -> BookmarkList:
    if not can_create_list(by):
        raise ListError(_("Only members of the network can make lists."))
    _check_content(by=by, content=content)
    return BookmarkList.objects.create(
        owner=by,
        title=content.title.strip()[:200],
        description=content.description.strip(),
        visibility=content.visibility,
        is_network_list=content.is_network_list,
    )


@transaction.atomic
def update_list(*, bookmark_list: BookmarkList, by: Any, content: ListContent) -> BookmarkList:
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot change this list."))
    is_network_list = content.is_network_list
    if not can_keep_network_lists(by):
        is_network_list = bookmark_list.is_network_list  # a member never changes it
    _check_content(
        by=by,
        content=ListContent(
            title=content.title,
            description=content.description,
            visibility=content.visibility,
            is_network_list=is_network_list,
        ),
    )
    bookmark_list.title = content.title.strip()[:200]
    bookmark_list.description = content.description.strip()
    bookmark_list.visibility = content.visibility
    bookmark_list.is_network_list = is_network_list
    bookmark_list.save()
    return bookmark_list


@transaction.atomic
def delete_list(*, bookmark_list: BookmarkList, by: Any) -> None:
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot delete this list."))
    bookmark_list.delete()  # the items go with it; the bookmarks stay


def _touch(bookmark_list: BookmarkList) -> None:
    BookmarkList.objects.filter(pk=bookmark_list.pk).update(updated_at=timezone.now())


@dataclass(frozen=True)
class AddedItem:
    item: ListItem
    created: bool


@transaction.atomic
def add_to_list(
    *, bookmark_list: BookmarkList, bookmark: Bookmark, by: Any, note: str = ""
) -> AddedItem:
    """Put a bookmark the editor may see at the end of the list (once: adding it again only
    updates its note, when one is given)."""
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot change this list."))
    if not visible_bookmarks(by).filter(pk=bookmark.pk).exists():
        raise ListError(_("This bookmark cannot be added."))
    note = note.strip()[:NOTE_MAX_LENGTH]
    # Locks the list's row, so that two additions at once do not take the same position.
    BookmarkList.objects.select_for_update().filter(pk=bookmark_list.pk).first()
    existing = ListItem.objects.filter(bookmark_list=bookmark_list, bookmark=bookmark).first()
    if existing is not None:
        if note and note != existing.note:
            existing.note = note
            existing.save(update_fields=["note"])
        return AddedItem(item=existing, created=False)
    last = ListItem.objects.filter(bookmark_list=bookmark_list).aggregate(last=Max("position"))
    item = ListItem.objects.create(
        bookmark_list=bookmark_list,
        bookmark=bookmark,
        note=note,
        position=(last["last"] + 1) if last["last"] is not None else 0,
    )
    _touch(bookmark_list)
    return AddedItem(item=item, created=True)


@transaction.atomic
def add_address_to_list(
    *, bookmark_list: BookmarkList, url: str, by: Any, note: str = ""
) -> AddedItem:
    """Add a page by its address: the editor's own bookmark of it, else one shared by another
    member, else a new bookmark of the editor (as visible as the list, but never more than
    members-only: a member publishes their own bookmarks)."""
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot change this list."))
    digest = url_digest(normalise_url(url))  # InvalidBookmarkURL for what is not a web address
    candidates = visible_bookmarks(by).filter(url_digest=digest)
    bookmark = candidates.filter(owner=by).first() or candidates.order_by("created_at").first()
    if bookmark is None:
        visibility = (
            Visibility.PRIVATE
            if bookmark_list.visibility == Visibility.PRIVATE
            else Visibility.MEMBERS
        )
        bookmark = save_bookmark(owner=by, url=url, visibility=visibility).bookmark
    return add_to_list(bookmark_list=bookmark_list, bookmark=bookmark, by=by, note=note)


def _item_of(bookmark_list: BookmarkList, item_id: int) -> ListItem:
    item = ListItem.objects.filter(bookmark_list=bookmark_list, pk=item_id).first()
    if item is None:
        raise ListError(_("This item is no longer in the list."))
    return item


@transaction.atomic
def remove_from_list(*, bookmark_list: BookmarkList, item_id: int, by: Any) -> None:
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot change this list."))
    _item_of(bookmark_list, item_id).delete()
    _touch(bookmark_list)


@transaction.atomic
def set_item_note(*, bookmark_list: BookmarkList, item_id: int, by: Any, note: str) -> ListItem:
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot change this list."))
    item = _item_of(bookmark_list, item_id)
    item.note = note.strip()[:NOTE_MAX_LENGTH]
    item.save(update_fields=["note"])
    _touch(bookmark_list)
    return item


UP = "up"
DOWN = "down"


@transaction.atomic
def move_item(*, bookmark_list: BookmarkList, item_id: int, by: Any, direction: str) -> bool:
    """Move an item just above (or below) its neighbour among the items the editor sees (moving
    past a bookmark the editor may not see would look like nothing happened). Positions are
    renumbered 0, 1, 2… on the way. Returns False when the item is already at that end."""
    if not can_edit_list(by, bookmark_list):
        raise ListError(_("You cannot change this list."))
    if direction not in (UP, DOWN):
        raise ListError(_("Move it up or down."))
    BookmarkList.objects.select_for_update().filter(pk=bookmark_list.pk).first()
    items = list(ListItem.objects.filter(bookmark_list=bookmark_list).order_by("position", "pk"))
    visible = set(
        ListItem.objects.filter(_visible_items_q(by), bookmark_list=bookmark_list).values_list(
            "pk", flat=True
        )
    )
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None or item_id not in visible:
        raise ListError(_("This item is no longer in the list."))
    step = -1 if direction == UP else 1
    other = index + step
    while 0 <= other < len(items) and items[other].pk not in visible:
        other += step
    if not 0 <= other < len(items):
        return False
    visible_neighbour = items[other].pk
    # Taken out and put back just past that neighbour: hidden items keep their places.
    moving = items.pop(index)
    neighbour = items.index(next(item for item in items if item.pk == visible_neighbour))
    items.insert(neighbour if direction == UP else neighbour + 1, moving)
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    ListItem.objects.bulk_update(changed, ["position"])
    _touch(bookmark_list)
    return True
