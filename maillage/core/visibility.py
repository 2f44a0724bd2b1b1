"""Who may see a piece of content: public, members or private (its owner)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the network")
    PRIVATE = "private", _("Only me")


def visibility_field(default: str = Visibility.MEMBERS, **kwargs: Any) -> models.CharField:
    return models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=default, **kwargs
    )


def levels_visible_to(viewer: Any) -> list[str]:
    """The visibility levels a viewer may read regardless of ownership."""
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active:
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def visible_q(viewer: Any, *, field: str = "visibility", owner_field: str | None = "owner") -> Q:
    """A filter for rows the viewer may see: by level, or because the viewer owns them."""
    condition = Q(**{f"{field}__in": levels_visible_to(viewer)})
    if owner_field and viewer is not None and getattr(viewer, "is_authenticated", False):
        condition |= Q(**{owner_field: viewer})
    return condition


def can_see(viewer: Any, level: str, *, owner: Any = None) -> bool:
    """The same rule as visible_q, for one value already loaded."""
    if level in levels_visible_to(viewer):
        return True
    return owner is not None and getattr(viewer, "is_authenticated", False) and owner == viewer


_M = TypeVar("_M", bound=models.Model)


class VisibilityQuerySet(models.QuerySet[_M], Generic[_M]):
    """Mixin for content with a visibility field and an owner; subclasses name both fields."""

    visibility_field_name: str = "visibility"
    visibility_owner_field: str | None = "owner"

    def visible_to(self, viewer: Any) -> VisibilityQuerySet[_M]:
        return self.filter(
            visible_q(
                viewer, field=self.visibility_field_name, owner_field=self.visibility_owner_field
            )
        )
