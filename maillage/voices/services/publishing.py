"""Publishing scheduled posts on their channels, retrying, the review deadlines, engagement.

Network calls are made outside database transactions: a delivery is first claimed (a
conditional update only one worker wins), then sent, then its answer stored. A rate limit keeps
the delivery waiting until the channel's reset; other errors are retried a few times, then the
post is failed with the channel's message and a Retry button.
"""

from __future__ import annotations

import logging
import mimetypes
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from maillage.core import review as policy
from maillage.core.db import lock_for_update
from maillage.voices import permissions
from maillage.voices.connectors import ConnectorError, Outgoing, connector_for
from maillage.voices.models import (
    Delivery,
    DeliveryState,
    Membership,
    OnSilence,
    Post,
    PostState,
    Role,
)
from maillage.voices.services import InvalidTransition, NotAllowed

if TYPE_CHECKING:
    from maillage.members.models import User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
# How long a claimed delivery is left to the worker that claimed it before another may retry.
CLAIM_SECONDS = 120


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=5 * 2 ** max(0, attempts - 1))


def outgoing(post: Post) -> Outgoing:
    image_path = None
    image_type = ""
    if post.image:
        try:
            image_path = post.image.path
        except NotImplementedError:  # storage without local paths
            image_path = None
        image_type = mimetypes.guess_type(post.image.name)[0] or ""
    return Outgoing(
        post_id=post.pk,
        text=post.text,
        link=post.link,
        url=settings.SITE_URL + post.get_absolute_url(),
        image_path=image_path,
        image_type=image_type,
        image_alt=post.image_alt,
        author_name=post.voice.name,
    )


def _claim(delivery: Delivery, now: datetime) -> bool:
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk, state=DeliveryState.PENDING, attempts=delivery.attempts
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            attempts=F("attempts") + 1,
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
        )
    )


def publish_post(*, post_id: int, now: datetime | None = None) -> Post | None:
    """Send a scheduled, due post to each of its channels still waiting; idempotent."""
    now = now or timezone.now()
    post = Post.objects.select_related("space", "voice__user").filter(pk=post_id).first()
    if post is None or post.state != PostState.SCHEDULED:
        return post
    if post.scheduled_for is None or post.scheduled_for > now:
        return post
    message = outgoing(post)
    for delivery in post.deliveries.select_related("channel").filter(state=DeliveryState.PENDING):
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            continue
        if not _claim(delivery, now):
            continue
        attempts = delivery.attempts + 1
        try:
            published = connector_for(delivery.channel).publish(message)
        except ConnectorError as error:
            _delivery_failed(delivery, error, attempts=attempts, now=now)
        except Exception as error:  # a library's surprise must not leave the claim hanging
            logger.exception("Publishing post %s on channel %s", post.pk, delivery.channel_id)
            _delivery_failed(delivery, ConnectorError(str(error)), attempts=attempts, now=now)
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                state=DeliveryState.PUBLISHED,
                remote_id=published.remote_id[:300],
                remote_url=published.remote_url[:500],
                error="",
                published_at=timezone.now(),
                next_attempt_at=None,
            )
    return settle(post_id=post.pk)


def _delivery_failed(
    delivery: Delivery, error: ConnectorError, *, attempts: int, now: datetime
) -> None:
    if error.retry_after is not None:
        # Rate limited: wait for the channel's reset; this does not count as a failure.
        Delivery.objects.filter(pk=delivery.pk).update(
            error=error.message,
            attempts=F("attempts") - 1,
            next_attempt_at=now + timedelta(seconds=error.retry_after),
        )
        return
    final = error.permanent or attempts >= MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED if final else DeliveryState.PENDING,
        error=error.message,
        next_attempt_at=None if final else now + _backoff(attempts),
    )


@transaction.atomic
def settle(*, post_id: int) -> Post | None:
    """The post's state from its deliveries: all published → published; one failed and none
    waiting → failed; otherwise it stays scheduled (the next round sends the rest)."""
    post = lock_for_update(Post.objects.filter(pk=post_id)).first()
    if post is None or post.state != PostState.SCHEDULED:
        return post
    states = list(post.deliveries.values_list("state", "published_at"))
    if not states:
        return post
    waiting = any(state == DeliveryState.PENDING for state, _at in states)
    failed = any(state == DeliveryState.FAILED for state, _at in states)
    if waiting:
        return post
    if failed:
        post.state = PostState.FAILED
    else:
        post.state = PostState.PUBLISHED
        post.published_at = min(at for _state, at in states if at is not None)
    post.save(update_fields=["state", "published_at", "updated_at"])
    if post.state == PostState.PUBLISHED:
        from maillage.voices import search as post_search

        post_search.index_post(post)
    return post


@transaction.atomic
def retry(*, post: Post, by: User) -> Post:
    """Failed → scheduled again: the failed channels are tried anew, the published ones kept."""
    locked = lock_for_update(Post.objects.filter(pk=post.pk)).get()
    if locked.author_id != by.pk and not permissions.can_repost(locked.space, by):
        raise NotAllowed()
    if locked.state != PostState.FAILED:
        raise InvalidTransition()
    locked.deliveries.filter(state=DeliveryState.FAILED).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=None
    )
    locked.state = PostState.SCHEDULED
    if locked.scheduled_for is None or locked.scheduled_for > timezone.now():
        locked.scheduled_for = timezone.now()
    locked.save(update_fields=["state", "scheduled_for", "updated_at"])
    from maillage.voices.services.posts import queue_publication_if_due

    queue_publication_if_due(locked)
    return locked


def due_post_ids(now: datetime | None = None) -> list[int]:
    """Scheduled posts whose time has come and that have a delivery ready to be tried."""
    now = now or timezone.now()
    return list(
        Post.objects.filter(state=PostState.SCHEDULED, scheduled_for__lte=now)
        .filter(
            Q(deliveries__state=DeliveryState.PENDING)
            & (
                Q(deliveries__next_attempt_at__isnull=True)
                | Q(deliveries__next_attempt_at__lte=now)
            )
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def publish_due(now: datetime | None = None) -> int:
    count = 0
    for post_id in due_post_ids(now):
        publish_post(post_id=post_id, now=now)
        count += 1
    return count


# --- review deadlines -------------------------------------------------------------------------


def handle_deadlines(now: datetime | None = None) -> tuple[int, int]:
    """Held posts past their deadline: published ("silence means yes") or escalated to the
    administrators, as the institution chose; each post once. Returns (published, escalated)."""
    now = now or timezone.now()
    published = escalated = 0
    overdue = Post.objects.filter(
        state=PostState.HELD, review_deadline__lte=now, escalated_at__isnull=True
    ).select_related("space")
    for post in overdue:
        if post.space.on_silence == OnSilence.PUBLISH:
            record = (
                policy.ReviewRecord.objects.for_content(post)
                .filter(state=policy.ReviewState.PENDING)
                .first()
            )
            if record is not None and policy.publish_after_silence(record_id=record.pk):
                published += 1
        elif _escalate(post.pk, now):
            escalated += 1
    return published, escalated


def _escalate(post_id: int, now: datetime) -> bool:
    with transaction.atomic():
        post = lock_for_update(Post.objects.filter(pk=post_id)).first()
        if post is None or post.state != PostState.HELD or post.escalated_at is not None:
            return False
        post.escalated_at = now
        post.save(update_fields=["escalated_at", "updated_at"])
        from maillage.voices.tasks import send_escalation

        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: send_escalation(post_id, language))
    return True


def send_escalation_email(*, post: Post) -> int:
    from maillage.core.mail import send_templated_email

    admins = Membership.objects.filter(space=post.space, role=Role.ADMIN).select_related("user")
    sent = 0
    for membership in admins:
        if membership.user_id == post.author_id or not membership.user.is_active:
            continue
        send_templated_email(
            to=membership.user.email,
            subject_template="voices/emails/escalation_subject.txt",
            body_template="voices/emails/escalation.txt",
            context={
                "post": post,
                "space": post.space,
                "name": membership.user.display_name,
                "link": settings.SITE_URL + post.get_absolute_url(),
                "SITE_NAME": settings.SITE_NAME,
            },
        )
        sent += 1
    return sent


# --- engagement ------------------------------------------------------------------------------


def fetch_engagement(*, delivery_id: int) -> bool:
    delivery = (
        Delivery.objects.select_related("channel")
        .filter(pk=delivery_id, state=DeliveryState.PUBLISHED)
        .first()
    )
    if delivery is None or not delivery.remote_id:
        return False
    try:
        counts = connector_for(delivery.channel).engagement(delivery.remote_id)
    except ConnectorError as error:
        logger.info("Engagement of delivery %s not read: %s", delivery.pk, error.message)
        return False
    if counts is None:
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        replies=counts.replies,
        reposts=counts.reposts,
        favourites=counts.favourites,
        engagement_fetched_at=timezone.now(),
    )
    return True


def deliveries_to_read(now: datetime | None = None) -> list[int]:
    """Published on a channel that reports engagement, in the last 30 days, not read for 6 h."""
    from maillage.voices.connectors import connector_class

    now = now or timezone.now()
    kinds = [
        kind
        for kind in ("mastodon", "bluesky")
        if (cls := connector_class(kind)) is not None and cls.reads_engagement
    ]
    return list(
        Delivery.objects.filter(
            state=DeliveryState.PUBLISHED,
            channel__kind__in=kinds,
            published_at__gte=now - timedelta(days=30),
        )
        .filter(
            Q(engagement_fetched_at__isnull=True)
            | Q(engagement_fetched_at__lte=now - timedelta(hours=6))
        )
        .values_list("pk", flat=True)
    )
