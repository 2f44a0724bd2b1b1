"""The search index in the admin: read-only (it is rebuilt from the content, never edited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from maillage.core.search.models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "audience", "date", "model", "object_id", "variant")
    list_filter = ("kind", "audience")
    search_fields = ("title", "url")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
