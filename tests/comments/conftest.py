"""Fixtures for the comments tests: English pages, a workshop with its report (an article)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from maillage.articles.models import Article
from maillage.events import services as events
from maillage.events.models import Event
from maillage.members.models import Role, User
from tests.factories import EventFactory, UserFactory


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def organiser(db: Any) -> User:
    return UserFactory(
        email="claire@example.org", display_name="Claire Morvan", role=Role.COORDINATOR
    )


@pytest.fixture
def event(organiser: User) -> Event:
    return EventFactory(
        title="Les réseaux sociaux, nos institutions et nous",
        created_by=organiser,
        organisers=[organiser],
    )


@pytest.fixture
def report(event: Event, organiser: User) -> Article:
    """The workshop took place; closing it published its report, an article attached to it."""
    now = timezone.now()
    event.starts_at, event.ends_at = now - timedelta(hours=3), now - timedelta(hours=1)
    event.save(update_fields=["starts_at", "ends_at"])
    return events.close_event(
        event=event,
        by=organiser,
        body="Nous avons parlé de **Twitter** et de Facebook.",
        attendees_count=15,
    )


@pytest.fixture
def trusted(db: Any) -> User:
    """A member the review policy lets publish directly."""
    return UserFactory(email="yann@example.org", display_name="Yann Le Goff", trust_level=3)


@pytest.fixture
def newcomer(db: Any) -> User:
    """A member whose comments the review policy holds."""
    return UserFactory(email="nina@example.org", display_name="Nina Perrot", trust_level=0)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (the emails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def smtp(smtp_server: Any, settings: Any) -> Any:
    settings.SITE_URL = "https://docarennes.example"
    settings.DEFAULT_FROM_EMAIL = "Doc@Rennes <noreply@docarennes.example>"
    return smtp_server
