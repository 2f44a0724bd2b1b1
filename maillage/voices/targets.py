"""A space's posts take comments through the comments app: one target kind, registered at
start-up. Only a post published on the space's own pages is open to them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from maillage.voices.models import ChannelKind, DeliveryState, Post, PostState

COMMENT_KIND = "publication"


def on_site(post: Post) -> bool:
    """Published and delivered to the space's pages (as Post.objects.on_site(), for one post;
    the deliveries the page already prefetched are read without a query)."""
    if post.state != PostState.PUBLISHED:
        return False
    prefetched = getattr(post, "_prefetched_objects_cache", {}).get("deliveries")
    if prefetched is not None:
        return any(
            delivery.channel.kind == ChannelKind.SITE and delivery.state == DeliveryState.PUBLISHED
            for delivery in prefetched
        )
    return post.deliveries.filter(
        channel__kind=ChannelKind.SITE, state=DeliveryState.PUBLISHED
    ).exists()


def register_comment_target() -> None:
    from maillage.articles.comments.targets import TargetKind, register_target
    from maillage.voices import permissions

    def visible(viewer: Any, post: Post) -> bool:
        return permissions.can_see_post(post, viewer)

    def public_ids() -> Iterable[int]:
        return Post.objects.on_site().values_list("pk", flat=True)

    def voice(post: Post) -> Iterable[Any]:
        user = post.voice.user
        return [user] if user.is_active else []

    register_target(TargetKind(COMMENT_KIND, Post, visible, public_ids, voice, on_site))
