"""Queries that read events and registrations, always on behalf of a viewer.

Who sees what: a published event follows its visibility level (public, members, private to its
creator); a draft is seen only by coordinators and the event's organisers, who also see every
event they organise whatever its level. Lists annotate places taken, so a page of cards costs the
same few queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.articles.selectors import first_report_slug
from maillage.core.models import Tag
from maillage.core.visibility import visible_q
from maillage.events import services
from maillage.events.models import (
    ACTIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    CalendarFeedToken,
    Event,
    EventKind,
    EventQuerySet,
    EventStatus,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from maillage.members.models import User

EVENT_PAGE_SIZE = 12
HOME_EVENT_COUNT = 3


def is_member(viewer: Any) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def is_coordinator(viewer: Any) -> bool:
    return is_member(viewer) and bool(getattr(viewer, "is_coordinator", False))


def can_manage(viewer: Any, event: Event) -> bool:
    """Coordinators and the event's team (organisers, facilitators, its creator): participants,
    check-in, exports, editing and closing (the services' own rule)."""
    if not is_member(viewer):
        return False
    return services.can_manage_event(viewer, event)


def can_create_events(viewer: Any) -> bool:
    return is_coordinator(viewer)


# --- Which events a viewer may see ---------------------------------------------------------------


def _managed_by(viewer: Any) -> Q:
    """Events the viewer runs (services.can_manage_event's rule, inside the query)."""
    organiser = Event.organisers.through.objects.filter(event=OuterRef("pk"), user=viewer.pk)
    facilitator = Event.facilitators.through.objects.filter(event=OuterRef("pk"), user=viewer.pk)
    return Q(created_by=viewer.pk) | Q(Exists(organiser)) | Q(Exists(facilitator))


def visible_events(viewer: Any) -> EventQuerySet:
    """Every event the viewer may open, drafts included for those allowed to see them."""
    events = Event.objects.all()
    if is_coordinator(viewer):
        return events
    announced = ~Q(status=EventStatus.DRAFT) & visible_q(viewer, owner_field="created_by")
    if is_member(viewer):
        return events.filter(announced | _managed_by(viewer))
    return events.filter(announced)


def listed_events(viewer: Any) -> EventQuerySet:
    """visible_events with what a card shows: tags, facilitators, places taken, people waiting,
    and the slug of the report (an article) the viewer may read."""
    taken = (
        Registration.objects.filter(event=OuterRef("pk"), status__in=PLACE_HOLDING_STATUSES)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    waiting = (
        Registration.objects.filter(event=OuterRef("pk"), status=RegistrationStatus.WAITING)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        visible_events(viewer)
        .annotate(
            places_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0)),
            waiting_count=Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0)),
            report_slug=first_report_slug(viewer),
        )
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("facilitators", queryset=User.objects.order_by("display_name")),
        )
    )


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    tag: str = ""  # a tag's slug


def _filtered(events: EventQuerySet, filters: EventFilters | None) -> EventQuerySet:
    if filters is None:
        return events
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.tag:
        events = events.filter(
            Exists(Event.tags.through.objects.filter(event=OuterRef("pk"), tag__slug=filters.tag))
        )
    return events


def upcoming_events_for(viewer: Any, filters: EventFilters | None = None) -> EventQuerySet:
    """Events not over yet, soonest first (cancelled ones stay, marked, so people know)."""
    return _filtered(listed_events(viewer), filters).upcoming()


def past_events_for(viewer: Any, filters: EventFilters | None = None) -> EventQuerySet:
    """Events that are over, latest first; drafts of the past are of no interest here."""
    return _filtered(listed_events(viewer).published(), filters).past()


def next_events_for(viewer: Any, count: int = HOME_EVENT_COUNT) -> list[Event]:
    """The home page's few next events: announced and still to come (no drafts, no cancelled)."""
    events = listed_events(viewer).filter(status=EventStatus.PUBLISHED).upcoming()
    return list(events[:count])


def tags_in_use_for(viewer: Any) -> QuerySet[Tag]:
    """Tags of the events the viewer can see (the filter's choices)."""
    return Tag.objects.filter(
        Exists(visible_events(viewer).filter(tags=OuterRef("pk")).exclude(status="draft"))
    ).order_by("name")


def event_for(viewer: Any, slug: str) -> Event | None:
    """One event's page, or None when it does not exist or the viewer may not see it."""
    return (
        listed_events(viewer)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("questions", queryset=RegistrationQuestion.objects.order_by("position", "pk")),
        )
        .filter(slug=slug)
        .first()
    )


def places_left(event: Event) -> int | None:
    """None for an event without a limit; never negative."""
    if event.capacity is None:
        return None
    taken = getattr(event, "places_taken", None)
    if taken is None:
        taken = event.registrations.filter(status__in=PLACE_HOLDING_STATUSES).count()
    return max(0, event.capacity - taken)


def registration_open(event: Event, now: Any = None) -> bool:
    """Whether the event takes registrations now (services._check_open's rule, to show or hide
    the form; the service still decides)."""
    now = now or timezone.now()
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return False
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    return not (event.registration_closes_at and now >= event.registration_closes_at)


# --- Registrations -------------------------------------------------------------------------------


def registration_of(viewer: Any, event: Event) -> Registration | None:
    """The viewer's own active registration for the event (members only)."""
    if not is_member(viewer):
        return None
    return (
        Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
        .filter(Q(user=viewer) | Q(user__isnull=True, email__iexact=viewer.email))
        .order_by("-created_at")
        .first()
    )


def registration_by_token(token: str) -> Registration | None:
    return (
        Registration.objects.select_related("event", "user")
        .prefetch_related("answers__question")
        .filter(token=token)
        .first()
    )


def place_in_line(registration: Registration) -> int | None:
    """1 for the first person waiting; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITING or registration.waiting_since is None:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(waiting_since__lt=registration.waiting_since)
        | Q(waiting_since=registration.waiting_since, pk__lt=registration.pk)
    )
    return ahead.count() + 1


STATUS_ORDER = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.OFFERED: 1,
    RegistrationStatus.WAITING: 2,
    RegistrationStatus.PENDING: 3,
    RegistrationStatus.CANCELLED: 4,
}


def participants(event: Event, *, include_cancelled: bool = False) -> QuerySet[Registration]:
    """The people registered (for organisers): by name, with their answers."""
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("user")
        .prefetch_related("answers__question")
        .order_by("name", "pk")
    )
    if not include_cancelled:
        registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    return registrations


def expected_attendees(event: Event, search: str = "") -> QuerySet[Registration]:
    """Who may come through the door: confirmed people (and walk-ins), searched by name."""
    people = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).order_by(
        "name", "pk"
    )
    search = search.strip()
    if search:
        people = people.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(check_in_code__iexact=search)
            | Q(institution_name__icontains=search)
        )
    return people


def registration_counts(event: Event) -> dict[str, int]:
    counts = dict(
        Registration.objects.filter(event=event)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    counts["checked_in"] = Registration.objects.filter(
        event=event, checked_in_at__isnull=False
    ).count()
    return counts


def report_slug_of(event: Event, viewer: Any) -> str | None:
    """The slug of the event's first report (an article) that the viewer may read, or None."""
    found = Event.objects.filter(pk=event.pk).annotate(report_slug=first_report_slug(viewer))
    return found.values_list("report_slug", flat=True).first()


# --- Calendar feeds ------------------------------------------------------------------------------


def feed_events(*, tag: str = "") -> EventQuerySet:
    """Public upcoming events announced (the anonymous feeds: a feed reader is nobody)."""
    events = (
        visible_events(None)
        .filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        .upcoming()
    )
    if tag:
        events = _filtered(events, EventFilters(tag=tag))
    return events.prefetch_related("facilitators", "tags")


def member_feed_events(token: str) -> tuple[User, EventQuerySet] | None:
    """The events a member registered for, from their private feed token."""
    feed_token = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed_token is None or not feed_token.user.is_active:
        return None
    user = feed_token.user
    registered = Registration.objects.filter(
        event=OuterRef("pk"),
        user=user,
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED],
    )
    events = (
        visible_events(user)
        .filter(Exists(registered))
        .exclude(status=EventStatus.DRAFT)
        .order_by("starts_at", "pk")
        .prefetch_related("facilitators", "tags")
    )
    return user, events


KIND_CHOICES = EventKind.choices
