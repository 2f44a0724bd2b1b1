"""Fixtures for the events engine's tests: a coordinator, a small workshop, committed callbacks.

None is autouse; the pages' tests (views/) replace some with their own (views/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from maillage.events.models import Event
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
