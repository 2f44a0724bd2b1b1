"""Background jobs for comments: the guest's confirmation link, the notifications, and what
other apps do with a published comment."""

from __future__ import annotations

from django.utils import translation
from huey.contrib.djhuey import db_task

from maillage.articles.comments import services
from maillage.articles.comments.models import Comment, CommentStatus


@db_task(retries=3, retry_delay=60)
def send_guest_confirmation(comment_id: int, language: str) -> None:
    comment = Comment.objects.filter(pk=comment_id, status=CommentStatus.PENDING_EMAIL).first()
    if comment is None:  # confirmed or removed since: nothing to send
        return
    with translation.override(language):
        services.send_guest_confirmation(comment=comment)


@db_task(retries=3, retry_delay=60)
def notify_about_comment(comment_id: int) -> None:
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is not None:
        services.notify_about_comment(comment=comment)


@db_task(retries=3, retry_delay=60)
def hand_published_comment_on(comment_id: int) -> None:
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is not None:
        services.hand_published_comment_on(comment=comment)
