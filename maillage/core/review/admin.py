"""Admin pages for the review policy and the decisions (reviewing happens in /moderation/)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from maillage.core.admin import CoordinatorAccessMixin
from maillage.core.review.models import ReviewPolicy, ReviewRecord


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["__str__", "trust_level_to_publish", "max_links", "silence_hours", "updated_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not ReviewPolicy.objects.exists() and super().has_add_permission(request, *args)


@admin.register(ReviewRecord)
class ReviewRecordAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    """Read-only: a decision is history; the queue's transitions are the only way to change one."""

    list_display = ["__str__", "kind", "author", "action", "state", "created_at", "resolved_at"]
    list_filter = ["state", "action", "kind"]
    search_fields = ["author__display_name", "author__email", "guest_email"]
    date_hierarchy = "created_at"
    list_select_related = ["author", "content_type"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
