"""iCalendar (RFC 5545) for events: the .ics sent by email and the subscribable feeds.

Times are written in the event's own time zone (DTSTART;TZID=Europe/Paris:…) with the VTIMEZONE
that defines it, so that calendars keep the wall-clock time right across daylight-saving changes.
One UID per event for its whole life; SEQUENCE grows with every change sent to people (RFC 5546).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from maillage.core.mail import sender_address
from maillage.events.dates import place_text
from maillage.events.models import (
    CalendarFeedToken,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    new_token,
)
from maillage.members.models import User

METHODS = ("PUBLISH", "REQUEST", "CANCEL")
# How often subscribed calendars should come back for the feed.
FEED_REFRESH_INTERVAL = timedelta(hours=1)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "maillage"
    return f"{event.ical_uid}@{host}"


def _product_id() -> str:
    return f"-//Maillage//{settings.SITE_NAME}//FR"


def _plain_description(event: Event, url: str, *, online_link: bool) -> str:
    # Markdown source reads as plain text; calendars show DESCRIPTION as plain text.
    parts = [event.summary.strip(), event.description.strip()]
    if event.online_url and online_link:
        parts.append(event.online_url)
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def _address(email: str, name: str, **params: str) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address


def _vevent(
    event: Event,
    *,
    method: str,
    registration: Registration | None,
    now: datetime,
    online_link: bool,
) -> icalendar.Event:
    zone = ZoneInfo(event.time_zone)
    url = absolute_url(reverse("events:detail", kwargs={"slug": event.slug}))
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", now)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("sequence", event.ical_sequence)
    component.add("summary", event.title)
    cancelled = method == "CANCEL" or event.status == EventStatus.CANCELLED
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = place_text(event)
    if not location and event.online_url:
        location = event.online_url if online_link else gettext("Online")
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("description", _plain_description(event, url, online_link=online_link))
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at or event.created_at)
    component.add("class", "PUBLIC")
    if method in ("REQUEST", "CANCEL"):
        # Scheduling messages need an organizer; replies are not expected (RSVP=FALSE), the
        # links in the email are the way to answer.
        name, email = parseaddr(sender_address())
        component.add("organizer", _address(email, name or settings.SITE_NAME))
        if registration is not None and registration.email:
            accepted = registration.status in (
                RegistrationStatus.CONFIRMED,
                RegistrationStatus.OFFERED,
            )
            component.add(
                "attendee",
                _address(
                    registration.email,
                    registration.name,
                    ROLE="REQ-PARTICIPANT",
                    PARTSTAT="ACCEPTED" if accepted and not cancelled else "DECLINED",
                    RSVP="FALSE",
                ),
            )
    return component


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", _product_id())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _add_time_zones(calendar: icalendar.Calendar, events: list[Event]) -> None:
    if not events:
        return
    # The VTIMEZONE only needs to cover the calendar's dates: a year either side keeps it short.
    first = min(event.starts_at for event in events) - timedelta(days=366)
    last = max(event.ends_at for event in events) + timedelta(days=366)
    calendar.add_missing_timezones(first_date=first.date(), last_date=last.date())


def event_ics(
    event: Event, *, method: str = "PUBLISH", registration: Registration | None = None
) -> bytes:
    """One event as an .ics file: PUBLISH (add to my calendar), REQUEST (an invitation or its
    update, for a registration) or CANCEL.

    The online link is only for people with a place: it is written for a confirmed (or offered)
    registration, and left out of the public file.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown iCalendar method {method!r}")
    online_link = registration is not None and registration.status in (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.OFFERED,
    )
    calendar = _calendar(method)
    calendar.add_component(
        _vevent(
            event,
            method=method,
            registration=registration,
            now=timezone.now(),
            online_link=online_link,
        )
    )
    _add_time_zones(calendar, [event])
    return bytes(calendar.to_ical())


def calendar_feed(
    events: Iterable[Event], *, name: str, include_online_links: bool = False
) -> bytes:
    """A subscribable calendar of these events (cancelled ones say so, STATUS:CANCELLED).

    Online links are left out unless `include_online_links` (a member's private feed of the
    events where they have a place).
    """
    calendar = _calendar("PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", FEED_REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH_INTERVAL)
    now = timezone.now()
    events = list(events)
    for event in events:
        calendar.add_component(
            _vevent(
                event,
                method="PUBLISH",
                registration=None,
                now=now,
                online_link=include_online_links,
            )
        )
    _add_time_zones(calendar, events)
    return bytes(calendar.to_ical())


# --- The private per-member feed ----------------------------------------------------------------


def feed_token_for(user: User) -> CalendarFeedToken:
    """The member's feed token, made on first use."""
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


def regenerate_feed_token(user: User) -> CalendarFeedToken:
    """A new secret: the old feed URL stops working (a member who shared it by mistake)."""
    token, created = CalendarFeedToken.objects.get_or_create(user=user)
    if not created:
        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token
