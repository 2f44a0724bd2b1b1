"""Answering a search: ranked results with highlighted passages, and counts per kind.

Words are first required all together (tier 1). When that finds fewer than a page of results,
documents with only some of the words follow (tier 2), ranked among themselves: a document with
both "réseaux" and "sociaux" is always above one with a single of them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeString

from maillage.core.search import backends, snippets
from maillage.core.search.backends import Conditions, Slice, backend
from maillage.core.search.indexing import day_number
from maillage.core.search.models import SearchDocument
from maillage.core.search.query import Query, Tier, parse, plan
from maillage.core.search.registry import KIND_NAMES, Kind
from maillage.core.tags import tag_slug

PAGE_SIZE = 20
MAX_PAGE = 50


@dataclass(frozen=True)
class Hit:
    kind: str
    url: str
    date: datetime
    title: SafeString
    subject: str
    byline: str
    excerpt: SafeString
    tags: list[str]
    language: str

    @property
    def kind_label(self) -> str:
        return str(KIND_NAMES[Kind(self.kind)])


@dataclass
class SearchResults:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # per kind, whatever kind is chosen
    more_than: set[str] = field(default_factory=set)  # kinds with more than can be counted
    total: int = 0  # of the kinds chosen (all when none is)
    page: int = 1
    page_size: int = PAGE_SIZE
    some_words_only: bool = False  # tier 2 was added

    @property
    def page_count(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.page_size)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count

    @property
    def total_is_more(self) -> bool:
        """The total is a lower bound: a chosen kind has more results than were counted."""
        return any(not self.query.kinds or kind in self.query.kinds for kind in self.more_than)

    @property
    def kind_counts(self) -> list[tuple[str, str, int, bool]]:
        """(kind, label, count, more) for each kind with results, in the order of Kind; `more`
        when the count is a lower bound."""
        return [
            (k.value, str(k.label), self.counts[k], k.value in self.more_than)
            for k in Kind
            if self.counts.get(k)
        ]


def member_ids_for(names: tuple[str, ...]) -> dict[str, list[int]]:
    """Members each `@name` designates: the name is their full name, or whole words of it
    ("@camille", "@le-goff", "@camille-le-goff"), accents and case aside."""
    if not names:
        return {}
    found: dict[str, list[int]] = {name: [] for name in names}
    people = get_user_model()._default_manager.filter(is_active=True)
    for pk, full_name in people.values_list("pk", "display_name").iterator():
        slug = f"-{tag_slug(full_name)}-"
        for name in names:
            if f"-{name}-" in slug:
                found[name].append(pk)
    return found


def _conditions(viewer: Any, query: Query) -> Conditions:
    now = timezone.now()
    signed_in = bool(
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and getattr(viewer, "is_active", False)
    )
    return Conditions(
        viewer_id=int(viewer.pk) if signed_in else None,
        kinds=query.kinds,
        day_from=day_number(query.date_from) if query.date_from else None,
        day_to=day_number(query.date_to) if query.date_to else None,
        today=day_number(now),
        now=now,
    )


def _slices(tier: Tier, *, many: bool) -> list[Slice]:
    """A tier's results in the order shown. When it has `many` (more than can be ranked at
    once), those with a searched word in their title or tags first, then the others, each part
    ranked by relevance and recency; else all of them together."""
    match = tier.candidates or tier.match
    if not many or tier.rank is None or tier.titles is None:
        return [Slice(match, tier.rank, leave_out=tier.leave_out)]
    return [
        Slice(match, tier.rank, tier.titles, in_titles=True, leave_out=tier.leave_out),
        Slice(match, tier.rank, tier.titles, in_titles=False, leave_out=tier.leave_out),
    ]


def search(
    *,
    viewer: Any,
    text: str = "",
    query: Query | None = None,
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResults:
    """What `viewer` (a user, anonymous or None) finds for `text` and the page's filters."""
    if query is None:
        query = parse(text, kinds=kinds, tags=tags, date_from=date_from, date_to=date_to)
    page = min(max(1, page), MAX_PAGE)
    results = SearchResults(query=query, page=page, page_size=page_size)
    tiers = plan(query, member_ids_for(query.members)).tiers
    if not tiers:
        return results
    store = backend()
    conditions = _conditions(viewer, query)

    def chosen_counts(counts: dict[str, int]) -> list[int]:
        return [n for kind, n in counts.items() if not query.kinds or kind in query.kinds]

    def chosen(counts: dict[str, int]) -> int:
        return sum(chosen_counts(counts))

    def many(counts: dict[str, int]) -> bool:
        # More matches in a kind than it ranks (counts go one further than RANK_CANDIDATES).
        return max(chosen_counts(counts), default=0) > backends.RANK_CANDIDATES

    # Counts first (each kind up to COUNT_LIMIT): documents with only some of the words come
    # after those with all of them when these do not fill a page.
    tier_counts = store.counts([tier.match for tier in tiers], conditions)
    if chosen(tier_counts[0]) >= page_size:
        tier_counts = tier_counts[:1]
    elif len(tier_counts) > 1:
        results.some_words_only = chosen(tier_counts[1]) > 0
    for counts in tier_counts:
        for kind, count in counts.items():
            results.counts[kind] = results.counts.get(kind, 0) + count
    for kind, count in list(results.counts.items()):
        if count > backends.COUNT_LIMIT:
            results.counts[kind] = backends.COUNT_LIMIT
            results.more_than.add(kind)
    results.total = chosen(results.counts)

    # The best `offset + page_size` of the tiers' parts, one after the other.
    parts = [
        part
        for tier, counts in zip(tiers, tier_counts, strict=False)
        if chosen(counts)
        for part in _slices(tier, many=many(counts))
    ]
    offset = (page - 1) * page_size
    ids = store.ranked(parts, conditions, offset + page_size) if parts else []
    results.hits = _hits(ids[offset:], query)
    return results


HIT_FIELDS = ("id", "kind", "url", "date", "title", "subject", "byline", "body", "tags", "language")


def _documents(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The shown columns of these documents, by id (one plain query: the ORM's compiling and
    model machinery cost more than the query itself here)."""
    table = SearchDocument._meta.db_table
    date = SearchDocument._meta.get_field("date")
    expression = date.get_col(table)
    converters = connection.ops.get_db_converters(expression)  # SQLite: text to datetime
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(HIT_FIELDS)} FROM {table} WHERE id IN ({marks})",  # noqa: S608
            ids,
        )
        found = {}
        for row in cursor.fetchall():
            when = row[3]
            for converter in converters:
                when = converter(when, expression, connection)
            tags = json.loads(row[8]) if isinstance(row[8], str) else row[8]  # text or jsonb
            found[row[0]] = (*row[:3], when, *row[4:8], tags or [], row[9])
        return found


def _hits(ids: list[int], query: Query) -> list[Hit]:
    if not ids:
        return []
    found = _documents(ids)
    terms = query.highlight_terms()
    hits = []
    for pk in ids:
        if pk not in found:
            continue
        _pk, kind, url, when, title, subject, byline, body, tags, language = found[pk]
        hits.append(
            Hit(
                kind=kind,
                url=url,
                date=when,
                title=snippets.highlight(title, terms),
                subject=subject,
                byline=byline,
                excerpt=snippets.excerpt(body, terms),
                tags=list(tags or []),
                language=language,
            )
        )
    return hits
