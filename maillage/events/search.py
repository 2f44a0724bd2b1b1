"""What the search index holds of events (core.search): announced events as their visibility
says, drafts for their creator only."""

from __future__ import annotations

from django.db.models import QuerySet

from maillage.core import search
from maillage.events.models import Event, EventStatus


def event_documents(event: Event) -> search.Document | None:
    audience = event.visibility
    if event.status == EventStatus.DRAFT:
        if event.created_by_id is None:
            return None
        audience = search.Audience.PRIVATE
    facilitators = list(event.facilitators.all())
    names = [person.display_name for person in facilitators]
    if event.outside_facilitators:
        names.append(event.outside_facilitators)
    return search.Document(
        title=event.title,
        body="\n".join(
            part
            for part in (event.summary, search.plain_text(event.description), event.place_name)
            if part
        ),
        tags=[tag.name for tag in event.tags.all()],
        audience=audience,
        owner_id=event.created_by_id,
        members=[person.pk for person in facilitators]
        + [person.pk for person in event.organisers.all()]
        + ([event.created_by_id] if event.created_by_id else []),
        date=event.starts_at,
        url=event.get_absolute_url(),
        byline=", ".join(names),
    )


def indexed_events() -> QuerySet[Event]:
    return Event.objects.prefetch_related("tags", "facilitators", "organisers")


search.register(Event, kind=search.Kind.EVENT, documents=event_documents, queryset=indexed_events)
