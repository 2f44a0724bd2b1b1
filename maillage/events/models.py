"""Workshops and other events: announcement, registrations and waiting list, attendance; their
reports are articles attached to them (maillage.articles)."""

from __future__ import annotations

import secrets
import string
import uuid
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.licences import licence_field
from maillage.core.tags import free_slug
from maillage.core.visibility import Visibility, VisibilityQuerySet, visibility_field
from maillage.members.models import Profession


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("workshop")
    MEETUP = "meetup", _("meetup")
    TRAINING = "training", _("training")
    TALK = "talk", _("talk")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")
    CLOSED = "closed", _("closed")


# Paths of events/urls.py that an event's slug must not shadow.
RESERVED_EVENT_SLUGS = frozenset({"passes", "nouveau", "mon-calendrier", "inscription"})


class EventQuerySet(VisibilityQuerySet["Event"]):
    visibility_owner_field = "created_by"

    def published(self) -> EventQuerySet:
        """Announced events, including cancelled and closed ones (their pages stay up)."""
        return self.exclude(status=EventStatus.DRAFT)

    def upcoming(self, now: Any = None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: Any = None) -> EventQuerySet:
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    licence = licence_field()
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="events"
    )

    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_events",
    )
    outside_facilitators = models.CharField(
        _("outside facilitators"),
        max_length=300,
        blank=True,
        help_text=_("Names of speakers who are not members, separated by commas."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
        help_text=_("They see the participants, check people in and write the report."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_events",
    )

    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    place_address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)

    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed place"),
        default=24,
        help_text=_("Shortened automatically when the event is close."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before"), null=True, blank=True, default=2
    )
    reminder_morning_at = models.TimeField(
        _("reminder on the morning of the event"), null=True, blank=True, default=time(8, 0)
    )

    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    visibility = visibility_field(default=Visibility.PUBLIC)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # What closing records beside the report (an article attached to the event): who came, as
    # counted then. Snapshots ({"librarian": 6, …}, {"Médiathèque …": 2, …}) keep telling who
    # came even if registrations change later; the count may be corrected by hand.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    attendees_count = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    professions_present = models.JSONField(_("professions present"), default=dict, blank=True)
    institutions_present = models.JSONField(_("institutions present"), default=dict, blank=True)
    # iCalendar: one UID for the event's life; SEQUENCE grows with each change sent to people.
    ical_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(
                self,
                self.title,
                fallback="evenement",
                max_length=180,
                reserved=RESERVED_EVENT_SLUGS,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for email confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    OFFERED = "offered", _("place offered")
    CANCELLED = "cancelled", _("cancelled")


# Statuses that hold a place (an offered place is held until the offer expires).
PLACE_HOLDING_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
CHECK_IN_CODE_ALPHABET = "".join(
    c for c in string.ascii_uppercase + string.digits if c not in "O0I1"
)


def new_check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_CODE_ALPHABET) for _ in range(6))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """One person's place (or place in line) for an event: a member, or a guest by email."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    # For members, copied from the profile at registration: the attendance record must survive
    # a later profile change or deletion.
    name = models.CharField(_("name"), max_length=120)
    # Blank only for someone added at the door without an address.
    email = models.EmailField(_("email address"), blank=True)
    profession = models.CharField(
        _("profession"), max_length=30, choices=Profession.choices, blank=True
    )
    institution_name = models.CharField(_("institution"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")

    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    # Arrival order on the waiting list: set when the person joins the list.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    walk_in = models.BooleanField(_("added at the door"), default=False)

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    check_in_code = models.CharField(_("check-in code"), max_length=8, default=new_check_in_code)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # A person cannot register twice (a cancelled registration does not count, nor do
            # people added at the door without an address).
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="events_registration_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "check_in_code"], name="events_registration_unique_code"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("free text")
    CHOICE = "choice", _("one choice")


class RegistrationQuestion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One per line (for a choice).")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RegistrationAnswer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.TextField(_("answer"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="events_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value[:40]}"


class NotificationKind(models.TextChoices):
    REMINDER_DAYS_BEFORE = "reminder_days_before", _("reminder days before")
    REMINDER_MORNING = "reminder_morning", _("reminder on the morning")
    FILLED_50 = "filled_50", _("half full")
    FILLED_80 = "filled_80", _("80 percent full")
    FILLED_100 = "filled_100", _("full")
    CLOSE_REMINDER = "close_reminder", _("reminder to close the event")


class SentNotification(models.Model):
    """A scheduled message that went out: the unique key makes every reminder send at most once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    # Part of the key so that a reminder re-arms when the event moves to another date.
    scheduled_for = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        constraints = [
            # Two partial constraints rather than nulls_distinct, which SQLite does not know.
            models.UniqueConstraint(
                fields=["event", "registration", "kind", "scheduled_for"],
                condition=Q(registration__isnull=False),
                name="events_notification_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "kind", "scheduled_for"],
                condition=Q(registration__isnull=True),
                name="events_notification_once_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.event}"


class CalendarFeedToken(models.Model):
    """The secret in a member's private calendar feed URL; regenerating it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user}"
