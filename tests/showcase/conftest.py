"""Fixtures for the showcase's tests: English pages, people in roles, committed callbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from maillage.members.models import Role, User
from tests.factories import InstitutionFactory, UserFactory


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
    return UserFactory(display_name="Claire Coordinatrice", role=Role.COORDINATOR, trust_level=4)


@pytest.fixture
def museum(db: Any) -> Any:
    return InstitutionFactory(name="Muséum d’histoire naturelle", kind="museum", city="Toulouse")


@pytest.fixture
def curator(museum: Any) -> User:
    """A trusted member of the museum (its team)."""
    return UserFactory(display_name="Léa Durand", institution=museum, trust_level=2)


@pytest.fixture
def outsider(db: Any) -> User:
    return UserFactory(display_name="Yann Le Gall", trust_level=2)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (the tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
