"""Fixtures for the watch's pages: English pages, a few members, bookmarks of each visibility."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from maillage.members.models import User
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """Django's test client, asking for English pages (the site's default language is French)."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def camille(db: Any) -> User:
    return UserFactory(display_name="Camille Martin", email="camille@example.org")


@pytest.fixture
def yann(db: Any) -> User:
    return UserFactory(display_name="Yann Le Goff", email="yann@example.org")
