"""Daily and weekly digests: one per member and period, made at MAILING_DIGEST_HOUR local time
(a huey periodic task), skipped when there is nothing to say, sent through the same batches as
list mail. What they say is digest_content's; reading the shared part once per window is what
lets 10,000 digests go out in well under a minute (bench/mailing_digest.py).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from functools import partial

from django.conf import settings
from django.utils import timezone, translation

from maillage.core.mail import one_click_unsubscribe_headers, sender_address
from maillage.mailing import addresses, mime
from maillage.mailing.models import DeliveryState, Digest, DigestPeriod, Subscription
from maillage.mailing.services.digest_content import (
    MODE_OF_PERIOD,
    ComposedDigest,
    Composer,
    Window,
    compose,
    local_zone,
    read_stop_digest_token,
    stop_digest_token,
    window_for,
)
from maillage.mailing.services.outgoing import CLAIM, BatchResult, send_batch

logger = logging.getLogger(__name__)

__all__ = ["read_stop_digest_token", "stop_digest_token"]


def due_windows(now: datetime | None = None) -> list[Window]:
    """The windows whose hour has come today (a worker that was down catches up later on)."""
    local = timezone.localtime(now or timezone.now(), local_zone())
    if local.hour < int(getattr(settings, "MAILING_DIGEST_HOUR", 7)):
        return []
    windows = [window_for(DigestPeriod.DAILY, local.date())]
    if local.weekday() == int(getattr(settings, "MAILING_WEEKLY_DIGEST_DAY", 0)):
        windows.append(window_for(DigestPeriod.WEEKLY, local.date()))
    return windows


def create_digests(window: Window) -> list[int]:
    """A digest row for every member receiving this period who has none yet, and the ids of
    the rows made now: the caller sends those. Rows made by an earlier run are not handed out
    again (their batch may be running); whatever of them still waits, the sweep takes once
    its claim has passed (outgoing.claim_due)."""
    mode = MODE_OF_PERIOD[DigestPeriod(window.period)]
    made = set(
        Digest.objects.filter(period=window.period, period_start=window.day).values_list(
            "member_id", flat=True
        )
    )
    members = (
        Subscription.objects.receiving()
        .filter(mode=mode, mailing_list__is_active=True)
        .order_by()  # no ordering columns in the SELECT DISTINCT (PostgreSQL adds them)
        .values_list("member_id", "member__email")
        .distinct()
    )
    new = {member_id: email for member_id, email in members if email and member_id not in made}
    if not new:
        return []
    claimed_until = timezone.now() + CLAIM
    Digest.objects.bulk_create(
        [
            Digest(
                member_id=member_id,
                period=window.period,
                period_start=window.day,
                address=email,
                next_attempt_at=claimed_until,
            )
            for member_id, email in new.items()
        ],
        ignore_conflicts=True,  # a concurrent run made some: they are its to send
        batch_size=1000,
    )
    return list(
        Digest.objects.filter(
            period=window.period,
            period_start=window.day,
            member_id__in=list(new),
            state=DeliveryState.PENDING,
            next_attempt_at=claimed_until,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def create_due_digests(now: datetime | None = None) -> list[int]:
    ids: list[int] = []
    for window in due_windows(now):
        ids.extend(create_digests(window))
    return ids


# What every digest says in its headers (RFC 3834, 8058; Exchange's out-of-office rule).
DIGEST_HEADERS = {
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Auto-Submitted": "auto-generated",
    "Precedence": "bulk",
    "X-Auto-Response-Suppress": "All",
}


def shared_headers(subject: str) -> mime.Shared:
    return mime.Shared.build(
        sender=sender_address(), subject=subject, headers=DIGEST_HEADERS, domain=addresses.domain()
    )


def digest_email(item: ComposedDigest, *, shared: mime.Shared) -> mime.PreparedEmail:
    unsubscribe = one_click_unsubscribe_headers(item.unsubscribe_url)
    return mime.alternative(
        shared=shared,
        envelope_from=addresses.bounce_address(digest_id=item.digest.pk),
        to=item.digest.address or item.digest.member.email,
        text=item.text,
        html=item.html,
        headers={"List-Unsubscribe": unsubscribe["List-Unsubscribe"]},
    )


def _email_of(
    composed: dict[int, ComposedDigest], shared: mime.Shared, digest: Digest
) -> mime.PreparedEmail:
    return digest_email(composed[digest.pk], shared=shared)


def send_digests(*, digest_ids: Sequence[int]) -> BatchResult:
    """Compose and send these digests (those still waiting); empty ones are marked skipped."""
    digests = list(
        Digest.objects.filter(pk__in=digest_ids, state=DeliveryState.PENDING)
        .select_related("member")
        .order_by("period", "period_start", "pk")
    )
    result = BatchResult()
    by_window: dict[tuple[str, date], list[Digest]] = defaultdict(list)
    for digest in digests:
        by_window[(digest.period, digest.period_start)].append(digest)
    for (period, day), group in by_window.items():
        composer = _composer_for(window_for(period, day))
        with translation.override(settings.LANGUAGE_CODE):
            composed = compose(composer, group)
        empty = [item.digest for item in composed if not item.item_count]
        for digest in empty:
            digest.empty = True
            digest.state = DeliveryState.SKIPPED
        Digest.objects.bulk_update(empty, ["empty", "state"], batch_size=500)
        result.skipped.extend(digest.pk for digest in empty)
        full = {item.digest.pk: item for item in composed if item.item_count}
        counts = [item.digest for item in full.values()]
        for digest in counts:
            digest.item_count = full[digest.pk].item_count
        Digest.objects.bulk_update(counts, ["item_count"], batch_size=500)
        if not counts:
            continue
        shared = shared_headers(next(iter(full.values())).subject)
        sent = send_batch(Digest, counts, partial(_email_of, full, shared))
        result.sent.extend(sent.sent)
        result.failed.extend(sent.failed)
        result.deferred.extend(sent.deferred)
    return result


def _composer_for(window: Window) -> Composer:
    return Composer(window)
