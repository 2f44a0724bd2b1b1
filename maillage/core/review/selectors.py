"""Reading review records: the moderation queue, and the figures of what needed reviewing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import ngettext

from maillage.core.review.decisions import describe_decision
from maillage.core.review.models import (
    REMOVED_STATES,
    ReviewAction,
    ReviewRecord,
    ReviewState,
    kind_label,
)
from maillage.core.review.registry import models_with_own_reviewers, reviewable_for


@dataclass
class QueueItem:
    record: ReviewRecord
    excerpt: str
    url: str
    decision_text: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.record.kind)


def review_queue() -> QuerySet[ReviewRecord]:
    """Held contributions first (oldest first: they wait), then the sampled ones. Content whose
    app names its own reviewers (an institution's posts) is reviewed in that app's queue."""
    own = [ContentType.objects.get_for_model(model).pk for model in models_with_own_reviewers()]
    return (
        ReviewRecord.objects.open()
        .exclude(content_type__in=own)
        .select_related("author", "content_type")
        .prefetch_related("content")
        # "pending" sorts before "sampled": what waits comes first, oldest first.
        .order_by("state", "created_at", "id")
    )


def queue_items(records: list[ReviewRecord]) -> list[QueueItem]:
    items = []
    for record in records:
        reviewable = reviewable_for(record.content_type.model_class())
        content = record.content
        excerpt = url = ""
        if reviewable is not None and content is not None:
            excerpt = reviewable.describe(content)
            url = reviewable.url(content)
        items.append(
            QueueItem(
                record=record,
                excerpt=excerpt,
                url=url,
                decision_text=describe_decision(record.action, record.reasons),
            )
        )
    return items


# --- figures ----------------------------------------------------------------------------------

_WITHOUT_REVIEW = Q(action__in=[ReviewAction.PUBLISH, ReviewAction.PUBLISH_THEN_SAMPLE])
_HELD = Q(action=ReviewAction.HOLD)
_REMOVED = Q(state__in=REMOVED_STATES)
_RESOLVED_HOLD = Q(action=ReviewAction.HOLD, resolved_at__isnull=False) & ~Q(
    state=ReviewState.PENDING
)

_COUNTS = {
    "total": Count("id"),
    "without_review": Count("id", filter=_WITHOUT_REVIEW),
    "held": Count("id", filter=_HELD),
    "removed": Count("id", filter=_REMOVED),
    "resolved_holds": Count("id", filter=_RESOLVED_HOLD),
}


def duration_text(duration: timedelta) -> str:
    """A rounded, readable duration: "3 days", "5 hours", "12 minutes"."""
    seconds = duration.total_seconds()
    if seconds >= 2 * 86400:
        days = round(seconds / 86400)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if seconds >= 3600:
        hours = round(seconds / 3600)
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, round(seconds / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@dataclass
class FigureRow:
    label: str
    total: int
    without_review: int
    held: int
    removed: int
    median_held: timedelta | None = None
    month: datetime | None = None

    def share(self, count: int) -> float:
        return 100 * count / self.total if self.total else 0.0

    @property
    def median_held_text(self) -> str:
        return duration_text(self.median_held) if self.median_held is not None else ""

    @property
    def without_review_share(self) -> float:
        return self.share(self.without_review)

    @property
    def held_share(self) -> float:
        return self.share(self.held)

    @property
    def removed_share(self) -> float:
        return self.share(self.removed)


@dataclass
class ReviewFigures:
    overall: FigureRow
    per_kind: list[FigureRow]
    per_month: list[FigureRow]


def _median_held(records: QuerySet[ReviewRecord], count: int) -> timedelta | None:
    """The median time a held contribution waited, read from the middle rows only."""
    if not count:
        return None
    durations = list(
        records.filter(_RESOLVED_HOLD)
        .annotate(
            waited=ExpressionWrapper(
                F("resolved_at") - F("created_at"), output_field=DurationField()
            )
        )
        .order_by("waited", "id")
        .values_list("waited", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    if not durations:
        return None
    return sum(durations, timedelta()) / len(durations)


def review_figures(*, months: int = 12) -> ReviewFigures:
    """Shares published without review, held and removed, overall, per kind and per month.

    Aggregation queries only: one for the totals, one per kind, one per month, and two rows read
    for each median (one query per kind, plus one overall).
    """
    records = ReviewRecord.objects.all()
    totals = records.aggregate(**_COUNTS)
    overall = FigureRow(
        label="",
        total=totals["total"],
        without_review=totals["without_review"],
        held=totals["held"],
        removed=totals["removed"],
        median_held=_median_held(records, totals["resolved_holds"]),
    )
    per_kind = []
    for row in records.values("kind").annotate(**_COUNTS).order_by("kind"):
        per_kind.append(
            FigureRow(
                label=kind_label(row["kind"]),
                total=row["total"],
                without_review=row["without_review"],
                held=row["held"],
                removed=row["removed"],
                median_held=_median_held(records.filter(kind=row["kind"]), row["resolved_holds"]),
            )
        )
    per_month = []
    for row in (
        records.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(**_COUNTS)
        .order_by("-month")[:months]
    ):
        per_month.append(
            FigureRow(
                label="",
                total=row["total"],
                without_review=row["without_review"],
                held=row["held"],
                removed=row["removed"],
                month=row["month"],
            )
        )
    return ReviewFigures(overall=overall, per_kind=per_kind, per_month=per_month)
