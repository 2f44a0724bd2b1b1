"""Queries that read the watch, always on behalf of a viewer.

Who sees what comes from the querysets: a private bookmark only to its owner, a members-only one
only to members, a public one to anyone. Each list page has one selector for its rows; `filtered`
adds the page's filters, sort and the data the cards show (owner, tags), so a page costs the same
few queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone

from maillage.core.models import Tag
from maillage.members.models import User
from maillage.veille.models import Bookmark, BookmarkQuerySet

BOOKMARK_PAGE_SIZE = 20
RELATED_TAG_COUNT = 20

BookmarkTag = Bookmark.tags.through


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"


# What list pages never show: the page's full text can weigh hundreds of kilobytes per row.
LIST_DEFERRED_FIELDS = ("page_text",)


@dataclass(frozen=True)
class BookmarkFilters:
    tags: tuple[str, ...] = ()  # tag slugs; a bookmark must have every one of them
    owner: int | None = None  # a member's id
    since: date | None = None  # added on or after this day (in the site's time zone)
    until: date | None = None  # added on or before this day
    text: str = ""  # in the title, the notes or the address
    sort: str = Sort.NEWEST

    @property
    def narrowing(self) -> bool:
        """Whether any filter (the sort aside) leaves bookmarks out."""
        return bool(self.tags or self.owner or self.since or self.until or self.text)


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    count: int
    # The tags already chosen on the page, which a link narrowing the page to this one keeps.
    with_tags: tuple[str, ...] = field(default=())

    @property
    def narrowing_tags(self) -> str:
        """The `tags` filter for "these and this one too"."""
        return ",".join((*self.with_tags, self.tag.slug))


# --- Who sees which rows -------------------------------------------------------------------------


def visible_bookmarks(viewer: Any) -> BookmarkQuerySet:
    """Every bookmark the viewer may open: public ones, members-only ones for members, and the
    viewer's own (private included)."""
    return Bookmark.objects.visible_to(viewer)  # type: ignore[return-value]


def my_bookmarks(viewer: Any) -> BookmarkQuerySet:
    if not getattr(viewer, "is_authenticated", False):
        return Bookmark.objects.none()
    return Bookmark.objects.filter(owner=viewer)


def shared_watch(viewer: Any) -> BookmarkQuerySet:
    """The network's shared watch: every member's shared bookmarks the viewer may read (the
    public sees the public ones). Private bookmarks stay out, the viewer's own included."""
    return visible_bookmarks(viewer).shared()


def member_bookmarks(viewer: Any, member: User) -> BookmarkQuerySet:
    """One member's bookmarks as the viewer may see them (all of them for the member)."""
    return visible_bookmarks(viewer).filter(owner=member)


def tag_bookmarks(viewer: Any, tag: Tag) -> BookmarkQuerySet:
    return visible_bookmarks(viewer).filter(
        Exists(BookmarkTag.objects.filter(bookmark=OuterRef("pk"), tag=tag))
    )


def to_read_bookmarks(viewer: Any) -> BookmarkQuerySet:
    """The viewer's own reading list ("to read" is a note to oneself)."""
    return my_bookmarks(viewer).to_read()


def bookmark_for(viewer: Any, pk: int) -> Bookmark | None:
    """One bookmark's page, or None when it does not exist or the viewer may not see it."""
    return (
        visible_bookmarks(viewer)
        .select_related("owner")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .filter(pk=pk)
        .first()
    )


def others_who_kept(viewer: Any, bookmark: Bookmark) -> list[Bookmark]:
    """Other members' bookmarks of the same page that the viewer may see."""
    return list(
        visible_bookmarks(viewer)
        .filter(url_digest=bookmark.url_digest)
        .exclude(pk=bookmark.pk)
        .select_related("owner")
        .only("pk", "owner__id", "owner__display_name", "visibility", "created_at", "url_digest")
        .order_by("created_at", "pk")
    )


def own_bookmarks_among(owner: Any, ids: Iterable[int]) -> BookmarkQuerySet:
    """Which of these ids the owner may change (for the bulk actions' confirmation)."""
    return my_bookmarks(owner).filter(pk__in=list(ids)).defer(*LIST_DEFERRED_FIELDS)


# --- Filters, sort and what the cards show -------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def display_title_order() -> Any:
    """Sort key matching Bookmark.display_title: the title, else the page's, else the address."""
    return Lower(
        Coalesce(NullIf("title", Value("")), NullIf("page_title", Value("")), "normalised_url")
    )


def filtered(bookmarks: BookmarkQuerySet, filters: BookmarkFilters) -> BookmarkQuerySet:
    """The page's rows: filters combined (every tag, the member, the dates, the text), sorted,
    with their owner and tags loaded in the same few queries."""
    for slug in filters.tags:
        bookmarks = bookmarks.filter(
            Exists(BookmarkTag.objects.filter(bookmark=OuterRef("pk"), tag__slug=slug))
        )
    if filters.owner:
        bookmarks = bookmarks.filter(owner=filters.owner)
    if filters.since:
        bookmarks = bookmarks.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        bookmarks = bookmarks.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.text:
        text = filters.text
        bookmarks = bookmarks.filter(
            Q(title__icontains=text)
            | Q(page_title__icontains=text)
            | Q(notes__icontains=text)
            | Q(url__icontains=text)
            | Q(normalised_url__icontains=text)
        )
    if filters.sort == Sort.TITLE:
        bookmarks = bookmarks.order_by(display_title_order(), "-created_at", "-pk")
    elif filters.sort == Sort.OLDEST:
        bookmarks = bookmarks.order_by("created_at", "pk")
    else:
        bookmarks = bookmarks.order_by("-created_at", "-pk")
    return (
        bookmarks.select_related("owner")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .defer(*LIST_DEFERRED_FIELDS)
    )


def owners_among(bookmarks: BookmarkQuerySet) -> QuerySet[User]:
    """Members who own some of these bookmarks (the member filter's choices)."""
    return User.objects.filter(Exists(bookmarks.order_by().filter(owner=OuterRef("pk")))).order_by(
        "display_name", "pk"
    )


def related_tags(
    bookmarks: BookmarkQuerySet,
    *,
    chosen: Iterable[str],
    keep: Iterable[str] = (),
    limit: int = RELATED_TAG_COUNT,
) -> list[TagCount]:
    """Tags found on these bookmarks besides the chosen ones, with how many bookmarks carry each,
    most frequent first. `keep`: the chosen tags a narrowing link carries along."""
    chosen_slugs = tuple(chosen)
    rows = (
        Tag.objects.filter(bookmarks__in=bookmarks.order_by().values("pk"))
        .exclude(slug__in=chosen_slugs)
        .values("pk", "name", "slug")
        .annotate(count=Count("bookmarks"))
        .order_by("-count", Lower("name"), "pk")[:limit]
    )
    return [
        TagCount(
            tag=Tag(pk=row["pk"], name=row["name"], slug=row["slug"]),
            count=row["count"],
            with_tags=tuple(keep),
        )
        for row in rows
    ]
