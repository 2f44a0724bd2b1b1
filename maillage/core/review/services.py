"""Actions on review records: storing a decision, and the reviewers' named transitions.

Every transition runs in a transaction holding the record's row, checks who acts (a coordinator,
never on their own content) and from which state, then lets the content app change its content
through the callables it registered (`register_reviewable`).
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from maillage.core.db import lock_for_update
from maillage.core.review.decisions import Decision
from maillage.core.review.models import (
    OPEN_STATES,
    ReviewAction,
    ReviewPolicy,
    ReviewRecord,
    ReviewState,
)
from maillage.core.review.registry import (
    Reviewable,
    models_with_own_reviewers,
    reviewable_for,
)

if TYPE_CHECKING:
    from maillage.members.models import User

logger = logging.getLogger(__name__)

_random = random.Random()  # noqa: S311 - sampling for review, not a secret


class ReviewError(Exception):
    default_message: Any = _("This review action is not possible.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(self.default_message))


class ReviewNotAllowed(ReviewError):
    default_message = _("Only coordinators review contributions.")


class OwnContent(ReviewNotAllowed):
    default_message = _("Nobody reviews their own contribution: another coordinator will.")


class AlreadyResolved(ReviewError):
    default_message = _("This contribution has already been reviewed.")


class ReasonRequired(ReviewError):
    default_message = _("Say why it is rejected: the author will read it.")


def submit(
    *,
    content: models.Model,
    kind: str,
    author: User | None,
    decision: Decision,
    guest_email: str = "",
    rng: random.Random | None = None,
    sample_rate: int | None = None,
) -> ReviewRecord:
    """Store the decision on `content`; a `sample_rate` share of publish-then-sample goes to the
    queue (`rng` lets tests choose; `sample_rate` is an institution's, else the network's)."""
    if decision.action == ReviewAction.PUBLISH:
        state = ReviewState.AUTO_PUBLISHED
    elif decision.action == ReviewAction.PUBLISH_THEN_SAMPLE:
        rate = ReviewPolicy.current().sample_rate if sample_rate is None else sample_rate
        drawn = (rng or _random).random() * 100
        state = ReviewState.SAMPLED if drawn < rate else ReviewState.AUTO_PUBLISHED
    elif decision.action == ReviewAction.HOLD:
        state = ReviewState.PENDING
    else:
        state = ReviewState.REJECTED
    now = timezone.now()
    return ReviewRecord.objects.create(
        content_type=ContentType.objects.get_for_model(content),
        object_id=content.pk,
        kind=kind,
        author=author if author is not None and author.pk else None,
        guest_email=guest_email,
        action=decision.action,
        reasons=list(decision.reasons),
        state=state,
        created_at=now,
        resolved_at=now if state == ReviewState.REJECTED else None,
    )


def can_review(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_coordinator", False)
    )


def may_review(user: Any, record: ReviewRecord) -> bool:
    """The content's own reviewers when its app names them, else the network's coordinators."""
    reviewable = reviewable_for(record.content_type.model_class())
    if reviewable is not None and reviewable.can_review is not None:
        content = _content(record)
        return bool(
            content is not None
            and getattr(user, "is_authenticated", False)
            and reviewable.can_review(content, user)
        )
    return can_review(user)


def _open_record(record: ReviewRecord, by: User) -> tuple[ReviewRecord, Reviewable | None]:
    if not may_review(by, record):
        raise ReviewNotAllowed()
    locked = lock_for_update(ReviewRecord.objects.filter(pk=record.pk)).get()
    if locked.author_id is not None and locked.author_id == by.pk:
        raise OwnContent()
    if locked.state not in OPEN_STATES:
        raise AlreadyResolved()
    return locked, reviewable_for(locked.content_type.model_class())


def _content(record: ReviewRecord) -> models.Model | None:
    model = record.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=record.object_id).first()


def _resolve(record: ReviewRecord, *, state: str, by: User | None, note: str = "") -> ReviewRecord:
    record.state = state
    record.resolved_at = timezone.now()
    record.resolved_by = by
    record.resolution_note = note
    record.save(update_fields=["state", "resolved_at", "resolved_by", "resolution_note"])
    return record


def _copy_back(target: ReviewRecord, source: ReviewRecord) -> ReviewRecord:
    for name in ("state", "resolved_at", "resolved_by_id", "resolution_note"):
        setattr(target, name, getattr(source, name))
    return source


@transaction.atomic
def approve(*, record: ReviewRecord, by: User, note: str = "") -> ReviewRecord:
    """Approve; `note` is a word for the author (feedback on a sampled post, not a reproach)."""
    locked, reviewable = _open_record(record, by)
    content = _content(locked)
    if reviewable is not None and content is not None:
        reviewable.approve(content)
    _resolve(locked, state=ReviewState.APPROVED, by=by, note=(note or "").strip())
    return _copy_back(record, locked)


@transaction.atomic
def reject(*, record: ReviewRecord, by: User, reason: str) -> ReviewRecord:
    """Reject with a reason; the author is told by email when we have their address."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    locked, reviewable = _open_record(record, by)
    content = _content(locked)
    description = ""
    if reviewable is not None and content is not None:
        description = reviewable.describe(content)
        reviewable.reject(content, reason)
    _resolve(locked, state=ReviewState.REJECTED, by=by, note=reason)
    _queue_rejection_email(locked, description)
    return _copy_back(record, locked)


@transaction.atomic
def mark_spam(*, record: ReviewRecord, by: User) -> ReviewRecord:
    locked, reviewable = _open_record(record, by)
    content = _content(locked)
    if reviewable is not None and content is not None:
        reviewable.mark_spam(content)
    _resolve(locked, state=ReviewState.SPAM, by=by)
    return _copy_back(record, locked)


def author_address(record: ReviewRecord) -> str:
    if record.author is not None and record.author.is_active and record.author.email:
        return str(record.author.email)
    return record.guest_email


def _queue_rejection_email(record: ReviewRecord, description: str) -> None:
    if not author_address(record):
        return
    from maillage.core.review import tasks

    record_id = record.pk
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: tasks.send_rejection_email(record_id, description, language))


def send_rejection_email(*, record: ReviewRecord, description: str) -> bool:
    from maillage.core.mail import send_templated_email

    address = author_address(record)
    if not address or record.state != ReviewState.REJECTED:
        return False
    context = {
        "record": record,
        "name": record.author.display_name if record.author is not None else "",
        "description": description,
        "reason": record.resolution_note,
        "kind": record.kind,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    send_templated_email(
        to=address,
        subject_template="core/review/emails/rejected_subject.txt",
        body_template="core/review/emails/rejected.txt",
        context=context,
    )
    return True


def publish_after_silence(*, record_id: int) -> bool:
    """Publish one held contribution whose deadline passed ("silence means yes"); False when a
    reviewer acted meanwhile. Idempotent: the record's row is held while it changes."""
    with transaction.atomic():
        record = (
            lock_for_update(ReviewRecord.objects.filter(pk=record_id))
            .select_related("content_type")
            .first()
        )
        if record is None or record.state != ReviewState.PENDING:
            return False
        reviewable = reviewable_for(record.content_type.model_class())
        content = _content(record)
        if reviewable is not None and content is not None:
            reviewable.approve(content)
        _resolve(record, state=ReviewState.EXPIRED_PUBLISHED, by=None)
        return True


def publish_expired(*, now: Any = None) -> int:
    """Held contributions past the "silence means yes" deadline are published; 0 hours = never.

    Content whose app names its own reviewers keeps its own deadlines and is left alone."""
    hours = ReviewPolicy.current().silence_hours
    if not hours:
        return 0
    deadline = (now or timezone.now()) - timedelta(hours=hours)
    own = [ContentType.objects.get_for_model(model).pk for model in models_with_own_reviewers()]
    published = 0
    for record_id in (
        ReviewRecord.objects.filter(state=ReviewState.PENDING, created_at__lte=deadline)
        .exclude(content_type__in=own)
        .values_list("pk", flat=True)
    ):
        if publish_after_silence(record_id=record_id):
            published += 1
    if published:
        logger.info("%d held contributions published after the deadline", published)
    return published
