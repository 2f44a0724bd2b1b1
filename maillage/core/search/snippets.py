"""The passage shown under a result, with the searched words highlighted in the original text.

The index holds stems ("bibliothequ"), which no one wants to read. So the passage is cut from
the original text here, the same way on both databases. Analysing every word of every result
would cost more than the query itself, so one regular expression (compiled once per set of
searched stems) finds the words that may match: those that start like a searched stem, accents,
case and ligatures aside ("bibliothèques" for "bibliothequ", "Œuvres" for "oeuvr"). Only those
few go through the analysis the index used (analysis.term_of); the ones whose stem was searched
are marked, and the stretch of text holding the most distinct searched words is shown.
PostgreSQL's ts_headline would mark the same words, but only on PostgreSQL, and FTS5's
snippet() only knows the stems.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from html import escape
from itertools import islice

from django.utils.safestring import SafeString, mark_safe

from maillage.core.search import analysis
from maillage.core.tags import fold

WINDOW_CHARACTERS = 200  # the stretch of text a passage shows, about thirty words
CONTEXT_BEFORE = 40  # shown before the first marked word
MAX_PLAIN_CHARACTERS = 240
MAX_CANDIDATES = 500  # words looked at in one text, at most
ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")


def _variants() -> dict[str, tuple[set[str], dict[str, str]]]:
    """For each letter: the characters that fold to a word starting with it ("é" for "e",
    "œ" for "o"), and the ligatures that fold to two letters ("œ" for "oe")."""
    found: dict[str, tuple[set[str], dict[str, str]]] = {}
    characters = [*map(chr, range(0xC0, 0x250)), *map(chr, range(0xFB00, 0xFB07))]
    for character in characters:
        lower = character.lower()
        folded = fold(lower)
        if not folded or not folded.isascii() or not folded.isalnum():
            continue
        singles, pairs = found.setdefault(folded[0], (set(), {}))
        singles.add(lower)
        if len(folded) == 2:
            pairs[lower] = folded
    return found


_VARIANTS = _variants()


def _letter(letter: str) -> str:
    singles = _VARIANTS.get(letter, (set(), {}))[0]
    if letter == "i":  # the French stemmer writes "i" for a "y" ("pai" for "payer")
        singles = singles | {"y", "ý", "ÿ"}
    options = "".join(sorted(re.escape(c) for c in singles - {letter}))
    return f"[{re.escape(letter)}{options}]" if options else re.escape(letter)


def _start_pattern(prefix: str) -> str:
    parts = []
    position = 0
    while position < len(prefix):
        pair = prefix[position : position + 2]
        ligatures = [
            c for c, f in _VARIANTS.get(prefix[position], (set(), {}))[1].items() if f == pair
        ]
        if len(pair) == 2 and ligatures:
            both = _letter(pair[0]) + _letter(pair[1])
            parts.append(f"(?:{both}|{'|'.join(map(re.escape, ligatures))})")
            position += 2
        else:
            parts.append(_letter(prefix[position]))
            position += 1
    return "".join(parts)


def _prefix(stem: str) -> str:
    # The stemmer may rewrite the last two letters of a stem ("social" for "sociaux").
    return stem if len(stem) <= 3 else stem[: max(3, len(stem) - 2)]


@lru_cache(maxsize=512)
def _finder(terms: frozenset[str]) -> re.Pattern[str] | None:
    starts = sorted({_start_pattern(_prefix(term)) for term in terms if term}, key=len)
    if not starts:
        return None
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(reversed(starts))})[^\W_]*", re.IGNORECASE)


def _matches(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each word of `text` whose stem was searched."""
    finder = _finder(terms)
    if finder is None:
        return []
    found = []
    for number, match in enumerate(finder.finditer(text)):
        if number >= MAX_CANDIDATES:
            break
        term = analysis.term_of(match.group().lower())
        if term in terms:
            found.append((match.start(), match.end(), term))
    return found


def _marked(text: str, matches: list[tuple[int, int, str]], start: int, end: int) -> str:
    parts: list[str] = []
    position = start
    for first, last, _term in matches:
        if first < start or last > end:
            continue
        parts.append(escape(_WHITESPACE.sub(" ", text[position:first])))
        parts.append(f"<mark>{escape(text[first:last])}</mark>")
        position = last
    parts.append(escape(_WHITESPACE.sub(" ", text[position:end])))
    return "".join(parts)


def _terms(terms: Collection[str]) -> frozenset[str]:
    return terms if isinstance(terms, frozenset) else frozenset(terms)


def _composed(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def highlight(text: str, terms: Collection[str]) -> SafeString:
    """All of `text`, escaped, with the searched words marked (for titles)."""
    text = _composed(text)
    return mark_safe(_marked(text, _matches(text, _terms(terms)), 0, len(text)))  # noqa: S308


def excerpt(text: str, terms: Collection[str]) -> SafeString:
    """About WINDOW_CHARACTERS of `text` around the most searched words, marked and escaped."""
    text = _composed(text).strip()
    if not text:
        return mark_safe("")
    matches = _matches(text, _terms(terms))
    if not matches:
        if len(text) <= MAX_PLAIN_CHARACTERS:
            return mark_safe(escape(_WHITESPACE.sub(" ", text)))  # noqa: S308
        cut = text.rfind(" ", 0, MAX_PLAIN_CHARACTERS)
        plain = text[: cut if cut > 0 else MAX_PLAIN_CHARACTERS]
        return mark_safe(escape(_WHITESPACE.sub(" ", plain)) + ELLIPSIS)  # noqa: S308
    # The window starting at a marked word that holds the most distinct searched words.
    best_first, best_score = 0, (-1, -1)
    for index, (first, _last, _term) in enumerate(matches):
        inside: list[str] = []
        for start, _end, term in islice(matches, index, None):
            if start >= first + WINDOW_CHARACTERS:
                break
            inside.append(term)
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best_first, best_score = first, score
    start = max(0, best_first - CONTEXT_BEFORE)
    if start > 0:
        space = text.find(" ", start, best_first)
        start = space + 1 if space >= 0 else best_first
    end = min(len(text), start + WINDOW_CHARACTERS + CONTEXT_BEFORE)
    if end < len(text):
        last_marked = max((last for first, last, _t in matches if first < end), default=end)
        space = text.rfind(" ", max(start, last_marked), end)
        end = space if space > start else max(end, last_marked)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + _marked(text, matches, start, end).strip() + suffix)  # noqa: S308
