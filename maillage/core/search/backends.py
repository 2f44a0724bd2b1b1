# ruff: noqa: S608 - SQL here is built from this module's constants and integer codes only;
# every value, the full-text query included, is passed as a parameter.
"""The two ways the index is stored and queried: SQLite FTS5, PostgreSQL full-text search.

Both receive the same prepared rows and the same query tree (query.Node), and answer the same
two questions: how many documents of each kind match, and which rank first. Visibility, kinds,
dates and schedules are conditions of those queries, never filters applied afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connection, transaction

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

# SQLite row ids of the FTS5 table: kind (4 bits) | day (16) | document id (34) | audience (2).
# The documents of one kind are one range of row ids, most recent last: FTS5 seeks to a range
# and reads it backwards, so counting a kind or taking its most recent matches reads only those.
KIND_SHIFT, DAY_SHIFT, SERIAL_SHIFT = 52, 36, 2
SERIAL_MASK = (1 << 34) - 1
AUDIENCE_MASK = 3
MAX_DAY = (1 << 16) - 1
REBUILD_HASH_SIZE, DEFAULT_HASH_SIZE = 64 << 20, 1 << 20

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


@dataclass(slots=True)
class PreparedRow:
    """A document with its analysed text, ready for either backend."""

    columns: tuple[Any, ...]  # the SearchDocument columns, in the order of COLUMNS
    kind: str
    audience: str
    day: int
    title: str
    tags: str
    body: str
    facets: list[str]

    def __reduce__(self) -> tuple[Any, ...]:
        # Rows come back from the reindex's worker processes: a tuple pickles faster than the
        # state of a slotted dataclass.
        return (
            PreparedRow,
            (
                self.columns,
                self.kind,
                self.audience,
                self.day,
                self.title,
                self.tags,
                self.body,
                self.facets,
            ),
        )


@dataclass(frozen=True)
class Conditions:
    """Who searches and what the page's filters keep."""

    viewer_id: int | None  # None: not logged in
    kinds: tuple[str, ...]
    day_from: int | None
    day_to: int | None
    today: int
    now: datetime


@dataclass(frozen=True)
class Slice:
    """A part of the results ranked on its own: what must match, what ranks (None: most recent
    first); when `titles` is set, whether one of these texts must be in the title or tags
    (True) or must not (False); documents matching `leave_out` are left out."""

    match: Node
    rank: Node | None
    titles: Node | None = None
    in_titles: bool = True
    leave_out: Node | None = None


# Bounds that keep a query's cost independent of the size of the index. Counts stop at
# COUNT_LIMIT per kind (the page says "more than"). Ranking scores at most RANK_CANDIDATES
# documents per kind and slice, the most recent ones: as many as the pages can show (MAX_PAGE ×
# PAGE_SIZE in engine.py), so only a slice with more matches than that is ranked in part.
COUNT_LIMIT = 1_000
RANK_CANDIDATES = 1_000  # at most COUNT_LIMIT: a count above it says there are more to rank


class Backend(Protocol):
    def insert(self, rows: Sequence[PreparedRow], *, ids: Sequence[int] | None = None) -> None: ...

    def delete(self, model: str, object_ids: Iterable[int]) -> None: ...

    def delete_model(self, model: str) -> None: ...

    def clear(self) -> None: ...

    def start_rebuild(self) -> None: ...

    def finish_rebuild(self) -> None: ...

    def counts(self, matches: Sequence[Node], conditions: Conditions) -> list[dict[str, int]]:
        """For each of `matches`, its matches per kind, each counted up to COUNT_LIMIT + 1
        (one statement for all)."""
        ...

    def ranked(self, parts: Sequence[Slice], conditions: Conditions, limit: int) -> list[int]:
        """The ids of the first `limit` documents of `parts` taken one after the other, each
        ranked on its own (one statement: a part is only ranked when those before it do not
        fill `limit`)."""
        ...


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def _boost(days_ago: str) -> str:
    return f"(1.0 + {RECENCY_BOOST} / (1.0 + {days_ago} / {RECENCY_DAYS}))"


def _kinds(conditions: Conditions) -> list[str]:
    return [kind for kind in KIND_CODES if not conditions.kinds or kind in conditions.kinds]


# --- SQLite --------------------------------------------------------------------------------------


def pack_rowid(*, day: int, kind: str, audience: str, serial: int) -> int:
    return (
        (KIND_CODES[kind] << KIND_SHIFT)
        | (min(max(day, 0), MAX_DAY) << DAY_SHIFT)
        | (serial << SERIAL_SHIFT)
        | AUDIENCE_CODES[audience]
    )


def serial_of(rowid: int) -> int:
    return (rowid >> SERIAL_SHIFT) & SERIAL_MASK


class SqliteBackend:
    """FTS5 over stemmed terms (analysis.terms). The row id carries kind, day and audience, so
    that bm25 ranking, the recency boost, counts per kind and the audience test read nothing but
    the full-text index; only private and scheduled documents are looked up, by index.

    One instance answers one search: it remembers which kinds the index holds."""

    def __init__(self) -> None:
        self._present: set[str] | None = None

    def insert(self, rows: Sequence[PreparedRow], *, ids: Sequence[int] | None = None) -> None:
        if not rows:
            return
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        # The row id of each document's words holds its id: the batch's ids are numbered here,
        # so that every table is filled by one executemany (one INSERT … RETURNING per row,
        # then an UPDATE, cost most of indexing an import).
        with transaction.atomic(), connection.cursor() as cursor:
            serials = list(ids) if ids is not None else self._next_ids(cursor, len(rows))
            rowids = [
                pack_rowid(day=row.day, kind=row.kind, audience=row.audience, serial=serial)
                for serial, row in zip(serials, rows, strict=True)
            ]
            cursor.executemany(
                f"INSERT INTO {TABLE} (id, fts_rowid, {', '.join(COLUMNS)}) "
                f"VALUES (%s, %s, {placeholders})",
                [
                    (serial, rowid, *row.columns)
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

    @staticmethod
    def _next_ids(cursor: Any, count: int) -> range:
        """The ids SQLite would have given `count` rows inserted one by one: after the largest
        id the table holds or ever held (AUTOINCREMENT keeps that in sqlite_sequence).

        Safe because this runs in a write transaction: the settings open every transaction
        with BEGIN IMMEDIATE (core.db), so this connection is the database's only writer until
        it commits. Were that setting dropped, a writer that came in between would make the
        inserts fail (the ids are the primary key), never share an id."""
        cursor.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {TABLE}), 0), "
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [TABLE],
        )
        first = int(cursor.fetchone()[0]) + 1
        return range(first, first + count)

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
            # Deleting from FTS5 takes each row's words out of the index one by one: making the
            # table again as it was made (by the migrations) is immediate.
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
            (schema,) = cursor.fetchone()
            cursor.execute(f"DROP TABLE {FTS_TABLE}")
            cursor.execute(schema)
            cursor.execute(f"DELETE FROM {TABLE}")

    def start_rebuild(self) -> None:
        # FTS5 writes the words it has gathered as a new segment each time they reach
        # `hashsize` (1 MB by default), and merges segments as they pile up: gathering 64 MB
        # at a time halves the work of a full rebuild.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('hashsize', %s)",
                [REBUILD_HASH_SIZE],
            )

    def finish_rebuild(self) -> None:
        with connection.cursor() as cursor:
            # One b-tree instead of the segments bulk inserts leave: faster queries.
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('hashsize', %s)",
                [DEFAULT_HASH_SIZE],
            )

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

    def slice_expression(self, part: Slice) -> str:
        expression = self.expression(part.match)
        if part.titles is None:
            return expression
        titles = "{title tags} : " + self.expression(part.titles)
        return f"{expression} {'AND' if part.in_titles else 'NOT'} ({titles})"

    def _visible(self, conditions: Conditions) -> tuple[str, list[Any]]:
        """Who may see a row: its audience (in its row id), else its owner; scheduled rows are
        hidden from everyone but their owner until their date."""
        audience = f"(rowid & {AUDIENCE_MASK})"
        if conditions.viewer_id is None:
            codes = (AUDIENCE_CODES[Audience.PUBLIC], AUDIENCE_CODES[Audience.ANONYMOUS])
            sql = [f"{audience} IN {codes}"]
            params: list[Any] = []
            owner_test = "1 = 1"
            owner_params: list[Any] = []
        else:
            codes = (AUDIENCE_CODES[Audience.PUBLIC], AUDIENCE_CODES[Audience.MEMBERS])
            sql = [
                f"({audience} IN {codes} OR rowid IN (SELECT fts_rowid FROM {TABLE} "
                "WHERE owner_id = %s AND audience = %s))"
            ]
            params = [conditions.viewer_id, Audience.PRIVATE.value]
            owner_test = "(owner_id IS NULL OR owner_id != %s)"
            owner_params = [conditions.viewer_id]
        sql.append(
            f"rowid NOT IN (SELECT fts_rowid FROM {TABLE} WHERE visible_from > %s AND {owner_test})"
        )
        params += [conditions.now, *owner_params]
        return " AND ".join(sql), params

    def _kinds_present(self) -> set[str]:
        """The kinds the index holds: FTS5 reads an AND of common words as long for an empty
        range of row ids as for a full one, so queries leave out the kinds it does not hold."""
        if self._present is None:
            arms = [
                f"SELECT {code} WHERE EXISTS (SELECT 1 FROM {FTS_TABLE} "
                f"WHERE rowid >= {code << KIND_SHIFT} AND rowid < {(code + 1) << KIND_SHIFT})"
                for code in KINDS_BY_CODE
            ]
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(arms))
                self._present = {KINDS_BY_CODE[code] for (code,) in cursor.fetchall()}
        return self._present

    def _ranges(self, conditions: Conditions) -> list[tuple[str, int, int]]:
        """(kind, first row id, row id after the last) of each kind chosen and present, dates
        included."""
        ranges = []
        present = self._kinds_present()
        for kind in _kinds(conditions):
            if kind not in present:
                continue
            base = KIND_CODES[kind] << KIND_SHIFT
            low = base
            high = base + (1 << KIND_SHIFT)
            if conditions.day_from is not None:
                low = base | (min(max(conditions.day_from, 0), MAX_DAY) << DAY_SHIFT)
            if conditions.day_to is not None:
                high = min(high, base + ((max(conditions.day_to, -1) + 1) << DAY_SHIFT))
            if low < high:
                ranges.append((kind, low, high))
        return ranges

    def counts(self, matches: Sequence[Node], conditions: Conditions) -> list[dict[str, int]]:
        visible, visible_params = self._visible(conditions)
        arms, params = [], []
        for number, match in enumerate(matches):
            expression = self.expression(match)
            for kind, low, high in self._ranges(conditions):
                arms.append(
                    f"SELECT {number}, {KIND_CODES[kind]}, count(*) FROM (SELECT 1 FROM "
                    f"{FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= %s AND rowid < %s "
                    f"AND {visible} LIMIT {COUNT_LIMIT + 1})"
                )
                params += [expression, low, high, *visible_params]
        found: list[dict[str, int]] = [{} for _match in matches]
        if arms:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(arms), params)
                for number, code, count in cursor.fetchall():
                    if count:
                        found[number][KINDS_BY_CODE[code]] = count
        return found

    def _ranked_part(
        self, part: Slice, conditions: Conditions, limit: int
    ) -> tuple[str, list[Any]]:
        """One part's best `limit` row ids: the most recent RANK_CANDIDATES matches of each kind
        (or `limit`, when more), ranked by bm25 and recency."""
        expression = self.slice_expression(part)
        visible, visible_params = self._visible(conditions)
        day = f"((rowid >> {DAY_SHIFT}) & {MAX_DAY})"
        weights = f"{TITLE_WEIGHT}, {TAGS_WEIGHT}, {BODY_WEIGHT}, 0.0"
        # bm25() is negative, better when lower; facets (weight 0) never rank.
        if part.rank is not None:
            score = f"-bm25({FTS_TABLE}, {weights}) * {_boost(f'max(%s - {day}, 0)')}"
            score_params: list[Any] = [conditions.today]
        else:
            score, score_params = "0.0", []
        candidates = max(RANK_CANDIDATES, limit)
        arms, params = [], []
        for _kind, low, high in self._ranges(conditions):
            leave_out, leave_out_params = "", []
            if part.leave_out is not None:
                # A list of row ids read without ranking (the unary + keeps SQLite from looking
                # the ranked rows up one by one), rather than terms bm25 would pay for.
                leave_out = (
                    f"AND +rowid NOT IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} "
                    "MATCH %s AND rowid >= %s AND rowid < %s) "
                )
                leave_out_params = [self.expression(part.leave_out), low, high]
            arms.append(
                f"SELECT * FROM (SELECT rowid AS id, {day} AS day, {score} AS score "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= %s AND rowid < %s "
                f"{leave_out}AND {visible} ORDER BY rowid DESC LIMIT {candidates})"
            )
            params += [*score_params, expression, low, high, *leave_out_params, *visible_params]
        sql = (
            f"SELECT id FROM ({' UNION ALL '.join(arms)}) "
            f"ORDER BY score DESC, day DESC, id DESC LIMIT {int(limit)}"
        )
        return sql, params

    def ranked(self, parts: Sequence[Slice], conditions: Conditions, limit: int) -> list[int]:
        if not parts or limit <= 0 or not self._ranges(conditions):
            return []
        statements = [self._ranked_part(part, conditions, limit) for part in parts]
        # UNION ALL without ORDER BY reads its parts in order and stops at the LIMIT.
        sql = " UNION ALL ".join(f"SELECT id FROM ({part_sql})" for part_sql, _params in statements)
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql} LIMIT %s",
                [param for _sql, params in statements for param in params] + [limit],
            )
            return [serial_of(rowid) for (rowid,) in cursor.fetchall()]


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
                [(*row.columns, row.title, row.tags, row.body, row.facets) for row in rows],
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

    def start_rebuild(self) -> None:
        pass

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

    def slice_where(self, part: Slice) -> tuple[str, list[Any]]:
        query, params = self.expression(part.match)
        sql = f"search_vector @@ {query}"
        if part.titles is not None:
            titles, titles_params = self.expression(part.titles)
            # Title (A) and tags (B) only, as FTS5's {title tags} column filter.
            test = f"ts_filter(search_vector, '{{a,b}}') @@ {titles}"
            sql += f" AND {test}" if part.in_titles else f" AND NOT ({test})"
            params += titles_params
        if part.leave_out is not None:
            leave_out, leave_out_params = self.expression(part.leave_out)
            sql += f" AND NOT (search_vector @@ {leave_out})"
            params += leave_out_params
        return sql, params

    def _where(self, match_sql: str, conditions: Conditions) -> tuple[str, list[Any]]:
        sql = [match_sql]
        params: list[Any] = []
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
        if conditions.day_from is not None:
            sql.append("day >= %s")
            params.append(conditions.day_from)
        if conditions.day_to is not None:
            sql.append("day <= %s")
            params.append(conditions.day_to)
        if conditions.kinds:
            sql.append("kind = ANY(%s)")
            params.append(list(conditions.kinds))
        return " AND ".join(sql), params

    def counts(self, matches: Sequence[Node], conditions: Conditions) -> list[dict[str, int]]:
        # One pass per query over the GIN index; the counts stop where SQLite's do.
        arms, params = [], []
        for number, match in enumerate(matches):
            query, query_params = self.expression(match)
            where, where_params = self._where(f"search_vector @@ {query}", conditions)
            arms.append(
                f"SELECT {number}, kind, least(count(*), {COUNT_LIMIT + 1}) FROM {TABLE} "
                f"WHERE {where} GROUP BY kind"
            )
            params += [*query_params, *where_params]
        found: list[dict[str, int]] = [{} for _match in matches]
        if arms:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(arms), params)
                for number, kind, count in cursor.fetchall():
                    found[number][kind] = count
        return found

    def _ranked_part(
        self, part: Slice, conditions: Conditions, limit: int
    ) -> tuple[str, list[Any]]:
        """As SQLite's: the most recent candidates of each kind, ranked (the score is only
        computed for the candidates)."""
        match_sql, match_params = self.slice_where(part)
        where, where_params = self._where(match_sql, conditions)
        if part.rank is not None:
            rank_query, rank_params = self.expression(part.rank)
            score = (
                f"ts_rank_cd({self.RANK_WEIGHTS}, search_vector, {rank_query}, 1) "
                f"* {_boost('greatest(%s - day, 0)')}"
            )
            score_params = [*rank_params, conditions.today]
        else:
            score, score_params = "0.0", []
        candidates = max(RANK_CANDIDATES, limit)
        sql = (
            f"SELECT id FROM (SELECT id, day, {score} AS score FROM (SELECT id, day, "
            "search_vector, row_number() OVER (PARTITION BY kind ORDER BY day DESC, id DESC) "
            f"AS recent FROM {TABLE} WHERE {where}) AS matched WHERE recent <= {candidates}) "
            f"AS candidates ORDER BY score DESC, day DESC, id DESC LIMIT {int(limit)}"
        )
        return sql, [*score_params, *match_params, *where_params]

    def ranked(self, parts: Sequence[Slice], conditions: Conditions, limit: int) -> list[int]:
        if not parts or limit <= 0:
            return []
        statements = [self._ranked_part(part, conditions, limit) for part in parts]
        # UNION ALL without ORDER BY reads its parts in order and stops at the LIMIT.
        sql = " UNION ALL ".join(f"({part_sql})" for part_sql, _params in statements)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM ({sql}) AS parts LIMIT %s",
                [param for _sql, params in statements for param in params] + [limit],
            )
            return [row[0] for row in cursor.fetchall()]
