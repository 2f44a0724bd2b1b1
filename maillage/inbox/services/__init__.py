"""Actions on questions: intake from every channel and routing (questions.py), answers and
their review (answers.py), reminders and escalations (reminders.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class InboxError(Exception):
    """An action that cannot be done; the message is shown to the person."""

    status_code = 400
    default_message: Any = _("This action is not possible.")

    def __init__(self, message: Any = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotAllowed(InboxError):
    status_code = 403
    default_message = _("Your role in this space does not allow this.")


class TooManyQuestions(InboxError):
    status_code = 429


class InvalidTransition(InboxError):
    default_message = _("This question cannot go there from where it is.")
