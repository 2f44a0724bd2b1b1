"""Proposed objections and answers under the review policy (core.review): the decision on a new
proposal, and the callbacks through which the moderation queue publishes, rejects or marks one
as spam."""

from __future__ import annotations

from typing import Any

from maillage.core import review as policy

OBJECTION_KIND = "objection"
# Not "answer": the inbox's answers to public questions have that kind and its own default.
ANSWER_KIND = "objection_answer"


def decide(*, kind: str, author: Any, text: str) -> policy.Decision:
    guest = author is None or not getattr(author, "is_authenticated", False)
    return policy.decide(kind=kind, author=None if guest else author, text=text, guest=guest)


def record(*, content: Any, kind: str, author: Any, decision: policy.Decision, email: str) -> None:
    """Store the decision with the proposal (the queue and the figures read it)."""
    policy.submit(
        content=content,
        kind=kind,
        author=author if author is not None and author.is_authenticated else None,
        decision=decision,
        guest_email=email,
    )


def register_with_review_policy() -> None:
    from maillage.onboarding import services
    from maillage.onboarding.models import Answer, Objection

    # The queue hands back the model it was registered with.
    objection_callbacks: dict[str, Any] = {
        "approve": services.publish_objection,
        "reject": services.reject_objection,
        "mark_spam": services.mark_objection_as_spam,
        "describe": services.describe_objection,
        "url": services.objection_url,
    }
    policy.register_reviewable(Objection, **objection_callbacks)
    answer_callbacks: dict[str, Any] = {
        "approve": services.publish_answer,
        "reject": services.reject_answer,
        "mark_spam": services.mark_answer_as_spam,
        "describe": services.describe_answer,
        "url": services.answer_url,
    }
    policy.register_reviewable(Answer, **answer_callbacks)
