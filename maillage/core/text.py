"""Markdown to safe HTML: CommonMark (with tables and autolinks) rendered, then sanitised."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Structural tags without attributes are harmless and keep HTML from elsewhere (feeds, pages)
# in its blocks: dropping a <div> would run its text into the next one.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "mark", "ol", "p",
    "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"

# html=False: raw HTML in the source is shown as text, never passed through. The sanitiser
# below is the real guarantee; this only keeps people's pasted markup readable.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
_markdown.enable(["table", "strikethrough", "linkify"])

_TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|center|right)\s*;?\s*$")


def _fit_into_page(tokens: Sequence[Token]) -> None:
    """Adapt the token stream to pages that already own their <h1> and forbid inline styles."""
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            # The page title is the only <h1>; a writer's "# Title" becomes the next level.
            level = min(int(token.tag[1:]) + 1, 6)
            token.tag = f"h{level}"
        elif token.type in {"th_open", "td_open"}:
            # markdown-it aligns table cells with style="…", which the CSP (no inline styles)
            # would ignore; the align attribute survives it.
            style = token.attrs.pop("style", None)
            match = _TEXT_ALIGN.match(str(style)) if style else None
            if match:
                token.attrs["align"] = match.group(1)


def sanitize_html(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes (also for HTML from elsewhere)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


# Where a block starts or ends, words on either side are separate even without a space.
_BLOCK_BOUNDARY = re.compile(
    r"<(/?)(p|div|br|li|dd|dt|h[1-6]|tr|td|th|blockquote|pre|section|article|figcaption)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_SPACES_IN_LINE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(markup: str, *, keep_lines: bool = False) -> str:
    """Visible text of an HTML fragment (from a feed, a page, a status): on one line, or with its
    blocks and breaks as lines when `keep_lines`."""
    if not markup:
        return ""
    separator = "\n" if keep_lines else " "
    spaced = _BLOCK_BOUNDARY.sub(lambda match: f"{separator}<{match[1]}{match[2]}", markup)
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}, strip_comments=True))
    if not keep_lines:
        return _SPACES.sub(" ", text).strip()
    lines = (line.strip() for line in _SPACES_IN_LINE.sub(" ", text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# French typography: the space a writer types before ; ! ? becomes a narrow no-break space, before
# : and inside « » a no-break space, so that the sign never starts a line. Only spaces that are
# already there change (nothing is added), so other languages and times like 10:30 are unchanged.
_SPACE_BEFORE_TALL_SIGN = re.compile(r"[ \u00a0]+([;!?])")
_SPACE_BEFORE_COLON = re.compile(r"[ \u202f]+:")
_SPACE_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u202f]+»")
_SPACE_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u202f]+")


def french_spacing(text: str) -> str:
    """Turn the ordinary spaces around French high punctuation into no-break spaces."""
    text = _SPACE_BEFORE_TALL_SIGN.sub("\u202f\\1", text)
    text = _SPACE_BEFORE_COLON.sub("\u00a0:", text)
    text = _SPACE_BEFORE_CLOSING_GUILLEMET.sub("\u00a0»", text)
    return _SPACE_AFTER_OPENING_GUILLEMET.sub("«\u00a0", text)


def _apply_french_spacing(tokens: Sequence[Token]) -> None:
    # Plain text only: code spans and code blocks keep their spaces exactly.
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = french_spacing(child.content)


def render_markdown(text: str) -> str:
    """Render Markdown written by a person into HTML that is safe to show to anyone."""
    if not text:
        return ""
    env: dict[str, object] = {}
    tokens = _markdown.parse(text, env)
    _fit_into_page(tokens)
    for token in tokens:
        if token.children:
            _fit_into_page(token.children)
    _apply_french_spacing(tokens)
    return sanitize_html(_markdown.renderer.render(tokens, _markdown.options, env))
