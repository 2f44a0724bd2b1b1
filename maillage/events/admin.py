"""Admin pages for events and registrations (reports are articles); coordinators have access by
their role.

Statuses are read-only here: they change through the services' named transitions (the actions
below), so that the emails and the waiting list follow, as they do on the site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maillage.core.admin import CoordinatorAccessMixin
from maillage.events import services
from maillage.events.models import (
    CalendarFeedToken,
    Event,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    SentNotification,
)

# Addresses typed without a scheme are taken as https (Django 6's default, chosen now).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class RegistrationQuestionInline(admin.TabularInline):
    model = RegistrationQuestion
    extra = 0
    fields = ["position", "label", "kind", "choices", "required"]


@admin.register(Event)
class EventAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "kind", "starts_at", "status", "capacity", "visibility"]
    list_filter = ["status", "kind", "visibility", "tags"]
    search_fields = ["title", "summary", "place_name", "slug"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags", "facilitators", "organisers"]
    raw_id_fields = ["created_by"]
    readonly_fields = [
        "status",
        "published_at",
        "cancelled_at",
        "ical_uid",
        "ical_sequence",
        "closed_at",
        "professions_present",
        "institutions_present",
    ]
    inlines = [RegistrationQuestionInline]
    actions = ["publish", "cancel"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "description", "licence", "tags"]}),
        (
            _("People"),
            {"fields": ["facilitators", "outside_facilitators", "organisers", "created_by"]},
        ),
        (
            _("When and where"),
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "time_zone",
                    "place_name",
                    "place_address",
                    "online_url",
                ]
            },
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "offer_hours",
                    "reminder_days_before",
                    "reminder_morning_at",
                ]
            },
        ),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "visibility",
                    "published_at",
                    "cancelled_at",
                    "ical_uid",
                    "ical_sequence",
                ]
            },
        ),
        (
            _("Who came (recorded at closing)"),
            {
                "fields": [
                    "closed_at",
                    "attendees_count",
                    "professions_present",
                    "institutions_present",
                ]
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        # Through the service: a moved event sends its update to the people registered.
        services.save_event(event=obj, by=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("Publish the selected events"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._transition(request, queryset, services.publish_event)

    @admin.action(description=_("Cancel the selected events (everyone registered is told)"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._transition(request, queryset, services.cancel_event)

    def _transition(self, request: HttpRequest, queryset: QuerySet[Event], action: Any) -> None:
        done = 0
        for event in queryset:
            try:
                action(event=event, by=request.user)
            except services.RegistrationError as error:
                self.message_user(request, f"{event}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d event changed.", "%(count)d events changed.", done)
                % {"count": done},
                messages.SUCCESS,
            )


class RegistrationAnswerInline(admin.TabularInline):
    model = RegistrationAnswer
    extra = 0
    fields = ["question", "value"]
    readonly_fields = ["question"]


@admin.register(Registration)
class RegistrationAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["name", "email", "event", "status", "profession", "created_at", "checked_in_at"]
    list_filter = ["status", "walk_in", "profession", "language", "event"]
    search_fields = ["name", "email", "institution_name", "check_in_code", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event", "user"]
    readonly_fields = [
        "status",
        "created_at",
        "waiting_since",
        "confirmed_at",
        "offered_at",
        "offer_expires_at",
        "cancelled_at",
        "checked_in_at",
        "walk_in",
        "token",
        "check_in_code",
    ]
    inlines = [RegistrationAnswerInline]
    actions = ["cancel"]

    @admin.action(
        description=_("Cancel the selected registrations (places go to the waiting list)")
    )
    def cancel(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        for registration in queryset:
            try:
                services.cancel_registration(registration=registration)
            except services.RegistrationError as error:
                self.message_user(request, f"{registration}: {error}", messages.WARNING)


@admin.register(SentNotification)
class SentNotificationAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    """Read-only: which reminders and alerts went out (deleting one would let it go again)."""

    list_display = ["kind", "event", "registration", "scheduled_for", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["event", "registration"]
    search_fields = ["event__title", "registration__email"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__display_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["token", "created_at"]
