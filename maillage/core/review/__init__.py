"""The review policy, one mechanism for every kind of content ("valider de ne pas tout valider").

A content app asks `decide(...)` what to do with a new contribution, stores it with `submit(...)`,
and registers how the moderation queue acts on it with `register_reviewable(...)`.
"""

from maillage.core.review.decisions import (
    Decision,
    PolicySettings,
    decide,
    describe_decision,
    register_reason_texts,
)
from maillage.core.review.models import ReviewAction, ReviewPolicy, ReviewRecord, ReviewState
from maillage.core.review.registry import register_reviewable, unregister_reviewable
from maillage.core.review.services import (
    AlreadyResolved,
    OwnContent,
    ReasonRequired,
    ReviewError,
    ReviewNotAllowed,
    approve,
    mark_spam,
    may_review,
    publish_after_silence,
    reject,
    submit,
)

__all__ = [
    "AlreadyResolved",
    "Decision",
    "OwnContent",
    "PolicySettings",
    "ReasonRequired",
    "ReviewAction",
    "ReviewError",
    "ReviewNotAllowed",
    "ReviewPolicy",
    "ReviewRecord",
    "ReviewState",
    "approve",
    "decide",
    "describe_decision",
    "mark_spam",
    "may_review",
    "publish_after_silence",
    "register_reason_texts",
    "register_reviewable",
    "reject",
    "submit",
    "unregister_reviewable",
]
