"""Who may do what with an institution's questions: plain functions, one per right.

| right                                    | admin | triage role | the assignee | other members |
| ---------------------------------------- | ----- | ----------- | ------------ | ------------- |
| see the inbox, the questions, figures    |   x   |      x      |      x       |       x       |
| give out, pass on, mark spam, close      |   x   |      x      |              |               |
| pass on a question assigned to them      |   x   |      x      |      x       |               |
| answer                                   |   x*  |      x*     |      x       |               |
| settings, holidays, absences of others   |   x   |             |              |               |

(*) with a voice of their own in the space: an answer is signed by a voice.
The public sees only questions published with their answer, with the asker's consent.
"""

from __future__ import annotations

from typing import Any

from maillage.inbox.deadlines import settings_or_default
from maillage.inbox.models import Question
from maillage.voices import permissions as space_permissions
from maillage.voices.models import Role, Space, Voice


def is_member(space: Space, user: Any) -> bool:
    return space_permissions.is_member(space, user)


def can_triage(space: Space, user: Any) -> bool:
    role = space_permissions.role_in(space, user)
    return role == Role.ADMIN or (
        role is not None and role == settings_or_default(space).triage_role
    )


def can_manage(space: Space, user: Any) -> bool:
    return space_permissions.can_manage_space(space, user)


def own_voice(space: Space, user: Any) -> Voice | None:
    """The user's voice in the space (memoised on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, Voice | None] = user.__dict__.setdefault("_inbox_voices", {})
    if space.pk not in cache:
        cache[space.pk] = space.voices.select_related("user").filter(user=user).first()
    return cache[space.pk]


def is_assignee(question: Question, user: Any) -> bool:
    voice = own_voice(question.space, user)
    return voice is not None and question.assignee_id == voice.pk


def can_pass_on(question: Question, user: Any) -> bool:
    return can_triage(question.space, user) or (
        is_member(question.space, user) and is_assignee(question, user)
    )


def can_answer(question: Question, user: Any) -> bool:
    if not question.is_open and question.state != "answered":
        return False
    if own_voice(question.space, user) is None or not is_member(question.space, user):
        return False
    return is_assignee(question, user) or can_triage(question.space, user)


def can_review_answer(answer: Any, user: Any) -> bool:
    """The space's reviewers (core.review then refuses their own answers, saying why)."""
    return space_permissions.can_review(answer.question.space, user)
