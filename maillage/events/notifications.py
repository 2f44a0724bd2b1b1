"""The emails of an event's life, in the person's language: plain text, HTML, and .ics when due.

Each email re-checks the registration's state before it goes (a task may run after things moved
on: an offer accepted, an event moved again); `send_registration_email` says whether it sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from maillage.core.mail import calendar_attachment, send_templated_email
from maillage.events import dates
from maillage.events.ical import absolute_url, event_ics
from maillage.events.models import (
    ACTIVE_STATUSES,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from maillage.members.models import Role, User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistrationEmail:
    # The registration must still be in one of these statuses when the email leaves.
    statuses: tuple[str, ...]
    # Attach the event as an .ics with this METHOD (None: no attachment).
    ics_method: str | None = None


REGISTRATION_EMAILS: dict[str, RegistrationEmail] = {
    "confirmed": RegistrationEmail((RegistrationStatus.CONFIRMED,), "REQUEST"),
    "guest_confirmation": RegistrationEmail((RegistrationStatus.PENDING,)),
    "waiting_list": RegistrationEmail((RegistrationStatus.WAITING,)),
    "offer": RegistrationEmail((RegistrationStatus.OFFERED,)),
    "offer_expired": RegistrationEmail((RegistrationStatus.CANCELLED,)),
    "registration_cancelled": RegistrationEmail((RegistrationStatus.CANCELLED,), "CANCEL"),
    "event_updated": RegistrationEmail((RegistrationStatus.CONFIRMED,), "REQUEST"),
    "event_cancelled": RegistrationEmail(tuple(ACTIVE_STATUSES), "CANCEL"),
    "reminder": RegistrationEmail((RegistrationStatus.CONFIRMED,)),
}

ORGANISER_EMAILS = ("organiser_filling", "organiser_close_reminder")


def _url(name: str, **kwargs: Any) -> str:
    return absolute_url(reverse(f"events:{name}", kwargs=kwargs))


def event_context(event: Event) -> dict[str, Any]:
    """What every event email shows; call it with the recipient's language active."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "event": event,
        "when": dates.when_text(event),
        "date": dates.date_text(event.starts_at, event.time_zone),
        "start_time": dates.time_text(event.starts_at, event.time_zone),
        "duration": dates.duration_text(event.duration),
        "place": dates.place_text(event),
        "event_url": _url("detail", slug=event.slug),
    }


def registration_context(registration: Registration) -> dict[str, Any]:
    event = registration.event
    token = registration.token
    context = event_context(event)
    context.update(
        {
            "registration": registration,
            "name": registration.name,
            "check_in_code": registration.check_in_code,
            # The online link is for people with a place (the pages hide it from the others).
            "show_online_link": registration.status
            in (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED),
            "registration_url": _url("registration", token=token),
            "cancel_url": _url("cancel_registration", token=token),
            "confirm_url": _url("confirm_guest", token=token),
            "accept_url": _url("accept_offer", token=token),
            "decline_url": _url("decline_offer", token=token),
        }
    )
    if registration.offer_expires_at:
        context["offer_deadline"] = dates.moment_text(
            registration.offer_expires_at, event.time_zone
        )
    return context


def _still_due(registration: Registration, kind: str, extra: dict[str, Any]) -> bool:
    spec = REGISTRATION_EMAILS[kind]
    event = registration.event
    if not registration.email or registration.status not in spec.statuses:
        return False
    if kind == "event_cancelled":
        return event.status == EventStatus.CANCELLED
    if event.status != EventStatus.PUBLISHED:
        return False
    if kind == "event_updated":
        # A later change supersedes this one: its own email carries the newer details.
        return extra.get("sequence") == event.ical_sequence
    if kind == "offer":
        return bool(
            registration.offer_expires_at and registration.offer_expires_at > timezone.now()
        )
    return True


def send_registration_email(registration: Registration, kind: str, **extra: Any) -> bool:
    """Send `kind` (a key of REGISTRATION_EMAILS) if it still applies; True when sent."""
    if not _still_due(registration, kind, extra):
        logger.info("Email %s to registration %s no longer due", kind, registration.pk)
        return False
    spec = REGISTRATION_EMAILS[kind]
    language = registration.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**registration_context(registration), **extra}
        method = spec.ics_method
        if kind == "registration_cancelled" and not extra.get("had_place"):
            method = None  # it was never in their calendar
        attachments = []
        if method:
            content = event_ics(registration.event, method=method, registration=registration)
            attachments.append(calendar_attachment(content, method=method))
        send_templated_email(
            to=registration.email,
            subject_template=f"events/emails/{kind}_subject.txt",
            body_template=f"events/emails/{kind}.txt",
            html_template=f"events/emails/{kind}.html",
            context=context,
            attachments=attachments,
        )
    return True


def organisers_of(event: Event) -> list[User]:
    """Who hears about the event's filling and closing: its organisers, else its creator, else the
    coordinators."""
    organisers = list(event.organisers.filter(is_active=True))
    if organisers:
        return organisers
    if event.created_by is not None and event.created_by.is_active:
        return [event.created_by]
    return list(
        User.objects.filter(is_active=True).filter(Q(role=Role.COORDINATOR) | Q(is_superuser=True))
    )


def send_organiser_email(event: Event, kind: str, **extra: Any) -> int:
    """Send `kind` (one of ORGANISER_EMAILS) to each organiser; how many were sent."""
    if kind not in ORGANISER_EMAILS:
        raise ValueError(f"Unknown organiser email {kind!r}")
    sent = 0
    # Members have no language preference yet: organisers read the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        for organiser in organisers_of(event):
            context = {
                **event_context(event),
                "name": organiser.display_name,
                "check_in_url": _url("check_in", slug=event.slug),
                "show_online_link": True,
                **extra,
            }
            send_templated_email(
                to=organiser.email,
                subject_template=f"events/emails/{kind}_subject.txt",
                body_template=f"events/emails/{kind}.txt",
                html_template=f"events/emails/{kind}.html",
                context=context,
            )
            sent += 1
    return sent
