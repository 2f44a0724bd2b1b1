"""What the search index holds of comments (core.search): published comments only, found by
whoever may read what they are about (they follow its visibility and its publication date)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet

from maillage.articles.comments.models import Comment, CommentStatus
from maillage.articles.models import Article
from maillage.core import search
from maillage.events.models import Event


def comment_documents(comment: Comment) -> search.Document | None:
    if comment.status != CommentStatus.PUBLISHED:  # held, unconfirmed, rejected, deleted
        return None
    target = comment.target
    if target is None:
        return None
    about = search.documents_for(target)
    if not about or about[0].audience == search.Audience.PRIVATE:
        return None  # what it is about is a draft, or private: its comments stay out too
    return search.Document(
        title="",
        body=search.plain_text(comment.body),
        language=comment.language,
        audience=about[0].audience,
        visible_from=about[0].visible_from,
        owner_id=comment.author_id,
        members=[comment.author_id] if comment.author_id else [],
        date=comment.published_at or comment.created_at,
        url=comment.get_absolute_url(),
        subject=about[0].title,
        byline=comment.name,
    )


def indexed_comments() -> QuerySet[Comment]:
    return Comment.objects.filter(status=CommentStatus.PUBLISHED).select_related("author")


def comments_on(target: models.Model) -> Any:
    return (
        Comment.objects.on(target).filter(status=CommentStatus.PUBLISHED).select_related("author")
    )


search.register(
    Comment, kind=search.Kind.COMMENT, documents=comment_documents, queryset=indexed_comments
)
# Comments follow what they are about (comments.targets): index them again when it changes.
search.register_dependents(Event, comments_on)
search.register_dependents(Article, comments_on)
