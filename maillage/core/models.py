"""The few models every domain app shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import split_tag_names, tag_slug

_Named = TypeVar("_Named", bound=models.Model)


def entries_for_names(
    queryset: models.QuerySet[_Named], names: str | Iterable[str]
) -> list[_Named]:
    """Existing or new entries of a vocabulary identified by the folded slug of its names (tags,
    a project's platforms): "Bibliothèque" and "bibliotheque" are one entry. The model has
    `name` and a unique `slug`."""
    wanted = {tag_slug(name): name for name in split_tag_names(names)}
    if not wanted:
        return []

    def by_slug() -> dict[str, _Named]:
        return {entry.slug: entry for entry in queryset.filter(slug__in=wanted)}  # type: ignore[attr-defined]

    existing = by_slug()
    missing = [
        queryset.model(name=name, slug=slug)
        for slug, name in wanted.items()
        if slug not in existing
    ]
    if missing:
        queryset.bulk_create(missing, ignore_conflicts=True)
        existing = by_slug()
    return [existing[slug] for slug in wanted]


class TagQuerySet(models.QuerySet["Tag"]):
    def for_names(self, names: str | Iterable[str]) -> list[Tag]:
        """Existing or new tags for these names, matched on their folded slug."""
        return entries_for_names(self, names)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = tag_slug(self.name)
        super().save(*args, **kwargs)


# The review policy's models live in their package; importing them here lets Django find them.
from maillage.core.review.models import ReviewPolicy, ReviewRecord  # noqa: E402
from maillage.core.search.models import SearchDocument  # noqa: E402

__all__ = ["ReviewPolicy", "ReviewRecord", "SearchDocument", "Tag", "TagQuerySet"]
