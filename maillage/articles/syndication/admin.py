"""Admin pages for partner feeds and their items. What a fetch records is read-only here: it
changes through the fetches, and an item becomes an article through the coordinators' page."""

from django.contrib import admin

from maillage.articles.syndication.models import FeedItem, Subscription
from maillage.core.admin import CoordinatorAccessMixin


@admin.register(Subscription)
class SubscriptionAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["name", "feed_url", "is_active", "last_status", "last_fetched_at"]
    list_filter = ["is_active", "last_status"]
    search_fields = ["name", "feed_url", "site_url"]
    raw_id_fields = ["created_by"]
    readonly_fields = [
        "feed_title",
        "last_fetched_at",
        "last_status",
        "last_error",
        "failure_count",
    ]


@admin.register(FeedItem)
class FeedItemAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["title", "subscription", "published_at", "licence", "article"]
    list_filter = ["subscription", "licence"]
    search_fields = ["title", "link", "author"]
    raw_id_fields = ["subscription", "article", "shared_by"]
    readonly_fields = ["guid", "fetched_at", "updated_at", "shared_at", "shared_by"]
    date_hierarchy = "published_at"
