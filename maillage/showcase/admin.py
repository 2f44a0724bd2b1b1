"""Admin pages for projects, their evidence and the Webmentions received. The review state
changes through the moderation queue (core.review), as on the site."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from maillage.core.admin import CoordinatorAccessMixin
from maillage.showcase.models import (
    Evidence,
    Platform,
    Project,
    ProjectAudience,
    ProjectLink,
    Webmention,
)

URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class ProjectAudienceInline(admin.TabularInline):
    model = ProjectAudience
    extra = 0


class ProjectLinkInline(admin.TabularInline):
    model = ProjectLink
    formfield_overrides = URL_FIELDS
    extra = 0


class EvidenceInline(admin.StackedInline):
    model = Evidence
    formfield_overrides = URL_FIELDS
    extra = 0
    fields = ["kind", "status", "date", "title", "source_url", "publication", "quote"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "institution", "kind", "status", "review_state", "visibility"]
    list_filter = ["kind", "status", "review_state", "visibility", "region", "is_demo"]
    search_fields = ["name", "summary", "slug", "institution__name"]
    date_hierarchy = "published_at"
    filter_horizontal = ["tags", "platforms"]
    raw_id_fields = ["institution", "contact", "proposed_by"]
    readonly_fields = ["review_state", "published_at", "created_at", "updated_at"]
    inlines = [ProjectAudienceInline, ProjectLinkInline, EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["__str__", "project", "kind", "status", "origin", "date"]
    list_filter = ["kind", "status", "origin", "reading_state", "is_demo"]
    search_fields = ["title", "quote", "publication", "metric", "project__name"]
    raw_id_fields = ["project", "added_by"]


@admin.register(Platform)
class PlatformAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Webmention)
class WebmentionAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["source", "project", "status", "received_at", "verified_at"]
    list_filter = ["status"]
    search_fields = ["source", "target"]
    raw_id_fields = ["project", "evidence"]
    readonly_fields = ["received_at", "verified_at", "sender_ip"]
