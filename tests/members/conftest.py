"""Fixtures for the members tests: English pages, a member."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests read English strings; one test checks the French catalogue on purpose."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    """Django's test client, asking for English pages (the site's default language is French)."""
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    return UserFactory(email="camille@example.org", display_name="Camille Martin")
