"""Admin pages for comments. The status is read-only: it changes through the services (the
moderation queue's callbacks, deleting), never by hand."""

from django.contrib import admin

from maillage.articles.comments.models import Comment, CommentSubscription
from maillage.core.admin import CoordinatorAccessMixin


@admin.register(Comment)
class CommentAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "content_type", "object_id", "created_at"]
    list_filter = ["status", "content_type"]
    search_fields = ["body", "guest_name", "guest_email", "author__display_name"]
    raw_id_fields = ["author", "parent", "thread"]
    readonly_fields = ["status", "published_at", "deleted_at", "edited_at"]
    date_hierarchy = "created_at"


@admin.register(CommentSubscription)
class CommentSubscriptionAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["email", "content_type", "object_id", "created_at", "unsubscribed_at"]
    search_fields = ["email"]
    raw_id_fields = ["user"]
