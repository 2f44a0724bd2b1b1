"""Template tags other veille pages include: the feed autodiscovery links of a page, and the
"add to a list" box of a bookmark's page.

    {% load veille_lists %}
    {% block head %}{% feed_autodiscovery tag=tag %}{% endblock %}
    {% bookmark_lists_box bookmark %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from maillage.core.models import Tag
from maillage.members.models import User
from maillage.veille import feeds, list_forms, lists
from maillage.veille.models import Bookmark, BookmarkList

register = template.Library()


def render_feed_links(links: list[feeds.FeedLink]) -> SafeString:
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((link.type, link.title, link.href) for link in links),
    )


@register.simple_tag
def feed_autodiscovery(
    *,
    tag: Tag | None = None,
    member: User | None = None,
    bookmark_list: BookmarkList | None = None,
) -> SafeString:
    """<link rel="alternate"> lines for the page's own feed, then the shared watch's."""
    links: list[feeds.FeedLink] = []
    if tag is not None:
        links += feeds.tag_feed_links(tag)
    if member is not None and feeds.public_bookmarks().filter(owner=member).exists():
        links += feeds.member_feed_links(member)
    if bookmark_list is not None:
        links += feeds.list_feed_links(bookmark_list)
    links += feeds.watch_feed_links()
    return render_feed_links(links)


@register.inclusion_tag("veille/_add_to_list.html", takes_context=True)
def bookmark_lists_box(context: dict[str, Any], bookmark: Bookmark) -> dict[str, Any]:
    """The lists a bookmark is in, and a form to add it to one of the viewer's lists."""
    user = context["request"].user
    editable = lists.editable_lists_for(user)
    can_add = lists.can_create_list(user)
    return {
        "bookmark": bookmark,
        "lists_of_bookmark": list(lists.lists_containing(user, bookmark)),
        "add_to_list_form": list_forms.AddToListForm(lists=editable) if can_add else None,
        "has_lists": can_add and editable.exists(),
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }
