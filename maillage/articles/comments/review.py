"""Comments under the review policy (core.review): what to do with a new comment, and the
callbacks through which the moderation queue approves, rejects or marks one as spam."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from maillage.core import review as policy

KIND = "comment"


@dataclass(frozen=True)
class Verdict:
    """The policy's decision about one comment, in the terms the comments app needs."""

    decision: policy.Decision

    @property
    def visible_now(self) -> bool:
        return self.decision.visible_now

    @property
    def rejected(self) -> bool:
        return self.decision.action == policy.ReviewAction.REJECT

    @property
    def reasons(self) -> list[str]:
        return list(self.decision.reasons)


def decide(*, author: Any, text: str, guest: bool) -> Verdict:
    return Verdict(policy.decide(kind=KIND, author=author, text=text, guest=guest))


def record(*, comment: Any, verdict: Verdict) -> None:
    """Store the decision with the comment (the figures and the queue read it)."""
    policy.submit(
        content=comment,
        kind=KIND,
        author=comment.author,
        decision=verdict.decision,
        guest_email=comment.guest_email,
    )


def register_with_review_policy() -> None:
    from maillage.articles.comments import services
    from maillage.articles.comments.models import Comment

    # The queue hands back the model it was registered with: these take a Comment.
    callbacks: dict[str, Any] = {
        "approve": services.approve_comment,
        "reject": services.reject_comment,
        "mark_spam": services.mark_comment_as_spam,
        "describe": services.describe_comment,
        "url": services.comment_url,
    }
    policy.register_reviewable(Comment, **callbacks)
