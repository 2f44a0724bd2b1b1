"""The inbox's emails: the asker's confirmation link and the answer; to the institution's
people, a question for them, a question for triage, a reminder and an escalation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from maillage.core.mail import send_templated_email
from maillage.inbox.deadlines import inbox_settings
from maillage.inbox.models import Answer, Question


def mail_domain() -> str:
    configured = str(getattr(settings, "MAILING_DOMAIN", "") or "").strip().lower()
    return configured or (urlsplit(settings.SITE_URL).hostname or "localhost").lower()


def _common(question: Question) -> dict[str, Any]:
    return {
        "question": question,
        "space": question.space,
        "institution": question.space.institution.name,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "inbox_url": f"{settings.SITE_URL}{question.get_absolute_url()}",
    }


def send_confirmation(*, question: Question, url: str) -> None:
    send_templated_email(
        to=question.asker_email,
        subject_template="inbox/emails/confirm_subject.txt",
        body_template="inbox/emails/confirm.txt",
        context={**_common(question), "url": url},
    )


def send_answer(*, answer: Answer) -> None:
    """The answer to the asker, in the thread of their own email when they wrote one; their
    reply comes back to the institution's questions address when it has one."""
    question = answer.question
    headers = {"Message-ID": answer.message_id}
    if question.message_id:
        headers["In-Reply-To"] = question.message_id
        headers["References"] = question.message_id
    address = inbox_settings(question.space).email_address
    context = {
        **_common(question),
        "answer": answer,
        "voice": answer.voice,
        "public_url": (
            f"{settings.SITE_URL}{question.get_public_url()}" if answer.kind == "public" else ""
        ),
    }
    send_templated_email(
        to=question.asker_email,
        subject_template="inbox/emails/answer_subject.txt",
        body_template="inbox/emails/answer.txt",
        html_template="inbox/emails/answer.html",
        context=context,
        headers=headers,
        reply_to=[address] if address else [],
    )


def send_to_staff(*, question: Question, to: str, name: str, template: str) -> None:
    send_templated_email(
        to=to,
        subject_template=f"inbox/emails/{template}_subject.txt",
        body_template=f"inbox/emails/{template}.txt",
        context={**_common(question), "name": name},
    )
