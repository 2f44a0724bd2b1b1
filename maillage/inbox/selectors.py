"""Reading questions: the inbox of a space (inside only), one question with its history and
answers, the published questions and answers (anyone), the answers waiting for a reviewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from maillage.core.review import ReviewRecord, describe_decision
from maillage.inbox import permissions
from maillage.inbox.models import (
    Absence,
    Answer,
    AnswerKind,
    AnswerState,
    Assignment,
    Question,
    QuestionState,
)
from maillage.voices.models import Space, Voice

PAGE_SIZE = 25

# The inbox's tabs: (code in the address, states shown).
FILTERS: dict[str, tuple[str, ...]] = {
    "a-trier": (QuestionState.NEW,),
    "en-cours": (QuestionState.NEW, QuestionState.ASSIGNED),
    "repondues": (QuestionState.ANSWERED,),
    "closes": (QuestionState.CLOSED,),
    "spam": (QuestionState.SPAM,),
}
DEFAULT_FILTER = "en-cours"


def _question_list(queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.select_related("assignee__user", "topic", "space__institution")


def inbox(
    space: Space, user: Any, *, shown: str = DEFAULT_FILTER, mine: bool = False
) -> QuerySet[Question]:
    """The space's questions for its members (never anyone else): late first, then by deadline."""
    if not permissions.is_member(space, user):
        return Question.objects.none()
    states = FILTERS.get(shown, FILTERS[DEFAULT_FILTER])
    questions = Question.objects.filter(space=space, state__in=states)
    if mine:
        voice = permissions.own_voice(space, user)
        questions = questions.filter(assignee=voice) if voice else questions.none()
    if shown in ("a-trier", "en-cours"):
        return _question_list(questions).order_by("deadline", "pk")
    return _question_list(questions).order_by("-received_at", "-pk")


TAB_LABELS = {
    "en-cours": pgettext_lazy("questions", "Waiting for an answer"),
    "a-trier": pgettext_lazy("questions", "To triage"),
    "repondues": pgettext_lazy("questions", "Answered"),
    "closes": pgettext_lazy("questions", "Closed"),
    "spam": pgettext_lazy("questions", "Spam"),
}


@dataclass(frozen=True)
class Tab:
    code: str
    label: str
    count: int


def tabs(space: Space, *, with_spam: bool) -> list[Tab]:
    """The inbox's tabs with how many questions each holds (one query)."""
    rows = (
        Question.objects.filter(space=space)
        .received()
        .values("state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_state = {row["state"]: row["count"] for row in rows}
    return [
        Tab(code=code, label=str(label), count=sum(by_state.get(s, 0) for s in FILTERS[code]))
        for code, label in TAB_LABELS.items()
        if with_spam or code != "spam"
    ]


def question_for_member(space: Space, user: Any, pk: int) -> Question | None:
    if not permissions.is_member(space, user):
        return None
    return (
        Question.objects.filter(space=space, pk=pk)
        .received()
        .select_related(
            "assignee__user",
            "addressed_to__user",
            "topic",
            "space__institution",
            "source_channel",
            "follow_up_of",
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("voice__user", "by").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("voice__user", "author").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .first()
    )


def voices_for(space: Space) -> list[Voice]:
    return list(space.voices.select_related("user").order_by("user__display_name"))


def absent_ids(space: Space) -> set[int]:
    today = timezone.localdate()
    return set(
        Absence.objects.filter(
            voice__space=space, starts_on__lte=today, ends_on__gte=today
        ).values_list("voice_id", flat=True)
    )


def absences(space: Space) -> QuerySet[Absence]:
    today = timezone.localdate()
    return (
        Absence.objects.filter(voice__space=space, ends_on__gte=today)
        .select_related("voice__user")
        .order_by("starts_on", "pk")
    )


# --- What anyone sees ------------------------------------------------------------------------


def public_questions(space: Space, *, voice: Voice | None = None) -> QuerySet[Question]:
    """Published questions and answers: the asker consented and a public answer went out."""
    questions = Question.objects.public_qa().filter(space=space)
    if voice is not None:
        questions = questions.filter(
            answers__voice=voice, answers__kind=AnswerKind.PUBLIC, answers__state=AnswerState.SENT
        ).distinct()
    return (
        questions.select_related("topic", "space__institution")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(kind=AnswerKind.PUBLIC, state=AnswerState.SENT)
                .select_related("voice__user", "voice__space")
                .order_by("sent_at", "pk"),
                to_attr="public_answers",
            )
        )
        .order_by("-published_at", "-pk")
    )


def public_question(space: Space, pk: int) -> Question | None:
    return public_questions(space).filter(pk=pk).first()


# --- Answers waiting for a reviewer -------------------------------------------------------------


@dataclass
class HeldAnswer:
    record: ReviewRecord
    answer: Answer

    @property
    def decision_text(self) -> str:
        return describe_decision(self.record.action, self.record.reasons)


def answers_to_review(space: Space) -> list[HeldAnswer]:
    content_type = ContentType.objects.get_for_model(Answer)
    records = list(
        ReviewRecord.objects.open()
        .filter(
            content_type=content_type,
            object_id__in=Answer.objects.filter(question__space=space).values("pk"),
        )
        .order_by("state", "created_at", "id")
    )
    answers = {
        answer.pk: answer
        for answer in Answer.objects.filter(pk__in=[r.object_id for r in records]).select_related(
            "question", "voice__user", "author"
        )
    }
    return [
        HeldAnswer(record=record, answer=answers[record.object_id])
        for record in records
        if record.object_id in answers
    ]


def review_record_for(answer: Answer) -> ReviewRecord | None:
    return ReviewRecord.objects.for_content(answer).order_by("-created_at", "-id").first()
