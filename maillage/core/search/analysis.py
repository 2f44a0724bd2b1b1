"""French text analysis shared by indexing and querying: the same words on both sides.

Lowercase, accents and ligatures folded (core.tags.fold), split on anything that is not a letter
or a digit (so "l'institution" gives "l" and "institution", "porte-voix" two words), French
stopwords and elided articles dropped, then Snowball French stemming (pystemmer).

`words()` stops before stemming: PostgreSQL stems those words itself with its French Snowball
dictionary (the same algorithm); SQLite's FTS5 receives `terms()`, stemmed here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from maillage.core.tags import fold

# Runs of letters and digits; the underscore is a word character to `\w` but not to us.
WORD_PATTERN = re.compile(r"[^\W_]+")
# The same on text without an underscore, and faster.
_WORDS_WITHOUT_UNDERSCORE = re.compile(r"\w+")

# Folded. PostgreSQL's French list (so that PostgreSQL never drops a word we keep, which would
# shift positions and break phrases on one backend only), the elided forms (l', qu', jusqu'…),
# and the commonest function words of French and English, whose postings would cover most
# documents (a word in 83 % of documents costs 620 ms at 1M documents: see DESIGN.md §4).
_STOPWORD_TEXT = """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me meme mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l a m n s t y ete etee etees etes etant etante etants
    etantes suis es est sommes serai seras sera serons serez seront serais serait serions
    seriez seraient etais etait etions etiez etaient fus fut fumes futes furent sois soit
    soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes ayants eu
    eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait
    aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie aies
    ait ayons ayez aient eusse eusses eussions eussiez eussent les cet cette cela ca ceci celle
    celles celui ceux dont si sans sous vers chez entre tres plus aussi bien tout tous toute
    toutes comme quand donc alors ainsi car ni lorsqu puisqu quoiqu jusqu quelqu presqu aujourd
    hui leurs ils elles the of and to is are was were be been for with from by at an it this
    that these those or not
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_stemmer = Stemmer.Stemmer("french")


@lru_cache(maxsize=200_000)
def word_of(raw: str) -> str:
    """The folded form of one raw word, or "" for a stopword."""
    folded = fold(raw)
    return "" if folded in STOPWORDS else folded


@lru_cache(maxsize=200_000)
def term_of(raw: str) -> str:
    """The stemmed form of one raw word, or "" for a stopword."""
    folded = word_of(raw)
    return _stemmer.stemWord(folded) if folded else ""


class _Cache(dict[str, str]):
    """word → analysed word, computed once (a dict lookup costs less than lru_cache's); emptied
    when it grows past `size` (a reindex of a million documents meets many rare words)."""

    def __init__(self, analyse: Callable[[str], str], size: int = 500_000) -> None:
        super().__init__()
        self.analyse = analyse
        self.size = size

    def __missing__(self, raw: str) -> str:
        if len(self) >= self.size:
            self.clear()
        value = self[raw] = self.analyse(raw)
        return value


_WORDS = _Cache(word_of)
_TERMS = _Cache(term_of)


def _raw_words(text: str) -> list[str]:
    if not text.isascii():
        # Decomposed accents (e + U+0301) are not letters to the pattern: compose them first.
        text = unicodedata.normalize("NFC", text)
    text = text.lower()
    return (WORD_PATTERN if "_" in text else _WORDS_WITHOUT_UNDERSCORE).findall(text)


def words(text: str) -> list[str]:
    """Folded words of `text`, stopwords dropped, in order (not stemmed)."""
    return list(filter(None, map(_WORDS.__getitem__, _raw_words(text))))


def terms(text: str) -> list[str]:
    """Stemmed terms of `text`, stopwords dropped, in order: what the index holds."""
    return list(filter(None, map(_TERMS.__getitem__, _raw_words(text))))


def indexed_words(text: str) -> str:
    """ " ".join(words(text)): what PostgreSQL's French configuration receives."""
    return " ".join(filter(None, map(_WORDS.__getitem__, _raw_words(text))))


def indexed_terms(text: str) -> str:
    """ " ".join(terms(text)): what SQLite's FTS5 table receives."""
    return " ".join(filter(None, map(_TERMS.__getitem__, _raw_words(text))))


def stem(word: str) -> str:
    """Stem one word already folded (a query word from `words`)."""
    return _stemmer.stemWord(word)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    term: str  # "" for a stopword


def tokens(text: str) -> Iterator[Token]:
    """Every word of `text` with its place in the original text, for highlighting."""
    composed = unicodedata.normalize("NFC", text) if not text.isascii() else text
    if len(composed) != len(text):  # offsets must point into the text we were given
        composed = text
    for match in WORD_PATTERN.finditer(composed):
        yield Token(match.start(), match.end(), term_of(match.group().lower()))
