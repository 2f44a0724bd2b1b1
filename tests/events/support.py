"""Helpers for the events engine's tests (its fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from maillage.events.models import Event, Registration
from maillage.members.models import User
from tests.factories import UserFactory


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


def calendar_of(message: mail.EmailMessage) -> Any:
    """The .ics attached to a message (a MIME part with its method), parsed with icalendar."""
    from icalendar import Calendar

    [part] = message.attachments
    assert part.get_filename().endswith(".ics")  # type: ignore[union-attr]
    assert part.get_content_type() == "text/calendar"  # type: ignore[union-attr]
    calendar = Calendar.from_ical(part.get_payload(decode=True))  # type: ignore[union-attr]
    assert part.get_param("method") == str(calendar["METHOD"])  # type: ignore[union-attr]
    return calendar
