"""RSS 2.0 and Atom feeds of the watch: the network's shared watch, one tag, one member, one list.

Feed readers fetch without logging in, so a feed is public: it carries only public bookmarks
(never members-only ones, never private ones), and a list has a feed only while the list itself
is public. Each item links to the bookmarked page, names who kept it, and carries its tags;
its id is the bookmark's page on this site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from maillage.core.models import Tag
from maillage.core.text import render_markdown
from maillage.core.visibility import Visibility
from maillage.members.models import User
from maillage.veille.models import Bookmark, BookmarkList

FEED_SIZE = 50


def public_bookmarks() -> QuerySet[Bookmark]:
    """What any feed may carry: public bookmarks of active members, with what items show."""
    return (
        Bookmark.objects.filter(visibility=Visibility.PUBLIC, owner__is_active=True)
        .select_related("owner")
        .prefetch_related("tags")
        .defer("page_text")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class FeedSubject:
    """What a feed is about: the whole watch, one tag, one member or one list."""

    tag: Tag | None = None
    member: User | None = None
    bookmark_list: BookmarkList | None = None


@dataclass(frozen=True)
class FeedLink:
    """An autodiscovery link: <link rel="alternate" type=… title=… href=…>."""

    title: str
    href: str
    type: str


RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"


def _links(title: str, rss: str, atom: str, **kwargs: Any) -> list[FeedLink]:
    return [
        FeedLink(title=f"{title} (RSS)", href=reverse(rss, kwargs=kwargs or None), type=RSS_TYPE),
        FeedLink(
            title=f"{title} (Atom)", href=reverse(atom, kwargs=kwargs or None), type=ATOM_TYPE
        ),
    ]


def watch_feed_links() -> list[FeedLink]:
    return _links(_("Shared watch"), "veille:feed_rss", "veille:feed_atom")


def tag_feed_links(tag: Tag) -> list[FeedLink]:
    title = _("Shared watch: %(tag)s") % {"tag": tag.name}
    return _links(title, "veille:tag_feed_rss", "veille:tag_feed_atom", tag=tag.slug)


def member_feed_links(member: User) -> list[FeedLink]:
    title = _("Watch of %(name)s") % {"name": member.display_name}
    return _links(title, "veille:member_feed_rss", "veille:member_feed_atom", member=member.pk)


def list_feed_links(bookmark_list: BookmarkList) -> list[FeedLink]:
    """A list's feed links, only while the list is public (the feed does not exist otherwise)."""
    if bookmark_list.visibility != Visibility.PUBLIC:
        return []
    title = _("List: %(title)s") % {"title": bookmark_list.title}
    return _links(title, "veille:list_feed_rss", "veille:list_feed_atom", slug=bookmark_list.slug)


class WatchFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(
        self, request: HttpRequest, tag: str = "", member: int | None = None, slug: str = ""
    ) -> FeedSubject:
        if tag:
            return FeedSubject(tag=get_object_or_404(Tag, slug=tag))
        if member is not None:
            person = get_object_or_404(User, pk=member, is_active=True)
            # No feed (and no name in a feed title) for a member who shares nothing publicly.
            if not public_bookmarks().filter(owner=person).exists():
                raise Http404(_("No public bookmarks here."))
            return FeedSubject(member=person)
        if slug:
            bookmark_list = BookmarkList.objects.filter(
                slug=slug, visibility=Visibility.PUBLIC
            ).first()
            if bookmark_list is None:
                raise Http404(_("No public list here."))
            return FeedSubject(bookmark_list=bookmark_list)
        return FeedSubject()

    def title(self, subject: FeedSubject) -> str:
        site = settings.SITE_NAME
        if subject.tag:
            return _("%(site)s — shared watch: %(tag)s") % {"site": site, "tag": subject.tag.name}
        if subject.member:
            return _("%(site)s — watch of %(name)s") % {
                "site": site,
                "name": subject.member.display_name,
            }
        if subject.bookmark_list:
            return _("%(site)s — list: %(title)s") % {
                "site": site,
                "title": subject.bookmark_list.title,
            }
        return _("%(site)s — shared watch") % {"site": site}

    def link(self, subject: FeedSubject) -> str:
        if subject.tag:
            return reverse("veille:tag", kwargs={"slug": subject.tag.slug})
        if subject.member:
            return reverse("veille:member", kwargs={"pk": subject.member.pk})
        if subject.bookmark_list:
            return subject.bookmark_list.get_absolute_url()
        return reverse("veille:shared")

    def description(self, subject: FeedSubject) -> str:
        if subject.bookmark_list and subject.bookmark_list.description:
            # Plain text in a channel's description: the list's Markdown as written.
            return subject.bookmark_list.description[:1000]
        return _("Pages kept and shared by the members of the network.")

    def items(self, subject: FeedSubject) -> list[Bookmark]:
        if subject.bookmark_list:
            # The list's own order; each bookmark carries its note in the list.
            items = (
                subject.bookmark_list.items.filter(
                    bookmark__visibility=Visibility.PUBLIC, bookmark__owner__is_active=True
                )
                .select_related("bookmark", "bookmark__owner")
                .prefetch_related("bookmark__tags")
                .defer("bookmark__page_text")
                .order_by("position", "pk")[:FEED_SIZE]
            )
            in_order = []
            for item in items:
                item.bookmark.list_note = item.note  # type: ignore[attr-defined]
                in_order.append(item.bookmark)
            return in_order
        bookmarks = public_bookmarks()
        if subject.tag:
            bookmarks = bookmarks.filter(tags=subject.tag)
        if subject.member:
            bookmarks = bookmarks.filter(owner=subject.member)
        return list(bookmarks[:FEED_SIZE])

    def item_title(self, item: Bookmark) -> str:
        return item.display_title

    def item_description(self, item: Bookmark) -> str:
        parts = []
        list_note = getattr(item, "list_note", "")
        if list_note:
            parts.append(f"<p><strong>{escape(list_note)}</strong></p>")
        if item.notes:
            parts.append(render_markdown(item.notes))
        elif item.page_description:
            parts.append(f"<p>{escape(item.page_description)}</p>")
        return "".join(parts)

    def item_link(self, item: Bookmark) -> str:
        # The page that was kept; the bookmark's page here is the item's id.
        return item.url

    def item_guid(self, item: Bookmark) -> str:
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_guid_is_permalink(self, item: Bookmark) -> bool:
        return True

    def item_pubdate(self, item: Bookmark) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Bookmark) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Bookmark) -> str:
        return item.owner.display_name

    def item_author_link(self, item: Bookmark) -> str:
        return f"{settings.SITE_URL}{reverse('veille:member', kwargs={'pk': item.owner_id})}"

    def item_categories(self, item: Bookmark) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class WatchAtomFeed(WatchFeed):
    feed_type = Atom1Feed

    def subtitle(self, subject: FeedSubject) -> str:
        return self.description(subject)
