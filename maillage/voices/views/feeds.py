"""RSS 2.0 and Atom feeds of a space's published posts, and of each voice's."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from maillage.voices import selectors
from maillage.voices.models import Post, Space, Voice
from maillage.voices.views.common import get_space

FEED_SIZE = 30


class Subject:
    def __init__(self, space: Space, voice: Voice | None = None) -> None:
        self.space, self.voice = space, voice


class PostsFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, space: str, voice: str = "") -> Subject:
        found = get_space(space)
        if voice:
            person = get_object_or_404(found.voices.select_related("user"), slug=voice)
            if not person.public:
                raise Http404
            return Subject(found, person)
        return Subject(found)

    def title(self, subject: Subject) -> str:
        if subject.voice:
            return _("%(name)s, %(title)s — %(space)s") % {
                "name": subject.voice.name,
                "title": subject.voice.title,
                "space": subject.space.name,
            }
        return _("%(space)s — the voices of the institution") % {"space": subject.space.name}

    def link(self, subject: Subject) -> str:
        return (subject.voice or subject.space).get_absolute_url()

    def description(self, subject: Subject) -> str:
        return _("Posts published by the staff of %(space)s on %(site)s.") % {
            "space": subject.space.name,
            "site": settings.SITE_NAME,
        }

    def items(self, subject: Subject) -> list[Post]:
        return list(selectors.public_posts(subject.space, voice=subject.voice)[:FEED_SIZE])

    def item_title(self, item: Post) -> str:
        return str(item)

    def item_description(self, item: Post) -> str:
        html = linebreaks(escape(item.text))
        if item.link:
            html += f'<p><a href="{escape(item.link)}">{escape(item.link)}</a></p>'
        return html

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Post) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_author_name(self, item: Post) -> str:
        return f"{item.voice.name}, {item.voice.title}"

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class PostsAtomFeed(PostsFeed):
    feed_type = Atom1Feed

    def subtitle(self, subject: Subject) -> str:
        return self.description(subject)
