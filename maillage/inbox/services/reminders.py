"""Before the deadline, a word to whoever holds the question; after it, the administrators and
triage hear about it. Each happens once per question, however often the task runs: the row is
marked by a conditional update before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from maillage.inbox.models import OPEN_STATES, Question


@dataclass(frozen=True)
class Round:
    reminded: list[int]
    escalated: list[int]


def remind(*, question_id: int, now: datetime) -> bool:
    marked = Question.objects.filter(
        pk=question_id,
        state__in=OPEN_STATES,
        reminded_at__isnull=True,
        reminder_at__lte=now,
        deadline__gt=now,
    ).update(reminded_at=now)
    if not marked:
        return False
    from maillage.inbox import tasks

    transaction.on_commit(lambda: tasks.send_reminder(question_id))
    return True


def escalate(*, question_id: int, now: datetime) -> bool:
    marked = Question.objects.filter(
        pk=question_id, state__in=OPEN_STATES, escalated_at__isnull=True, deadline__lte=now
    ).update(escalated_at=now)
    if not marked:
        return False
    from maillage.inbox import tasks

    transaction.on_commit(lambda: tasks.send_escalation(question_id))
    return True


def handle_deadlines(*, now: datetime | None = None) -> Round:
    """Remind before the deadline and escalate after it, for every open question due."""
    now = now or timezone.now()
    open_questions = Question.objects.filter(state__in=OPEN_STATES)
    reminded = []
    for question_id in open_questions.filter(
        reminded_at__isnull=True, reminder_at__lte=now, deadline__gt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if remind(question_id=question_id, now=now):
                reminded.append(question_id)
    escalated = []
    for question_id in open_questions.filter(
        escalated_at__isnull=True, deadline__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if escalate(question_id=question_id, now=now):
                escalated.append(question_id)
    return Round(reminded=reminded, escalated=escalated)
