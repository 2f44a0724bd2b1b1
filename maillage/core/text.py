"""Markdown to safe HTML: CommonMark (with tables and autolinks) rendered, then sanitised."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# html=False: raw HTML in the source is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
_markdown.enable(["table", "strikethrough", "linkify"])


def sanitize_html(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render Markdown written by a person into HTML that is safe to show to anyone."""
    if not text:
        return ""
    return sanitize_html(_markdown.render(text))
