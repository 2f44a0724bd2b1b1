"""Questions in: the form, email, networks and comments.

A form's question waits for its asker to open the link we email them; then, like a question by
email or from a network, it enters the inbox: its deadline is counted in working time and it is
routed (assignment.py). The asker's consent to publish may change later.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.core.confirmation import email_confirmation_token, read_confirmation_token
from maillage.core.db import lock_for_update
from maillage.core.ratelimit import RateLimit, too_many_attempts_message
from maillage.inbox.deadlines import deadlines_for, inbox_settings
from maillage.inbox.models import (
    BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Question,
    QuestionChannel,
    QuestionState,
)
from maillage.inbox.services import InboxError, TooManyQuestions, assignment
from maillage.voices.models import Space, Voice

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "maillage.inbox.question-confirmation"
_LEADING_MENTIONS = re.compile(r"^(?:@[\w.@-]+[\s,:]*)+")


def ask_limit() -> RateLimit:
    return RateLimit(
        "inbox-ask",
        getattr(settings, "INBOX_ASK_RATE_LIMIT", 5),
        getattr(settings, "INBOX_ASK_RATE_WINDOW", 60 * 60),
    )


def email_limit() -> RateLimit:
    """Questions by email from one sender: generous, but a loop or a robot stops here."""
    return RateLimit("inbox-email", getattr(settings, "INBOX_EMAIL_RATE_LIMIT", 20), 60 * 60)


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _clean_text(subject: str, body: str) -> tuple[str, str]:
    subject = " ".join(subject.split())[:SUBJECT_MAX_LENGTH]
    body = body.strip()[:BODY_MAX_LENGTH]
    if not body:
        raise InboxError(_("Write your question before sending it."))
    if not subject:
        subject = " ".join(body.split())[:80]
    return subject, body


# --- The form: a visitor asks, then confirms by email ------------------------------------------


def ask(
    *,
    space: Space,
    name: str,
    email: str,
    subject: str,
    body: str,
    consent_public: bool = False,
    voice: Voice | None = None,
    ip: str = "",
) -> Question:
    """A visitor's question from the form; it waits for the link we email them."""
    if not inbox_settings(space).accepts_questions:
        raise InboxError(_("This institution does not take questions here for now."))
    name = " ".join(name.split())[:120]
    email = email.strip().lower()
    if not name:
        raise InboxError(_("Give your name, so that we can address you."))
    try:
        validate_email(email)
    except ValidationError as error:
        raise InboxError(_("Enter a valid email address.")) from error
    subject, body = _clean_text(subject, body)
    if voice is not None and voice.space_id != space.pk:
        voice = None
    # Each question sends an email: a stranger may not flood an inbox with them.
    wait = ask_limit().attempt(ip=ip or "unknown", account=email)
    if wait:
        raise TooManyQuestions(too_many_attempts_message(wait))
    with transaction.atomic():
        question = Question.objects.create(
            space=space,
            channel=QuestionChannel.FORM,
            asker_name=name,
            asker_email=email,
            subject=subject,
            body=body,
            consent_public=consent_public,
            addressed_to=voice,
            state=QuestionState.UNCONFIRMED,
            language=_language(),
        )
        question_id, language = question.pk, question.language

        def send() -> None:
            from maillage.inbox import tasks

            tasks.send_confirmation(question_id, language)

        transaction.on_commit(send)
    logger.info("Question %s asked to space %s, waiting for confirmation", question.pk, space.pk)
    return question


def confirmation_token(question: Question) -> str:
    return email_confirmation_token(
        object_id=question.pk, email=question.asker_email, salt=CONFIRMATION_SALT
    )


def confirmation_url(question: Question) -> str:
    path = reverse("inbox:confirm", kwargs={"token": confirmation_token(question)})
    return f"{settings.SITE_URL}{path}"


def question_for_token(token: str) -> Question | None:
    try:
        confirmed = read_confirmation_token(token, salt=CONFIRMATION_SALT)
    except signing.BadSignature:
        return None
    return (
        Question.objects.select_related("space__institution")
        .filter(pk=confirmed.object_id, asker_email=confirmed.email)
        .exclude(asker_email="")
        .first()
    )


def confirm(*, token: str, now: datetime | None = None) -> Question:
    """The asker opened their link: the question enters the inbox. Twice is harmless."""
    found = question_for_token(token)
    if found is None:
        raise InboxError(_("This confirmation link is not valid (any more)."))
    with transaction.atomic():
        question = lock_for_update(Question.objects.filter(pk=found.pk)).get()
        if question.state != QuestionState.UNCONFIRMED:
            return question
        question.email_confirmed_at = now or timezone.now()
        _enter(question, now=question.email_confirmed_at)
    return question


# --- Other channels: email, networks, comments ---------------------------------------------------


def receive_email(
    *,
    space: Space,
    sender: str,
    sender_name: str = "",
    subject: str,
    text: str,
    message_id: str = "",
    references: list[str] | None = None,
    now: datetime | None = None,
) -> Question:
    """An email to the institution's questions address (the mailing app hands it over, see
    inbox.intake). The sender's address is the one the answer goes to: no confirmation. A reply
    to one of our answers follows that question and goes back to who answered it."""
    sender = sender.strip().lower()
    if message_id:
        existing = Question.objects.filter(space=space, message_id=message_id).first()
        if existing is not None:
            return existing
    if email_limit().attempt(account=sender):
        raise TooManyQuestions(_("Too many questions from this address in an hour."))
    subject, body = _clean_text(subject, text or "")
    follows = _answered_question(space, references or [])
    with transaction.atomic():
        question = Question.objects.create(
            space=space,
            channel=QuestionChannel.EMAIL,
            asker_name=" ".join(sender_name.split())[:120],
            asker_email=sender,
            email_confirmed_at=now or timezone.now(),
            subject=subject,
            body=body,
            message_id=message_id[:255],
            follow_up_of=follows,
            addressed_to=follows.assignee if follows is not None else None,
            language="fr",
        )
        _enter(question, now=now)
    return question


def _answered_question(space: Space, references: list[str]) -> Question | None:
    """The question one of our answers (or its own email) named in In-Reply-To/References."""
    from maillage.inbox.models import Answer

    wanted = [reference for reference in references if reference]
    if not wanted:
        return None
    answer = (
        Answer.objects.filter(question__space=space, message_id__in=wanted)
        .select_related("question__assignee")
        .order_by("-pk")
        .first()
    )
    if answer is not None:
        return answer.question
    return Question.objects.filter(space=space, message_id__in=wanted).order_by("-pk").first()


def receive_mention(
    *,
    channel: Any,
    remote_id: str,
    text: str,
    author_handle: str,
    author_name: str = "",
    remote_url: str = "",
    received_at: datetime | None = None,
) -> Question | None:
    """A reply or mention read from a network channel (inbox.channels); None when it was
    already taken in (reading the same notifications twice changes nothing)."""
    remote_id = str(remote_id)[:300]
    if Question.objects.filter(source_channel=channel, remote_id=remote_id).exists():
        return None
    # "@museum@mastodon.example @camille Quel est cet insecte ?": the question is what follows.
    text = _LEADING_MENTIONS.sub("", text.strip())
    if not text.strip():
        return None
    subject, body = _clean_text("", text)
    with transaction.atomic():
        question = Question.objects.create(
            space=channel.space,
            channel=QuestionChannel.CONNECTOR,
            asker_name=author_name[:120],
            asker_handle=author_handle[:300],
            subject=subject,
            body=body,
            source_channel=channel,
            remote_id=remote_id,
            remote_url=remote_url[:500],
            addressed_to=channel.voice,
            language="fr",
        )
        _enter(question, now=received_at)
    return question


def receive_comment(*, space: Space, comment: Any, voice: Voice | None = None) -> Question:
    """A comment under one of the institution's pages becomes a question; the answer goes back
    as a reply under it (comments.post_comment)."""
    existing = Question.objects.filter(space=space, comment=comment).first()
    if existing is not None:
        return existing
    subject, body = _clean_text("", comment.body)
    with transaction.atomic():
        question = Question.objects.create(
            space=space,
            channel=QuestionChannel.COMMENT,
            asker_name=comment.name[:120],
            asker_email=comment.email,
            subject=subject,
            body=body,
            comment=comment,
            addressed_to=voice,
            language=comment.language or "fr",
        )
        _enter(question)
    return question


# --- Entering the inbox: deadlines and routing ---------------------------------------------------


def _enter(question: Question, *, now: datetime | None = None) -> None:
    """Count the deadline from now and route (inside the caller's transaction)."""
    question.received_at = now or timezone.now()
    due = deadlines_for(question.space, question.received_at)
    question.deadline = due.deadline
    question.reminder_at = due.reminder_at
    question.state = QuestionState.NEW
    question.save()
    assignment.route(question, on=timezone.localdate(question.received_at))


def set_consent(*, question: Question, consent: bool) -> None:
    """The asker's word (from their confirmation page); withdrawing it unpublishes."""
    from maillage.inbox.search import index_question

    with transaction.atomic():
        locked = lock_for_update(Question.objects.filter(pk=question.pk)).get()
        locked.consent_public = consent
        if not consent:
            locked.published_at = None
        locked.save(update_fields=["consent_public", "published_at"])
        index_question(locked)
