"""Fixtures and helpers for the events engine's tests (services, tasks, emails, calendars)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from maillage.events.models import Event, Registration
from maillage.members.models import Role, User
from tests.factories import EventFactory, UserFactory


@pytest.fixture
def coordinator(db: Any) -> User:
    return UserFactory(
        email="claire@example.org", display_name="Claire Morvan", role=Role.COORDINATOR
    )


@pytest.fixture
def event(coordinator: User) -> Event:
    """A published workshop in a week, three places."""
    return EventFactory(created_by=coordinator, organisers=[coordinator], capacity=3)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed():` runs what the services queued for after the commit (the emails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def media_in_tmp(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


def people(count: int, **kwargs: Any) -> list[User]:
    return [UserFactory(**kwargs) for _ in range(count)]


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def statuses(event: Event) -> list[tuple[str, str]]:
    return list(
        Registration.objects.filter(event=event)
        .order_by("created_at", "pk")
        .values_list("email", "status")
    )


def soon(**delta: float) -> Any:
    return timezone.now() + timedelta(**delta)
