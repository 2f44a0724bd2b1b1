"""Trust levels rise with activity (members.trust), never fall; a coordinator's choice sticks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.members import services as member_services
from maillage.members.models import User
from maillage.members.tasks import recompute_trust_levels as nightly_task
from maillage.members.trust import recompute_trust_levels
from tests.factories import ReviewRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def member(*, days: int = 30, confirmed: bool = True, **extra: Any) -> User:
    joined = NOW - timedelta(days=days)
    return UserFactory(
        date_joined=joined, email_confirmed_at=joined if confirmed else None, **extra
    )


def contributions(
    user: User, count: int, *, days_ago: int = 20, state: str = "auto_published"
) -> None:
    for number in range(count):
        ReviewRecordFactory(
            author=user, state=state, created_at=NOW - timedelta(days=days_ago + number)
        )


def level(user: User) -> int:
    user.refresh_from_db()
    return user.trust_level


def test_level_1_after_confirming_the_email_and_a_few_days() -> None:
    settled = member(days=3)
    brand_new = member(days=1)
    unconfirmed = member(days=30, confirmed=False)
    assert recompute_trust_levels(now=NOW) == 1
    assert (level(settled), level(brand_new), level(unconfirmed)) == (1, 0, 0)


def test_level_2_after_contributions_that_stood_15_days() -> None:
    standing = member()
    contributions(standing, 3, days_ago=16)
    too_recent = member()
    contributions(too_recent, 2, days_ago=16)
    contributions(too_recent, 3, days_ago=1)
    removed = member()
    contributions(removed, 2, days_ago=16)
    contributions(removed, 2, days_ago=16, state="rejected")
    recompute_trust_levels(now=NOW)
    assert (level(standing), level(too_recent), level(removed)) == (2, 1, 1)


def test_level_3_after_sustained_activity() -> None:
    regular = member(days=400)
    for month in range(4):
        contributions(regular, 3, days_ago=20 + 31 * month)
    burst = member(days=400)
    contributions(burst, 12, days_ago=20)  # enough contributions, but within a month or so
    recently_removed = member(days=400)
    for month in range(4):
        contributions(recently_removed, 3, days_ago=20 + 31 * month)
    contributions(recently_removed, 1, days_ago=5, state="spam")
    recompute_trust_levels(now=NOW)
    assert (level(regular), level(burst), level(recently_removed)) == (3, 2, 2)


def test_levels_are_never_lowered_and_level_4_is_left_alone() -> None:
    leader = member(confirmed=False, trust_level=4)
    regular = member(confirmed=False, trust_level=3)
    assert recompute_trust_levels(now=NOW) == 0
    assert (level(leader), level(regular)) == (4, 3)


def test_a_level_set_by_a_coordinator_sticks(db: Any) -> None:
    coordinator = UserFactory(role="coordinator")
    kept_low = member(days=100)
    contributions(kept_low, 5)
    member_services.set_trust_level(user=kept_low, level=0, by=coordinator)
    assert kept_low.trust_level_locked
    recompute_trust_levels(now=NOW)
    assert level(kept_low) == 0


def test_the_nightly_task_recomputes_with_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    members = [member() for _number in range(5)]
    for each in members:
        contributions(each, 3)
    with django_assert_max_num_queries(6):
        nightly_task.call_local()
    assert {level(each) for each in members} == {2}
