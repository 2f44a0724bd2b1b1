"""Queries that read the first steps, always on behalf of a viewer.

Who sees what: a published objection or answer that no coordinator hid is read by everyone (an
answer for members only, by members); a held proposal by its author and the coordinators; a
hidden one by the coordinators, marked. Lists prefetch what they show, so that a page costs the
same few queries however many rows it holds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from maillage.core.visibility import levels_visible_to
from maillage.events.models import Event, EventKind, EventStatus
from maillage.onboarding.models import (
    Answer,
    AnswerKind,
    FirstStep,
    HelpfulVote,
    Objection,
    Path,
    PathStep,
    Practice,
    PracticeStep,
    ProposalState,
    StepFeed,
)

# Answers a card of the catalogue quotes.
CARD_ANSWER_COUNT = 1


def is_member(viewer: Any) -> bool:
    return bool(
        viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active
    )


def is_coordinator(viewer: Any) -> bool:
    return is_member(viewer) and bool(getattr(viewer, "is_coordinator", False))


# --- Objections ---------------------------------------------------------------------------------


def _published(prefix: str = "") -> Q:
    return Q(**{f"{prefix}state": ProposalState.PUBLISHED, f"{prefix}hidden": False})


def visible_objections(viewer: Any) -> QuerySet[Objection]:
    """Every objection the viewer may open: published and shown; their own held proposals;
    everything for coordinators."""
    objections = Objection.objects.all()
    if is_coordinator(viewer):
        return objections
    readable = _published()
    if is_member(viewer):
        readable |= Q(proposed_by=viewer.pk, state=ProposalState.HELD)
    return objections.filter(readable)


def can_see_objection(viewer: Any, objection: Objection) -> bool:
    if is_coordinator(viewer):
        return True
    if objection.is_published and not objection.hidden:
        return True
    return (
        is_member(viewer)
        and objection.proposed_by_id == viewer.pk
        and objection.state == ProposalState.HELD
    )


def _answers_q(viewer: Any) -> Q:
    """Answers the viewer may read (the objection's own visibility is checked apart)."""
    if is_coordinator(viewer):
        return Q(state__in=[ProposalState.PUBLISHED, ProposalState.HELD])
    readable = _published() & Q(visibility__in=levels_visible_to(viewer))
    if is_member(viewer):
        readable |= Q(author=viewer.pk, state=ProposalState.HELD)
    return readable


def _with_votes(answers: QuerySet[Answer], viewer: Any) -> QuerySet[Answer]:
    """Each answer with its "it helped me" count and whether the viewer gave one; the best
    rise: featured first, then the most helpful, then the oldest."""
    voted: Any = Value(False, output_field=BooleanField())
    if is_member(viewer):
        voted = Exists(HelpfulVote.objects.filter(answer=OuterRef("pk"), member=viewer.pk))
    return (
        answers.select_related("author")
        .annotate(helpful_count=Count("votes", distinct=True), voted=voted)
        .order_by("-featured", "-helpful_count", "created_at", "pk")
    )


def readable_answers(viewer: Any) -> QuerySet[Answer]:
    return _with_votes(Answer.objects.filter(_answers_q(viewer)), viewer)


def listed_objections(viewer: Any) -> QuerySet[Objection]:
    """The catalogue: published objections (hidden ones too for coordinators, marked), each
    with the answers the viewer may read, best first (`shown_answers`)."""
    objections = Objection.objects.filter(state=ProposalState.PUBLISHED)
    if not is_coordinator(viewer):
        objections = objections.filter(hidden=False)
    return objections.order_by("-featured", "position", "pk").prefetch_related(
        Prefetch("answers", queryset=readable_answers(viewer), to_attr="shown_answers")
    )


def proposals_of(viewer: Any) -> QuerySet[Objection]:
    """The viewer's own objections waiting for a coordinator."""
    if not is_member(viewer):
        return Objection.objects.none()
    return Objection.objects.filter(proposed_by=viewer.pk, state=ProposalState.HELD).order_by(
        "-created_at"
    )


def objection_for(viewer: Any, slug: str) -> Objection | None:
    return visible_objections(viewer).select_related("proposed_by").filter(slug=slug).first()


def answers_for(viewer: Any, objection: Objection) -> list[Answer]:
    answers = list(readable_answers(viewer).filter(objection=objection))
    for answer in answers:
        # Their addresses are the objection's: no query per answer to read it again.
        answer.objection = objection
    return answers


def split_answers(answers: list[Answer]) -> tuple[list[Answer], list[Answer]]:
    """(answers, testimonies), each in the order they came."""
    return (
        [answer for answer in answers if answer.kind == AnswerKind.ANSWER],
        [answer for answer in answers if answer.kind == AnswerKind.TESTIMONY],
    )


def answer_for(viewer: Any, pk: int) -> Answer | None:
    """An answer the viewer may read, on an objection they may see."""
    answer = (
        readable_answers(viewer).select_related("objection", "objection__proposed_by").filter(pk=pk)
    ).first()
    if answer is None or not can_see_objection(viewer, answer.objection):
        return None
    return answer


def further_reading(viewer: Any, objection: Objection) -> dict[str, list[Any]]:
    """The showcase projects, articles and events linked to the objection that the viewer may
    see, through each app's own selectors."""
    from maillage.articles.selectors import listed_articles
    from maillage.events.selectors import visible_events
    from maillage.showcase.selectors import listed_projects

    return {
        "projects": list(
            listed_projects(viewer)
            .filter(objections=objection)
            .select_related("institution")
            .order_by("name")
        ),
        "articles": list(
            listed_articles(viewer).filter(objections=objection).order_by("-published_at")
        ),
        "events": list(
            visible_events(viewer)
            .exclude(status=EventStatus.DRAFT)
            .filter(objections=objection)
            .order_by("-starts_at")
        ),
    }


# --- Practices and first steps ------------------------------------------------------------------


def _step_links() -> Prefetch[Any]:
    return Prefetch(
        "step_links",
        queryset=PracticeStep.objects.select_related("step").order_by("position", "pk"),
    )


def offered_practices() -> QuerySet[Practice]:
    """The practices the questionnaire offers, with their tools and first steps."""
    return (
        Practice.objects.filter(active=True)
        .order_by("position", "pk")
        .prefetch_related("tools", _step_links())
    )


def published_objections() -> QuerySet[Objection]:
    """The published objections no coordinator hid, in the catalogue's order: what everyone
    reads, and what a showcase project may say it answered."""
    return Objection.objects.filter(_published()).order_by("-featured", "position", "pk")


def questionnaire_objections() -> QuerySet[Objection]:
    """The objections a visitor may say they feel: the published, shown ones."""
    return published_objections()


def steps_for_everyone() -> QuerySet[FirstStep]:
    return FirstStep.objects.filter(for_everyone=True).order_by("position", "pk")


def step_for(slug: str) -> FirstStep | None:
    return (
        FirstStep.objects.prefetch_related(
            Prefetch("feeds", queryset=StepFeed.objects.order_by("position", "pk")),
            Prefetch("practices", queryset=Practice.objects.filter(active=True)),
        )
        .filter(slug=slug)
        .first()
    )


def next_training(viewer: Any, now: Any = None) -> Event | None:
    """The next announced training the viewer may see and register for."""
    from maillage.events.selectors import visible_events

    return (
        visible_events(viewer)
        .filter(
            kind=EventKind.TRAINING,
            status=EventStatus.PUBLISHED,
            starts_at__gte=now or timezone.now(),
        )
        .order_by("starts_at", "pk")
        .first()
    )


# --- Paths --------------------------------------------------------------------------------------


def path_by_token(token: str) -> Path | None:
    if not token:
        return None
    return (
        Path.objects.select_related("owner")
        .prefetch_related(
            Prefetch(
                "path_steps",
                queryset=PathStep.objects.select_related("step", "objection")
                .prefetch_related(
                    Prefetch("step__feeds", queryset=StepFeed.objects.order_by("position", "pk"))
                )
                .order_by("position", "pk"),
            )
        )
        .filter(token=token)
        .first()
    )


def path_of(viewer: Any) -> Path | None:
    if not is_member(viewer):
        return None
    return Path.objects.filter(owner=viewer.pk).first()


def can_mark_steps(viewer: Any, path: Path, session_tokens: list[str]) -> bool:
    """The path's member marks its steps; a path taken without an account, the browser that
    took it (its token is in the session)."""
    if path.owner_id is not None:
        return is_member(viewer) and path.owner_id == viewer.pk
    return path.token in session_tokens


def can_keep_path(viewer: Any, path: Path, session_tokens: list[str]) -> bool:
    """A member may keep in their account a path they took before logging in."""
    return is_member(viewer) and path.owner_id is None and path.token in session_tokens


def visible_path_step(path: Path, pk: int) -> PathStep | None:
    return next((step for step in path.path_steps.all() if step.pk == pk), None)
