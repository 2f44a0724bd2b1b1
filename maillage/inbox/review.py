"""Answers under the review policy (core.review) with the institution's settings, like posts:
a trained voice who accepted the charter, answering within their expertise and without a watch
word, answers directly (a share is sampled afterwards); otherwise a reviewer of the space reads
the answer before it goes out, never its author."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maillage.core import review as policy
from maillage.voices.review import space_policy

if TYPE_CHECKING:
    from maillage.inbox.models import Answer

KIND = "answer"


def unmet_conditions(answer: Answer) -> list[str]:
    """The same conditions as a post's (voices.review), with the same reason texts."""
    voice = answer.voice
    unmet = []
    if not voice.charter_accepted:
        unmet.append("charter_not_accepted")
    if not voice.trained:
        unmet.append("training_not_done")
    return unmet


def subject_tags(answer: Answer) -> list[str]:
    """What the question is about: the expertise it matched for the voice who answers."""
    question = answer.question
    for score in question.scores:
        if score.get("voice") == answer.voice_id and score.get("tags"):
            return [str(tag) for tag in score["tags"]]
    return [question.topic.name] if question.topic is not None else []


def decide(answer: Answer) -> policy.Decision:
    return policy.decide(
        kind=KIND,
        author=answer.author,
        text=answer.body,
        subject_tags=subject_tags(answer),
        policy=space_policy(answer.question.space),
        expertise=[tag.slug for tag in answer.voice.expertise.all()],
        unmet=unmet_conditions(answer),
    )


def record(*, answer: Answer, decision: policy.Decision, rng: Any = None) -> policy.ReviewRecord:
    return policy.submit(
        content=answer,
        kind=KIND,
        author=answer.author,
        decision=decision,
        sample_rate=answer.question.space.sample_rate,
        rng=rng,
    )


def latest_record(answer: Answer) -> policy.ReviewRecord | None:
    return policy.ReviewRecord.objects.for_content(answer).order_by("-created_at", "-id").first()


def register_with_review_policy() -> None:
    from maillage.inbox import permissions
    from maillage.inbox.models import Answer
    from maillage.inbox.services.answers import approve_answer, reject_answer

    callbacks: dict[str, Any] = {
        "approve": approve_answer,
        "reject": reject_answer,
        "mark_spam": lambda answer: reject_answer(answer, ""),
        "describe": lambda answer: str(answer),
        "url": lambda answer: answer.get_absolute_url(),
        "can_review": permissions.can_review_answer,
    }
    policy.register_reviewable(Answer, **callbacks)
