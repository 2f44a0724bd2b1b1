"""The few models every domain app shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.tags import split_tag_names, tag_slug


class TagQuerySet(models.QuerySet["Tag"]):
    def for_names(self, names: str | Iterable[str]) -> list[Tag]:
        """Existing or new tags for these names, matched on their folded slug."""
        wanted = {tag_slug(name): name for name in split_tag_names(names)}
        if not wanted:
            return []
        existing = {tag.slug: tag for tag in self.filter(slug__in=wanted)}
        missing = [
            Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing
        ]
        if missing:
            self.bulk_create(missing, ignore_conflicts=True)
            existing = {tag.slug: tag for tag in self.filter(slug__in=wanted)}
        return [existing[slug] for slug in wanted]


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
