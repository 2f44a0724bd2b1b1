"""The shared watch: bookmarks (one per owner and page) and curated lists of them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import free_slug
from maillage.core.visibility import Visibility, VisibilityQuerySet, visibility_field

URL_MAX_LENGTH = 2000


class BookmarkSource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    BOOKMARKLET = "bookmarklet", _("Bookmarklet")
    IMPORT = "import", _("Import")
    FEED = "feed", _("Kept from a source")


class PageFetchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Read")
    FAILED = "failed", _("Could not be read")


class BookmarkQuerySet(VisibilityQuerySet["Bookmark"]):
    def shared(self) -> BookmarkQuerySet:
        """What the network's shared watch shows: not private, whoever the viewer is."""
        return self.exclude(visibility=Visibility.PRIVATE)

    def to_read(self) -> BookmarkQuerySet:
        return self.filter(to_read=True)


class Bookmark(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="bookmarks",
        # The (owner, created_at) index serves every lookup by owner: one index less to fill
        # on each insert (a large import writes 100,000 of them).
        db_index=False,
    )
    url = models.URLField(_("address"), max_length=URL_MAX_LENGTH)
    normalised_url = models.URLField(_("normalised address"), max_length=URL_MAX_LENGTH)
    url_digest = models.CharField(max_length=64, editable=False)
    title = models.CharField(_("title"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="bookmarks"
    )
    visibility = visibility_field(default=Visibility.MEMBERS)
    to_read = models.BooleanField(_("to read"), default=False)
    source = models.CharField(
        _("added through"),
        max_length=20,
        choices=BookmarkSource.choices,
        default=BookmarkSource.MANUAL,
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    # What the page says about itself, read in the background (trafilatura).
    fetch_status = models.CharField(
        _("page reading"),
        max_length=10,
        choices=PageFetchStatus.choices,
        default=PageFetchStatus.PENDING,
    )
    fetched_at = models.DateTimeField(_("page read"), null=True, blank=True)
    fetch_error = models.CharField(_("reading error"), max_length=300, blank=True)
    page_title = models.CharField(_("page title"), max_length=300, blank=True)
    page_description = models.TextField(_("page description"), blank=True)
    page_language = models.CharField(_("page language"), max_length=20, blank=True)
    page_text = models.TextField(_("main text of the page"), blank=True)
    site_name = models.CharField(_("site name"), max_length=200, blank=True)
    preview_image_url = models.URLField(_("preview image"), max_length=URL_MAX_LENGTH, blank=True)
    favicon = models.FileField(_("site icon"), upload_to="veille/favicons/", blank=True)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            # Page first: the same index finds an owner's bookmark of a page and everyone's
            # bookmarks of it ("also kept by").
            models.UniqueConstraint(
                fields=["url_digest", "owner"], name="veille_bookmark_one_per_page_and_owner"
            )
        ]
        indexes = [
            models.Index(fields=["visibility", "created_at"]),
            models.Index(fields=["owner", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("veille:bookmark", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or self.page_title or self.normalised_url

    @property
    def domain(self) -> str:
        """The site's host as people say it: "bib.example.fr" for "https://www.bib.example.fr/a"."""
        host = urlsplit(self.normalised_url).hostname or ""
        return host.removeprefix("www.")


class BookmarkListQuerySet(VisibilityQuerySet["BookmarkList"]):
    pass


class BookmarkList(models.Model):
    """A curated, ordered collection: "Liens pour aller plus loin — atelier du 26 mars 2014"."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="bookmark_lists",
    )
    is_network_list = models.BooleanField(
        _("list of the network"),
        default=False,
        help_text=_("Kept by the coordinators on behalf of the whole network."),
    )
    visibility = visibility_field(default=Visibility.MEMBERS)
    bookmarks: models.ManyToManyField[Bookmark, ListItem] = models.ManyToManyField(
        Bookmark, through="ListItem", related_name="lists", verbose_name=_("bookmarks")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BookmarkListQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("list")
        verbose_name_plural = _("lists")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = free_slug(self, self.title, fallback="liste", max_length=200)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("veille:list", kwargs={"slug": self.slug})


class ListItem(models.Model):
    bookmark_list = models.ForeignKey(
        BookmarkList, on_delete=models.CASCADE, related_name="items", verbose_name=_("list")
    )
    bookmark = models.ForeignKey(
        Bookmark, on_delete=models.CASCADE, related_name="list_items", verbose_name=_("bookmark")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        constraints = [
            models.UniqueConstraint(
                fields=["bookmark_list", "bookmark"], name="veille_listitem_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bookmark_list} · {self.bookmark}"


__all__ = [
    "Bookmark",
    "BookmarkList",
    "BookmarkQuerySet",
    "BookmarkSource",
    "ListItem",
    "PageFetchStatus",
]
