"""Actions on the watch: save a bookmark (merging with the one already kept for that page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core import search
from maillage.core.models import Tag
from maillage.core.tags import split_tag_names, tag_slug
from maillage.core.visibility import Visibility
from maillage.veille.models import URL_MAX_LENGTH, Bookmark, BookmarkSource, PageFetchStatus
from maillage.veille.tasks import read_bookmark_page
from maillage.veille.urls_normalise import InvalidBookmarkURL, normalise_url, url_digest


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


def schedule_page_reading(bookmark_id: int, *, force: bool = False) -> None:
    """Read the bookmark's page in the background once the current transaction commits."""
    transaction.on_commit(lambda: read_bookmark_page(bookmark_id, force))


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
        search.index(bookmark)
        schedule_page_reading(bookmark.pk)
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
    retry_reading = existing.fetch_status == PageFetchStatus.FAILED
    if retry_reading:
        # Saving the page again is the natural way to say "try reading it again".
        existing.fetch_status = PageFetchStatus.PENDING
    existing.save(update_fields=["notes", "to_read", "title", "updated_at", "fetch_status"])
    if retry_reading:
        schedule_page_reading(existing.pk)
    if new_tags:
        existing.tags.add(*new_tags)
    search.index(existing)
    return SavedBookmark(
        bookmark=existing,
        created=False,
        added_tags=tuple(tag.name for tag in new_tags),
        notes_added=notes_added,
    )


# --- Editing one bookmark ------------------------------------------------------------------------


class BookmarkError(Exception):
    """An action on a bookmark that cannot be done; str(error) says why, for the person."""


@transaction.atomic
def update_bookmark(
    *,
    bookmark: Bookmark,
    url: str,
    title: str,
    notes: str,
    tags: str | list[str],
    visibility: str,
    to_read: bool,
) -> Bookmark:
    """Change a bookmark as its owner edits it. A new address must not be one the owner has
    already kept (one bookmark per page); the new page is read again in the background."""
    normalised = normalise_url(url)
    digest = url_digest(normalised)
    new_page = digest != bookmark.url_digest
    if (
        new_page
        and Bookmark.objects.filter(owner=bookmark.owner_id, url_digest=digest)
        .exclude(pk=bookmark.pk)
        .exists()
    ):
        raise BookmarkError(_("You have already kept this address in another bookmark."))
    bookmark.url = url.strip()
    bookmark.normalised_url = normalised
    bookmark.url_digest = digest
    bookmark.title = title.strip()[:300]
    bookmark.notes = notes.strip()
    bookmark.visibility = visibility
    bookmark.to_read = to_read
    bookmark.updated_at = timezone.now()
    if new_page:
        # What was read belongs to the old page.
        bookmark.fetch_status = PageFetchStatus.PENDING
        bookmark.fetched_at = None
        bookmark.fetch_error = ""
        bookmark.page_title = bookmark.page_description = bookmark.page_language = ""
        bookmark.page_text = bookmark.site_name = bookmark.preview_image_url = ""
        bookmark.favicon = ""
    bookmark.save()
    bookmark.tags.set(Tag.objects.for_names(tags))
    search.index(bookmark)
    if new_page:
        schedule_page_reading(bookmark.pk)
    return bookmark


# --- Pasting several addresses at once -----------------------------------------------------------

PASTE_MAX_LINES = 200


@dataclass(frozen=True)
class RefusedLine:
    line_number: int
    text: str
    reason: str


@dataclass(frozen=True)
class PasteSummary:
    added: tuple[Bookmark, ...]
    merged: tuple[SavedBookmark, ...]
    refused: tuple[RefusedLine, ...]


def _pasted_address(line: str) -> tuple[str, str]:
    """(address, title) from "https://example.org/page  An optional title"; an address typed
    without its scheme ("www.example.org/page") is taken as https://."""
    address, _space, title = line.partition(" ")
    address = address.strip()
    if "://" not in address and "." in address.split("/", 1)[0]:
        address = f"https://{address}"
    return address, title.strip()


def save_pasted_bookmarks(
    *,
    owner: Any,
    text: str,
    tags: str | list[str] = "",
    visibility: str = Visibility.MEMBERS,
    to_read: bool = False,
) -> PasteSummary:
    """Keep each address of `text` (one per line) with save_bookmark, and say for each line
    whether it was added, merged into a bookmark already kept, or refused and why."""
    added: list[Bookmark] = []
    merged: list[SavedBookmark] = []
    refused: list[RefusedLine] = []
    seen: dict[str, int] = {}
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line]
    for index, (number, line) in enumerate(lines):
        if index >= PASTE_MAX_LINES:
            refused.append(
                RefusedLine(
                    number,
                    line,
                    _("Beyond the first %(count)s addresses: paste it again.")
                    % {"count": PASTE_MAX_LINES},
                )
            )
            continue
        address, title = _pasted_address(line)
        if len(address) > URL_MAX_LENGTH:
            reason = _("Longer than %(count)s characters.") % {"count": URL_MAX_LENGTH}
            refused.append(RefusedLine(number, line, reason))
            continue
        try:
            digest = url_digest(normalise_url(address))
        except InvalidBookmarkURL:
            reason = _("Not a web address (http:// or https://).")
            refused.append(RefusedLine(number, line, reason))
            continue
        if digest in seen:
            reason = _("Same page as line %(number)s.") % {"number": seen[digest]}
            refused.append(RefusedLine(number, line, reason))
            continue
        seen[digest] = number
        saved = save_bookmark(
            owner=owner,
            url=address,
            title=title,
            tags=tags,
            visibility=visibility,
            to_read=to_read,
        )
        if saved.created:
            added.append(saved.bookmark)
        else:
            merged.append(saved)
    return PasteSummary(added=tuple(added), merged=tuple(merged), refused=tuple(refused))


# --- Bulk edit: only ever on the owner's own bookmarks --------------------------------------------


@dataclass(frozen=True)
class BulkResult:
    changed: int  # the owner's bookmarks the action applied to
    refused: int  # ids that are not the owner's bookmarks: left as they were


def _own_ids(owner: Any, ids: Iterable[int]) -> tuple[list[int], int]:
    wanted = {int(pk) for pk in ids}
    own = list(
        Bookmark.objects.filter(owner=owner, pk__in=wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return own, len(wanted) - len(own)


@transaction.atomic
def bulk_add_tags(*, owner: Any, ids: Iterable[int], tags: str | list[str]) -> BulkResult:
    own, refused = _own_ids(owner, ids)
    tag_objects = Tag.objects.for_names(tags)
    BookmarkTag = Bookmark.tags.through
    BookmarkTag.objects.bulk_create(
        [BookmarkTag(bookmark_id=pk, tag_id=tag.pk) for pk in own for tag in tag_objects],
        ignore_conflicts=True,
    )
    Bookmark.objects.filter(pk__in=own).update(updated_at=timezone.now())
    search.index_many(Bookmark, own)
    return BulkResult(changed=len(own), refused=refused)


@transaction.atomic
def bulk_remove_tags(*, owner: Any, ids: Iterable[int], tags: str | list[str]) -> BulkResult:
    own, refused = _own_ids(owner, ids)
    slugs = [tag_slug(name) for name in split_tag_names(tags)]
    Bookmark.tags.through.objects.filter(bookmark_id__in=own, tag__slug__in=slugs).delete()
    Bookmark.objects.filter(pk__in=own).update(updated_at=timezone.now())
    search.index_many(Bookmark, own)
    return BulkResult(changed=len(own), refused=refused)


@transaction.atomic
def bulk_set_visibility(*, owner: Any, ids: Iterable[int], visibility: str) -> BulkResult:
    if visibility not in Visibility.values:
        raise BookmarkError(_("Choose who can see them."))
    own, refused = _own_ids(owner, ids)
    Bookmark.objects.filter(pk__in=own).update(visibility=visibility, updated_at=timezone.now())
    search.index_many(Bookmark, own)
    return BulkResult(changed=len(own), refused=refused)


@transaction.atomic
def bulk_delete(*, owner: Any, ids: Iterable[int]) -> BulkResult:
    own, refused = _own_ids(owner, ids)
    search.remove(Bookmark, own)
    Bookmark.objects.filter(pk__in=own).delete()
    return BulkResult(changed=len(own), refused=refused)


@transaction.atomic
def delete_bookmark(*, bookmark: Bookmark, by: Any) -> None:
    if bookmark.owner_id != getattr(by, "pk", None):
        raise BookmarkError(_("Only its owner can delete a bookmark."))
    search.remove(Bookmark, [bookmark.pk])
    bookmark.delete()
