"""Bounces: a delivery status notification (RFC 3464) or a plain "could not deliver" email,
sent to the envelope sender of one delivery or digest (VERP), recorded against the member.
After MAILING_BOUNCE_LIMIT permanent failures within MAILING_BOUNCE_WINDOW_DAYS, delivery to
them is suspended and they are told on their next visit."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message as EmailMessage
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.mailing.addresses import Recipient
from maillage.mailing.models import (
    Bounce,
    BounceKind,
    Delivery,
    DeliveryState,
    Digest,
    InboundMail,
)
from maillage.mailing.parsing import ParsedMail, decode_text, header_text
from maillage.mailing.services.subscriptions import suspend_member
from maillage.members.models import User

logger = logging.getLogger(__name__)

_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_SMTP_CODE = re.compile(r"\b(5[0-5]\d|4[0-5]\d)\b")
_HARD_WORDS = re.compile(
    r"user unknown|no such user|does not exist|unknown user|mailbox unavailable|"
    r"address rejected|adresse inconnue|utilisateur inconnu|n'existe pas|n’existe pas",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BounceReport:
    address: str
    kind: str
    status: str
    diagnostic: str


def _address_of(field: str) -> str:
    """ "rfc822; camille@example.org" → "camille@example.org"."""
    value = field.split(";", 1)[-1].strip().strip("<>").lower()
    return value if "@" in value else ""


def _kind(action: str, status: str, diagnostic: str) -> str | None:
    action = action.lower()
    if action in {"delivered", "relayed", "expanded"}:
        return None  # a success notice, not a bounce
    if status.startswith("5") or (action == "failed" and not status.startswith("4")):
        return BounceKind.HARD
    return BounceKind.SOFT


def _delivery_status_blocks(message: EmailMessage) -> list[EmailMessage]:
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):
                return [block for block in payload if isinstance(block, EmailMessage)]
    return []


def read_reports(parsed: ParsedMail) -> list[BounceReport]:
    """What the bounce says about each recipient (one report when it is not a DSN)."""
    reports: list[BounceReport] = []
    if parsed.is_delivery_report:
        for block in _delivery_status_blocks(parsed.message):
            recipient = header_text(block, "Final-Recipient") or header_text(
                block, "Original-Recipient"
            )
            if not recipient:
                continue  # the per-message block
            status_match = _STATUS.search(header_text(block, "Status"))
            status = status_match.group(0) if status_match else ""
            diagnostic = header_text(block, "Diagnostic-Code")[:500]
            kind = _kind(header_text(block, "Action"), status, diagnostic)
            if kind is not None:
                reports.append(BounceReport(_address_of(recipient), kind, status, diagnostic))
        if reports:
            return reports
    text = parsed.text or ""
    if not text:
        for part in parsed.message.walk():
            if part.get_content_maintype() == "text":
                text = decode_text(part)
                break
    status_match = _STATUS.search(text)
    status = status_match.group(0) if status_match else ""
    code_match = _SMTP_CODE.search(text)
    hard = status.startswith("5") or bool(_HARD_WORDS.search(text))
    if not status and code_match:
        hard = hard or code_match.group(0).startswith("5")
    diagnostic = next((line.strip() for line in text.splitlines() if _STATUS.search(line)), "")
    return [
        BounceReport("", BounceKind.HARD if hard else BounceKind.SOFT, status, diagnostic[:500])
    ]


def hard_bounces_of(member: Any) -> int:
    days = int(getattr(settings, "MAILING_BOUNCE_WINDOW_DAYS", 30))
    return Bounce.objects.filter(
        member=member,
        kind=BounceKind.HARD,
        received_at__gte=timezone.now() - timedelta(days=days),
    ).count()


@transaction.atomic
def record(*, parsed: ParsedMail, recipient: Recipient, inbound: InboundMail) -> str:
    """Record the bounce; returns what happened, for the inbound mail's detail."""
    delivery = digest = None
    member = None
    address = ""
    if recipient.delivery_id is not None:
        delivery = (
            Delivery.objects.select_related("member").filter(pk=recipient.delivery_id).first()
        )
        if delivery is not None:
            member, address = delivery.member, delivery.address
    elif recipient.digest_id is not None:
        digest = Digest.objects.select_related("member").filter(pk=recipient.digest_id).first()
        if digest is not None:
            member, address = digest.member, digest.address
    reports = read_reports(parsed)
    if not reports:
        return "delivery notice without failure"
    if member is None:
        # Sent to the list's own address: the report says whose address failed.
        reported = {report.address for report in reports if report.address}
        member = User.objects.filter(email__in=reported).first() if reported else None
        address = member.email if member is not None else next(iter(reported), "")
    if member is None:
        return "bounce for an address we do not know"
    worst = next((r for r in reports if r.kind == BounceKind.HARD), reports[0])
    Bounce.objects.create(
        member=member,
        address=address or worst.address,
        kind=worst.kind,
        status=worst.status,
        diagnostic=worst.diagnostic,
        delivery=delivery,
        digest=digest,
        inbound=inbound,
    )
    if worst.kind != BounceKind.HARD:
        return f"temporary failure {worst.status or ''} for member {member.pk}".strip()
    for row in (delivery, digest):
        if row is not None and row.state != DeliveryState.BOUNCED:
            row.state = DeliveryState.BOUNCED
            row.last_error = (worst.diagnostic or worst.status)[:500]
            row.save(update_fields=["state", "last_error"])
    count = hard_bounces_of(member)
    limit = int(getattr(settings, "MAILING_BOUNCE_LIMIT", 3))
    if count >= limit:
        suspended = suspend_member(
            member=member,
            reason=_("Mail to %(address)s came back %(count)s times (%(status)s).")
            % {"address": address, "count": count, "status": worst.status or "5.0.0"},
        )
        if suspended:
            logger.info("Delivery suspended for member %s after %s bounces", member.pk, count)
            return f"permanent failure {worst.status}; delivery suspended ({count} bounces)"
    return f"permanent failure {worst.status} ({count} of {limit} before suspension)"
