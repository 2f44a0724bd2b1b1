"""Actions on the watch: save a bookmark (merging with the one already kept for that page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from maillage.core.models import Tag
from maillage.core.visibility import Visibility
from maillage.veille.models import Bookmark, BookmarkSource
from maillage.veille.urls_normalise import normalise_url, url_digest


@dataclass(frozen=True)
class SavedBookmark:
    bookmark: Bookmark
    created: bool
    # What the second save added to the bookmark already kept: shown to the person.
    added_tags: tuple[str, ...] = ()
    notes_added: bool = False

    @property
    def merged(self) -> bool:
        return not self.created


def merge_notes(existing: str, new: str) -> str:
    """Append new notes unless they are already there, separated by a blank line."""
    new = new.strip()
    if not new or new in existing:
        return existing
    return f"{existing.rstrip()}\n\n{new}" if existing.strip() else new


@transaction.atomic
def save_bookmark(
    *,
    owner: Any,
    url: str,
    title: str = "",
    notes: str = "",
    tags: str | list[str] = "",
    visibility: str = Visibility.MEMBERS,
    to_read: bool = False,
    source: str = BookmarkSource.MANUAL,
) -> SavedBookmark:
    """Keep a page for `owner`. Saving a page already kept merges tags and notes into it
    (title, visibility and date stay as they were) and says what was added.

    Raises InvalidBookmarkURL for anything but an http(s) address.
    """
    normalised = normalise_url(url)
    digest = url_digest(normalised)
    tag_objects = Tag.objects.for_names(tags)
    existing = Bookmark.objects.select_for_update().filter(owner=owner, url_digest=digest).first()
    if existing is None:
        bookmark = Bookmark.objects.create(
            owner=owner,
            url=url.strip(),
            normalised_url=normalised,
            url_digest=digest,
            title=title.strip()[:300],
            notes=notes.strip(),
            visibility=visibility,
            to_read=to_read,
            source=source,
        )
        bookmark.tags.set(tag_objects)
        return SavedBookmark(bookmark=bookmark, created=True)

    known = set(existing.tags.values_list("pk", flat=True))
    new_tags = [tag for tag in tag_objects if tag.pk not in known]
    merged_notes = merge_notes(existing.notes, notes)
    notes_added = merged_notes != existing.notes
    existing.notes = merged_notes
    existing.to_read = existing.to_read or to_read
    if not existing.title and title.strip():
        existing.title = title.strip()[:300]
    existing.updated_at = timezone.now()
    existing.save(update_fields=["notes", "to_read", "title", "updated_at"])
    if new_tags:
        existing.tags.add(*new_tags)
    return SavedBookmark(
        bookmark=existing,
        created=False,
        added_tags=tuple(tag.name for tag in new_tags),
        notes_added=notes_added,
    )
