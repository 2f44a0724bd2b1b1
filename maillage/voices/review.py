"""Posts under the review policy (core.review) with the institution's settings.

A trained voice who accepted the current charter, writing within their expertise and without a
watch-list word, publishes directly (a share is sampled afterwards, with a word for them);
otherwise the post is held for one of the space's reviewers, never its author.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from maillage.core import review as policy
from maillage.core.review import ReviewAction

if TYPE_CHECKING:
    from maillage.voices.models import Post, Space

KIND = "post"

REASON_TEXTS = {
    "charter_not_accepted": _("The author has not accepted the current charter yet."),
    "training_not_done": _("The author has not done the training yet."),
}


@dataclass(frozen=True)
class SpacePolicy:
    """An institution's settings, as core.review.decide reads them."""

    words: tuple[str, ...] = ()
    sample_rate: int = 20
    trust_level_to_publish: int = 0
    first_contributions: int = 0
    # Institutions' posts carry links by nature: links alone never hold them.
    max_links: int = 20
    guest_action: str = ReviewAction.HOLD
    expertise_required: bool = True
    trusted_action: ReviewAction = ReviewAction.PUBLISH_THEN_SAMPLE
    defaults: dict[str, ReviewAction] = field(default_factory=dict)

    def watch_list(self) -> list[tuple[str, ReviewAction]]:
        return [(word, ReviewAction.HOLD) for word in self.words]

    def default_for(self, kind: str) -> ReviewAction:
        return self.defaults.get(kind, ReviewAction.PUBLISH)


def space_policy(space: Space) -> SpacePolicy:
    words = tuple(line.strip() for line in space.watch_words.splitlines() if line.strip())
    return SpacePolicy(words=words, sample_rate=space.sample_rate)


def unmet_conditions(post: Post) -> list[str]:
    voice = post.voice
    unmet = []
    if not voice.charter_accepted:
        unmet.append("charter_not_accepted")
    if not voice.trained:
        unmet.append("training_not_done")
    return unmet


def decide(post: Post) -> policy.Decision:
    text = "\n".join(part for part in (post.text, post.link, post.image_alt) if part)
    return policy.decide(
        kind=KIND,
        author=post.author,
        text=text,
        subject_tags=[tag.name for tag in post.tags.all()],
        policy=space_policy(post.space),
        expertise=[tag.slug for tag in post.voice.expertise.all()],
        unmet=unmet_conditions(post),
    )


def record(*, post: Post, decision: policy.Decision, rng: Any = None) -> policy.ReviewRecord:
    return policy.submit(
        content=post,
        kind=KIND,
        author=post.author,
        decision=decision,
        sample_rate=post.space.sample_rate,
        rng=rng,
    )


def latest_record(post: Post) -> policy.ReviewRecord | None:
    return policy.ReviewRecord.objects.for_content(post).order_by("-created_at", "-id").first()


def register_with_review_policy() -> None:
    from maillage.voices import permissions
    from maillage.voices.models import Post
    from maillage.voices.services.posts import approve_post, reject_post

    policy.register_reason_texts(REASON_TEXTS)
    callbacks: dict[str, Any] = {
        "approve": approve_post,
        "reject": reject_post,
        "mark_spam": lambda post: reject_post(post, ""),
        "describe": lambda post: str(post),
        "url": lambda post: post.get_absolute_url(),
        "can_review": permissions.can_review_post,
    }
    policy.register_reviewable(Post, **callbacks)
