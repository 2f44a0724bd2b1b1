"""Fixtures for lists and feeds: English pages, people in each role, a public list with
bookmarks of every visibility."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from maillage.members.models import Role, User
from maillage.veille.models import Bookmark, BookmarkList
from tests.factories import BookmarkFactory, BookmarkListFactory, ListItemFactory, UserFactory


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """Django's test client, asking for English pages (the site's default language is French)."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def owner(db: Any) -> User:
    return UserFactory(display_name="Sophie Le Bihan", email="sophie@example.org")


@pytest.fixture
def other(db: Any) -> User:
    return UserFactory(display_name="Yann Le Goff", email="yann@example.org")


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR)


@dataclass
class Shelf:
    """A public list of `owner` holding one bookmark of each visibility (owner's) and a private
    bookmark of `other` (which `other` put in before losing the right to edit: it happens)."""

    bookmark_list: BookmarkList
    public: Bookmark
    members: Bookmark
    private: Bookmark
    others_private: Bookmark


@pytest.fixture
def shelf(owner: User, other: User) -> Shelf:
    bookmark_list = BookmarkListFactory(
        owner=owner, title="Ressources pour community managers", visibility="public"
    )
    public = BookmarkFactory(owner=owner, title="Page publique", visibility="public")
    members = BookmarkFactory(owner=owner, title="Page des membres", visibility="members")
    private = BookmarkFactory(owner=owner, title="Page privée de Sophie", visibility="private")
    others_private = BookmarkFactory(owner=other, title="Page privée de Yann", visibility="private")
    for position, bookmark in enumerate([public, members, private, others_private]):
        ListItemFactory(bookmark_list=bookmark_list, bookmark=bookmark, position=position)
    return Shelf(bookmark_list, public, members, private, others_private)
