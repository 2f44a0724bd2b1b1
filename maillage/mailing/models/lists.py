"""Lists (the network's, and topic lists coordinators create) and who receives them, how."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A list's address is <local part>@<MAILING_DOMAIN>; "+" is reserved for our own tags (replies,
# bounces), so a local part holds lowercase letters, digits, dots and dashes only.
LOCAL_PART_VALIDATOR = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9.-]{0,38}[a-z0-9])?$",
    _("Lowercase letters, digits, dots and dashes only (no “+”)."),
)
# Local parts the domain keeps for itself (RFC 2142 and our bounce address).
RESERVED_LOCAL_PARTS = {"postmaster", "abuse", "mailer-daemon", "bounces", "noreply"}


# Paths of mailing/urls.py that a list's slug must not shadow.
RESERVED_SLUGS = frozenset({"abonnements", "apercu", "desabonnement", "gerer", "resume"})


def validate_local_part(value: str) -> None:
    if value in RESERVED_LOCAL_PARTS:
        raise ValidationError(_("This address is kept for the mail server."))


def validate_list_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is taken by a page of the site."))


class PostingPolicy(models.TextChoices):
    MEMBERS = "members", _("every member")
    TRUSTED = "trusted", _("members from a trust level")


class ArchiveAccess(models.TextChoices):
    MEMBERS = "members", _("members of the network")
    PUBLIC = "public", _("everyone")


class ReplyPolicy(models.TextChoices):
    """Where "Reply" goes in a mail client: to the list (through each recipient's own reply
    address, which authenticates them) or to the author alone."""

    LIST = "list", _("to the list")
    AUTHOR = "author", _("to the author")


class MailingListQuerySet(models.QuerySet["MailingList"]):
    def active(self) -> MailingListQuerySet:
        return self.filter(is_active=True)


class MailingList(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, validators=[validate_list_slug])
    local_part = models.CharField(
        _("address"),
        max_length=40,
        unique=True,
        validators=[LOCAL_PART_VALIDATOR, validate_local_part],
        help_text=_("What comes before the @ of the list's address."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    is_network_list = models.BooleanField(
        _("the network's list"),
        default=False,
        help_text=_("The list every member is offered at sign-up; there is one."),
    )
    posting_policy = models.CharField(
        _("who may post"),
        max_length=10,
        choices=PostingPolicy.choices,
        default=PostingPolicy.MEMBERS,
        help_text=_("Others' messages are held for review."),
    )
    min_trust_level = models.PositiveSmallIntegerField(
        _("trust level to post"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
        help_text=_("When only members from a trust level may post."),
    )
    archive_access = models.CharField(
        _("archive readable by"),
        max_length=10,
        choices=ArchiveAccess.choices,
        default=ArchiveAccess.MEMBERS,
    )
    reply_policy = models.CharField(
        _("replies go"), max_length=10, choices=ReplyPolicy.choices, default=ReplyPolicy.LIST
    )
    subject_prefix = models.CharField(
        _("subject prefix"),
        max_length=40,
        blank=True,
        help_text=_("Put before every subject, e.g. [Doc@Rennes]. Empty: none."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MailingListQuerySet.as_manager()

    class Meta:
        ordering = ["-is_network_list", "name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")
        constraints = [
            models.UniqueConstraint(
                fields=["is_network_list"],
                condition=Q(is_network_list=True),
                name="mailing_one_network_list",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mailing:archive", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.archive_access == ArchiveAccess.PUBLIC


class DeliveryMode(models.TextChoices):
    EVERY_MESSAGE = "every", _("every message by email")
    DAILY = "daily", _("a daily digest")
    WEEKLY = "weekly", _("a weekly digest")
    WEB_ONLY = "web", _("on the web only")


DIGEST_MODES = (DeliveryMode.DAILY, DeliveryMode.WEEKLY)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def receiving(self) -> SubscriptionQuerySet:
        """Subscriptions that mail may go to: not left, not suspended, of an active member."""
        return self.filter(
            unsubscribed_at__isnull=True, suspended_at__isnull=True, member__is_active=True
        )


class Subscription(models.Model):
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="list_subscriptions",
    )
    mode = models.CharField(
        _("receive"),
        max_length=10,
        choices=DeliveryMode.choices,
        default=DeliveryMode.EVERY_MESSAGE,
    )
    # The proof carried by the one-click unsubscribe link (RFC 8058) of this subscription.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    # Kept, not deleted, so that nothing subscribes the member again behind their back.
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("delivery suspended"), null=True, blank=True)
    suspension_reason = models.CharField(_("why"), max_length=200, blank=True)
    # Set when the member has been told (on their next visit).
    suspension_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["mailing_list", "member"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "member"], name="mailing_subscription_once"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "mode"])]

    def __str__(self) -> str:
        return f"{self.member} — {self.mailing_list} ({self.get_mode_display()})"

    @property
    def active(self) -> bool:
        return self.unsubscribed_at is None

    def unsubscribe_url(self) -> str:
        return reverse("mailing:unsubscribe", kwargs={"token": self.token})


class FollowedTag(models.Model):
    """A tag whose new shared bookmarks a member wants in their digest (the watch has no
    "follow" of its own); a member who follows none gets their declared expertise instead."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="followed_tags",
    )
    tag = models.ForeignKey(
        "core.Tag", verbose_name=_("tag"), on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        ordering = ["member", "tag"]
        verbose_name = _("followed tag")
        verbose_name_plural = _("followed tags")
        constraints = [
            models.UniqueConstraint(fields=["member", "tag"], name="mailing_follow_tag_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.tag}"
