from django.contrib import admin

from maillage.core.admin import CoordinatorAccessMixin
from maillage.veille.models import Bookmark, BookmarkList, ListItem


@admin.register(Bookmark)
class BookmarkAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["display_title", "owner", "visibility", "source", "fetch_status", "created_at"]
    list_filter = ["visibility", "source", "fetch_status", "to_read"]
    search_fields = ["title", "page_title", "normalised_url", "owner__email"]
    raw_id_fields = ["owner"]
    autocomplete_fields = ["tags"]
    readonly_fields = ["normalised_url", "url_digest", "fetched_at", "fetch_error"]
    date_hierarchy = "created_at"


class ListItemInline(admin.TabularInline):
    model = ListItem
    raw_id_fields = ["bookmark"]
    extra = 0


@admin.register(BookmarkList)
class BookmarkListAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "is_network_list", "visibility"]
    list_filter = ["is_network_list", "visibility"]
    search_fields = ["title"]
    raw_id_fields = ["owner"]
    inlines = [ListItemInline]
