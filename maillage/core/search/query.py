"""The search syntax, parsed once into the same tree for both databases.

    réseaux sociaux          both words (documents with only one come after, when few have both)
    "musée de Bretagne"      the exact phrase (« guillemets » too)
    -facebook  -"mot clé"    without this word or phrase
    #patrimoine              with this tag
    @camille                 by this member (first name, last name or full name)
    type:atelier             only this kind (kind: works too)

Words go through the same analysis as the indexed text (analysis.words): accents, case and
elisions do not matter, stopwords are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from maillage.core.search import analysis
from maillage.core.search.registry import KIND_ALIASES
from maillage.core.tags import fold, tag_slug

MAX_QUERY_LENGTH = 500
MAX_PARTS = 32


# --- The tree ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    word: str  # folded, not stemmed


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Facet:
    token: str  # "t_<tag slug>" or "m_<member id>": matched exactly, never ranked


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Without:
    include: Node
    exclude: Node


Node = Word | Phrase | Facet | All | Any | Without
Text = Word | Phrase


def tag_facet(slug: str) -> str:
    return "t_" + slug.replace("-", "_")


def member_facet(member_id: int) -> str:
    return f"m_{member_id}"


# --- The parsed query ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    words: tuple[Text, ...] = ()  # bare words: all of them, else some of them
    phrases: tuple[Phrase, ...] = ()  # always required
    excluded: tuple[Text | Facet, ...] = ()
    tags: tuple[str, ...] = ()  # tag slugs, all required
    members: tuple[str, ...] = ()  # member names as typed (folded slugs), each required
    kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    ignored: tuple[str, ...] = ()  # words dropped as too common

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.tags or self.members)

    def highlight_terms(self) -> frozenset[str]:
        """The stems to highlight in results: every word searched for, not the excluded."""
        found: set[str] = set()
        for part in (*self.words, *self.phrases):
            found.update(analysis.stem(word) for word in _words_of(part))
        return frozenset(found)


def _words_of(part: Text) -> tuple[str, ...]:
    return (part.word,) if isinstance(part, Word) else part.words


@dataclass(frozen=True)
class Tier:
    """One ranked part of the results: what its documents match, what ranks them (text only),
    and the texts searched for (when there are many, those with one of them in their title or
    tags come first).

    Its documents are ranked as those matching `candidates` but not `leave_out` (when set):
    the same documents as `match`, but FTS5's bm25 pays for every term of the query it ranks,
    those of a NOT included."""

    match: Node
    rank: Node | None
    titles: Node | None = None
    candidates: Node | None = None
    leave_out: Node | None = None


@dataclass
class Plan:
    tiers: list[Tier] = field(default_factory=list)


def plan(query: Query, member_ids: dict[str, list[int]]) -> Plan:
    """The tiers to run: every word (tier 1), then some of the words but not all (tier 2).

    `member_ids` maps each `@name` of the query to the members it names (none: nothing matches).
    """
    required: list[Node] = list(query.phrases)
    required += [Facet(tag_facet(slug)) for slug in query.tags]
    for name in query.members:
        ids = member_ids.get(name) or [0]  # no member 0: a name that names nobody finds nothing
        facets = tuple(Facet(member_facet(member_id)) for member_id in ids)
        required.append(facets[0] if len(facets) == 1 else Any(facets))
    words: list[Node] = list(query.words)
    if not (required or words):
        return Plan()
    texts: list[Node] = [*query.phrases, *query.words]

    def exclude(node: Node) -> Node:
        if not query.excluded:
            return node
        excluded = query.excluded
        return Without(node, excluded[0] if len(excluded) == 1 else Any(tuple(excluded)))

    def all_of(nodes: list[Node]) -> Node:
        return nodes[0] if len(nodes) == 1 else All(tuple(nodes))

    titles = (texts[0] if len(texts) == 1 else Any(tuple(texts))) if texts else None
    tiers = [Tier(exclude(all_of(required + words)), all_of(texts) if texts else None, titles)]
    if len(words) >= 2:
        some = Any(tuple(words))
        every = All(tuple(words))
        match = Without(all_of([*required, some]), every)
        rank = all_of([*query.phrases, some]) if query.phrases else some
        tiers.append(Tier(exclude(match), rank, titles, exclude(all_of([*required, some])), every))
    return Plan(tiers)


# --- Parsing -------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_PART = re.compile(
    r"""(?P<minus>-)?(?:
        "(?P<phrase>[^"]*)"?
      | \#(?P<tag>[^\s"#@]+)
      | @(?P<member>[^\s"#@]+)
      | (?P<field>kind|type):(?P<value>[^\s"]+)
      | (?P<word>[^\s"]+)
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def _text(raw: str, ignored: list[str]) -> Text | None:
    found = analysis.words(raw)
    if not found:
        if raw.strip("-'’ "):
            ignored.append(raw)
        return None
    return Word(found[0]) if len(found) == 1 else Phrase(tuple(found))


def parse(
    text: str,
    *,
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    date_from: date | None = None,
    date_to: date | None = None,
) -> Query:
    """Parse what someone typed; `kinds`, `tags` and dates come from the page's filters."""
    words: list[Text] = []
    phrases: list[Phrase] = []
    excluded: list[Text | Facet] = []
    found_tags: list[str] = [tag_slug(tag) for tag in tags if tag_slug(tag)]
    members: list[str] = []
    found_kinds: list[str] = [kind for kind in kinds if kind in KIND_ALIASES.values()]
    ignored: list[str] = []
    source = text[:MAX_QUERY_LENGTH].translate(_QUOTES)
    for match in list(_PART.finditer(source))[:MAX_PARTS]:
        minus = bool(match["minus"])
        if match["phrase"] is not None:
            part = _text(match["phrase"], ignored)
            if part is None:
                continue
            if minus:
                excluded.append(part)
            elif isinstance(part, Phrase):
                phrases.append(part)
            else:
                words.append(part)
        elif match["tag"]:
            slug = tag_slug(match["tag"])
            if slug:
                (excluded.append(Facet(tag_facet(slug))) if minus else found_tags.append(slug))
        elif match["member"]:
            name = tag_slug(match["member"])
            if name and not minus:
                members.append(name)
        elif match["field"]:
            kind = KIND_ALIASES.get(fold(match["value"]))
            if kind:
                found_kinds.append(kind)
            else:
                part = _text(match["value"], ignored)
                if part is not None:
                    words.append(part)
        else:
            part = _text(match["word"], ignored)
            if part is None:
                continue
            (excluded if minus else words).append(part)
    return Query(
        words=tuple(dict.fromkeys(words)),
        phrases=tuple(dict.fromkeys(phrases)),
        excluded=tuple(dict.fromkeys(excluded)),
        tags=tuple(dict.fromkeys(found_tags)),
        members=tuple(dict.fromkeys(members)),
        kinds=tuple(dict.fromkeys(found_kinds)),
        date_from=date_from,
        date_to=date_to,
        ignored=tuple(ignored),
    )
