"""Who may do what in a space, by role: plain functions, one per right (tested one by one).

| right                      | admin | editor | reviewer | voice |
| -------------------------- | ----- | ------ | -------- | ----- |
| see the space's inside     |   x   |   x    |    x     |   x   |
| manage people, settings    |   x   |        |          |       |
| edit the strategy, channels|   x   |   x    |          |       |
| review others' posts       |   x   |   x    |    x     |       |
| write posts (with a voice) |   x   |   x    |    x     |   x   |
| repost on the institution  |   x   |   x    |          |       |
| edit a post                | its author while it is a draft, held or not published      |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maillage.voices.models import Membership, Post, PostState, Role, Space

if TYPE_CHECKING:
    from collections.abc import Collection

_MANAGERS = (Role.ADMIN,)
_STRATEGISTS = (Role.ADMIN, Role.EDITOR)
_REVIEWERS = (Role.ADMIN, Role.EDITOR, Role.REVIEWER)
_AMPLIFIERS = (Role.ADMIN, Role.EDITOR)
EDITABLE_STATES = (PostState.DRAFT, PostState.HELD, PostState.REJECTED)


def role_in(space: Space, user: Any) -> str | None:
    """The user's role in the space, or None (memoised on the user for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_voices_roles", {})
    if space.pk not in cache:
        cache[space.pk] = (
            Membership.objects.filter(space=space, user=user).values_list("role", flat=True).first()
        )
    return cache[space.pk]


def _has(space: Space, user: Any, roles: Collection[str]) -> bool:
    return role_in(space, user) in roles


def is_member(space: Space, user: Any) -> bool:
    return role_in(space, user) is not None


def can_manage_space(space: Space, user: Any) -> bool:
    return _has(space, user, _MANAGERS)


def can_edit_strategy(space: Space, user: Any) -> bool:
    return _has(space, user, _STRATEGISTS)


def can_manage_channels(space: Space, user: Any) -> bool:
    return _has(space, user, _STRATEGISTS)


def can_review(space: Space, user: Any) -> bool:
    return _has(space, user, _REVIEWERS)


def can_review_post(post: Post, user: Any) -> bool:
    """A reviewer of the post's space; core.review then refuses their own posts, saying why."""
    return can_review(post.space, user)


def can_write(space: Space, user: Any) -> bool:
    return is_member(space, user) and space.voices.filter(user=user).exists()


def can_repost(space: Space, user: Any) -> bool:
    return _has(space, user, _AMPLIFIERS)


def can_see_figures(space: Space, user: Any) -> bool:
    return is_member(space, user)


def can_edit_post(post: Post, user: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and post.author_id == user.pk
        and post.state in EDITABLE_STATES
        and is_member(post.space, user)
    )


def can_see_post(post: Post, user: Any) -> bool:
    """Published posts on the site are public; anything else only inside the space."""
    if post.state == PostState.PUBLISHED and post.deliveries.filter(channel__kind="site").exists():
        return True
    return is_member(post.space, user)
