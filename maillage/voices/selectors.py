"""Reading a space: its public posts, a member's posts, the reviewers' queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet

from maillage.core.review import ReviewRecord, ReviewState, describe_decision
from maillage.voices import permissions
from maillage.voices.models import (
    Channel,
    Delivery,
    Membership,
    Post,
    PostState,
    Space,
    Voice,
)

PAGE_SIZE = 20


def spaces() -> QuerySet[Space]:
    return Space.objects.select_related("institution").annotate(
        voice_count=Count("voices", distinct=True)
    )


def _post_list(queryset: QuerySet[Post]) -> QuerySet[Post]:
    return queryset.select_related(
        "voice__user",
        "voice__space",
        "audience",
        "key_message",
        "space__institution",
        "repost_of__voice__user",
        "repost_of__space",
    ).prefetch_related(
        "tags", Prefetch("deliveries", queryset=Delivery.objects.select_related("channel"))
    )


def public_posts(space: Space, *, voice: Voice | None = None) -> QuerySet[Post]:
    """Published on the space's own pages: what anyone may read (and the feeds carry)."""
    ids = Post.objects.on_site().filter(space=space)
    if voice is not None:
        ids = ids.filter(voice=voice)
    return _post_list(Post.objects.filter(pk__in=ids.values("pk"))).order_by("-published_at", "-pk")


def public_space_of(institution: Any) -> Space | None:
    """The institution's space, when it has published something on its own pages."""
    return (
        Space.objects.select_related("institution")
        .filter(institution=institution, pk__in=Post.objects.on_site().values("space_id"))
        .first()
    )


def public_voices(space: Space) -> QuerySet[Voice]:
    return (
        space.voices.filter(public=True)
        .select_related("user")
        .prefetch_related("expertise")
        .order_by("user__display_name")
    )


def posts_for_member(
    space: Space, user: Any, *, state: str = "", mine: bool = False
) -> QuerySet[Post]:
    """Reviewers, editors and administrators see every post of the space; a voice their own."""
    posts = Post.objects.filter(space=space)
    if mine or not permissions.can_review(space, user):
        posts = posts.filter(author=user)
    if state in PostState.values:
        posts = posts.filter(state=state)
    return _post_list(posts).order_by("-scheduled_for", "-created_at", "-pk")


def post_for(space: Space, pk: int) -> Post | None:
    return _post_list(Post.objects.filter(space=space, pk=pk)).first()


@dataclass
class QueueEntry:
    record: ReviewRecord
    post: Post

    @property
    def decision_text(self) -> str:
        return describe_decision(self.record.action, self.record.reasons)

    @property
    def sampled(self) -> bool:
        return self.record.state == ReviewState.SAMPLED


def review_queue(space: Space) -> list[QueueEntry]:
    """Held posts first (oldest deadline first), then sampled ones, of this space only."""
    content_type = ContentType.objects.get_for_model(Post)
    records = list(
        ReviewRecord.objects.open()
        .filter(
            content_type=content_type,
            object_id__in=Post.objects.filter(space=space).values("pk"),
        )
        .select_related("author")
        .order_by("state", "created_at", "id")
    )
    posts = {
        post.pk: post
        for post in _post_list(Post.objects.filter(pk__in=[r.object_id for r in records]))
    }
    return [
        QueueEntry(record=record, post=posts[record.object_id])
        for record in records
        if record.object_id in posts
    ]


def review_record_for(post: Post) -> ReviewRecord | None:
    return ReviewRecord.objects.for_content(post).select_related("resolved_by").first()


def members_of(space: Space) -> QuerySet[Membership]:
    return space.memberships.select_related("user").order_by("role", "user__display_name")


def channels_of(space: Space) -> QuerySet[Channel]:
    return (
        space.channels.select_related("voice__user").prefetch_related("audiences").order_by("name")
    )
