"""Keeping the index up to date: one instance at a time (from the services, in their
transaction), or everything at once (`maillage search reindex`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
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


def day_number(moment: datetime | date) -> int:
    if isinstance(moment, datetime):
        moment = (moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)).astimezone(
            UTC
        )
        moment = moment.date()
    return (moment - EPOCH).days


def prepare(registration: Registration, object_id: int, document: Document) -> PreparedRow:
    """The row for one document: its columns and its analysed text for either backend."""
    body = document.body[:MAX_INDEXED_CHARACTERS]
    tags = [name for name in document.tags if name]
    facets = sorted({tag_facet(slug) for slug in map(tag_slug, tags) if slug})
    facets += sorted({member_facet(member) for member in document.members if member})
    postgres = connection.vendor == "postgresql"
    analyse = analysis.words if postgres else analysis.terms
    tags_text = " ".join(tags)
    return PreparedRow(
        values={
            "model": registration.label,
            "object_id": object_id,
            "variant": document.variant,
            "kind": registration.kind,
            "audience": document.audience,
            "owner_id": document.owner_id,
            "date": document.date,
            "day": day_number(document.date),
            "visible_from": document.visible_from,
            "title": document.title,
            "subject": document.subject,
            "byline": document.byline[:300],
            "body": body[:MAX_SHOWN_CHARACTERS],
            "tags": tags,
            "language": document.language,
            "url": document.url,
        },
        title=" ".join(analyse(document.title)),
        tags=" ".join(analyse(tags_text)),
        body=" ".join(analyse(body)),
        facets=facets,
    )


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
        for batch in _batches(registration.queryset().filter(pk__in=wanted), REBUILD_BATCH):
            rows = [row for instance in batch for row in _rows_for(registration, instance)]
            if rows:
                store.insert(rows)
        for instance in model._default_manager.filter(pk__in=wanted):
            for dependent in dependents_of(instance):
                index(dependent)


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


def rebuild(
    *,
    progress: Callable[[int, int], None] | None = None,
    models_to_index: Iterable[type[models.Model]] | None = None,
) -> int:
    """Rebuild the whole index in one transaction (readers keep the old index meanwhile);
    `progress(done, total)` is called after each batch. Returns the number of documents."""
    chosen = set(models_to_index) if models_to_index is not None else None
    todo = [r for r in registrations() if chosen is None or r.model in chosen]
    total = sum(r.queryset().count() for r in todo)
    done = documents = 0
    store = backend()
    with transaction.atomic():
        if chosen is None:
            store.clear()
        else:
            for registration in todo:
                store.delete_model(registration.label)
        next_id = _next_id()
        for registration in todo:
            queryset = registration.queryset().order_by("pk")
            for batch in _batches(queryset.iterator(chunk_size=REBUILD_BATCH), REBUILD_BATCH):
                rows = [row for instance in batch for row in _rows_for(registration, instance)]
                ids = list(range(next_id, next_id + len(rows)))
                next_id += len(rows)
                store.insert(rows, ids=ids)
                documents += len(rows)
                done += len(batch)
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
