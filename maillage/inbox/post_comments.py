"""Comments on an institution's posts come in as questions, addressed to the post's voice.

The comments app calls `receive_post_comment` after a comment on a post is published (at once,
after its author confirmed by email, or after review). The space's own staff commenting under
their posts are talking among themselves, or answering: that is not a question.
"""

from __future__ import annotations

from typing import Any

from maillage.inbox.deadlines import settings_or_default
from maillage.inbox.models import Question
from maillage.inbox.services import questions
from maillage.voices.models import Membership, Post


def written_by_staff(comment: Any, post: Post) -> bool:
    """A member of the space wrote it: logged in, or as a guest with their own address."""
    staff = Membership.objects.filter(space_id=post.space_id)
    if comment.author_id is not None:
        return staff.filter(user_id=comment.author_id).exists()
    email = (comment.guest_email or "").strip()
    return bool(email) and staff.filter(user__email__iexact=email).exists()


def receive_post_comment(*, comment: Any, target: Post) -> Question | None:
    """Idempotent: a comment enters the inbox once (receive_comment looks for it first)."""
    from maillage.articles.comments.models import CommentStatus

    if comment.status != CommentStatus.PUBLISHED:
        return None
    space = target.space
    if not settings_or_default(space).accepts_questions or written_by_staff(comment, target):
        return None
    return questions.receive_comment(space=space, comment=comment, voice=target.voice)


def register_comment_intake() -> None:
    from maillage.articles.comments.targets import add_publication_handler

    add_publication_handler(Post, receive_post_comment)
