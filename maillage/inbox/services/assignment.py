"""Who has a question: routing as it enters the inbox (the voice it was asked to when they are
in, else the clear best by expertise and past answers, else a short list for triage), giving
out and passing on in one click (a hop), closing, spam, and who hears about it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.db import lock_for_update
from maillage.core.models import Tag
from maillage.inbox import permissions, routing
from maillage.inbox.deadlines import settings_or_default
from maillage.inbox.models import (
    Absence,
    Assignment,
    AssignmentKind,
    Question,
    QuestionState,
    Routing,
)
from maillage.inbox.services import InboxError, InvalidTransition, NotAllowed
from maillage.voices.models import Space, Voice

# How many answered questions of each voice routing reads (the most recent).
HISTORY_PER_VOICE = 200

ROUTING_OF_KIND: dict[str, str] = {
    AssignmentKind.ROUTING: Routing.DIRECT,
    AssignmentKind.ADDRESSED: Routing.ADDRESSED,
    AssignmentKind.TRIAGE: Routing.TRIAGE,
    AssignmentKind.REASSIGN: Routing.TRIAGE,
}


def absent_voice_ids(space: Space, on: date) -> set[int]:
    return set(
        Absence.objects.filter(voice__space=space, starts_on__lte=on, ends_on__gte=on).values_list(
            "voice_id", flat=True
        )
    )


def candidates(space: Space, *, on: date, exclude: Collection[int] = ()) -> list[routing.Candidate]:
    """The space's voices who are in on `on`, with their expertise and what they answered."""
    away = absent_voice_ids(space, on) | set(exclude)
    voices = list(space.voices.exclude(pk__in=away).prefetch_related("expertise").order_by("pk"))
    answered: dict[int, list[str]] = defaultdict(list)
    rows = (
        Question.objects.filter(
            space=space,
            assignee__in=voices,
            state__in=(QuestionState.ANSWERED, QuestionState.CLOSED),
            first_answered_at__isnull=False,
        )
        .order_by("-first_answered_at")
        .values_list("assignee_id", "subject", "body")
    )
    for voice_id, subject, body in rows:
        if len(answered[voice_id]) < HISTORY_PER_VOICE:
            answered[voice_id].append(f"{subject}\n{body}")
    return [
        routing.Candidate(
            voice_id=voice.pk,
            expertise=tuple(tag.name for tag in voice.expertise.all()),
            answered=tuple(answered[voice.pk]),
        )
        for voice in voices
    ]


def route(question: Question, *, on: date | None = None) -> routing.Proposal | None:
    """Assign the question (its addressee when in, else the clear best) or leave it to triage
    with a short list. Inside the caller's transaction."""
    space = question.space
    on = on or timezone.localdate()
    available = candidates(space, on=on)
    available_ids = {candidate.voice_id for candidate in available}
    proposal = routing.propose(f"{question.subject}\n{question.body}", available)
    question.scores = [score.as_json() for score in proposal.scores if score.score > 0][:10]
    question.shortlist = proposal.shortlist
    if question.addressed_to_id is not None and question.addressed_to_id in available_ids:
        voice = Voice.objects.get(pk=question.addressed_to_id)
        question.save(update_fields=["scores", "shortlist"])
        _assign(question, voice=voice, kind=AssignmentKind.ADDRESSED, by=None)
        return proposal
    if proposal.winner is not None:
        voice = Voice.objects.get(pk=proposal.winner)
        question.save(update_fields=["scores", "shortlist"])
        _assign(question, voice=voice, kind=AssignmentKind.ROUTING, by=None)
        return proposal
    question.save(update_fields=["scores", "shortlist"])
    _notify_triage(question)
    return proposal


def _topic_for(question: Question, voice: Voice) -> Tag | None:
    """The expertise tag of `voice` the question matched best, as its subject for the figures."""
    for score in question.scores:
        if score.get("voice") == voice.pk and score.get("tags"):
            name = score["tags"][0]
            return next((tag for tag in voice.expertise.all() if tag.name == name), None)
    return None


def _assign(question: Question, *, voice: Voice, kind: str, by: Any, note: str = "") -> None:
    is_hop = question.assignee_id is not None and question.assignee_id != voice.pk
    if is_hop:
        question.hops += 1
    question.assignee = voice
    if question.state == QuestionState.NEW:
        question.state = QuestionState.ASSIGNED
    if not question.routing:
        question.routing = ROUTING_OF_KIND.get(kind, Routing.TRIAGE)
    topic = _topic_for(question, voice)
    if topic is not None or question.topic_id is None:
        question.topic = topic
    question.save(update_fields=["hops", "assignee", "state", "routing", "topic"])
    Assignment.objects.create(
        question=question, voice=voice, kind=kind, by=by, is_hop=is_hop, note=note[:300]
    )
    _notify_assignee(question)


def assign(*, question: Question, voice: Voice, by: Any, note: str = "") -> Question:
    """Give a question to a voice in one click: triage gives out a new one; passing on an
    assigned one counts a hop."""
    if not permissions.can_pass_on(question, by):
        raise NotAllowed()
    if voice.space_id != question.space_id:
        raise InboxError(_("This voice is not of this institution."))
    with transaction.atomic():
        locked = lock_for_update(Question.objects.filter(pk=question.pk)).get()
        if locked.state not in (QuestionState.NEW, QuestionState.ASSIGNED):
            raise InvalidTransition(_("Only a question waiting for an answer can be given out."))
        if locked.assignee_id == voice.pk:
            return locked
        kind = AssignmentKind.REASSIGN if locked.assignee_id else AssignmentKind.TRIAGE
        _assign(locked, voice=voice, kind=kind, by=by, note=note)
    return locked


def release(*, question: Question, by: Any, note: str = "") -> Question:
    """ "Not for me": the assignee hands the question back to triage (a hop)."""
    if not permissions.can_pass_on(question, by):
        raise NotAllowed()
    with transaction.atomic():
        locked = lock_for_update(Question.objects.filter(pk=question.pk)).get()
        if locked.state != QuestionState.ASSIGNED:
            raise InvalidTransition()
        locked.hops += 1
        locked.assignee = None
        locked.state = QuestionState.NEW
        locked.save(update_fields=["hops", "assignee", "state"])
        Assignment.objects.create(
            question=locked, voice=None, kind=AssignmentKind.RELEASE, by=by, is_hop=True, note=note
        )
        _notify_triage(locked)
    return locked


def mark_spam(*, question: Question, by: Any) -> Question:
    if not permissions.can_triage(question.space, by):
        raise NotAllowed()
    with transaction.atomic():
        locked = lock_for_update(Question.objects.filter(pk=question.pk)).get()
        if locked.state in (QuestionState.ANSWERED, QuestionState.CLOSED):
            raise InvalidTransition(_("An answered question is not spam."))
        locked.state = QuestionState.SPAM
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
    return locked


def close(*, question: Question, by: Any) -> Question:
    """Close a question: answered, or needing no answer (a thank-you, a duplicate)."""
    if not (permissions.can_triage(question.space, by) or permissions.is_assignee(question, by)):
        raise NotAllowed()
    with transaction.atomic():
        locked = lock_for_update(Question.objects.filter(pk=question.pk)).get()
        if locked.state not in (QuestionState.NEW, QuestionState.ASSIGNED, QuestionState.ANSWERED):
            raise InvalidTransition()
        locked.state = QuestionState.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["state", "closed_at"])
    return locked


def reopen(*, question: Question, by: Any) -> Question:
    """Back to the inbox (closed by mistake, or spam that was not)."""
    if not permissions.can_triage(question.space, by):
        raise NotAllowed()
    with transaction.atomic():
        locked = lock_for_update(Question.objects.filter(pk=question.pk)).get()
        if locked.state not in (QuestionState.CLOSED, QuestionState.SPAM):
            raise InvalidTransition()
        if locked.first_answered_at is not None:
            locked.state = QuestionState.ANSWERED
        else:
            locked.state = QuestionState.ASSIGNED if locked.assignee_id else QuestionState.NEW
        locked.closed_at = None
        locked.save(update_fields=["state", "closed_at"])
    return locked


# --- Who hears about it ------------------------------------------------------------------------


def _notify_assignee(question: Question) -> None:
    from maillage.inbox import tasks

    question_id, voice_id = question.pk, question.assignee_id
    transaction.on_commit(lambda: tasks.notify_assignee(question_id, voice_id))


def _notify_triage(question: Question) -> None:
    from maillage.inbox import tasks

    question_id = question.pk
    transaction.on_commit(lambda: tasks.notify_triage(question_id))


def triagers(space: Space) -> list[Any]:
    role = settings_or_default(space).triage_role
    return [
        membership.user
        for membership in space.memberships.filter(Q(role="admin") | Q(role=role))
        .select_related("user")
        .order_by("role", "user__display_name")
        if membership.user.is_active and membership.user.email
    ]


# --- Out of the office ---------------------------------------------------------------------------


def _may_set_absence(voice: Voice, by: Any) -> bool:
    own = permissions.own_voice(voice.space, by)
    return permissions.can_manage(voice.space, by) or (own is not None and own.pk == voice.pk)


def declare_absence(
    *, voice: Voice, starts_on: date, ends_on: date, note: str = "", by: Any
) -> Absence:
    """A voice (or an administrator for them) says they are away: routing skips them."""
    if not _may_set_absence(voice, by):
        raise NotAllowed()
    if ends_on < starts_on:
        raise InboxError(_("The absence must end on or after its first day."))
    return Absence.objects.create(
        voice=voice, starts_on=starts_on, ends_on=ends_on, note=note.strip()[:200]
    )


def remove_absence(*, absence: Absence, by: Any) -> None:
    if not _may_set_absence(absence.voice, by):
        raise NotAllowed()
    absence.delete()
