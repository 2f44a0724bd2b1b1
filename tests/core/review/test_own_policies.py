"""Another space's policy (an institution's): its settings, the author's expertise there, the
conditions it checks itself, its own reviewers, queue and deadlines."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import models
from django.utils import timezone

from maillage.core import review
from maillage.core.review import Decision, ReviewAction, ReviewPolicy, ReviewRecord, ReviewState
from maillage.core.review.selectors import review_queue
from maillage.members.models import ProfileLink, User
from tests.factories import ProfileLinkFactory, ReviewRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class InstitutionPolicy:
    trust_level_to_publish: int = 0
    first_contributions: int = 0
    max_links: int = 10
    guest_action: str = ReviewAction.HOLD
    expertise_required: bool = True
    trusted_action: ReviewAction = ReviewAction.PUBLISH_THEN_SAMPLE
    words: list[tuple[str, ReviewAction]] = field(default_factory=list)

    def watch_list(self) -> list[tuple[str, ReviewAction]]:
        return self.words

    def default_for(self, kind: str) -> ReviewAction:
        return ReviewAction.PUBLISH


def test_within_the_expertise_given_a_trusted_voice_publishes_then_is_sampled() -> None:
    author = UserFactory(trust_level=0)
    decision = review.decide(
        kind="post",
        author=author,
        text="Les coléoptères de la collection sortent des réserves.",
        subject_tags=["Entomologie"],
        policy=InstitutionPolicy(),
        expertise=["entomologie", "coléoptères"],
    )
    assert decision == Decision(
        ReviewAction.PUBLISH_THEN_SAMPLE, ("trusted_author", "within_expertise")
    )


def test_outside_the_expertise_given_the_post_is_held() -> None:
    author = UserFactory(trust_level=4)
    decision = review.decide(
        kind="post",
        author=author,
        text="Un mot sur les minéraux.",
        subject_tags=["minéralogie"],
        policy=InstitutionPolicy(),
        expertise=["entomologie"],
    )
    assert decision == Decision(ReviewAction.HOLD, ("outside_expertise",))


def test_the_profile_expertise_does_not_count_when_the_space_gives_its_own() -> None:
    from tests.factories import TagFactory

    author = UserFactory(trust_level=1, expertise=[TagFactory(name="minéralogie")])
    decision = review.decide(
        kind="post",
        author=author,
        text="Un mot sur les minéraux.",
        subject_tags=["minéralogie"],
        policy=InstitutionPolicy(),
        expertise=[],
    )
    assert decision.action == ReviewAction.HOLD


def test_unmet_conditions_hold_with_their_reasons_and_watch_words_come_from_the_policy() -> None:
    author = UserFactory()
    decision = review.decide(
        kind="post",
        author=author,
        text="Une grève au muséum demain.",
        subject_tags=["entomologie"],
        policy=InstitutionPolicy(words=[("grève", ReviewAction.HOLD)]),
        expertise=["entomologie"],
        unmet=["charter_not_accepted", "training_not_done"],
    )
    assert decision.action == ReviewAction.HOLD
    assert decision.reasons == (
        "charter_not_accepted",
        "training_not_done",
        "watch_word",
        "within_expertise",
    )


def test_the_network_policy_is_unchanged_when_no_policy_is_given() -> None:
    author = UserFactory(trust_level=2)
    decision = review.decide(kind="comment", author=author, text="Merci !")
    assert decision.action in (ReviewAction.PUBLISH, ReviewAction.PUBLISH_THEN_SAMPLE)
    assert ReviewPolicy.current().expertise_required is False


def test_reason_texts_registered_by_an_app_are_described() -> None:
    review.register_reason_texts({"test_condition": "A condition of the test."})
    text = review.describe_decision(ReviewAction.HOLD, ["test_condition"])
    assert text.endswith("A condition of the test.")


def test_submit_samples_at_the_rate_given() -> None:
    link = ProfileLinkFactory()
    decision = Decision(ReviewAction.PUBLISH_THEN_SAMPLE, ("trusted_author",))
    never = review.submit(content=link, kind="post", author=None, decision=decision, sample_rate=0)
    always = review.submit(
        content=link,
        kind="post",
        author=None,
        decision=decision,
        sample_rate=100,
        rng=random.Random(1),  # noqa: S311
    )
    assert never.state == ReviewState.AUTO_PUBLISHED
    assert always.state == ReviewState.SAMPLED


@dataclass
class OwnReviewers:
    allowed: set[int] = field(default_factory=set)
    approved: list[int] = field(default_factory=list)


@pytest.fixture
def links_with_own_reviewers() -> Iterator[OwnReviewers]:
    calls = OwnReviewers()

    def approve(link: models.Model) -> None:
        calls.approved.append(link.pk)

    review.register_reviewable(
        ProfileLink,
        approve=approve,
        reject=lambda link, reason: None,
        mark_spam=lambda link: None,
        describe=lambda link: "link",
        url=lambda link: "/",
        can_review=lambda link, user: user.pk in calls.allowed,
    )
    yield calls
    review.unregister_reviewable(ProfileLink)


def test_the_app_names_who_reviews_not_the_coordinators(
    links_with_own_reviewers: OwnReviewers, coordinator: User
) -> None:
    author = UserFactory()
    reviewer = UserFactory()
    links_with_own_reviewers.allowed = {reviewer.pk, author.pk}
    record = ReviewRecordFactory(target=ProfileLinkFactory(user=author), author=author)

    with pytest.raises(review.ReviewNotAllowed):
        review.approve(record=record, by=coordinator)
    with pytest.raises(review.OwnContent):
        review.approve(record=record, by=author)

    review.approve(record=record, by=reviewer, note="Parfait, et la photo est belle.")
    record.refresh_from_db()
    assert record.state == ReviewState.APPROVED
    assert record.resolution_note == "Parfait, et la photo est belle."
    assert links_with_own_reviewers.approved == [record.object_id]


def test_the_network_queue_and_deadline_leave_such_content_alone(
    links_with_own_reviewers: OwnReviewers,
) -> None:
    old = timezone.now() - timedelta(days=3)
    record = ReviewRecordFactory(target=ProfileLinkFactory(), created_at=old)
    policy = ReviewPolicy.current()
    policy.silence_hours = 1
    policy.save()

    assert record not in list(review_queue())
    assert review.services.publish_expired() == 0
    record.refresh_from_db()
    assert record.state == ReviewState.PENDING

    assert review.publish_after_silence(record_id=record.pk) is True
    assert review.publish_after_silence(record_id=record.pk) is False
    assert ReviewRecord.objects.get(pk=record.pk).state == ReviewState.EXPIRED_PUBLISHED
