"""Helpers for the events pages' tests (tests/events/views/): events at given times, registrations.

Their fixtures (English pages, people in roles) are in tests/events/views/conftest.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from maillage.core.visibility import Visibility
from maillage.events.models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    new_check_in_code,
)
from maillage.members.models import User
from tests.factories import UserFactory


def make_event(
    *,
    title: str = "Wikipédia en bibliothèque",
    starts_in: timedelta = timedelta(days=10),
    duration: timedelta = timedelta(hours=1, minutes=45),
    status: str = EventStatus.PUBLISHED,
    visibility: str = Visibility.PUBLIC,
    capacity: int | None = 15,
    organisers: tuple[User, ...] = (),
    **fields: Any,
) -> Event:
    starts_at = fields.pop("starts_at", None) or timezone.now() + starts_in
    fields.setdefault("kind", EventKind.WORKSHOP)
    fields.setdefault("place_name", "Bibliothèque des Champs Libres")
    if "created_by" not in fields:
        fields["created_by"] = organisers[0] if organisers else UserFactory()
    event = Event.objects.create(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        status=status,
        visibility=visibility,
        capacity=capacity,
        published_at=timezone.now() if status != EventStatus.DRAFT else None,
        **fields,
    )
    if organisers:
        event.organisers.set(organisers)
    return event


def add_registration(
    event: Event,
    *,
    name: str = "Anne Invitée",
    email: str | None = None,
    status: str = RegistrationStatus.CONFIRMED,
    user: User | None = None,
    **fields: Any,
) -> Registration:
    now = timezone.now()
    if status == RegistrationStatus.WAITING:
        fields.setdefault("waiting_since", now)
    if status == RegistrationStatus.CONFIRMED:
        fields.setdefault("confirmed_at", now)
    count = Registration.objects.count()
    return Registration.objects.create(
        event=event,
        user=user,
        name=user.display_name if user else name,
        email=user.email if user else (email or f"personne{count}@example.org"),
        status=status,
        check_in_code=new_check_in_code(),
        **fields,
    )


def fill(event: Event, count: int) -> list[Registration]:
    return [
        add_registration(event, name=f"Personne {index}", email=f"p{index}-{event.pk}@example.org")
        for index in range(count)
    ]


def html(response: Any) -> str:
    return response.content.decode()
