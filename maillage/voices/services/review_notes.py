"""A reviewer's word on a sampled post, sent to its voice.

A trusted voice's post goes out at once and a share of such posts is sampled for a reviewer's
look afterwards (voices.review). When the reviewer approves a sampled post with a note, the
voice would otherwise never see it: it is emailed to them with a link to the post. A record is
approved only once, so each note is sent once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import translation

from maillage.core import review as core_review
from maillage.core.review import ReviewAction
from maillage.core.review.models import ReviewState
from maillage.voices.models import Post

if TYPE_CHECKING:
    from maillage.members.models import User


def approve(*, record: core_review.ReviewRecord, by: User, note: str = "") -> None:
    """Approve a held or sampled post with an optional word for its author (ReviewError when
    the reviewer may not or it was already resolved); a note on a sampled post is emailed."""
    note = (note or "").strip()
    with transaction.atomic():
        core_review.approve(record=record, by=by, note=note)
        Post.objects.filter(pk=record.object_id).update(decision_note=note)
        if note and record.action == ReviewAction.PUBLISH_THEN_SAMPLE:
            from maillage.voices.tasks import send_sample_note

            record_id = record.pk
            language = translation.get_language() or settings.LANGUAGE_CODE
            transaction.on_commit(lambda: send_sample_note(record_id, language))


def sampled_post_noted(record_id: int) -> tuple[core_review.ReviewRecord, Post] | None:
    """The approved sampled record with a note, and its post; None for anything else."""
    record = (
        core_review.ReviewRecord.objects.select_related("content_type", "resolved_by")
        .filter(
            pk=record_id,
            state=ReviewState.APPROVED,
            action=ReviewAction.PUBLISH_THEN_SAMPLE,
        )
        .exclude(resolution_note="")
        .first()
    )
    if record is None or record.content_type.model_class() is not Post:
        return None
    post = (
        Post.objects.select_related("space__institution", "voice__user")
        .filter(pk=record.object_id)
        .first()
    )
    return (record, post) if post is not None else None


def send_sample_note_email(*, record_id: int) -> bool:
    from maillage.core.mail import send_templated_email

    found = sampled_post_noted(record_id)
    if found is None:
        return False
    record, post = found
    user = post.voice.user
    if not user.is_active or not user.email:
        return False
    reviewer = record.resolved_by
    send_templated_email(
        to=user.email,
        subject_template="voices/emails/sample_note_subject.txt",
        body_template="voices/emails/sample_note.txt",
        context={
            "post": post,
            "space": post.space,
            "name": post.voice.name,
            "reviewer": reviewer.display_name if reviewer is not None else "",
            "note": record.resolution_note,
            "link": settings.SITE_URL + post.get_absolute_url(),
            "SITE_NAME": settings.SITE_NAME,
        },
    )
    return True
