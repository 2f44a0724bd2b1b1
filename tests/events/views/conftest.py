"""Fixtures for the events pages' tests: English pages, people in roles.

They replace tests/events/conftest.py's coordinator with one of their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from maillage.members.models import Role, User
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
def coordinator(db: Any) -> User:
    return UserFactory(display_name="Claire Coordinatrice", role=Role.COORDINATOR)


@pytest.fixture
def organiser(db: Any) -> User:
    return UserFactory(display_name="Olivier Organisateur")


@pytest.fixture
def member(db: Any) -> User:
    return UserFactory(display_name="Camille Martin", email="camille@example.org")
