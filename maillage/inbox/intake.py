"""Email to an institution's questions address becomes a question.

The mailing app owns the doors (`maillage mail receive`, `maillage mail lmtp`): it stores every
email whole, ignores bounces, loops and automatic replies, then hands an email whose recipient
is an address of ours to the function registered for it (mailing.addresses.register_address_owner).
Without the mailing app, call `receive_email(...)` with the email's parts.
"""

from __future__ import annotations

from typing import Any

from maillage.inbox.models import InboxSettings, Question
from maillage.inbox.services import InboxError
from maillage.inbox.services import questions as question_services


def settings_for_address(address: str) -> InboxSettings | None:
    address = address.strip().strip("<>").lower()
    if not address:
        return None
    return (
        InboxSettings.objects.select_related("space__institution")
        .filter(email_address__iexact=address)
        .first()
    )


def owns_address(address: str) -> bool:
    return settings_for_address(address) is not None


def receive_email(
    *,
    recipient: str,
    sender: str,
    sender_name: str = "",
    subject: str = "",
    text: str = "",
    message_id: str = "",
    references: list[str] | None = None,
) -> Question | None:
    """One email to `recipient` (a questions address); None when no institution has it."""
    found = settings_for_address(recipient)
    if found is None:
        return None
    if not found.accepts_questions:
        raise InboxError("this institution takes no questions for now")
    return question_services.receive_email(
        space=found.space,
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        text=text,
        message_id=message_id,
        references=references,
    )


def receive_parsed_mail(*, parsed: Any, recipient: str) -> str:
    """The mailing app's call for an email to one of our addresses: what became of it, in a
    line for the stored email's record."""
    try:
        question = receive_email(
            recipient=recipient,
            sender=parsed.sender,
            sender_name=parsed.sender_name,
            subject=parsed.subject,
            text=parsed.text,
            message_id=parsed.message_id,
            references=[*parsed.in_reply_to, *parsed.references],
        )
    except InboxError as error:
        return f"inbox: not taken ({error.message})"
    if question is None:
        return "inbox: no institution has this address"
    return f"inbox: question {question.pk} for {question.space.slug}"


def register_email_address_owner() -> None:
    """Tell the mailing app which addresses are ours (when it is installed)."""
    try:
        from maillage.mailing import addresses
    except ImportError:  # pragma: no cover - the mailing app is part of Maillage
        return
    register = getattr(addresses, "register_address_owner", None)
    if register is not None:
        register("inbox", owns=owns_address, receive=receive_parsed_mail)
