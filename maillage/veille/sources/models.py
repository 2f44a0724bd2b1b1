"""Sources of the watch: feeds (one row per address, shared by all who subscribe), subscriptions
of a member or of the network, the entries read from them, and each reader's read and kept marks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

URL_MAX_LENGTH = 2000


class FeedQuerySet(models.QuerySet["Feed"]):
    def subscribed(self) -> FeedQuerySet:
        return self.filter(Exists(Subscription.objects.filter(feed=OuterRef("pk"))))

    def due(self, now: datetime | None = None) -> FeedQuerySet:
        """Feeds someone follows whose next fetch time has come."""
        return self.subscribed().filter(next_fetch_at__lte=now or timezone.now())


class Feed(models.Model):
    """An RSS or Atom feed, fetched once for everyone who follows it."""

    url = models.URLField(_("feed address"), max_length=URL_MAX_LENGTH)
    url_digest = models.CharField(max_length=64, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300, blank=True)
    site_url = models.URLField(_("site"), max_length=URL_MAX_LENGTH, blank=True)
    # Conditional GET: what the server said last time (If-None-Match / If-Modified-Since).
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # The bytes of the last document: a server ignoring conditional GET is not parsed again.
    content_digest = models.CharField(max_length=64, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last read"), null=True, blank=True)
    content_changed_at = models.DateTimeField(_("last new document"), null=True, blank=True)
    next_fetch_at = models.DateTimeField(_("next fetch"), default=timezone.now, db_index=True)
    consecutive_errors = models.PositiveIntegerField(_("errors in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    bozo_warning = models.CharField(_("format warning"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "url"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.host or self.url

    @property
    def host(self) -> str:
        try:
            return (urlsplit(self.url).hostname or "").removeprefix("www.")
        except ValueError:
            return ""

    @property
    def is_failing(self) -> bool:
        return self.consecutive_errors > 0


# Named apart from the mailing list's SubscriptionQuerySet: django-stubs names the generated
# manager classes after the queryset, and two of the same name hide each other's methods.
class FeedSubscriptionQuerySet(models.QuerySet["Subscription"]):
    def of_member(self, member: Any) -> FeedSubscriptionQuerySet:
        if not getattr(member, "is_authenticated", False):
            return self.none()
        return self.filter(member=member)

    def of_network(self) -> FeedSubscriptionQuerySet:
        return self.filter(for_network=True)

    def readable_by(self, viewer: Any) -> FeedSubscriptionQuerySet:
        """The viewer's own subscriptions and the network's (members only); never another
        member's, which are private to them."""
        if not (getattr(viewer, "is_authenticated", False) and viewer.is_active):
            return self.none()
        return self.filter(Q(member=viewer) | Q(for_network=True))


class Subscription(models.Model):
    """A member (or the whole network) following a feed, with their own title and tags."""

    feed = models.ForeignKey(
        Feed, verbose_name=_("feed"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_subscriptions",
    )
    for_network = models.BooleanField(
        _("source of the network"),
        default=False,
        help_text=_("Followed on behalf of the whole network, kept by the coordinators."),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Leave empty to use the feed's.")
    )
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="feed_subscriptions"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    objects = FeedSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(member__isnull=False, for_network=False)
                    | Q(member__isnull=True, for_network=True)
                ),
                name="sources_subscription_member_or_network",
            ),
            models.UniqueConstraint(
                fields=["member", "feed"],
                condition=Q(member__isnull=False),
                name="sources_subscription_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["feed"],
                condition=Q(for_network=True),
                name="sources_subscription_once_for_network",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.feed.display_title


class Entry(models.Model):
    """One item of a feed, stored once (deduplicated on its guid, else its link)."""

    feed = models.ForeignKey(
        Feed, verbose_name=_("feed"), on_delete=models.CASCADE, related_name="entries"
    )
    digest = models.CharField(max_length=64, editable=False)
    guid = models.CharField(max_length=URL_MAX_LENGTH, blank=True)
    link = models.URLField(_("address"), max_length=URL_MAX_LENGTH, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Plain text."))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When it was first read; the date it is listed by (its own, never later than this).
    fetched_at = models.DateTimeField(_("first read"), default=timezone.now, db_index=True)
    sort_at = models.DateTimeField(_("date"), default=timezone.now)
    # The last time the feed's document still listed it (the purge spares what a feed lists).
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sort_at", "-pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["feed", "digest"], name="sources_entry_once_per_feed")
        ]
        indexes = [
            models.Index(fields=["feed", "-sort_at"], name="sources_entry_feed_date"),
            models.Index(fields=["-sort_at"], name="sources_entry_date"),
        ]

    def __str__(self) -> str:
        return self.title or self.link or self.guid


class ReadUpTo(models.Model):
    """ "Mark all as read" for one reader and feed: every entry first read before `read_before`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reader"),
    )
    feed = models.ForeignKey(
        Feed, on_delete=models.CASCADE, related_name="read_marks", verbose_name=_("feed")
    )
    read_before = models.DateTimeField(_("read up to"))

    class Meta:
        verbose_name = _("feed read up to")
        verbose_name_plural = _("feeds read up to")
        constraints = [
            models.UniqueConstraint(fields=["user", "feed"], name="sources_readupto_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.feed} · {self.read_before:%Y-%m-%d %H:%M}"


class ReadEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reader"),
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="reads", verbose_name=_("entry")
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("read entry")
        verbose_name_plural = _("read entries")
        constraints = [
            models.UniqueConstraint(fields=["user", "entry"], name="sources_readentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.entry}"


class KeptEntry(models.Model):
    """An entry someone turned into a bookmark: such entries are never purged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reader"),
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="keeps", verbose_name=_("entry")
    )
    bookmark = models.ForeignKey(
        "veille.Bookmark",
        on_delete=models.CASCADE,
        related_name="kept_entries",
        verbose_name=_("bookmark"),
    )
    kept_at = models.DateTimeField(_("kept"), default=timezone.now)

    class Meta:
        verbose_name = _("kept entry")
        verbose_name_plural = _("kept entries")
        constraints = [
            models.UniqueConstraint(fields=["user", "entry"], name="sources_keptentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.entry}"


class DiscoveryStatus(models.TextChoices):
    PENDING = "pending", _("Looking for feeds")
    CHOOSE = "choose", _("Several feeds found")
    DONE = "done", _("Subscribed")
    FAILED = "failed", _("No feed found")


class Discovery(models.Model):
    """An address someone gave to subscribe to: a task looks for its feed(s) in the background
    (never in the web request) and subscribes, or lists them when there are several."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    for_network = models.BooleanField(_("for the network"), default=False)
    url = models.URLField(_("address"), max_length=URL_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=200, blank=True)
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DiscoveryStatus.choices,
        default=DiscoveryStatus.PENDING,
    )
    page_title = models.CharField(_("page title"), max_length=300, blank=True)
    feeds = models.JSONField(_("feeds found"), default=list, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    subscriptions = models.ManyToManyField(
        Subscription, blank=True, related_name="+", verbose_name=_("subscriptions")
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feed search")
        verbose_name_plural = _("feed searches")

    def __str__(self) -> str:
        return self.url

    @property
    def is_pending(self) -> bool:
        return self.status == DiscoveryStatus.PENDING


__all__ = [
    "Discovery",
    "DiscoveryStatus",
    "Entry",
    "Feed",
    "KeptEntry",
    "ReadEntry",
    "ReadUpTo",
    "Subscription",
]
