"""What every page of a space needs: the space, and the visitor's role in it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from maillage.voices import permissions
from maillage.voices.models import Space

Check = Callable[[Space, Any], bool]


def get_space(slug: str) -> Space:
    return get_object_or_404(Space.objects.select_related("institution"), slug=slug)


def space_page(check: Check = permissions.is_member) -> Callable[..., Any]:
    """A page inside a space: visitors log in first; members whose role lacks the right: 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, space: str, *args: Any, **kwargs: Any) -> HttpResponse:
            found = get_space(space)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(found, request.user):
                raise PermissionDenied
            return view(request, found, *args, **kwargs)

        return wrapped

    return decorator


def space_context(space: Space, user: Any) -> dict[str, Any]:
    """The sub-menu of a space shows what the visitor's role allows."""
    return {
        "space": space,
        "role": permissions.role_in(space, user),
        "can_manage": permissions.can_manage_space(space, user),
        "can_strategy": permissions.can_edit_strategy(space, user),
        "can_review": permissions.can_review(space, user),
        "can_write": permissions.can_write(space, user),
        "can_repost": permissions.can_repost(space, user),
        "is_member": permissions.is_member(space, user),
    }
