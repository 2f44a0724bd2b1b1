"""Feeds of the latest published comments, everywhere and on one page, in RSS 2.0 and Atom.

Only what anyone may read goes out: published comments on public targets (never held, unconfirmed
or deleted ones, nor comments on drafts or members-only pages). Each item names its author and
carries the comments' licence, as the article feeds do.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import SyndicationFeed
from django.utils.translation import gettext as _

from maillage.articles.comments import selectors, targets
from maillage.articles.comments.models import COMMENT_LICENCE, Comment
from maillage.articles.feeds import LicensedAtomFeed, LicensedRssFeed
from maillage.core.licences import Licence
from maillage.core.text import render_markdown


class LatestCommentsFeed(Feed):
    feed_type: type[SyndicationFeed] = LicensedRssFeed

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
        if obj is not None:
            return _("The comments published on “%(target)s”.") % {"target": obj}
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
        return item.edited_at or item.published_at or item.created_at

    def item_copyright(self, item: Comment) -> str:
        licence = Licence(COMMENT_LICENCE)
        return f"{licence.short_label} — {licence.deed_url}"

    def item_extra_kwargs(self, item: Comment) -> dict[str, Any]:
        return {"licence_url": Licence(COMMENT_LICENCE).deed_url}


class LatestCommentsAtomFeed(LatestCommentsFeed):
    feed_type = LicensedAtomFeed

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)


class TargetCommentsFeed(LatestCommentsFeed):
    def get_object(self, request: HttpRequest, kind: str, object_id: int) -> Any:
        target = targets.target_by_key(kind, object_id)
        # Feeds are read by anyone: only targets the public may see have one.
        if target is None or not targets.can_see(None, target):
            raise Http404(_("No page here."))
        return target


class TargetCommentsAtomFeed(TargetCommentsFeed):
    feed_type = LicensedAtomFeed

    def subtitle(self, obj: Any = None) -> str:
        return self.description(obj)
