"""The calendar of scheduled and published posts, per channel and day, with each week's count
against the channel's target: a gap below it, a burst well above it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from maillage.voices.models import Channel, Delivery, PostState, Space

SHOWN_STATES = (PostState.SCHEDULED, PostState.PUBLISHED, PostState.FAILED, PostState.HELD)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def status_against(count: int, target: int) -> str:
    """ "gap" below the target, "burst" at more than one and a half times it (and 2 more)."""
    if target and count < target:
        return "gap"
    if count > max(target * 3 // 2, target + 1):
        return "burst"
    return "ok"


@dataclass
class Entry:
    delivery: Delivery

    @property
    def post(self) -> Any:
        return self.delivery.post

    @property
    def when(self) -> datetime | None:
        post = self.delivery.post
        return self.delivery.published_at or post.scheduled_for


@dataclass
class WeekCount:
    start: date
    count: int
    target: int

    @property
    def status(self) -> str:
        return status_against(self.count, self.target)


@dataclass
class ChannelRow:
    channel: Channel
    days: dict[date, list[Entry]] = field(default_factory=dict)
    weeks: list[WeekCount] = field(default_factory=list)

    def cells(self, days: list[date]) -> list[tuple[date, list[Entry]]]:
        return [(day, self.days.get(day, [])) for day in days]


@dataclass
class Calendar:
    view: str
    first: date
    last: date
    days: list[date]
    rows: list[ChannelRow]
    previous: date
    next: date

    @property
    def weeks(self) -> list[list[date]]:
        return [self.days[index : index + 7] for index in range(0, len(self.days), 7)]

    @property
    def week_grids(
        self,
    ) -> list[tuple[list[date], list[tuple[Channel, list[tuple[date, list[Entry]]]]]]]:
        """Each week's days, and for each channel its entries day by day (for the template)."""
        return [
            (week, [(row.channel, row.cells(week)) for row in self.rows]) for week in self.weeks
        ]

    def total_for(self, day: date) -> int:
        return sum(len(row.days.get(day, [])) for row in self.rows)


def calendar_for(
    space: Space,
    *,
    view: str,
    around: date,
    channel_id: int | None = None,
    voice_id: int | None = None,
) -> Calendar:
    """A week (Monday to Sunday) or the weeks covering a month, in the site's time zone."""
    if view == "month":
        first_of_month = around.replace(day=1)
        next_month = (first_of_month + timedelta(days=32)).replace(day=1)
        first = week_start(first_of_month)
        last = week_start(next_month - timedelta(days=1)) + timedelta(days=6)
        previous = (first_of_month - timedelta(days=1)).replace(day=1)
        following = next_month
    else:
        view = "week"
        first = week_start(around)
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)

    channels = list(space.channels.filter(active=True).order_by("name"))
    if channel_id:
        channels = [channel for channel in channels if channel.pk == channel_id]
    deliveries = (
        Delivery.objects.filter(channel__in=channels, post__state__in=SHOWN_STATES)
        .filter(post__scheduled_for__gte=start - timedelta(days=1), post__scheduled_for__lt=end)
        .select_related("post__voice__user", "post__space", "channel")
        .order_by("post__scheduled_for", "pk")
    )
    if voice_id:
        deliveries = deliveries.filter(post__voice_id=voice_id)
    rows = {channel.pk: ChannelRow(channel=channel) for channel in channels}
    weekly: dict[tuple[int, date], int] = defaultdict(int)
    for delivery in deliveries:
        entry = Entry(delivery)
        when = entry.when
        if when is None or not start <= when < end:
            continue
        day = timezone.localtime(when, zone).date()
        rows[delivery.channel_id].days.setdefault(day, []).append(entry)
        weekly[(delivery.channel_id, week_start(day))] += 1
    for row in rows.values():
        row.weeks = [
            WeekCount(
                start=monday,
                count=weekly[(row.channel.pk, monday)],
                target=row.channel.target_per_week,
            )
            for monday in days[::7]
        ]
    return Calendar(
        view=view,
        first=first,
        last=last,
        days=days,
        rows=list(rows.values()),
        previous=previous,
        next=following,
    )
