"""Answers: written by a voice, decided by the review policy (trusted voices answer directly),
then sent — privately by email, by email and published as a question and answer (with the
asker's consent), or as a reply where the question was asked (a network, a comment)."""

from __future__ import annotations

import logging
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.core.db import lock_for_update
from maillage.core.review import ReviewAction
from maillage.inbox import permissions, review
from maillage.inbox.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    AnswerKind,
    AnswerState,
    Question,
    QuestionChannel,
    QuestionState,
)
from maillage.inbox.search import index_question
from maillage.inbox.services import InboxError, NotAllowed

logger = logging.getLogger(__name__)

# An answer that keeps failing stops being retried after this many attempts.
MAX_ATTEMPTS = 5


class DeliveryFailed(Exception):
    """Sending failed this time; the task tries again later."""


def kinds_for(question: Question) -> list[str]:
    """How this question may be answered: email needs an address, publishing needs the asker's
    consent, a reply needs a place to reply to."""
    kinds: list[str] = []
    if question.asker_email:
        kinds.append(AnswerKind.EMAIL)
        if question.consent_public:
            kinds.append(AnswerKind.PUBLIC)
    if question.channel in (QuestionChannel.CONNECTOR, QuestionChannel.COMMENT) and (
        question.remote_id or question.comment_id
    ):
        kinds.append(AnswerKind.CHANNEL)
    return kinds


def write_answer(*, question: Question, user: Any, kind: str, body: str, rng: Any = None) -> Answer:
    """A voice answers. Within their expertise and trusted, it goes out at once; otherwise a
    reviewer of the space reads it first, and the voice sees why."""
    # As it is now: it may have been passed on since the page was read.
    question = Question.objects.select_related("space__institution", "topic").get(pk=question.pk)
    if not permissions.can_answer(question, user):
        raise NotAllowed(_("Only the voice this question was given to, or triage, answers it."))
    voice = permissions.own_voice(question.space, user)
    assert voice is not None
    body = body.strip()
    if not body:
        raise InboxError(_("Write the answer before sending it."))
    if len(body) > ANSWER_MAX_LENGTH:
        raise InboxError(
            _("An answer is at most %(count)s characters long.") % {"count": ANSWER_MAX_LENGTH}
        )
    if kind not in kinds_for(question):
        if kind == AnswerKind.PUBLIC:
            raise InboxError(_("The asker did not agree to publish their question."))
        raise InboxError(_("This question cannot be answered that way."))
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question, voice=voice, author=user, kind=kind, body=body
        )
        decision = review.decide(answer)
        answer.review_action = decision.action
        answer.review_reasons = list(decision.reasons)
        if decision.visible_now:
            answer.state = AnswerState.SENDING
        elif decision.action == ReviewAction.HOLD:
            answer.state = AnswerState.HELD
        else:
            answer.state = AnswerState.REJECTED
            answer.decided_at = timezone.now()
        answer.save(update_fields=["review_action", "review_reasons", "state", "decided_at"])
        review.record(answer=answer, decision=decision, rng=rng)
        if answer.state == AnswerState.SENDING:
            _queue_delivery(answer)
    return answer


def _queue_delivery(answer: Answer) -> None:
    from maillage.inbox import tasks

    answer_id = answer.pk
    transaction.on_commit(lambda: tasks.deliver_answer(answer_id))


def approve_answer(answer: Answer) -> None:
    """core.review's callback: a reviewer lets a held answer go out (a sampled one already did)."""
    with transaction.atomic():
        locked = lock_for_update(Answer.objects.filter(pk=answer.pk)).get()
        if locked.state in (AnswerState.HELD, AnswerState.REJECTED):
            locked.state = AnswerState.SENDING
            locked.decided_at = timezone.now()
            locked.save(update_fields=["state", "decided_at"])
            _queue_delivery(locked)


def reject_answer(answer: Answer, reason: str = "") -> None:
    """core.review's callback: the held answer does not go out; the voice reads why."""
    Answer.objects.filter(pk=answer.pk, state=AnswerState.HELD).update(
        state=AnswerState.REJECTED, decided_at=timezone.now(), decision_note=reason
    )


# --- Sending ---------------------------------------------------------------------------------


def deliver(*, answer_id: int) -> bool:
    """Send one answer the way it was written for; idempotent (an answer sent is never sent
    again). Raises DeliveryFailed when the channel failed this time (the task retries)."""
    answer = (
        Answer.objects.select_related(
            "question__space__institution", "question__source_channel", "voice__user", "author"
        )
        .filter(pk=answer_id)
        .first()
    )
    if answer is None or answer.state != AnswerState.SENDING:
        return False
    try:
        with translation.override(answer.question.language or settings.LANGUAGE_CODE):
            if answer.kind in (AnswerKind.EMAIL, AnswerKind.PUBLIC):
                _send_email(answer)
            else:
                _reply_on_channel(answer)
    except Exception as error:
        attempts = answer.attempts + 1
        failed = attempts >= MAX_ATTEMPTS or bool(getattr(error, "permanent", False))
        Answer.objects.filter(pk=answer.pk).update(
            attempts=attempts,
            error=str(error)[:2000],
            state=AnswerState.FAILED if failed else AnswerState.SENDING,
        )
        logger.warning("Answer %s not delivered (attempt %s): %s", answer.pk, attempts, error)
        if failed:
            return False
        raise DeliveryFailed(str(error)) from error
    _after_delivery(answer)
    return True


def _send_email(answer: Answer) -> None:
    from maillage.inbox import notifications

    message_id = answer.message_id or make_msgid(domain=notifications.mail_domain())
    if not answer.message_id:
        Answer.objects.filter(pk=answer.pk).update(message_id=message_id)
        answer.message_id = message_id
    notifications.send_answer(answer=answer)


def _reply_on_channel(answer: Answer) -> None:
    question = answer.question
    if question.comment_id is not None:
        from maillage.articles.comments.services import post_comment

        comment = question.comment
        assert comment is not None
        target = comment.target
        if target is None:
            raise InboxError(_("The comment is no longer there."))
        posted = post_comment(
            target=target, author=answer.author, body=answer.body, parent=comment.thread or comment
        )
        Answer.objects.filter(pk=answer.pk).update(
            remote_id=str(posted.pk), remote_url=posted.get_absolute_url()
        )
        return
    from maillage.inbox.channels import ReplyTarget, conversation_for

    channel = question.source_channel
    conversation = conversation_for(channel) if channel is not None else None
    if conversation is None:
        raise InboxError(_("This channel cannot take replies."))
    published = conversation.reply(
        mention=ReplyTarget(remote_id=question.remote_id, author_handle=question.asker_handle),
        text=answer.body,
        key=f"maillage-answer-{answer.pk}",
    )
    Answer.objects.filter(pk=answer.pk).update(
        remote_id=published.remote_id[:300], remote_url=published.remote_url[:500]
    )


def _after_delivery(answer: Answer) -> None:
    """The answer is out: the question is answered (its first response time is known), and a
    public answer publishes the question and answer on the institution's page."""
    now = timezone.now()
    with transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(state=AnswerState.SENT, sent_at=now, error="")
        question = lock_for_update(Question.objects.filter(pk=answer.question_id)).get()
        fields = []
        if question.first_answered_at is None:
            question.first_answered_at = now
            fields.append("first_answered_at")
        if question.state in (QuestionState.NEW, QuestionState.ASSIGNED):
            question.state = QuestionState.ANSWERED
            fields.append("state")
        if answer.kind == AnswerKind.PUBLIC and question.consent_public:
            question.published_at = question.published_at or now
            fields.append("published_at")
        if fields:
            question.save(update_fields=fields)
        index_question(question)


def unpublish(*, question: Question, by: Any) -> Question:
    """Take a question and answer off the institution's page (it stays in the inbox)."""
    if not permissions.can_triage(question.space, by):
        raise NotAllowed()
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(published_at=None)
        question.published_at = None
        index_question(question)
    return question


def public_answers(question: Question) -> list[Answer]:
    return list(
        question.answers.filter(kind=AnswerKind.PUBLIC, state=AnswerState.SENT)
        .select_related("voice__user", "voice__space")
        .order_by("sent_at", "pk")
    )
