"""A comment on any registered target (article, event report, event), and who follows a thread."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.licences import DEFAULT_LICENCE

EDIT_WINDOW = timedelta(minutes=15)
BODY_MAX_LENGTH = 5000
# The licence comments are published under, said beside the form and carried by the feeds: one
# for the whole network (as on wikis and Q&A sites), since a commenter did not choose the
# article's licence; CC BY-SA lets others quote a discussion with its authors' names.
COMMENT_LICENCE = DEFAULT_LICENCE


class CommentStatus(models.TextChoices):
    PENDING_EMAIL = "pending_email", _("waiting for email confirmation")
    HELD = "held", _("awaiting review")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")
    SPAM = "spam", _("spam")
    DELETED = "deleted", _("deleted")


class CommentQuerySet(models.QuerySet["Comment"]):
    def on(self, target: models.Model) -> CommentQuerySet:
        content_type = ContentType.objects.get_for_model(target)
        return self.filter(content_type=content_type, object_id=target.pk)

    def published(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PUBLISHED)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(_("name"), max_length=120, blank=True)
    guest_email = models.EmailField(_("email address"), blank=True)
    # The Markdown as written; it is rendered and sanitised each time it is shown.
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH)
    # The comment this one answers, and the first comment of its thread: pages show two levels
    # (threads and their replies); deeper answers join the thread and say whom they answer.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="thread_replies"
    )
    status = models.CharField(_("status"), max_length=20, choices=CommentStatus.choices)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # Set once its followers were told, so that a retried task does not tell them twice.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, default="fr")
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["content_type", "object_id", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(guest_email=""),
                name="comments_comment_author_or_guest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.target_url()}#{self.anchor}"

    def target_url(self) -> str:
        """The page of what this comment is about."""
        target = self.target
        return str(target.get_absolute_url()) if target is not None else "/"

    @property
    def name(self) -> str:
        if self.author_id is not None and self.author is not None:
            return self.author.display_name
        return self.guest_name

    @property
    def email(self) -> str:
        if self.author is not None:
            return self.author.email
        return self.guest_email

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    def editable_until(self) -> datetime:
        return self.created_at + EDIT_WINDOW

    def edit_url(self) -> str:
        return reverse("comments:edit", kwargs={"pk": self.pk})

    def delete_url(self) -> str:
        return reverse("comments:delete", kwargs={"pk": self.pk})


class CommentSubscription(models.Model):
    """Someone who hears by email about new comments on a target (its authors, commenters)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_subscriptions",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    # Kept (not deleted) so that commenting again does not subscribe the person anew.
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment subscription")
        verbose_name_plural = _("comment subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "email"], name="comments_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.content_type.model} {self.object_id}"

    @property
    def active(self) -> bool:
        return self.unsubscribed_at is None

    def unsubscribe_url(self) -> str:
        return reverse("comments:unsubscribe", kwargs={"token": self.token})
