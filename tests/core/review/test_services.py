"""Storing decisions, sampling, the reviewers' transitions and "silence means yes"."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.core import review
from maillage.core.review import (
    Decision,
    ReviewAction,
    ReviewPolicy,
    ReviewRecord,
    ReviewState,
    services,
)
from maillage.core.review.tasks import publish_expired_holds
from maillage.members.models import User
from tests.factories import ProfileLinkFactory, ReviewRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_submit_stores_the_decision_and_its_reasons(member: User) -> None:
    link = ProfileLinkFactory(user=member)
    decision = Decision(ReviewAction.HOLD, ("too_many_links", "first_contributions"))
    record = review.submit(content=link, kind="comment", author=member, decision=decision)
    record.refresh_from_db()
    assert record.content == link
    assert record.kind == "comment"
    assert record.author == member
    assert record.action == ReviewAction.HOLD
    assert record.reasons == ["too_many_links", "first_contributions"]
    assert record.state == ReviewState.PENDING
    assert record.resolved_at is None
    assert list(ReviewRecord.objects.for_content(link)) == [record]


def test_a_guest_contribution_keeps_the_guest_address(db: Any) -> None:
    link = ProfileLinkFactory()
    record = review.submit(
        content=link,
        kind="comment",
        author=None,
        decision=Decision(ReviewAction.HOLD, ("new_guest",)),
        guest_email="invite@example.org",
    )
    assert record.author is None
    assert record.guest_email == "invite@example.org"


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (ReviewAction.PUBLISH, ReviewState.AUTO_PUBLISHED),
        (ReviewAction.HOLD, ReviewState.PENDING),
        (ReviewAction.REJECT, ReviewState.REJECTED),
    ],
)
def test_each_action_gives_its_state(member: User, action: ReviewAction, state: str) -> None:
    link = ProfileLinkFactory(user=member)
    record = review.submit(
        content=link, kind="comment", author=member, decision=Decision(action, ("watch_word",))
    )
    assert record.state == state
    assert (record.resolved_at is not None) == (state == ReviewState.REJECTED)


def test_a_share_of_published_then_sampled_goes_to_the_queue(member: User) -> None:
    ReviewPolicy.objects.update_or_create(pk=1, defaults={"sample_rate": 20})
    decision = Decision(ReviewAction.PUBLISH_THEN_SAMPLE, ("low_trust",))
    rng = random.Random(2014)  # noqa: S311
    states = [
        review.submit(
            content=ProfileLinkFactory(user=member),
            kind="comment",
            author=member,
            decision=decision,
            rng=rng,
        ).state
        for _number in range(200)
    ]
    sampled = states.count(ReviewState.SAMPLED)
    assert states.count(ReviewState.AUTO_PUBLISHED) == 200 - sampled
    assert 25 <= sampled <= 55  # about 20 %, and fixed by the seed
    again = random.Random(2014)  # noqa: S311
    assert [again.random() * 100 < 20 for _number in range(200)].count(True) == sampled


@pytest.mark.parametrize(("rate", "expected"), [(0, ReviewState.AUTO_PUBLISHED), (100, "sampled")])
def test_sample_rate_bounds(member: User, rate: int, expected: str) -> None:
    ReviewPolicy.objects.update_or_create(pk=1, defaults={"sample_rate": rate})
    record = review.submit(
        content=ProfileLinkFactory(user=member),
        kind="comment",
        author=member,
        decision=Decision(ReviewAction.PUBLISH_THEN_SAMPLE, ("low_trust",)),
    )
    assert record.state == expected


# --- transitions ------------------------------------------------------------------------------


def test_a_coordinator_approves(
    held: ReviewRecord, coordinator: User, reviewable_links: Any
) -> None:
    review.approve(record=held, by=coordinator)
    held.refresh_from_db()
    assert held.state == ReviewState.APPROVED
    assert held.resolved_by == coordinator
    assert held.resolved_at is not None
    assert reviewable_links.approved == [held.object_id]


def test_the_model_method_is_the_same_transition(
    held: ReviewRecord, coordinator: User, reviewable_links: Any
) -> None:
    held.mark_spam(coordinator)
    assert held.state == ReviewState.SPAM
    held.refresh_from_db()
    assert held.state == ReviewState.SPAM
    assert reviewable_links.spam == [held.object_id]


def test_a_coordinator_rejects_with_a_reason(
    held: ReviewRecord, coordinator: User, reviewable_links: Any
) -> None:
    review.reject(record=held, by=coordinator, reason="Hors sujet")
    held.refresh_from_db()
    assert held.state == ReviewState.REJECTED
    assert held.resolution_note == "Hors sujet"
    assert reviewable_links.rejected == [(held.object_id, "Hors sujet")]


def test_a_rejection_needs_a_reason(held: ReviewRecord, coordinator: User) -> None:
    with pytest.raises(review.ReasonRequired):
        review.reject(record=held, by=coordinator, reason="   ")
    held.refresh_from_db()
    assert held.state == ReviewState.PENDING


def test_a_sampled_contribution_can_be_rejected_afterwards(
    coordinator: User, member: User, reviewable_links: Any
) -> None:
    record = ReviewRecordFactory(author=member, state="sampled", action="publish_then_sample")
    review.reject(record=record, by=coordinator, reason="Doublon")
    assert record.state == ReviewState.REJECTED


def test_nobody_reviews_their_own_contribution(coordinator: User, reviewable_links: Any) -> None:
    own = ReviewRecordFactory(author=coordinator)
    for action in (
        lambda: review.approve(record=own, by=coordinator),
        lambda: review.reject(record=own, by=coordinator, reason="non"),
        lambda: review.mark_spam(record=own, by=coordinator),
    ):
        with pytest.raises(review.OwnContent):
            action()
    own.refresh_from_db()
    assert own.state == ReviewState.PENDING
    assert reviewable_links.approved == reviewable_links.spam == reviewable_links.rejected == []


def test_members_do_not_review(held: ReviewRecord) -> None:
    other = UserFactory(trust_level=4)
    with pytest.raises(review.ReviewNotAllowed):
        review.approve(record=held, by=other)


def test_a_resolved_contribution_is_not_reviewed_twice(
    held: ReviewRecord, coordinator: User, reviewable_links: Any
) -> None:
    review.approve(record=held, by=coordinator)
    stale = ReviewRecord.objects.get(pk=held.pk)
    with pytest.raises(review.AlreadyResolved):
        review.reject(record=stale, by=coordinator, reason="trop tard")
    assert reviewable_links.rejected == []


def test_content_without_a_registration_can_still_be_resolved(coordinator: User) -> None:
    record = ReviewRecordFactory()
    review.approve(record=record, by=coordinator)
    assert record.state == ReviewState.APPROVED


# --- silence means yes ------------------------------------------------------------------------


def test_held_contributions_are_published_after_the_deadline(
    held: ReviewRecord, reviewable_links: Any
) -> None:
    ReviewPolicy.objects.update_or_create(pk=1, defaults={"silence_hours": 48})
    recent = ReviewRecordFactory(created_at=timezone.now() - timedelta(hours=47))
    ReviewRecord.objects.filter(pk=held.pk).update(created_at=timezone.now() - timedelta(hours=49))
    publish_expired_holds.call_local()
    held.refresh_from_db()
    recent.refresh_from_db()
    assert held.state == ReviewState.EXPIRED_PUBLISHED
    assert held.resolved_by is None
    assert recent.state == ReviewState.PENDING
    assert reviewable_links.approved == [held.object_id]
    assert services.publish_expired() == 0  # idempotent


def test_without_a_deadline_held_contributions_wait(
    held: ReviewRecord, reviewable_links: Any
) -> None:
    ReviewRecord.objects.filter(pk=held.pk).update(created_at=timezone.now() - timedelta(days=365))
    publish_expired_holds.call_local()
    held.refresh_from_db()
    assert held.state == ReviewState.PENDING
    assert reviewable_links.approved == []
