"""Keeping the index up to date: one instance at a time (from the services, in their
transaction), or everything at once (`maillage search reindex`)."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from maillage.core.search import analysis
from maillage.core.search.backends import PreparedRow, backend
from maillage.core.search.query import member_facet, tag_facet
from maillage.core.search.registry import (
    Document,
    Registration,
    dependents_of,
    has_dependents,
    registration_by_label,
    registration_for,
    registrations,
)
from maillage.core.tags import tag_slug

logger = logging.getLogger(__name__)

EPOCH = date(1970, 1, 1)
# Text indexed per document; the text kept for highlighting is shorter (the start of a long
# page is where its passages are shown from).
MAX_INDEXED_CHARACTERS = 200_000
MAX_SHOWN_CHARACTERS = 20_000
REBUILD_BATCH = 2_000
PARALLEL_FROM = 20_000  # objects from which a rebuild analyses text in several processes


def day_number(moment: datetime | date) -> int:
    if isinstance(moment, datetime):
        moment = (moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)).astimezone(
            UTC
        )
        moment = moment.date()
    return (moment - EPOCH).days


@lru_cache(maxsize=10_000)
def _tag_facet(name: str) -> str:
    slug = tag_slug(name)
    return tag_facet(slug) if slug else ""


def _json_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False) if values else "[]"


def prepare(
    registration: Registration,
    object_id: int,
    document: Document,
    *,
    postgres: bool | None = None,
    analysed: bool = True,
) -> PreparedRow:
    """The row for one document: its columns and its analysed text for either backend (with
    `analysed=False`, its text as it is: `analyse_rows` analyses a batch of them later)."""
    body = document.body[:MAX_INDEXED_CHARACTERS]
    tags = [name for name in document.tags if name]
    facets = sorted({facet for facet in map(_tag_facet, tags) if facet})
    facets += sorted({member_facet(member) for member in document.members if member})
    day = day_number(document.date)
    title = _composed(document.title)
    row = PreparedRow(
        # In the order of backends.COLUMNS.
        columns=(
            registration.label,
            object_id,
            document.variant,
            registration.kind,
            document.audience,
            document.owner_id,
            document.date,
            day,
            document.visible_from,
            title,
            document.subject,
            document.byline[:300],
            _composed(body[:MAX_SHOWN_CHARACTERS]),
            _json_list(tags),
            document.language,
            document.url,
        ),
        kind=registration.kind,
        audience=document.audience,
        day=day,
        title=title,
        tags=" ".join(tags),
        body=body,
        facets=facets,
    )
    if analysed:
        analyse_rows(
            [row], postgres=connection.vendor == "postgresql" if postgres is None else postgres
        )
    return row


def analyse_rows(rows: list[PreparedRow], *, postgres: bool) -> list[PreparedRow]:
    """Replace the text of `rows` (title, tags, body) by what the index holds: stems for
    SQLite's FTS5, folded words for PostgreSQL (its French configuration stems them)."""
    analyse = analysis.indexed_words if postgres else analysis.indexed_terms
    for row in rows:
        row.title = analyse(row.title)
        row.tags = analyse(row.tags) if row.tags else ""
        row.body = analyse(row.body)
    return rows


def _composed(text: str) -> str:
    """Accents as single characters (what passages are cut from: see snippets.py)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _rows_for(registration: Registration, instance: models.Model) -> list[PreparedRow]:
    produced = registration.documents(instance)
    if produced is None:
        return []
    documents = [produced] if isinstance(produced, Document) else list(produced)
    return [prepare(registration, int(instance.pk), document) for document in documents]


def index(instance: models.Model) -> None:
    """Index `instance` again as its registration describes it now (or drop it from the index
    when it must not be found any more), then what follows it (the comments of an article).

    Call it inside the transaction that changed the instance: the index changes with it.
    """
    registration = registration_for(type(instance))
    if registration is not None:
        rows = _rows_for(registration, instance)
        store = backend()
        with transaction.atomic():
            store.delete(registration.label, [int(instance.pk)])
            if rows:
                store.insert(rows)
    for dependent in dependents_of(instance):
        index(dependent)


def index_many(model: type[models.Model], object_ids: Iterable[int]) -> None:
    """index() for several objects of one model at once (bulk actions, imports)."""
    registration = registration_for(model)
    if registration is None:
        return
    wanted = [int(pk) for pk in object_ids]
    store = backend()
    with transaction.atomic():
        store.delete(registration.label, wanted)
        for rows in _rows_of(registration, wanted):
            if rows:
                store.insert(rows)
        # Reading every instance again only to learn that nothing follows it cost as much as
        # indexing them.
        if has_dependents(model):
            for instance in model._default_manager.filter(pk__in=wanted):
                for dependent in dependents_of(instance):
                    index(dependent)


def _rows_of(registration: Registration, wanted: list[int]) -> Iterator[list[PreparedRow]]:
    """The analysed rows of the objects `wanted`, batch after batch: from plain values when the
    registration can read them for some ids (`values_for`: no model instances, no prefetching),
    else from model instances."""
    if registration.values_for is not None:
        postgres = connection.vendor == "postgresql"
        for pairs in _batches(registration.values_for(wanted), REBUILD_BATCH):
            yield _rows_of_values(registration, pairs, postgres)
        return
    for batch in _batches(registration.queryset().filter(pk__in=wanted), REBUILD_BATCH):
        yield [row for instance in batch for row in _rows_for(registration, instance)]


def remove(model: type[models.Model], object_ids: Iterable[int]) -> None:
    """Drop these objects from the index (before or after deleting them)."""
    registration = registration_for(model)
    if registration is not None:
        with transaction.atomic():
            backend().delete(registration.label, [int(pk) for pk in object_ids])


def index_later(instance: models.Model) -> None:
    """Index `instance` by a task once the current transaction commits (for slow documents)."""
    from maillage.core.search import tasks

    label, object_id = instance._meta.label_lower, int(instance.pk)
    transaction.on_commit(lambda: tasks.index_object(label, object_id))


def index_by_label(label: str, object_id: int) -> None:
    from django.apps import apps

    model = apps.get_model(label)
    instance = model._default_manager.filter(pk=object_id).first()
    if instance is None:
        remove(model, [object_id])
    else:
        index(instance)


# --- Rebuilding everything -----------------------------------------------------------------------


def _batches(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _rows_from_values(
    label: str, pairs: list[tuple[int, Any]], postgres: bool
) -> list[PreparedRow]:
    """The analysed rows of objects read as plain values (runs in a worker process too)."""
    registration = registration_by_label(label)
    assert registration is not None
    return _rows_of_values(registration, pairs, postgres)


def _rows_of_values(
    registration: Registration, pairs: list[tuple[int, Any]], postgres: bool
) -> list[PreparedRow]:
    document_from_values = registration.document_from_values
    assert document_from_values is not None
    rows = []
    for object_id, values in pairs:
        document = document_from_values(values)
        if document is not None:
            rows.append(
                prepare(registration, object_id, document, postgres=postgres, analysed=False)
            )
    return analyse_rows(rows, postgres=postgres)


def _analysed(rows: list[PreparedRow], postgres: bool) -> list[PreparedRow]:
    return analyse_rows(rows, postgres=postgres)


Job = tuple[int, Callable[..., list[PreparedRow]], tuple[Any, ...]]


def _jobs(registration: Registration, *, postgres: bool) -> Iterator[Job]:
    """(objects read, function, arguments) batch after batch: the batch's rows are
    function(*arguments), which needs nothing but its arguments (no database), so that it can
    run in another process. From plain values when the registration can read them
    (`all_values`), else from model instances (their text analysed by the function)."""
    if registration.all_values is not None:
        for pairs in _batches(registration.all_values(), REBUILD_BATCH):
            yield len(pairs), _rows_from_values, (registration.label, pairs, postgres)
        return
    queryset = registration.queryset().order_by("pk")
    for batch in _batches(queryset.iterator(chunk_size=REBUILD_BATCH), REBUILD_BATCH):
        rows = []
        for instance in batch:
            produced = registration.documents(instance)
            if produced is None:
                continue
            for document in [produced] if isinstance(produced, Document) else produced:
                rows.append(
                    prepare(
                        registration, int(instance.pk), document, postgres=postgres, analysed=False
                    )
                )
        yield len(batch), _analysed, (rows, postgres)


def _run(jobs: Iterator[Job], *, workers: int) -> Iterator[tuple[int, list[PreparedRow]]]:
    """The jobs' rows in order: computed here, or by `workers` processes while this one reads
    the next batches and writes the previous ones."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for objects, function, arguments in jobs:
            yield objects, function(*arguments)
        return
    # Forked workers run pure functions of what they are sent: they never touch the database
    # connection they inherit. A few batches ahead at most, so that memory stays flat.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[tuple[int, Any]] = deque()
        for objects, function, arguments in jobs:
            pending.append((objects, pool.apply_async(function, arguments)))
            if len(pending) > workers:
                objects, result = pending.popleft()
                yield objects, result.get()
        while pending:
            objects, result = pending.popleft()
            yield objects, result.get()


def default_workers(total: int) -> int:
    """Processes worth starting to analyse `total` objects: one per processor for big rebuilds."""
    return (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1


def rebuild(
    *,
    progress: Callable[[int, int], None] | None = None,
    models_to_index: Iterable[type[models.Model]] | None = None,
    workers: int | None = None,
) -> int:
    """Rebuild the whole index in one transaction (readers keep the old index meanwhile);
    `progress(done, total)` is called after each batch. Returns the number of documents.

    The text of big rebuilds is analysed by `workers` processes (by default one per processor
    from PARALLEL_FROM objects on, else none)."""
    chosen = set(models_to_index) if models_to_index is not None else None
    todo = [r for r in registrations() if chosen is None or r.model in chosen]
    total = sum(r.queryset().count() for r in todo)
    if workers is None:
        workers = default_workers(total)
    postgres = connection.vendor == "postgresql"
    done = documents = 0
    store = backend()
    with transaction.atomic():
        if chosen is None:
            store.clear()
        else:
            for registration in todo:
                store.delete_model(registration.label)
        store.start_rebuild()
        next_id = _next_id()
        for registration in todo:
            jobs = _jobs(registration, postgres=postgres)
            for objects, rows in _run(jobs, workers=workers):
                ids = list(range(next_id, next_id + len(rows)))
                next_id += len(rows)
                store.insert(rows, ids=ids)
                documents += len(rows)
                done += objects
                if progress is not None:
                    progress(done, total)
        store.finish_rebuild()
    _reset_sequence()
    logger.info("Search index rebuilt: %s documents for %s objects", documents, done)
    return documents


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM core_searchdocument")
        return int(cursor.fetchone()[0])


def _reset_sequence() -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    from maillage.core.search.models import SearchDocument

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [SearchDocument]):
            cursor.execute(statement)


def prune() -> int:
    """Drop the documents of objects that no longer exist; returns how many objects."""
    from maillage.core.search.models import SearchDocument

    pruned = 0
    store = backend()
    for registration in registrations():
        existing = registration.model._default_manager.values("pk")
        missing = list(
            SearchDocument.objects.filter(model=registration.label)
            .exclude(object_id__in=existing)
            .values_list("object_id", flat=True)
            .distinct()
        )
        if missing:
            with transaction.atomic():
                store.delete(registration.label, missing)
            pruned += len(missing)
    return pruned
