"""Admin pages for articles, their links to go further, attachments and link suggestions.

Statuses are read-only here: they change through the services' named transitions (the actions
below), as they do on the site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maillage.articles import services
from maillage.articles.models import (
    VERBATIM_FIELDS,
    Article,
    ArticleAttachment,
    FurtherLink,
    LinkSuggestion,
)
from maillage.core.admin import CoordinatorAccessMixin

# Addresses typed without a scheme are taken as https (Django 6's default, chosen now).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class FurtherLinkInline(admin.TabularInline):
    model = FurtherLink
    formfield_overrides = URL_FIELDS
    extra = 0
    fields = ["position", "title", "url", "note", "suggested_by_name"]


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 0
    fields = ["title", "file", "uploaded_at"]


@admin.register(Article)
class ArticleAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "status", "published_at", "visibility", "licence", "event"]
    list_filter = ["status", "visibility", "licence", "language", "tags"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors", "tags"]
    raw_id_fields = ["created_by", "event"]
    readonly_fields = ["status", "published_at", "published_by", "archived_at"]
    inlines = [FurtherLinkInline, ArticleAttachmentInline]
    actions = ["publish", "archive"]

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None) -> Any:
        # A NoDerivatives republication keeps its words here too (see Article.is_verbatim_only).
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_verbatim_only:
            readonly += VERBATIM_FIELDS
        return readonly

    def get_prepopulated_fields(self, request: HttpRequest, obj: Article | None = None) -> Any:
        if obj is not None and obj.is_verbatim_only:
            return {}  # the title is read-only: nothing to fill the slug from
        return super().get_prepopulated_fields(request, obj)

    @admin.action(description=_("Publish the selected articles now"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._transition(request, queryset, services.publish_article)

    @admin.action(description=_("Archive the selected articles"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._transition(request, queryset, services.archive_article)

    def _transition(self, request: HttpRequest, queryset: QuerySet[Article], action: Any) -> None:
        for article in queryset:
            try:
                action(article=article, by=request.user)
            except services.ArticleError as error:
                self.message_user(request, f"{article}: {error}", messages.WARNING)


@admin.register(FurtherLink)
class FurtherLinkAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "article", "suggested_by_name", "added_at"]
    search_fields = ["title", "url", "note"]
    raw_id_fields = ["article", "suggested_by"]


@admin.register(LinkSuggestion)
class LinkSuggestionAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "article", "name", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "url", "name", "email"]
    raw_id_fields = ["article", "user", "decided_by", "link"]
    readonly_fields = ["status", "decided_at", "decided_by", "link"]


@admin.register(ArticleAttachment)
class ArticleAttachmentAdmin(CoordinatorAccessMixin, admin.ModelAdmin):
    list_display = ["title", "article", "uploaded_at"]
    search_fields = ["title", "file", "article__title"]
    raw_id_fields = ["article"]
