"""The review policy, one mechanism for every kind of content ("valider de ne pas tout valider").

A content app asks `decide(...)` what to do with a new contribution, stores it with `submit(...)`,
and registers how the moderation queue acts on it with `register_reviewable(...)`.
"""

from maillage.core.review.decisions import Decision, decide
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
    reject,
    submit,
)

__all__ = [
    "AlreadyResolved",
    "Decision",
    "OwnContent",
    "ReasonRequired",
    "ReviewAction",
    "ReviewError",
    "ReviewNotAllowed",
    "ReviewPolicy",
    "ReviewRecord",
    "ReviewState",
    "approve",
    "decide",
    "mark_spam",
    "register_reviewable",
    "reject",
    "submit",
    "unregister_reviewable",
]
