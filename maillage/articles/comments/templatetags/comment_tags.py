"""{% comments_section target as section %}: what the comments include needs for one target."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from maillage.articles.comments import forms, links, selectors, targets
from maillage.articles.comments.models import COMMENT_LICENCE, Comment, CommentStatus

register = template.Library()


def quoted(body: str) -> str:
    """A comment's Markdown as a blockquote, to answer it."""
    lines = body.strip().splitlines() or [""]
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines) + "\n\n"


def _initial(request: Any, target: Any) -> dict[str, Any]:
    """?repondre=<id> answers a comment; ?citer=<id> answers it quoting its text (no JS)."""
    initial: dict[str, Any] = {}
    for parameter, quote in (("repondre", False), ("citer", True)):
        value = request.GET.get(parameter, "") if request is not None else ""
        if not value.isdigit():
            continue
        comment = (
            Comment.objects.on(target).filter(pk=int(value), status=CommentStatus.PUBLISHED).first()
        )
        if comment is not None:
            initial["parent"] = comment.pk
            if quote:
                initial["body"] = quoted(comment.body)
    return initial


@register.simple_tag(takes_context=True)
def comments_section(context: template.Context, target: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    key = targets.key_of(target)
    view = selectors.comments_for(target, viewer)
    form = context.get("comment_form")
    replying_to = None
    if not view.is_open:
        form = None  # read-only: no form, no answer to a comment
    elif form is None:
        initial = _initial(request, target)
        member = viewer is not None and viewer.is_authenticated
        form_class = forms.MemberCommentForm if member else forms.GuestCommentForm
        form = form_class(initial=initial)
        if initial.get("parent"):
            replying_to = Comment.objects.select_related("author").get(pk=initial["parent"])
    links.attach_shared_links(view, target, viewer)
    return {
        "view": view,
        "form": form,
        "replying_to": replying_to,
        "guest": isinstance(form, forms.GuestCommentForm),
        "post_url": reverse("comments:post", kwargs={"kind": key, "object_id": target.pk}),
        **feed_urls(target),
        "page_url": target.get_absolute_url(),
        "notice": context.get("comment_notice"),
        "licence_label": COMMENT_LICENCE.short_label,
        "licence_url": COMMENT_LICENCE.deed_url_in(get_language()),
    }


def feed_urls(target: Any = None) -> dict[str, str]:
    """The RSS and Atom feeds of a target's comments, or of all comments."""
    if target is None:
        return {"feed_url": reverse("comments:feed"), "atom_url": reverse("comments:feed_atom")}
    arguments = {"kind": targets.key_of(target), "object_id": target.pk}
    return {
        "feed_url": reverse("comments:target_feed", kwargs=arguments),
        "atom_url": reverse("comments:target_feed_atom", kwargs=arguments),
    }


@register.inclusion_tag("comments/_feed_links.html")
def comment_feed_links(target: Any = None) -> dict[str, Any]:
    """{% comment_feed_links article %} in a page's <head>: feed readers find the comments'
    RSS and Atom feeds there (without a target: all the site's comments)."""
    return {"target": target, **feed_urls(target)}
