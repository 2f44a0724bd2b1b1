"""Comments under the review policy (core.review): what to do with a new comment, and the
callbacks through which the moderation queue approves, rejects or marks one as spam.

Until core.review is installed, a minimal stand-in applies the policy's documented defaults
(members of trust level 1 or more publish directly; guests and newcomers are held).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

logger = logging.getLogger(__name__)

KIND = "comment"
PUBLISH_ACTIONS = {"publish", "publish_then_sample", "publish_then_review"}


@dataclass(frozen=True)
class Verdict:
    """The decision about one comment, in the terms the comments app needs."""

    action: str
    reasons: list[str] = field(default_factory=list)
    decision: Any = None

    @property
    def visible_now(self) -> bool:
        return self.action in PUBLISH_ACTIONS

    @property
    def rejected(self) -> bool:
        return self.action == "reject"


def _policy() -> ModuleType | None:
    try:
        module = importlib.import_module("maillage.core.review")
    except ImportError:
        return None
    return module if hasattr(module, "decide") else None


def decide(*, author: Any, text: str, guest: bool) -> Verdict:
    policy = _policy()
    if policy is None:
        trusted = author is not None and getattr(author, "trust_level", 0) >= 1
        return Verdict("publish" if trusted and not guest else "hold", ["default policy"])
    decision = policy.decide(kind=KIND, author=author, text=text, guest=guest)
    action = str(getattr(decision.action, "value", decision.action))
    return Verdict(action, [str(reason) for reason in decision.reasons], decision)


def record(*, comment: Any, verdict: Verdict) -> None:
    """Store the decision with the comment (the figures and the queue read it)."""
    policy = _policy()
    if policy is None or verdict.decision is None:
        return
    policy.submit(
        content=comment,
        kind=KIND,
        author=comment.author,
        decision=verdict.decision,
        guest_email=comment.guest_email,
    )


def register_with_review_policy() -> None:
    policy = _policy()
    if policy is None or not hasattr(policy, "register_reviewable"):
        return
    from maillage.articles.comments import services
    from maillage.articles.comments.models import Comment

    policy.register_reviewable(
        Comment,
        approve=services.approve_comment,
        reject=services.reject_comment,
        mark_spam=services.mark_comment_as_spam,
        describe=services.describe_comment,
        url=services.comment_url,
    )
