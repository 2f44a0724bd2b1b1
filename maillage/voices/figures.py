"""The figures of a space, computed in SQL: is the strategy followed (posts per channel against
target, per audience and key message), what engages (tone, weekday, hour, voice), and how little
needed reviewing (published without review, time held, sampled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, TruncDate
from django.utils import timezone

from maillage.core.review import ReviewAction, ReviewRecord, ReviewState
from maillage.voices.calendar import status_against, week_start
from maillage.voices.models import Delivery, DeliveryState, Post, PostState, Reaction, Space

DEFAULT_WEEKS = 8


@dataclass
class Period:
    first: date  # a Monday
    weeks: int

    @property
    def last(self) -> date:
        return self.first + timedelta(days=7 * self.weeks - 1)

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.first, time.min, tzinfo=zone),
            datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone),
        )

    @property
    def mondays(self) -> list[date]:
        return [self.first + timedelta(days=7 * index) for index in range(self.weeks)]


def default_period(space: Space, *, weeks: int = DEFAULT_WEEKS) -> Period:
    """The weeks ending with the space's latest published post (or this week)."""
    latest = (
        Post.objects.filter(space=space, state=PostState.PUBLISHED)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    end = timezone.localtime(latest).date() if latest else timezone.localdate()
    first = week_start(end) - timedelta(days=7 * (weeks - 1))
    # No empty weeks before the space's first post.
    earliest = (
        Post.objects.filter(space=space, state=PostState.PUBLISHED, published_at__isnull=False)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if earliest is not None:
        first = max(first, week_start(timezone.localtime(earliest).date()))
    return Period(first=first, weeks=(week_start(end) - first).days // 7 + 1)


@dataclass
class ChannelWeeks:
    name: str
    target: int
    counts: list[tuple[date, int]]

    @property
    def average(self) -> float:
        return sum(count for _week, count in self.counts) / len(self.counts) if self.counts else 0

    def statuses(self) -> list[tuple[date, int, str]]:
        return [(week, count, status_against(count, self.target)) for week, count in self.counts]


@dataclass
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0


@dataclass
class EngagementRow:
    label: str
    posts: int
    engagement: int

    @property
    def average(self) -> float:
        return self.engagement / self.posts if self.posts else 0.0


@dataclass
class ReviewFigures:
    submitted: int = 0
    without_review: int = 0
    held: int = 0
    sampled: int = 0
    median_held: timedelta | None = None

    def share(self, count: int) -> float:
        return 100 * count / self.submitted if self.submitted else 0.0

    @property
    def median_held_text(self) -> str:
        from maillage.core.review.selectors import duration_text

        return duration_text(self.median_held) if self.median_held is not None else ""

    @property
    def without_review_share(self) -> float:
        return self.share(self.without_review)

    @property
    def held_share(self) -> float:
        return self.share(self.held)

    @property
    def sampled_share(self) -> float:
        return 100 * self.sampled / self.without_review if self.without_review else 0.0


@dataclass
class Figures:
    period: Period
    channel_weeks: list[ChannelWeeks] = field(default_factory=list)
    audiences: list[Share] = field(default_factory=list)
    messages: list[Share] = field(default_factory=list)
    by_tone: list[EngagementRow] = field(default_factory=list)
    by_weekday: list[EngagementRow] = field(default_factory=list)
    by_hour: list[EngagementRow] = field(default_factory=list)
    by_voice: list[EngagementRow] = field(default_factory=list)
    review: ReviewFigures = field(default_factory=ReviewFigures)


def published_in(space: Space, period: Period) -> QuerySet[Post]:
    start, end = period.bounds()
    return Post.objects.filter(
        space=space, state=PostState.PUBLISHED, published_at__gte=start, published_at__lt=end
    )


def posts_per_week_per_channel(space: Space, period: Period) -> list[ChannelWeeks]:
    start, end = period.bounds()
    zone = timezone.get_current_timezone()
    rows = (
        Delivery.objects.filter(
            channel__space=space,
            state=DeliveryState.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
        )
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .values("channel_id", "day")
        .annotate(count=Count("id"))
    )
    counts: dict[tuple[int, date], int] = {}
    for row in rows:
        key = (row["channel_id"], week_start(row["day"]))
        counts[key] = counts.get(key, 0) + row["count"]
    result = []
    for channel in space.channels.filter(active=True).order_by("name"):
        result.append(
            ChannelWeeks(
                name=channel.name,
                target=channel.target_per_week,
                counts=[(monday, counts.get((channel.pk, monday), 0)) for monday in period.mondays],
            )
        )
    return result


def _shares(posts: QuerySet[Post], field_name: str, *, empty: str) -> list[Share]:
    rows = list(posts.values(field_name).annotate(count=Count("id")).order_by("-count", field_name))
    total = sum(row["count"] for row in rows)
    return [Share(label=row[field_name] or empty, count=row["count"], total=total) for row in rows]


def _with_engagement(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Each post with its engagement: replies, reposts and favourites read from the channels,
    and the members' reactions here (subqueries: no join multiplies the rows)."""
    channel_sum = (
        Delivery.objects.filter(post=OuterRef("pk"))
        .values("post")
        .annotate(total=Sum(F("replies") + F("reposts") + F("favourites")))
        .values("total")
    )
    reactions = (
        Reaction.objects.filter(post=OuterRef("pk"))
        .values("post")
        .annotate(total=Count("id"))
        .values("total")
    )
    return posts.annotate(
        engagement=Coalesce(Subquery(channel_sum, output_field=IntegerField()), Value(0))
        + Coalesce(Subquery(reactions, output_field=IntegerField()), Value(0))
    )


def _engagement_by(posts: QuerySet[Post], key: str) -> list[tuple[object, int, int]]:
    rows = (
        _with_engagement(posts)
        .values(key)
        .annotate(posts=Count("id"), total=Sum("engagement"))
        .order_by(key)
    )
    return [(row[key], row["posts"], row["total"] or 0) for row in rows]


def review_figures(space: Space, period: Period) -> ReviewFigures:
    start, end = period.bounds()
    posts = Post.objects.filter(
        space=space, repost_of__isnull=True, submitted_at__gte=start, submitted_at__lt=end
    )
    records = ReviewRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Post),
        object_id__in=posts.values("pk"),
    )
    direct = [ReviewAction.PUBLISH, ReviewAction.PUBLISH_THEN_SAMPLE]
    totals = records.aggregate(
        submitted=Count("id"),
        without_review=Count("id", filter=Q(action__in=direct)),
        held=Count("id", filter=Q(action=ReviewAction.HOLD)),
        sampled=Count(
            "id",
            filter=Q(action=ReviewAction.PUBLISH_THEN_SAMPLE)
            & ~Q(state=ReviewState.AUTO_PUBLISHED),
        ),
    )
    waits = sorted(
        resolved - created
        for created, resolved in records.filter(
            action=ReviewAction.HOLD, resolved_at__isnull=False
        ).values_list("created_at", "resolved_at")
        if resolved is not None
    )
    middle = None
    if waits:
        half = len(waits) // 2
        middle = waits[half] if len(waits) % 2 else (waits[half - 1] + waits[half]) / 2
    return ReviewFigures(
        submitted=totals["submitted"],
        without_review=totals["without_review"],
        held=totals["held"],
        sampled=totals["sampled"],
        median_held=middle,
    )


def figures_for(
    space: Space, period: Period, *, tone_labels: dict[str, str], weekday_labels: list[str]
) -> Figures:
    zone = timezone.get_current_timezone()
    posts = published_in(space, period).filter(repost_of__isnull=True)
    figures = Figures(period=period)
    figures.channel_weeks = posts_per_week_per_channel(space, period)
    figures.audiences = _shares(posts, "audience__name", empty="—")
    figures.messages = _shares(posts, "key_message__text", empty="—")
    figures.by_tone = [
        EngagementRow(tone_labels.get(str(tone), str(tone)), count, total)
        for tone, count, total in _engagement_by(posts, "tone")
    ]
    by_day = dict(
        (int(day), (count, total))  # type: ignore[call-overload]
        for day, count, total in _engagement_by(
            posts.annotate(weekday=ExtractIsoWeekDay("published_at", tzinfo=zone)), "weekday"
        )
    )
    figures.by_weekday = [
        EngagementRow(weekday_labels[day - 1], *by_day.get(day, (0, 0))) for day in range(1, 8)
    ]
    figures.by_hour = [
        EngagementRow(f"{int(hour):02d} h", count, total)  # type: ignore[call-overload]
        for hour, count, total in _engagement_by(
            posts.annotate(hour=ExtractHour("published_at", tzinfo=zone)), "hour"
        )
    ]
    figures.by_voice = [
        EngagementRow(str(name), count, total)
        for name, count, total in _engagement_by(posts, "voice__user__display_name")
    ]
    figures.review = review_figures(space, period)
    return figures
