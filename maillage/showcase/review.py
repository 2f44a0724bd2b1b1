"""Proposed projects under the review policy (core.review): the decision on a new proposal, and
the callbacks through which the moderation queue publishes, rejects or marks one as spam."""

from __future__ import annotations

from typing import Any

from maillage.core import review as policy

KIND = "project"


def decide(*, author: Any, text: str, tag_names: list[str]) -> policy.Decision:
    return policy.decide(kind=KIND, author=author, text=text, subject_tags=tag_names)


def record(*, project: Any, decision: policy.Decision) -> None:
    """Store the decision with the project (the queue and the figures read it)."""
    policy.submit(content=project, kind=KIND, author=project.proposed_by, decision=decision)


def register_with_review_policy() -> None:
    from maillage.showcase import services
    from maillage.showcase.models import Project

    # The queue hands back the model it was registered with: these take a Project.
    callbacks: dict[str, Any] = {
        "approve": services.publish_project,
        "reject": services.reject_project,
        "mark_spam": services.mark_project_as_spam,
        "describe": services.describe_project,
        "url": services.project_url,
    }
    policy.register_reviewable(Project, **callbacks)
