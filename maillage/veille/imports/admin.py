from django.contrib import admin

from maillage.core.admin import CoordinatorAccessMixin
from maillage.veille.imports.models import ImportIssue, ImportJob


class ImportIssueInline(admin.TabularInline):
    model = ImportIssue
    extra = 0
    can_delete = False
    fields = ("kind", "sheet", "line", "reason", "detail", "raw")
    readonly_fields = ("kind", "sheet", "line", "reason", "detail", "raw")
    max_num = 0
    show_change_link = False


@admin.register(ImportJob)
class ImportJobAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "format",
        "status",
        "rows_read",
        "imported",
        "merged",
        "rejected",
        "created_at",
    ]
    list_filter = ["status", "format", "origin"]
    search_fields = ["original_name", "owner__email"]
    raw_id_fields = ["owner"]
    readonly_fields = [
        "file",
        "size",
        "format",
        "encoding",
        "rows_read",
        "imported",
        "merged",
        "rejected",
        "remarks",
        "started_at",
        "finished_at",
        "attempts",
        "error_code",
        "error_params",
        "last_bookmark_id",
        "reading_cursor",
    ]
    date_hierarchy = "created_at"


@admin.register(ImportIssue)
class ImportIssueAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["job", "kind", "sheet", "line", "reason", "detail"]
    list_filter = ["kind", "reason"]
    raw_id_fields = ["job"]
