"""Bulk SQL for large imports, built once from the model's metadata: what makes an import of
100,000 rows take seconds."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model

INSERT_CHUNK = 5000


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off while a large import runs.

    An import allocates hundreds of thousands of small objects that stay alive until their batch
    is written, so the collector keeps scanning them and finds nothing to free: a seventh of the
    import's time (bench/README.md). Reference counting still frees everything as usual; only
    reference cycles wait until the collector is back on, which it is at the end, as it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class RowInserter:
    """INSERT … VALUES with executemany, for the rows of a large import.

    bulk_create compiles every field of every object through the ORM, which costs ten times
    what the database itself spends on a big import (measured: bench/README.md). Here the SQL is
    built once from the model's metadata, quoted by the backend; fields not in `varying` get
    their default, prepared once; datetimes go through the backend's own adapter. Plain
    parameterised SQL: the same on SQLite and PostgreSQL.
    """

    def __init__(self, model: type[Model], *, varying: list[str]) -> None:
        meta = model._meta
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        by_name = {field.name: field for field in fields}
        self.varying = [by_name[name] for name in varying]
        self.constant = [field for field in fields if field.name not in varying]
        quote = connection.ops.quote_name
        columns = [field.column for field in self.varying + self.constant]
        # Identifiers come from the model, quoted by the backend; values are parameters.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(meta.db_table),
            ", ".join(quote(column) for column in columns),
            ", ".join(["%s"] * len(columns)),
        )
        self.defaults = tuple(
            field.get_db_prep_save(field.get_default(), connection) for field in self.constant
        )
        self.datetime_positions = [
            index
            for index, field in enumerate(self.varying)
            if field.get_internal_type() == "DateTimeField"
        ]

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        adapt = connection.ops.adapt_datetimefield_value
        adapted: dict[Any, Any] = {}  # a bookmark's two dates are often the same moment
        positions = self.datetime_positions
        defaults = self.defaults
        params = []
        for row in rows:
            if positions:
                values = list(row)
                for index in positions:
                    moment = values[index]
                    if moment not in adapted:
                        adapted[moment] = adapt(moment)
                    values[index] = adapted[moment]
                row = tuple(values)
            params.append(row + defaults)
        with connection.cursor() as cursor:
            for start in range(0, len(params), INSERT_CHUNK):
                cursor.executemany(self.sql, params[start : start + INSERT_CHUNK])


class RowUpdater:
    """UPDATE … WHERE id = … with executemany: bulk_update's CASE expressions cost seconds for
    a few thousand merged bookmarks."""

    def __init__(self, model: type[Model], *, fields: list[str]) -> None:
        meta = model._meta
        self.fields = [field for field in meta.concrete_fields if field.name in fields]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in self.fields)
        table, key = quote(meta.db_table), quote(meta.pk.column if meta.pk else "id")
        # Identifiers come from the model, quoted by the backend; values are parameters.
        self.sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608

    def update(self, instances: list[Any]) -> None:
        params = [
            (
                *(
                    field.get_db_prep_save(getattr(instance, field.attname), connection)
                    for field in self.fields
                ),
                instance.pk,
            )
            for instance in instances
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(params), INSERT_CHUNK):
                cursor.executemany(self.sql, params[start : start + INSERT_CHUNK])


def lookup_chunk() -> int:
    """Parameters one IN (…) may take: SQLite's compile-time limit, or a comfortable size."""
    limit = connection.features.max_query_params
    return (limit - 10) if limit else 5000
