"""Fixtures for the partner feeds' tests: English pages, a coordinator and a member."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
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
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(
        email="claire@example.org", display_name="Claire Morvan", role=Role.COORDINATOR
    )


@pytest.fixture
def member(db: Any) -> User:
    return UserFactory(email="camille@example.org", display_name="Camille Martin")


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (the fetches)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
