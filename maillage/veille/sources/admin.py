from django.contrib import admin

from maillage.core.admin import CoordinatorAccessMixin
from maillage.veille.sources.models import (
    Discovery,
    Entry,
    Feed,
    KeptEntry,
    ReadEntry,
    ReadUpTo,
    Subscription,
)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["member", "for_network", "title", "created_at"]
    raw_id_fields = ["member"]
    extra = 0


@admin.register(Feed)
class FeedAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = [
        "display_title",
        "url",
        "last_success_at",
        "next_fetch_at",
        "consecutive_errors",
    ]
    list_filter = ["consecutive_errors"]
    search_fields = ["title", "url"]
    readonly_fields = [
        "url_digest",
        "etag",
        "last_modified",
        "content_digest",
        "last_fetched_at",
        "last_success_at",
        "content_changed_at",
        "last_error",
        "last_error_at",
        "bozo_warning",
    ]
    inlines = [SubscriptionInline]


@admin.register(Subscription)
class SubscriptionAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["display_title", "member", "for_network", "created_at"]
    list_filter = ["for_network"]
    search_fields = ["title", "feed__title", "feed__url", "member__email"]
    raw_id_fields = ["member", "feed", "added_by"]
    autocomplete_fields = ["tags"]


@admin.register(Entry)
class EntryAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["title", "feed", "sort_at", "fetched_at"]
    search_fields = ["title", "link"]
    raw_id_fields = ["feed"]
    readonly_fields = ["digest", "fetched_at", "last_seen_at"]
    date_hierarchy = "sort_at"


@admin.register(KeptEntry)
class KeptEntryAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["entry", "user", "kept_at"]
    raw_id_fields = ["user", "entry", "bookmark"]


@admin.register(ReadEntry)
class ReadEntryAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["entry", "user", "read_at"]
    raw_id_fields = ["user", "entry"]


@admin.register(ReadUpTo)
class ReadUpToAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["feed", "user", "read_before"]
    raw_id_fields = ["user", "feed"]


@admin.register(Discovery)
class DiscoveryAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["url", "requested_by", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["requested_by"]
    filter_horizontal = ["subscriptions"]
