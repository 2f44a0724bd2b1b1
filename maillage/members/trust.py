"""Trust levels earned by activity, as in Discourse; recounted every night.

- TL1: the email address is confirmed and the account is a few days old;
- TL2: several contributions still standing 15 days after they were published;
- TL3: sustained activity: more such contributions, over several months, none removed lately;
- TL4: only a coordinator grants it.
The recount only raises levels, and leaves alone anyone whose level a coordinator set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from maillage.core.review.models import ACCEPTED_STATES, REMOVED_STATES
from maillage.members.models import User


@dataclass(frozen=True)
class TrustRules:
    days_before_level_1: int = 2
    # Contributions count once they have stood this long without being removed.
    standing_days: int = 15
    contributions_for_level_2: int = 3
    contributions_for_level_3: int = 10
    active_months_for_level_3: int = 3
    months_looked_at_for_level_3: int = 6
    # No rejected or spam contribution in this many days for level 3.
    clean_days_for_level_3: int = 90


RULES = TrustRules()


def _candidates(now: datetime, rules: TrustRules) -> QuerySet[User, dict[str, Any]]:
    standing = Q(
        review_records__state__in=ACCEPTED_STATES,
        review_records__created_at__lte=now - timedelta(days=rules.standing_days),
    )
    recent = standing & Q(
        review_records__created_at__gte=now
        - timedelta(days=31 * rules.months_looked_at_for_level_3)
    )
    removed = Q(
        review_records__state__in=REMOVED_STATES,
        review_records__created_at__gte=now - timedelta(days=rules.clean_days_for_level_3),
    )
    return (
        User.objects.filter(is_active=True, trust_level_locked=False, trust_level__lt=3)
        .annotate(
            standing_count=Count("review_records", filter=standing, distinct=True),
            active_months=Count(
                TruncMonth("review_records__created_at"), filter=recent, distinct=True
            ),
            removed_count=Count("review_records", filter=removed, distinct=True),
        )
        .values(
            "pk",
            "trust_level",
            "email_confirmed_at",
            "date_joined",
            "standing_count",
            "active_months",
            "removed_count",
        )
    )


def earned_level(row: dict[str, Any], now: datetime, rules: TrustRules = RULES) -> int:
    level = 0
    if row["email_confirmed_at"] is not None and row["date_joined"] <= now - timedelta(
        days=rules.days_before_level_1
    ):
        level = 1
    if level >= 1 and row["standing_count"] >= rules.contributions_for_level_2:
        level = 2
    if (
        level >= 2
        and row["standing_count"] >= rules.contributions_for_level_3
        and row["active_months"] >= rules.active_months_for_level_3
        and row["removed_count"] == 0
    ):
        level = 3
    return level


def recompute_trust_levels(*, now: datetime | None = None, rules: TrustRules = RULES) -> int:
    """Raise the trust levels earned since the last recount; returns how many members rose.

    One query reads the counts for every member; one update per level writes them.
    """
    now = now or timezone.now()
    raised: dict[int, list[int]] = {}
    for row in _candidates(now, rules):
        level = earned_level(row, now, rules)
        if level > row["trust_level"]:
            raised.setdefault(level, []).append(row["pk"])
    with transaction.atomic():
        for level, ids in raised.items():
            # Re-check the lock in the update itself: a coordinator may have acted meanwhile.
            User.objects.filter(pk__in=ids, trust_level_locked=False, trust_level__lt=level).update(
                trust_level=level
            )
    return sum(len(ids) for ids in raised.values())
