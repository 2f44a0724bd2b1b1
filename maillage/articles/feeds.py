"""RSS 2.0 and Atom feeds of the published public articles: all, per tag, per author.

Each item carries its author(s) and its licence, as feed readers and aggregators look for them:
Atom's <rights> and <link rel="license">, RSS's <dc:rights> and <creativeCommons:license>.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from maillage.articles import selectors
from maillage.articles.models import Article
from maillage.core.licences import licence_for
from maillage.core.models import Tag
from maillage.core.text import render_markdown
from maillage.members.models import User

DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
CC_NAMESPACE = "http://backend.userland.com/creativeCommonsRssModule"


class LicensedRssFeed(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        attributes = super().rss_attributes()
        attributes["xmlns:dc"] = DC_NAMESPACE
        attributes["xmlns:creativeCommons"] = CC_NAMESPACE
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("item_copyright"):
            handler.addQuickElement("dc:rights", item["item_copyright"])
        if item.get("licence_url"):
            handler.addQuickElement("creativeCommons:license", item["licence_url"])


class LicensedAtomFeed(Atom1Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("licence_url"):
            handler.addQuickElement("link", "", {"rel": "license", "href": item["licence_url"]})


class FeedSubject:
    """What a feed is about: everything, one tag, or one author."""

    def __init__(self, *, tag: Tag | None = None, author: User | None = None) -> None:
        self.tag, self.author = tag, author


class ArticlesFeed(Feed):
    feed_type: type[SyndicationFeed] = LicensedRssFeed
    kind = "rss"

    def get_object(
        self, request: HttpRequest, tag: str = "", author: int | None = None
    ) -> FeedSubject:
        if tag:
            return FeedSubject(tag=get_object_or_404(Tag, slug=tag))
        if author is not None:
            person = get_object_or_404(User, pk=author, is_active=True)
            if not selectors.feed_articles(author=person.pk):
                raise Http404(_("No articles here."))
            return FeedSubject(author=person)
        return FeedSubject()

    def title(self, subject: FeedSubject) -> str:
        if subject.tag:
            return _("%(site)s — articles on %(tag)s") % {
                "site": settings.SITE_NAME,
                "tag": subject.tag.name,
            }
        if subject.author:
            return _("%(site)s — articles by %(name)s") % {
                "site": settings.SITE_NAME,
                "name": subject.author.display_name,
            }
        return _("%(site)s — articles and reports") % {"site": settings.SITE_NAME}

    def link(self, subject: FeedSubject) -> str:
        url = reverse("articles:list")
        if subject.tag:
            return f"{url}?tag={subject.tag.slug}"
        if subject.author:
            return f"{url}?author={subject.author.pk}"
        return url

    def description(self, subject: FeedSubject) -> str:
        return _("Articles and workshop reports of the network.")

    def items(self, subject: FeedSubject) -> list[Article]:
        return list(
            selectors.feed_articles(
                tag=subject.tag.slug if subject.tag else "",
                author=subject.author.pk if subject.author else None,
            )
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        summary = f"<p>{escape(item.summary)}</p>" if item.summary else ""
        return summary + render_markdown(item.body)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return item.canonical_url

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        if item.is_from_partner:
            return item.original_author or item.original_site_name
        return ", ".join(author.display_name for author in item.authors.all())

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_copyright(self, item: Article) -> str:
        declared = item.original_licence
        if declared is not None:
            return f"{declared.label} — {declared.url}"
        licence = licence_for(item.licence)
        if licence is None:
            return ""
        return f"{licence.short_label} — {licence.deed_url or licence.label}"

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        # A partner's article is under the exact licence its original declares (3.0 FR…).
        declared = item.original_licence
        if declared is not None:
            return {"licence_url": declared.url}
        licence = licence_for(item.licence)
        return {"licence_url": licence.deed_url if licence else None}


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = LicensedAtomFeed
    kind = "atom"

    def subtitle(self, subject: FeedSubject) -> str:
        return self.description(subject)
