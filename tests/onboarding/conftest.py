"""Fixtures for the first steps' tests: English pages, people in roles."""

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


def english_client(**kwargs: Any) -> Client:
    """Django's test client, asking for English pages (the site's default language is French)."""
    return Client(headers={"Accept-Language": "en"}, **kwargs)


@pytest.fixture
def client() -> Client:
    return english_client()


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(display_name="Claire Coordinatrice", role=Role.COORDINATOR, trust_level=4)


@pytest.fixture
def member(db: Any) -> User:
    return UserFactory(display_name="Sophie Le Bihan", trust_level=2)


@pytest.fixture
def newcomer(db: Any) -> User:
    """A member at trust level 0: their first contributions are held."""
    return UserFactory(display_name="Yann Nouveau", trust_level=0)


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
