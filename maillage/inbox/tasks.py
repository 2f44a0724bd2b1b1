"""Background jobs of the inbox: emails, sending answers, deadlines, reading network channels.
Each takes ids, re-reads its rows and is idempotent."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.inbox import notifications
from maillage.inbox.models import Question, QuestionState
from maillage.inbox.services import answers, assignment, reminders
from maillage.inbox.services import questions as question_services


def _question(question_id: int) -> Question | None:
    return (
        Question.objects.select_related("space__institution", "assignee__user")
        .filter(pk=question_id)
        .first()
    )


@db_task(retries=3, retry_delay=60)
def send_confirmation(question_id: int, language: str) -> None:
    question = _question(question_id)
    if question is None or question.state != QuestionState.UNCONFIRMED:
        return
    with translation.override(language):
        notifications.send_confirmation(
            question=question, url=question_services.confirmation_url(question)
        )


@db_task(retries=3, retry_delay=60)
def notify_assignee(question_id: int, voice_id: int | None) -> None:
    question = _question(question_id)
    # Passed on again meanwhile, or answered: the other voice hears about it instead.
    if question is None or question.assignee_id != voice_id or not question.is_open:
        return
    assert question.assignee is not None
    user = question.assignee.user
    if not user.email or not user.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notifications.send_to_staff(
            question=question, to=user.email, name=user.display_name, template="assigned"
        )


@db_task(retries=3, retry_delay=60)
def notify_triage(question_id: int) -> None:
    question = _question(question_id)
    if question is None or question.state != QuestionState.NEW:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for user in assignment.triagers(question.space):
            notifications.send_to_staff(
                question=question, to=user.email, name=user.display_name, template="triage"
            )


@db_task(retries=3, retry_delay=60)
def send_reminder(question_id: int) -> None:
    question = _question(question_id)
    if question is None or not question.is_open:
        return
    if question.assignee is not None and question.assignee.user.email:
        people = [question.assignee.user]
    else:
        people = assignment.triagers(question.space)
    with translation.override(settings.LANGUAGE_CODE):
        for user in people:
            notifications.send_to_staff(
                question=question, to=user.email, name=user.display_name, template="reminder"
            )


@db_task(retries=3, retry_delay=60)
def send_escalation(question_id: int) -> None:
    question = _question(question_id)
    if question is None or not question.is_open or question.escalated_at is None:
        return
    people = {user.pk: user for user in assignment.triagers(question.space)}
    if question.assignee is not None and question.assignee.user.email:
        people.setdefault(question.assignee.user.pk, question.assignee.user)
    with translation.override(settings.LANGUAGE_CODE):
        for user in people.values():
            notifications.send_to_staff(
                question=question, to=user.email, name=user.display_name, template="escalation"
            )


@db_task(retries=answers.MAX_ATTEMPTS, retry_delay=120)
def deliver_answer(answer_id: int) -> None:
    answers.deliver(answer_id=answer_id)


@db_periodic_task(crontab(minute="*/5"))
def handle_deadlines() -> None:
    reminders.handle_deadlines()


@db_periodic_task(crontab(minute="*/10"))
def read_channels() -> None:
    from maillage.inbox.services import networks

    for channel_id in networks.channels_to_read():
        networks.read_mentions(channel_id=channel_id)
