"""Background jobs of the voices: invitations, publishing on schedule, review deadlines,
engagement. Each takes ids, re-reads its rows and is idempotent."""

from __future__ import annotations

from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.voices.models import Invitation, Post
from maillage.voices.services import publishing
from maillage.voices.services import space as space_services


@db_task(retries=3, retry_delay=60)
def send_invitation(invitation_id: int, token: str, language: str) -> None:
    invitation = (
        Invitation.objects.select_related("space__institution")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    with translation.override(language):
        space_services.send_invitation_email(invitation=invitation, token=token)


@db_task(retries=2, retry_delay=30)
def publish_post(post_id: int) -> None:
    publishing.publish_post(post_id=post_id)


@db_periodic_task(crontab(minute="*"))
def publish_due_posts() -> None:
    publishing.publish_due()


@db_periodic_task(crontab(minute="*/5"))
def handle_review_deadlines() -> None:
    publishing.handle_deadlines()


@db_task(retries=3, retry_delay=120)
def send_escalation(post_id: int, language: str) -> None:
    post = (
        Post.objects.select_related("space__institution", "voice__user").filter(pk=post_id).first()
    )
    if post is None or post.escalated_at is None:
        return
    with translation.override(language):
        publishing.send_escalation_email(post=post)


@db_task(retries=3, retry_delay=120)
def send_sample_note(record_id: int, language: str) -> None:
    from maillage.voices.services import review_notes

    with translation.override(language):
        review_notes.send_sample_note_email(record_id=record_id)


@db_periodic_task(crontab(minute="17"))
def read_engagement() -> None:
    for delivery_id in publishing.deliveries_to_read():
        publishing.fetch_engagement(delivery_id=delivery_id)
