"""The passage shown under a result, with the searched words highlighted in the original text.

The index holds stems ("bibliothequ"), which no one wants to read. So the passage is cut from
the original text here, the same way on both databases: each word of the text is analysed as
the index analysed it (analysis.tokens), the words whose stem was searched are marked, and the
window of text holding the most distinct searched words is shown. PostgreSQL's ts_headline would
mark the same words, but only on PostgreSQL, and FTS5's snippet() only knows the stems.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maillage.core.search import analysis

WINDOW_WORDS = 30
CONTEXT_BEFORE = 6
MAX_PLAIN_CHARACTERS = 240
ELLIPSIS = "…"


def _marked(
    text: str, tokens: list[analysis.Token], terms: Collection[str], start: int, end: int
) -> str:
    parts: list[str] = []
    position = start
    for token in tokens:
        if token.start < start or token.end > end or token.term not in terms:
            continue
        parts.append(escape(text[position : token.start]))
        parts.append(f"<mark>{escape(text[token.start : token.end])}</mark>")
        position = token.end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def highlight(text: str, terms: Collection[str]) -> SafeString:
    """All of `text`, escaped, with the searched words marked (for titles)."""
    tokens = list(analysis.tokens(text))
    return mark_safe(_marked(text, tokens, terms, 0, len(text)))  # noqa: S308 - escaped above


def excerpt(text: str, terms: Collection[str]) -> SafeString:
    """About WINDOW_WORDS words of `text` around the most searched words, marked and escaped."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    tokens = list(analysis.tokens(text))
    hits = [index for index, token in enumerate(tokens) if token.term in terms]
    if not hits:
        if len(text) <= MAX_PLAIN_CHARACTERS:
            return mark_safe(escape(text))  # noqa: S308
        cut = text.rfind(" ", 0, MAX_PLAIN_CHARACTERS)
        return mark_safe(escape(text[: cut if cut > 0 else MAX_PLAIN_CHARACTERS]) + ELLIPSIS)  # noqa: S308
    best_first, best_score = hits[0], (-1, -1)
    for first in hits[:200]:
        inside = [i for i in hits if first <= i < first + WINDOW_WORDS]
        score = (len({tokens[i].term for i in inside}), len(inside))
        if score > best_score:
            best_first, best_score = first, score
    first_token = max(0, best_first - CONTEXT_BEFORE)
    last_token = min(len(tokens), first_token + WINDOW_WORDS) - 1
    start = 0 if first_token == 0 else tokens[first_token].start
    end = len(text) if last_token == len(tokens) - 1 else tokens[last_token].end
    marked = _marked(text, tokens, terms, start, end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - every piece of text is escaped
