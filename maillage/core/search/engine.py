"""Answering a search: ranked results with highlighted passages, and counts per kind.

Words are first required all together (tier 1). When that finds fewer than a page of results,
documents with only some of the words follow (tier 2), ranked among themselves: a document with
both "réseaux" and "sociaux" is always above one with a single of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.safestring import SafeString

from maillage.core.search import snippets
from maillage.core.search.backends import Conditions, backend
from maillage.core.search.indexing import day_number
from maillage.core.search.models import SearchDocument
from maillage.core.search.query import Query, parse, plan
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
    def kind_counts(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) for each kind with results, in the order of Kind."""
        return [(k.value, str(k.label), self.counts[k]) for k in Kind if self.counts.get(k)]


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

    def chosen(counts: dict[str, int]) -> int:
        return sum(n for kind, n in counts.items() if not query.kinds or kind in query.kinds)

    # Counts first: they say how many results each tier holds, hence where a page starts.
    tier_counts = [store.counts(tiers[0].match, conditions)]
    if len(tiers) > 1 and chosen(tier_counts[0]) < page_size:
        tier_counts.append(store.counts(tiers[1].match, conditions))
        results.some_words_only = chosen(tier_counts[1]) > 0
    for counts in tier_counts:
        for kind, count in counts.items():
            results.counts[kind] = results.counts.get(kind, 0) + count
    results.total = sum(chosen(counts) for counts in tier_counts)

    ids: list[int] = []
    offset = (page - 1) * page_size
    for tier, counts in zip(tiers, tier_counts, strict=False):
        size = chosen(counts)
        wanted = page_size - len(ids)
        if wanted <= 0:
            break
        if offset < size:
            ids += store.ranked(tier.match, tier.rank, conditions, wanted, offset)
            offset = 0
        else:
            offset -= size
    results.hits = _hits(ids, query)
    return results


def _hits(ids: list[int], query: Query) -> list[Hit]:
    if not ids:
        return []
    documents = SearchDocument.objects.in_bulk(ids)
    terms = query.highlight_terms()
    hits = []
    for pk in ids:
        document = documents.get(pk)
        if document is None:
            continue
        hits.append(
            Hit(
                kind=document.kind,
                url=document.url,
                date=document.date,
                title=snippets.highlight(document.title, terms),
                subject=document.subject,
                byline=document.byline,
                excerpt=snippets.excerpt(document.body, terms),
                tags=list(document.tags or []),
                language=document.language,
            )
        )
    return hits
