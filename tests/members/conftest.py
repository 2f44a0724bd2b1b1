"""Fixtures for the members tests: a clean cache (rate limits) and uploads in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


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
