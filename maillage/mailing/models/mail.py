"""What went out and what came in: one delivery row per recipient of a message, one digest row
per member and period, every email received kept whole, and the bounces."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.mailing.models.threads import Message


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    BOUNCED = "bounced", _("bounced")
    SKIPPED = "skipped", _("not sent (nothing to send)")


class OutgoingQuerySet(models.QuerySet[Any]):
    def due(self, now: Any = None) -> OutgoingQuerySet:
        """Rows waiting to be sent whose next attempt has come."""
        return self.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now or timezone.now())


class OutgoingMail(models.Model):
    """What a delivery and a digest share: a state, attempts, and the last error."""

    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = OutgoingQuerySet.as_manager()

    class Meta:
        abstract = True


class Delivery(OutgoingMail):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="list_deliveries",
    )
    # The address at the time: a bounce names the address it came from.
    address = models.EmailField(_("address"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["message", "member"], name="mailing_delivery_once")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.address} ({self.get_state_display()})"


class DigestPeriod(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class Digest(OutgoingMail):
    """One member's digest for one period: made once, sent once, even if the task runs twice."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="list_digests",
    )
    period = models.CharField(_("period"), max_length=10, choices=DigestPeriod.choices)
    # The local day the digest is for (for a weekly one, the day it goes out).
    period_start = models.DateField(_("day"))
    address = models.EmailField(_("address"), blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    # True when there was nothing to say: no email is sent.
    empty = models.BooleanField(_("empty"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-period_start", "member"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "period", "period_start"], name="mailing_digest_once"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_period_display()} {self.period_start}"


class InboundOutcome(models.TextChoices):
    RECEIVED = "received", _("received, not yet handled")
    POSTED = "posted", _("posted to the list")
    HANDED = "handed", _("handed to another part of the site (an institution's questions)")
    HELD = "held", _("held for review")
    DUPLICATE = "duplicate", _("already received")
    BOUNCE = "bounce", _("bounce recorded")
    AUTOMATIC = "automatic", _("automatic reply ignored")
    LOOP = "loop", _("our own mail come back, ignored")
    UNKNOWN_SENDER = "unknown_sender", _("sender is not a member")
    NOT_ALLOWED = "not_allowed", _("sender may not post")
    UNKNOWN_RECIPIENT = "unknown_recipient", _("no such list address")
    MALFORMED = "malformed", _("unreadable email")
    TOO_LARGE = "too_large", _("too large")
    ERROR = "error", _("error while handling")


def raw_upload_to(instance: Any, filename: str) -> str:
    return f"mailing/inbound/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundMail(models.Model):
    """An email as it arrived, kept whole before anything reads it: nothing received is lost,
    whatever becomes of it, and its outcome says why."""

    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    recipient = models.CharField(_("recipient"), max_length=320)
    envelope_from = models.CharField(_("envelope sender"), max_length=320, blank=True)
    raw = models.FileField(_("email"), upload_to=raw_upload_to, max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    message_id_header = models.CharField(_("Message-ID"), max_length=255, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=InboundOutcome.choices,
        default=InboundOutcome.RECEIVED,
    )
    detail = models.TextField(_("detail"), blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("email received")
        verbose_name_plural = _("emails received")

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender or '?'} → {self.recipient}"


class BounceKind(models.TextChoices):
    HARD = "hard", _("permanent")
    SOFT = "soft", _("temporary")


class Bounce(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="list_bounces",
    )
    address = models.CharField(_("address"), max_length=320)
    kind = models.CharField(_("kind"), max_length=10, choices=BounceKind.choices)
    status = models.CharField(_("status"), max_length=20, blank=True)
    diagnostic = models.CharField(_("diagnostic"), max_length=500, blank=True)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    inbound = models.ForeignKey(
        InboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")
        indexes = [models.Index(fields=["member", "kind", "received_at"])]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_kind_display()}, {self.status or '?'})"
