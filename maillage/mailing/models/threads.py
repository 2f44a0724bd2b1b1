"""Threads and their messages (written on the web or received by email), and attachments."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.mailing.models.lists import MailingList

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000


class ThreadQuerySet(models.QuerySet["Thread"]):
    def with_messages(self) -> ThreadQuerySet:
        """Threads with at least one published message (what archives list)."""
        return self.filter(message_count__gt=0)


class Thread(models.Model):
    mailing_list = models.ForeignKey(
        MailingList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="threads"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    # Of published messages only; kept by the services, so archive pages need no counting.
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    message_count = models.PositiveIntegerField(_("messages"), default=0)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["mailing_list", "-last_message_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse(
            "mailing:thread", kwargs={"slug": self.mailing_list.slug, "thread_id": self.pk}
        )


class MessageStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    HELD = "held", _("awaiting review")
    REJECTED = "rejected", _("rejected")
    SPAM = "spam", _("spam")


class MessageSource(models.TextChoices):
    WEB = "web", _("the web")
    EMAIL = "email", _("email")


class MessageQuerySet(models.QuerySet["Message"]):
    def published(self) -> MessageQuerySet:
        return self.filter(status=MessageStatus.PUBLISHED)


class Message(models.Model):
    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="messages"
    )
    mailing_list = models.ForeignKey(
        MailingList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="list_messages",
    )
    # The name it was signed with, kept if the account goes.
    author_name = models.CharField(_("name"), max_length=120)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    # Markdown as shown: for an email, its own words (quoted text and signature taken off);
    # the email itself stays in `inbound`.
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    # RFC 5322 identifiers, with their angle brackets: ours for web messages, the sender's for
    # emails, so that every mail client threads the copies we send with the original.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    references = models.TextField(_("References"), blank=True)
    source = models.CharField(_("written on"), max_length=10, choices=MessageSource.choices)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set when a delivery row exists for every recipient: sending again adds no one twice.
    distributed_at = models.DateTimeField(null=True, blank=True, editable=False)
    inbound = models.ForeignKey(
        "mailing.InboundMail",
        verbose_name=_("email received"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What was not kept of the email (attachments refused, text cut), said under the message.
    notes = models.TextField(_("notes"), blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["thread", "status", "created_at"]),
            models.Index(fields=["mailing_list", "status", "published_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse(
            "mailing:message", kwargs={"slug": self.mailing_list.slug, "message_id": self.pk}
        )

    @property
    def anchor(self) -> str:
        return f"message-{self.pk}"

    def in_thread_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#{self.anchor}"

    @property
    def reference_ids(self) -> list[str]:
        return self.references.split()


def attachment_upload_to(instance: Any, filename: str) -> str:
    """A random name: the file is served only through the archive's permission check."""
    extension = PurePath(filename).suffix.lower()[:8]
    return f"mailing/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse(
            "mailing:attachment",
            kwargs={"slug": self.message.mailing_list.slug, "pk": self.pk},
        )
