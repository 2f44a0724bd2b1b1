"""Subscribing, choosing how to receive a list, leaving it (also in one click from an email),
following tags for the digest, and the suspension that repeated bounces cause."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from maillage.core.models import Tag
from maillage.mailing.models import (
    DIGEST_MODES,
    DeliveryMode,
    DigestPeriod,
    FollowedTag,
    MailingList,
    Subscription,
)

SUSPENSION_NOTICE_KEY = "mailing:suspension-notice:{member_id}"


def network_list() -> MailingList | None:
    return MailingList.objects.active().filter(is_network_list=True).first()


@transaction.atomic
def subscribe(*, member: Any, mailing_list: MailingList, mode: str) -> Subscription:
    """Subscribe `member` in `mode` (or change the mode); subscribing again after leaving is
    the member's own choice, so it clears the unsubscription."""
    mode = DeliveryMode(mode)
    subscription, created = Subscription.objects.get_or_create(
        mailing_list=mailing_list, member=member, defaults={"mode": mode}
    )
    if not created:
        subscription.mode = mode
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["mode", "unsubscribed_at"])
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: Subscription) -> Subscription:
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def unsubscribe_by_token(*, token: str) -> Subscription | None:
    """One-click unsubscription (RFC 8058): the token is the proof; twice changes nothing."""
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is not None:
        unsubscribe(subscription=subscription)
    return subscription


@transaction.atomic
def stop_digest(*, member: Any, period: str) -> int:
    """A digest's one-click link: the lists received in that digest stay readable on the web,
    and no more digest of that period is sent. Returns how many subscriptions changed."""
    mode = DeliveryMode.DAILY if period == DigestPeriod.DAILY else DeliveryMode.WEEKLY
    return Subscription.objects.filter(member=member, mode=mode).update(mode=DeliveryMode.WEB_ONLY)


def subscribe_at_sign_up(*, member: Any) -> Subscription | None:
    """A new member ticked "subscribe me" at sign-up: the network list, every message."""
    mailing_list = network_list()
    if mailing_list is None:
        return None
    return subscribe(member=member, mailing_list=mailing_list, mode=DeliveryMode.EVERY_MESSAGE)


@transaction.atomic
def set_followed_tags(*, member: Any, tags: Iterable[Tag]) -> None:
    wanted = {tag.pk for tag in tags}
    FollowedTag.objects.filter(member=member).exclude(tag_id__in=wanted).delete()
    FollowedTag.objects.bulk_create(
        [FollowedTag(member=member, tag_id=tag_id) for tag_id in wanted], ignore_conflicts=True
    )


@transaction.atomic
def save_choices(
    *,
    member: Any,
    modes: Mapping[MailingList, str | None],
    followed_tags: Iterable[Tag],
    resume: bool = False,
) -> None:
    """The member's subscriptions page: each list's mode (None: not subscribed), the tags
    followed in the digest, and, when asked, mail sent again after a suspension."""
    current = {
        subscription.mailing_list_id: subscription
        for subscription in Subscription.objects.filter(member=member)
    }
    for mailing_list, mode in modes.items():
        subscription = current.get(mailing_list.pk)
        if mode is None:
            if subscription is not None:
                unsubscribe(subscription=subscription)
        elif subscription is None or not subscription.active or subscription.mode != mode:
            subscribe(member=member, mailing_list=mailing_list, mode=mode)
    set_followed_tags(member=member, tags=followed_tags)
    if resume:
        resume_delivery(member=member)


# --- Suspension after bounces ---------------------------------------------------------------


def suspend_member(*, member: Any, reason: str) -> int:
    """Stop sending to `member` (their address bounces); they are told on their next visit."""
    count = Subscription.objects.filter(
        member=member, unsubscribed_at__isnull=True, suspended_at__isnull=True
    ).update(suspended_at=timezone.now(), suspension_reason=reason[:200])
    if count:
        member_id = member.pk
        transaction.on_commit(
            lambda: cache.set(SUSPENSION_NOTICE_KEY.format(member_id=member_id), True, None)
        )
    return count


def notice_pending(member_id: int) -> bool:
    """Whether a member has a suspension to be told about (the cache, not the database: every
    page asks)."""
    return bool(cache.get(SUSPENSION_NOTICE_KEY.format(member_id=member_id)))


def mark_notice_shown(*, member_id: int) -> None:
    cache.delete(SUSPENSION_NOTICE_KEY.format(member_id=member_id))
    Subscription.objects.filter(
        member_id=member_id, suspended_at__isnull=False, suspension_notified_at__isnull=True
    ).update(suspension_notified_at=timezone.now())


@transaction.atomic
def resume_delivery(*, member: Any) -> int:
    """The member fixed their address (or it works again): mail goes out again."""
    cache.delete(SUSPENSION_NOTICE_KEY.format(member_id=member.pk))
    return Subscription.objects.filter(member=member, suspended_at__isnull=False).update(
        suspended_at=None, suspension_reason="", suspension_notified_at=None
    )


def receives_digest(subscription: Subscription) -> bool:
    return subscription.mode in DIGEST_MODES
