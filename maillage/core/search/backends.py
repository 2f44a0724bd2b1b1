# ruff: noqa: S608 - SQL here is built from this module's constants and integer codes only;
# every value, the full-text query included, is passed as a parameter.
"""The two ways the index is stored and queried: SQLite FTS5, PostgreSQL full-text search.

Both receive the same prepared rows and the same query tree (query.Node), and answer the same
two questions: how many documents of each kind match, and which rank first. Visibility, kinds,
dates and schedules are conditions of those queries, never filters applied afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connection

from maillage.core.search import analysis
from maillage.core.search.query import All, Facet, Node, Phrase, Without, Word
from maillage.core.search.query import Any as AnyOf
from maillage.core.search.registry import AUDIENCE_CODES, KIND_CODES, KINDS_BY_CODE, Audience

TABLE = "core_searchdocument"
FTS_TABLE = "core_search_fts"
PG_CONFIGURATION = "maillage_french"

# Column weights: a word in the title counts ten times one in the text, in a tag five times.
TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 1.0
# Recent content slightly favoured: up to +25 % today, +12.5 % at a year, +6 % at three years.
RECENCY_BOOST, RECENCY_DAYS = 0.25, 365.0

# SQLite row ids of the FTS5 table: day (16 bits) | kind (4) | audience (2) | document id (34).
SERIAL_BITS, AUDIENCE_SHIFT, KIND_SHIFT, DAY_SHIFT = 34, 34, 36, 40
SERIAL_MASK = (1 << SERIAL_BITS) - 1
MAX_DAY = (1 << 16) - 1

COLUMNS = (
    "model",
    "object_id",
    "variant",
    "kind",
    "audience",
    "owner_id",
    "date",
    "day",
    "visible_from",
    "title",
    "subject",
    "byline",
    "body",
    "tags",
    "language",
    "url",
)


@dataclass
class PreparedRow:
    """A document with its analysed text, ready for either backend."""

    values: dict[str, Any]  # the SearchDocument columns
    title: str
    tags: str
    body: str
    facets: list[str]

    def column_values(self) -> list[Any]:
        values = dict(self.values, tags=json.dumps(self.values["tags"], ensure_ascii=False))
        return [values[name] for name in COLUMNS]


@dataclass(frozen=True)
class Conditions:
    """Who searches and what the page's filters keep."""

    viewer_id: int | None  # None: not logged in
    kinds: tuple[str, ...]
    day_from: int | None
    day_to: int | None
    today: int
    now: datetime


class Backend(Protocol):
    def insert(self, rows: Sequence[PreparedRow], *, ids: Sequence[int] | None = None) -> None: ...

    def delete(self, model: str, object_ids: Iterable[int]) -> None: ...

    def delete_model(self, model: str) -> None: ...

    def clear(self) -> None: ...

    def finish_rebuild(self) -> None: ...

    def counts(self, match: Node, conditions: Conditions) -> dict[str, int]: ...

    def ranked(
        self, match: Node, rank: Node | None, conditions: Conditions, limit: int, offset: int
    ) -> list[int]: ...


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def _boost(days_ago: str) -> str:
    return f"(1.0 + {RECENCY_BOOST} / (1.0 + {days_ago} / {RECENCY_DAYS}))"


# --- SQLite --------------------------------------------------------------------------------------


def pack_rowid(*, day: int, kind: str, audience: str, serial: int) -> int:
    return (
        (min(max(day, 0), MAX_DAY) << DAY_SHIFT)
        | (KIND_CODES[kind] << KIND_SHIFT)
        | (AUDIENCE_CODES[audience] << AUDIENCE_SHIFT)
        | serial
    )


class SqliteBackend:
    """FTS5 over stemmed terms (analysis.terms). The row id carries day, kind and audience, so
    that bm25 ranking, the recency boost, counts per kind and the audience test read nothing but
    the full-text index; only private and scheduled documents are looked up, by index."""

    def insert(self, rows: Sequence[PreparedRow], *, ids: Sequence[int] | None = None) -> None:
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        with connection.cursor() as cursor:
            if ids is None:
                serials = []
                for row in rows:
                    cursor.execute(
                        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
                        "RETURNING id",
                        row.column_values(),
                    )
                    serials.append(cursor.fetchone()[0])
            else:
                serials = list(ids)
            rowids = [
                pack_rowid(
                    day=row.values["day"],
                    kind=row.values["kind"],
                    audience=row.values["audience"],
                    serial=serial,
                )
                for serial, row in zip(serials, rows, strict=True)
            ]
            if ids is None:
                cursor.executemany(
                    f"UPDATE {TABLE} SET fts_rowid = %s WHERE id = %s",
                    list(zip(rowids, serials, strict=True)),
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {TABLE} (id, fts_rowid, {', '.join(COLUMNS)}) "
                    f"VALUES (%s, %s, {placeholders})",
                    [
                        [serial, rowid, *row.column_values()]
                        for serial, rowid, row in zip(serials, rowids, rows, strict=True)
                    ],
                )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, tags, body, facets) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (rowid, row.title, row.tags, row.body, " ".join(row.facets))
                    for rowid, row in zip(rowids, rows, strict=True)
                ],
            )

    def delete(self, model: str, object_ids: Iterable[int]) -> None:
        object_ids = list(object_ids)
        if not object_ids:
            return
        marks = ", ".join(["%s"] * len(object_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT fts_rowid FROM {TABLE} "
                f"WHERE model = %s AND object_id IN ({marks}))",
                [model, *object_ids],
            )
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE model = %s AND object_id IN ({marks})",
                [model, *object_ids],
            )

    def delete_model(self, model: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
                f"(SELECT fts_rowid FROM {TABLE} WHERE model = %s)",
                [model],
            )
            cursor.execute(f"DELETE FROM {TABLE} WHERE model = %s", [model])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"DELETE FROM {TABLE}")

    def finish_rebuild(self) -> None:
        # One b-tree instead of the many segments bulk inserts leave: faster queries.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")

    # Compiling the tree into FTS5's query language: every term a quoted string.

    def expression(self, node: Node) -> str:
        if isinstance(node, Word):
            return f'"{analysis.stem(node.word)}"'
        if isinstance(node, Phrase):
            return '"' + " ".join(analysis.stem(word) for word in node.words) + '"'
        if isinstance(node, Facet):
            return f'"{node.token}"'
        if isinstance(node, All):
            return "(" + " AND ".join(self.expression(child) for child in node.children) + ")"
        if isinstance(node, AnyOf):
            return "(" + " OR ".join(self.expression(child) for child in node.children) + ")"
        if isinstance(node, Without):
            return f"({self.expression(node.include)} NOT {self.expression(node.exclude)})"
        raise TypeError(node)

    def _where(self, match: Node, conditions: Conditions, *, kinds: bool) -> tuple[str, list[Any]]:
        audience = f"((rowid >> {AUDIENCE_SHIFT}) & 3)"
        sql = [f"{FTS_TABLE} MATCH %s"]
        params: list[Any] = [self.expression(match)]
        if conditions.viewer_id is None:
            codes = (AUDIENCE_CODES[Audience.PUBLIC], AUDIENCE_CODES[Audience.ANONYMOUS])
            sql.append(f"{audience} IN {codes}")
            owner_test = "1 = 1"  # scheduled: hidden from everyone but their owner
            owner_params: list[Any] = []
        else:
            codes = (AUDIENCE_CODES[Audience.PUBLIC], AUDIENCE_CODES[Audience.MEMBERS])
            sql.append(
                f"({audience} IN {codes} OR rowid IN (SELECT fts_rowid FROM {TABLE} "
                "WHERE owner_id = %s AND audience = %s))"
            )
            params += [conditions.viewer_id, Audience.PRIVATE.value]
            owner_test = "(owner_id IS NULL OR owner_id != %s)"
            owner_params = [conditions.viewer_id]
        sql.append(
            f"rowid NOT IN (SELECT fts_rowid FROM {TABLE} WHERE visible_from > %s AND {owner_test})"
        )
        params += [conditions.now, *owner_params]
        if kinds and conditions.kinds:
            codes_list = ", ".join(str(KIND_CODES[kind]) for kind in conditions.kinds)
            sql.append(f"((rowid >> {KIND_SHIFT}) & 15) IN ({codes_list})")
        if conditions.day_from is not None:
            sql.append("rowid >= %s")
            params.append(conditions.day_from << DAY_SHIFT)
        if conditions.day_to is not None:
            sql.append("rowid < %s")
            params.append((conditions.day_to + 1) << DAY_SHIFT)
        return " AND ".join(sql), params

    def counts(self, match: Node, conditions: Conditions) -> dict[str, int]:
        where, params = self._where(match, conditions, kinds=False)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (rowid >> {KIND_SHIFT}) & 15, count(*) FROM {FTS_TABLE} "
                f"WHERE {where} GROUP BY 1",
                params,
            )
            return {KINDS_BY_CODE[code]: count for code, count in cursor.fetchall()}

    def ranked(
        self, match: Node, rank: Node | None, conditions: Conditions, limit: int, offset: int
    ) -> list[int]:
        where, params = self._where(match, conditions, kinds=True)
        days_ago = f"max(%s - (rowid >> {DAY_SHIFT}), 0)"
        weights = f"{TITLE_WEIGHT}, {TAGS_WEIGHT}, {BODY_WEIGHT}, 0.0"
        # bm25() is negative, better when lower; facets (weight 0) never rank.
        score = f"-bm25({FTS_TABLE}, {weights}) * {_boost(days_ago)}" if rank else "0"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {score} AS score FROM {FTS_TABLE} WHERE {where} "
                "ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s",
                ([conditions.today] if rank else []) + params + [limit, offset],
            )
            return [rowid & SERIAL_MASK for rowid, _score in cursor.fetchall()]


# --- PostgreSQL ----------------------------------------------------------------------------------


class PostgresBackend:
    """A tsvector column in the French configuration `maillage_french` (unaccent, then the
    French Snowball stemmer), fed with analysis.words (folded, elisions and stopwords out, so
    that positions, hence phrases, are the same as on SQLite); GIN index; ts_rank_cd."""

    VECTOR = (
        f"setweight(to_tsvector('{PG_CONFIGURATION}', %s), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIGURATION}', %s), 'B') || "
        f"setweight(to_tsvector('{PG_CONFIGURATION}', %s), 'C') || "
        "setweight(array_to_tsvector(%s::text[]), 'D')"
    )
    # ts_rank_cd's weights, in the order {D, C, B, A}: facets, text, tags, title.
    RANK_WEIGHTS = f"'{{0, {BODY_WEIGHT / TITLE_WEIGHT}, {TAGS_WEIGHT / TITLE_WEIGHT}, 1.0}}'"

    def insert(self, rows: Sequence[PreparedRow], *, ids: Sequence[int] | None = None) -> None:
        columns = ", ".join(COLUMNS)
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} ({columns}, search_vector) "
                f"VALUES ({placeholders}, {self.VECTOR})",
                [[*row.column_values(), row.title, row.tags, row.body, row.facets] for row in rows],
            )

    def delete(self, model: str, object_ids: Iterable[int]) -> None:
        object_ids = list(object_ids)
        if object_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE model = %s AND object_id = ANY(%s)",
                    [model, object_ids],
                )

    def delete_model(self, model: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE model = %s", [model])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def finish_rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    def expression(self, node: Node) -> tuple[str, list[Any]]:
        if isinstance(node, Word):
            return f"plainto_tsquery('{PG_CONFIGURATION}', %s)", [node.word]
        if isinstance(node, Phrase):
            return f"phraseto_tsquery('{PG_CONFIGURATION}', %s)", [" ".join(node.words)]
        if isinstance(node, Facet):
            return "%s::tsquery", [f"'{node.token}'"]
        if isinstance(node, All | AnyOf):
            operator = " && " if isinstance(node, All) else " || "
            parts = [self.expression(child) for child in node.children]
            return (
                "(" + operator.join(sql for sql, _params in parts) + ")",
                [param for _sql, params in parts for param in params],
            )
        if isinstance(node, Without):
            include, include_params = self.expression(node.include)
            exclude, exclude_params = self.expression(node.exclude)
            return f"({include} && !!{exclude})", include_params + exclude_params
        raise TypeError(node)

    def _where(self, match: Node, conditions: Conditions, *, kinds: bool) -> tuple[str, list[Any]]:
        query, params = self.expression(match)
        sql = [f"search_vector @@ {query}"]
        if conditions.viewer_id is None:
            sql.append("audience IN (%s, %s)")
            params += [Audience.PUBLIC.value, Audience.ANONYMOUS.value]
            sql.append("(visible_from IS NULL OR visible_from <= %s)")
            params.append(conditions.now)
        else:
            sql.append("(audience IN (%s, %s) OR (owner_id = %s AND audience = %s))")
            params += [
                Audience.PUBLIC.value,
                Audience.MEMBERS.value,
                conditions.viewer_id,
                Audience.PRIVATE.value,
            ]
            sql.append("(visible_from IS NULL OR visible_from <= %s OR owner_id = %s)")
            params += [conditions.now, conditions.viewer_id]
        if kinds and conditions.kinds:
            sql.append("kind = ANY(%s)")
            params.append(list(conditions.kinds))
        if conditions.day_from is not None:
            sql.append("day >= %s")
            params.append(conditions.day_from)
        if conditions.day_to is not None:
            sql.append("day <= %s")
            params.append(conditions.day_to)
        return " AND ".join(sql), params

    def counts(self, match: Node, conditions: Conditions) -> dict[str, int]:
        where, params = self._where(match, conditions, kinds=False)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT kind, count(*) FROM {TABLE} WHERE {where} GROUP BY kind", params
            )
            return dict(cursor.fetchall())

    def ranked(
        self, match: Node, rank: Node | None, conditions: Conditions, limit: int, offset: int
    ) -> list[int]:
        where, params = self._where(match, conditions, kinds=True)
        if rank is not None:
            rank_query, rank_params = self.expression(rank)
            days_ago = "greatest(%s - day, 0)"
            score = (
                f"ts_rank_cd({self.RANK_WEIGHTS}, search_vector, {rank_query}, 1) "
                f"* {_boost(days_ago)}"
            )
            score_params = [*rank_params, conditions.today]
        else:
            score, score_params = "0", []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {score} AS score FROM {TABLE} WHERE {where} "
                "ORDER BY score DESC, day DESC, id DESC LIMIT %s OFFSET %s",
                score_params + params + [limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
