"""RSS feeds of the latest published comments: everywhere, and on one page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from maillage.articles.comments import selectors, targets
from maillage.articles.comments.models import Comment
from maillage.core.text import render_markdown


class LatestCommentsFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self, obj: Any = None) -> str:
        if obj is not None:
            return _("%(site)s — comments on “%(target)s”") % {
                "site": settings.SITE_NAME,
                "target": obj,
            }
        return _("%(site)s — latest comments") % {"site": settings.SITE_NAME}

    def link(self, obj: Any = None) -> str:
        return f"{obj.get_absolute_url()}#comments" if obj is not None else "/"

    def description(self, obj: Any = None) -> str:
        return _("The latest comments published on the site.")

    def items(self, obj: Any = None) -> Any:
        return selectors.latest_public_comments(obj)

    def item_title(self, item: Comment) -> str:
        return _("%(name)s on “%(target)s”") % {"name": item.name, "target": item.target}

    def item_description(self, item: Comment) -> str:
        return render_markdown(item.body)

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Comment) -> str:
        return item.name

    def item_pubdate(self, item: Comment) -> Any:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Comment) -> Any:
        return item.edited_at


class TargetCommentsFeed(LatestCommentsFeed):
    def get_object(self, request: HttpRequest, kind: str, object_id: int) -> Any:
        target = targets.target_by_key(kind, object_id)
        # Feeds are read by anyone: only targets the public may see have one.
        if target is None or not targets.can_see(None, target):
            raise Http404(_("No page here."))
        return target
