"""The inbox's figures: how fast the public gets a first answer (median and 90th percentile, per
voice, subject and month), how many hops a question takes, the share answered within the
deadline, questions by channel, and questions routed directly to an expert against those that
went through triage. Computed from two plain queries; no text of a question is read here."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.inbox.models import (
    AnswerState,
    Question,
    QuestionChannel,
    QuestionState,
    Routing,
)
from maillage.voices.models import Space


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class ResponseTimes:
    """First-response times of a group of questions, in hours."""

    label: str
    hours: list[float] = field(default_factory=list)
    questions: int = 0

    @property
    def answered(self) -> int:
        return len(self.hours)

    @property
    def median(self) -> float | None:
        return median(self.hours)

    @property
    def p90(self) -> float | None:
        return percentile(self.hours, 0.9)


@dataclass
class RoutingGroup:
    routing: str
    label: str
    questions: int = 0
    hours: list[float] = field(default_factory=list)
    in_time: int = 0
    decided: int = 0
    hops: int = 0

    @property
    def median(self) -> float | None:
        return median(self.hours)

    @property
    def p90(self) -> float | None:
        return percentile(self.hours, 0.9)

    @property
    def in_time_share(self) -> float | None:
        return 100 * self.in_time / self.decided if self.decided else None

    @property
    def hops_per_question(self) -> float | None:
        return self.hops / self.questions if self.questions else None


@dataclass(frozen=True)
class Row:
    """One question as the figures (and the CSV) see it: no asker, no text."""

    pk: int
    received_at: datetime
    month: str
    channel: str
    routing: str
    topic: str
    voice: str
    hops: int
    state: str
    hours: float | None
    in_time: bool | None


@dataclass
class Figures:
    rows: list[Row]
    by_voice: list[ResponseTimes]
    by_topic: list[ResponseTimes]
    by_month: list[ResponseTimes]
    overall: ResponseTimes
    hops: dict[str, int]
    hops_average: float | None
    in_time: int
    decided: int
    by_channel: list[tuple[str, int]]
    routing: list[RoutingGroup]

    @property
    def in_time_share(self) -> float | None:
        return 100 * self.in_time / self.decided if self.decided else None

    @property
    def total(self) -> int:
        return len(self.rows)


def hours_between(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 3600, 2)


def _in_time(*, deadline: datetime | None, answered: datetime | None, now: datetime) -> bool | None:
    """True or False once known (answered, or the deadline passed without an answer)."""
    if deadline is None:
        return None
    if answered is not None:
        return answered <= deadline
    if deadline < now:
        return False
    return None


def rows_for(space: Space, *, now: datetime | None = None) -> list[Row]:
    """Every question received (spam and unconfirmed ones aside), oldest first: two queries."""
    from maillage.inbox.models import Answer

    now = now or timezone.now()
    first_voice: dict[int, str] = {}
    for question_id, name in (
        Answer.objects.filter(question__space=space, state=AnswerState.SENT)
        .order_by("sent_at", "pk")
        .values_list("question_id", "voice__user__display_name")
    ):
        first_voice.setdefault(question_id, name)
    channels = dict(QuestionChannel.choices)
    routings = dict(Routing.choices)
    rows = []
    for values in (
        Question.objects.filter(space=space)
        .exclude(state__in=(QuestionState.UNCONFIRMED, QuestionState.SPAM))
        .order_by("received_at", "pk")
        .values(
            "pk",
            "received_at",
            "first_answered_at",
            "deadline",
            "channel",
            "routing",
            "topic__name",
            "assignee__user__display_name",
            "hops",
            "state",
        )
    ):
        received = values["received_at"]
        answered = values["first_answered_at"]
        rows.append(
            Row(
                pk=values["pk"],
                received_at=received,
                month=timezone.localtime(received).strftime("%Y-%m"),
                channel=str(channels.get(values["channel"], values["channel"])),
                routing=str(routings.get(values["routing"], "")) if values["routing"] else "",
                topic=values["topic__name"] or "",
                voice=first_voice.get(values["pk"]) or values["assignee__user__display_name"] or "",
                hops=values["hops"],
                state=values["state"],
                hours=hours_between(received, answered) if answered else None,
                in_time=_in_time(deadline=values["deadline"], answered=answered, now=now),
            )
        )
    return rows


def _times(rows: Iterable[Row], key: Any, *, unknown: str) -> list[ResponseTimes]:
    groups: dict[str, ResponseTimes] = {}
    for row in rows:
        label = key(row) or unknown
        group = groups.setdefault(label, ResponseTimes(label=label))
        group.questions += 1
        if row.hours is not None:
            group.hours.append(row.hours)
    return list(groups.values())


def compute(rows: list[Row]) -> Figures:
    overall = ResponseTimes(label=_("All questions"), questions=len(rows))
    overall.hours = [row.hours for row in rows if row.hours is not None]
    by_voice = sorted(
        _times(rows, lambda row: row.voice, unknown=_("nobody yet")), key=lambda g: g.label
    )
    by_topic = sorted(
        _times(rows, lambda row: row.topic, unknown=_("no subject found")),
        key=lambda g: (-g.questions, g.label),
    )
    by_month = sorted(_times(rows, lambda row: row.month, unknown="—"), key=lambda g: g.label)
    hop_counts: Counter[str] = Counter()
    for row in rows:
        hop_counts[str(row.hops) if row.hops < 3 else "3+"] += 1
    hops = {label: hop_counts.get(label, 0) for label in ("0", "1", "2", "3+")}
    decided = [row for row in rows if row.in_time is not None]
    channel_counts = Counter(row.channel for row in rows)
    routing_groups: dict[str, RoutingGroup] = {}
    labels = dict(Routing.choices)
    for value in (Routing.ADDRESSED, Routing.DIRECT, Routing.TRIAGE):
        routing_groups[str(labels[value])] = RoutingGroup(routing=value, label=str(labels[value]))
    for row in rows:
        group = routing_groups.get(row.routing)
        if group is None:
            continue
        group.questions += 1
        group.hops += row.hops
        if row.hours is not None:
            group.hours.append(row.hours)
        if row.in_time is not None:
            group.decided += 1
            group.in_time += int(row.in_time)
    return Figures(
        rows=rows,
        by_voice=by_voice,
        by_topic=by_topic,
        by_month=by_month,
        overall=overall,
        hops=hops,
        hops_average=(sum(row.hops for row in rows) / len(rows)) if rows else None,
        in_time=sum(1 for row in decided if row.in_time),
        decided=len(decided),
        by_channel=sorted(channel_counts.items(), key=lambda item: (-item[1], item[0])),
        routing=list(routing_groups.values()),
    )


def figures_for(space: Space, *, now: datetime | None = None) -> Figures:
    return compute(rows_for(space, now=now))


def hours_text(hours: float | None) -> str:
    """« 3 h 20 », « 2 j 4 h » (calendar days past 48 hours), « — » when unknown."""
    if hours is None:
        return "—"
    minutes = round(hours * 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    if hours < 48:
        whole, rest = divmod(minutes, 60)
        return _("%(hours)s h %(minutes)02d") % {"hours": whole, "minutes": rest}
    days, rest = divmod(round(hours), 24)
    return _("%(days)s d %(hours)s h") % {"days": days, "hours": rest}


CSV_HEADER = [
    "question",
    "received",
    "month",
    "channel",
    "routing",
    "subject",
    "voice",
    "hops",
    "state",
    "first_response_hours",
    "within_deadline",
]


def csv_rows(figures: Figures) -> Iterable[list[str]]:
    yield CSV_HEADER
    for row in figures.rows:
        yield [
            str(row.pk),
            timezone.localtime(row.received_at).isoformat(timespec="minutes"),
            row.month,
            row.channel,
            row.routing,
            row.topic,
            row.voice,
            str(row.hops),
            row.state,
            "" if row.hours is None else f"{row.hours:.2f}",
            "" if row.in_time is None else ("yes" if row.in_time else "no"),
        ]
