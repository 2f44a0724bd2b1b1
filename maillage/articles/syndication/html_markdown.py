"""Sanitised HTML from a partner's feed (core.feeds), turned into the Markdown that articles
are written in, and cut into a short plain-text excerpt.

The input has been through core.text.sanitize_html, so only its few tags can occur; anything
else keeps its text. Text is escaped so that nothing in it turns into Markdown by accident.
"""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError, _Element

from maillage.core.text import sanitize_html

EXCERPT_WORDS = 60

_BLOCK_TAGS = {
    "p", "blockquote", "ul", "ol", "pre", "hr", "table", "h2", "h3", "h4", "h5", "h6", "div",
}  # fmt: skip
_INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}
_ALWAYS_ESCAPED = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^([#+=>-]|\d+[.)])", re.MULTILINE)
_SPACES = re.compile(r"\s+")
# Elements whose end separates words in plain text.
_WORD_BREAKS = _BLOCK_TAGS | {"li", "br", "td", "th", "tr", "img"}


def _escape(text: str) -> str:
    return _LINE_START.sub(r"\\\1", _ALWAYS_ESCAPED.sub(r"\\\1", text))


def _escape_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _parse(html: str) -> _Element | None:
    if not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return None


class _Converter:
    def block(self, element: _Element) -> str:
        """The Markdown blocks inside `element`, separated by blank lines."""
        blocks: list[str] = []
        inline: list[str] = []

        def flush() -> None:
            text = "".join(inline).strip()
            if text:
                blocks.append(text)
            inline.clear()

        if element.text:
            inline.append(self.text(element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS or tag == "li":
                flush()
                rendered = self.block_element(child, tag)
                if rendered.strip():
                    blocks.append(rendered)
            else:
                inline.append(self.inline_element(child, tag))
            if child.tail:
                inline.append(self.text(child.tail))
        flush()
        return "\n\n".join(blocks)

    def block_element(self, element: _Element, tag: str) -> str:
        if tag in {"p", "div", "li"}:
            return self.block(element)
        if tag in {"h2", "h3", "h4", "h5", "h6"}:
            text = _SPACES.sub(" ", self.inline_content(element)).strip()
            return f"{'#' * int(tag[1])} {text}" if text else ""
        if tag == "blockquote":
            inner = self.block(element)
            return "\n".join(f"> {line}".rstrip() for line in inner.splitlines())
        if tag in {"ul", "ol"}:
            return self.list(element, ordered=tag == "ol")
        if tag == "pre":
            code = element.text_content().strip("\n")
            fence = "~~~~" if "```" in code else "```"
            return f"{fence}\n{code}\n{fence}"
        if tag == "hr":
            return "* * *"
        if tag == "table":
            return self.table(element)
        return self.block(element)

    def list(self, element: _Element, *, ordered: bool) -> str:
        items: list[str] = []
        number = int(element.get("start", "1") or 1) if ordered else 0
        for child in element:
            if child.tag != "li":
                continue
            marker = f"{number}." if ordered else "-"
            number += 1
            body = self.block(child) or ""
            indent = " " * (len(marker) + 1)
            lines = body.splitlines() or [""]
            rendered = [f"{marker} {lines[0]}"] + [
                f"{indent}{line}" if line else "" for line in lines[1:]
            ]
            items.append("\n".join(rendered))
        return "\n".join(items)

    def table(self, element: _Element) -> str:
        rows: list[list[str]] = []
        for row in element.iter("tr"):
            cells = [
                _SPACES.sub(" ", self.inline_content(cell)).strip().replace("\n", " ")
                for cell in row
                if cell.tag in {"td", "th"}
            ]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)

    def inline_content(self, element: _Element) -> str:
        parts = [self.text(element.text or "")]
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            parts.append(self.inline_element(child, tag))
            if child.tail:
                parts.append(self.text(child.tail))
        return "".join(parts)

    def inline_element(self, element: _Element, tag: str) -> str:
        if tag == "br":
            return "\\\n"
        if tag == "img":
            source = element.get("src", "")
            if not source.startswith(("http://", "https://")):
                return ""
            alt = _escape(_SPACES.sub(" ", element.get("alt", "")).strip())
            return f"![{alt}]({_escape_url(source)})"
        if tag == "code":
            code = element.text_content().replace("\n", " ")
            ticks = "``" if "`" in code else "`"
            return f"{ticks}{code}{ticks}" if code.strip() else ""
        content = self.inline_content(element)
        if tag == "a":
            href = element.get("href", "")
            if not content.strip():
                return ""
            if not href.startswith(("http://", "https://", "mailto:")):
                return content
            return f"[{content.strip()}]({_escape_url(href)})"
        mark = _INLINE_MARKS.get(tag)
        if mark and content.strip():
            # Emphasis must hug its text: spaces go outside the marks.
            leading = " " if content[:1].isspace() else ""
            trailing = " " if content[-1:].isspace() else ""
            return f"{leading}{mark}{content.strip()}{mark}{trailing}"
        return content

    def text(self, text: str) -> str:
        return _escape(_SPACES.sub(" ", text))


def html_to_markdown(html: str) -> str:
    """Markdown that renders (through core.text) as close to `html` as articles allow."""
    root = _parse(sanitize_html(html))
    if root is None:
        return ""
    markdown = _Converter().block(root)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def plain_text(html: str) -> str:
    """The words of an HTML fragment, on one line."""
    root = _parse(sanitize_html(html))
    if root is None:
        return ""
    for element in root.iter():
        if element is not root and element.tag in _WORD_BREAKS:
            element.tail = " " + (element.tail or "")
    return _SPACES.sub(" ", root.text_content()).strip()


def excerpt(html: str, *, words: int = EXCERPT_WORDS) -> str:
    """At most `words` words of `html` as plain text, ending on a full sentence when one ends
    in the last third; "…" marks a cut."""
    text = plain_text(html)
    parts = text.split(" ")
    if len(parts) <= words:
        return text
    cut = " ".join(parts[:words])
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "), cut.rfind("\u202f! "))
    if sentence_end > len(cut) * 2 // 3:
        return cut[: sentence_end + 1]
    return cut.rstrip(",;:–— ") + " …"
