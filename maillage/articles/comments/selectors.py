"""Reading comments: a target's threads as a viewer may see them, and the feeds' comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from maillage.articles.comments import services, targets
from maillage.articles.comments.models import Comment, CommentQuerySet, CommentStatus

FEED_SIZE = 30


@dataclass
class ShownComment:
    comment: Comment
    awaiting_review: bool = False
    deleted: bool = False
    # Set on a reply to a reply (shown in the thread, saying whom it answers).
    in_reply_to: Comment | None = None
    can_edit: bool = False
    can_delete: bool = False
    # For the article's authors and coordinators: the links the comment gives, to go further.
    shared_links: list[Any] = field(default_factory=list)


@dataclass
class Thread:
    first: ShownComment
    replies: list[ShownComment] = field(default_factory=list)


@dataclass
class CommentsView:
    threads: list[Thread]
    # Published comments only: what others may not see is never counted either.
    count: int
    # A closed discussion (an archived article) is read-only: no new comments, answers or edits.
    is_open: bool = True


def _viewer_id(viewer: Any) -> int | None:
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        return int(viewer.pk)
    return None


def comments_for(target: models.Model, viewer: Any) -> CommentsView:
    """The target's published comments in threads, plus the viewer's own comments awaiting
    review. Deleted comments stay as a placeholder while answers to them are shown. Two
    queries, whatever the number of comments."""
    viewer_id = _viewer_id(viewer)
    is_open = targets.open_to_comments(target)
    shown = Q(status__in=[CommentStatus.PUBLISHED, CommentStatus.DELETED])
    if viewer_id is not None:
        shown |= Q(status=CommentStatus.HELD, author_id=viewer_id)
    comments = list(
        Comment.objects.on(target).filter(shown).select_related("author", "parent__author")
    )
    visible = [c for c in comments if c.status != CommentStatus.DELETED]
    answered = {c.parent_id for c in visible} | {c.thread_id for c in visible}
    now = timezone.now()

    def show(comment: Comment) -> ShownComment:
        return ShownComment(
            comment=comment,
            awaiting_review=comment.status == CommentStatus.HELD,
            deleted=comment.status == CommentStatus.DELETED,
            can_edit=services.can_edit(viewer, comment, now, is_open=is_open),
            can_delete=services.can_delete(viewer, comment),
        )

    kept = [c for c in comments if c.status != CommentStatus.DELETED or c.pk in answered]
    threads: dict[int, Thread] = {}
    for comment in kept:
        if comment.thread_id is None or comment.thread_id not in threads:
            threads[comment.pk] = Thread(first=show(comment))
            continue
        item = show(comment)
        if comment.parent_id != comment.thread_id:
            item.in_reply_to = comment.parent
        threads[comment.thread_id].replies.append(item)
    count = sum(1 for c in comments if c.status == CommentStatus.PUBLISHED)
    return CommentsView(threads=list(threads.values()), count=count, is_open=is_open)


def shown_comment(comment: Comment, viewer: Any) -> ShownComment:
    """One comment as comments_for shows it (a fragment that htmx swaps in place)."""
    target = comment.target
    is_open = target is not None and targets.open_to_comments(target)
    in_reply_to = None
    if comment.thread_id is not None and comment.parent_id != comment.thread_id:
        in_reply_to = comment.parent
    return ShownComment(
        comment=comment,
        awaiting_review=comment.status == CommentStatus.HELD,
        deleted=comment.status == CommentStatus.DELETED,
        in_reply_to=in_reply_to,
        can_edit=services.can_edit(viewer, comment, is_open=is_open),
        can_delete=services.can_delete(viewer, comment),
    )


def published_count(target: models.Model) -> int:
    return Comment.objects.on(target).published().count()


def comment_visible_to(viewer: Any, comment: Comment) -> bool:
    """A comment page (edit, delete) exists for whoever may see the comment and its target."""
    target = comment.target
    if target is None or not targets.can_see(viewer, target):
        return False
    if comment.status == CommentStatus.PUBLISHED:
        return True
    return comment.status == CommentStatus.HELD and comment.author_id == _viewer_id(viewer)


def latest_public_comments(target: models.Model | None = None) -> CommentQuerySet:
    """Published comments on targets anyone may read, newest first (the feeds)."""
    comments = Comment.objects.published().filter(targets.public_targets_q())
    if target is not None:
        comments = comments.on(target)
    # The targets are fetched once per kind, not once per item (each item's title names its target).
    newest = comments.select_related("author", "content_type").order_by("-published_at", "-pk")
    return newest.prefetch_related("target")[:FEED_SIZE]
