"""What the search index holds of objections (core.search): published objections that no
coordinator hid, with the text of their published answers — never a held proposal. Members-only
answers are found by members alone: then people not logged in have their own document."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Prefetch, QuerySet

from maillage.core import search
from maillage.core.visibility import Visibility
from maillage.onboarding.models import Answer, Objection, ProposalState


def _document(objection: Objection, answers: list[Answer], audience: str) -> search.Document:
    authors = [objection.proposed_by_id, *(answer.author_id for answer in answers)]
    return search.Document(
        title=objection.title,
        body="\n".join(
            part
            for part in (
                search.plain_text(objection.explanation),
                *("\n".join((answer.title, search.plain_text(answer.body))) for answer in answers),
            )
            if part
        ),
        language="fr",
        audience=audience,
        members=sorted({pk for pk in authors if pk}),
        date=objection.published_at or objection.created_at,
        url=objection.get_absolute_url(),
    )


def objection_documents(objection: Objection) -> list[search.Document] | None:
    if objection.state != ProposalState.PUBLISHED or objection.hidden:
        return None
    shown = [
        answer
        for answer in objection.answers.all()
        if answer.state == ProposalState.PUBLISHED and not answer.hidden
    ]
    public = [answer for answer in shown if answer.visibility == Visibility.PUBLIC]
    if len(public) == len(shown):
        return [_document(objection, shown, search.Audience.PUBLIC)]
    # Some answers are for members: people not logged in find the objection by the others only.
    return [
        replace(
            _document(objection, public, search.Audience.ANONYMOUS),
            variant="public",
        ),
        replace(_document(objection, shown, search.Audience.MEMBERS), variant="members"),
    ]


def indexed_objections() -> QuerySet[Objection]:
    return Objection.objects.prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("-featured", "created_at", "pk"))
    )


search.register(
    Objection,
    kind=search.Kind.OBJECTION,
    documents=objection_documents,
    queryset=indexed_objections,
)


def index_objection(objection: Objection) -> None:
    """Index the objection as it is now in the database (its answers read afresh)."""
    fresh = indexed_objections().filter(pk=objection.pk).first()
    if fresh is not None:
        search.index(fresh)
