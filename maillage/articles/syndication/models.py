"""Partner feeds the network subscribes to, and the items fetched from them.

A coordinator subscribes to a partner blog's RSS or Atom feed; a periodic task fetches it
(conditional GET, backing off after errors) and keeps each new item once. An item can then be
republished as an article, in full when its licence allows it, or as a short excerpt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.articles.syndication.html_markdown import excerpt
from maillage.core.licences import Licence, Republication, licence_for, republication_right

# How often a healthy feed is fetched, and the longest wait after repeated failures.
FETCH_INTERVAL = timedelta(hours=1)
MAX_BACKOFF = timedelta(hours=24)
# The first words of an item on the coordinators' page (enough to judge it, not to read it).
PAGE_EXCERPT_WORDS = 40


class FetchStatus(models.TextChoices):
    NEVER = "never", _("not fetched yet")
    OK = "ok", _("fetched")
    NOT_MODIFIED = "not_modified", _("no change since the last fetch")
    WARNING = "warning", _("fetched, with a warning")
    ERROR = "error", _("failed")


class PartnerSubscriptionQuerySet(models.QuerySet["Subscription"]):
    def due(self, now: datetime | None = None) -> PartnerSubscriptionQuerySet:
        """Active subscriptions whose next fetch time has come."""
        return self.filter(is_active=True, next_fetch_at__lte=now or timezone.now())


class Subscription(models.Model):
    name = models.CharField(
        _("partner"), max_length=200, help_text=_("As the attribution line names it.")
    )
    feed_url = models.URLField(
        _("feed address"),
        max_length=500,
        help_text=_(
            "The RSS or Atom feed, or the blog's home page: its feed is then found in the page."
        ),
    )
    site_url = models.URLField(_("site address"), max_length=500, blank=True)
    default_licence = models.CharField(
        _("licence when the feed names none"),
        max_length=20,
        choices=Licence.choices,
        blank=True,
        help_text=_(
            "Only if the partner told you so (in writing). Left empty, items without a "
            "licence can only be quoted as an excerpt."
        ),
    )
    is_active = models.BooleanField(_("fetched regularly"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subscribed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    # What the last fetch found; changed only by fetching.fetch_subscription.
    feed_title = models.CharField(_("title of the feed"), max_length=300, blank=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_status = models.CharField(
        _("last fetch"), max_length=20, choices=FetchStatus.choices, default=FetchStatus.NEVER
    )
    last_error = models.TextField(_("last error or warning"), blank=True)
    failure_count = models.PositiveIntegerField(_("failures in a row"), default=0)
    next_fetch_at = models.DateTimeField(_("next fetch"), default=timezone.now)

    objects = PartnerSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner feed")
        verbose_name_plural = _("partner feeds")
        indexes = [models.Index(fields=["is_active", "next_fetch_at"])]
        constraints = [
            models.UniqueConstraint(fields=["feed_url"], name="syndication_unique_feed_url"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("syndication:detail", kwargs={"pk": self.pk})


class FeedItemQuerySet(models.QuerySet["FeedItem"]):
    def with_list_data(self) -> FeedItemQuerySet:
        return self.select_related("subscription", "article")

    def latest_first(self) -> FeedItemQuerySet:
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-pk")


class FeedItem(models.Model):
    """One entry of a partner's feed, kept once (by its guid, else its link)."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("partner feed"), on_delete=models.CASCADE, related_name="items"
    )
    # core.feeds' digest of the entry's guid (else its link): what makes an item the same one.
    digest = models.CharField(max_length=64, editable=False)
    guid = models.CharField(_("identifier in the feed"), max_length=500, blank=True)
    link = models.URLField(_("address"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # HTML from the feed, sanitised by core.text before it is stored.
    summary = models.TextField(_("summary"), blank=True)
    content = models.TextField(_("content"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, blank=True, default=""
    )
    licence_declared = models.CharField(
        _("licence as the feed declares it"), max_length=500, blank=True
    )
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # The article made from it (in full or as an excerpt): once only.
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="syndicated_from",
    )
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FeedItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("partner item")
        verbose_name_plural = _("partner items")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "digest"], name="syndication_unique_item"
            ),
        ]
        indexes = [models.Index(fields=["subscription", "link"])]

    def __str__(self) -> str:
        return self.title

    @property
    def republication(self) -> Republication:
        return republication_right(self.licence)

    @property
    def licence_known(self) -> Licence | None:
        return licence_for(self.licence)

    @property
    def excerpt_text(self) -> str:
        """The item's first words, as plain text (what the coordinators' page shows)."""
        return excerpt(self.summary or self.content, words=PAGE_EXCERPT_WORDS)
