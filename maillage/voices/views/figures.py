"""The calendar (week, month) and the figures page with its charts, tables and CSV export."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.voices import permissions
from maillage.voices.calendar import calendar_for
from maillage.voices.charts import bar_chart
from maillage.voices.figures import Figures, Period, default_period, figures_for
from maillage.voices.models import Post, PostState, Space, Tone
from maillage.voices.views.common import space_context, space_page

# Django's own catalogue has these words.
WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@space_page(permissions.is_member)
def calendar(request: HttpRequest, space: Space) -> HttpResponse:
    around = parse_date(request.GET.get("date", "") or "") or timezone.localdate()
    view = "month" if request.GET.get("vue") == "mois" else "week"
    result = calendar_for(
        space,
        view=view,
        around=around,
        channel_id=_int(request.GET.get("canal")),
        voice_id=_int(request.GET.get("voix")),
    )
    context = {
        **space_context(space, request.user),
        "calendar": result,
        "around": around,
        "channels": space.channels.filter(active=True).order_by("name"),
        "voices": space.voices.select_related("user"),
        "channel_id": _int(request.GET.get("canal")),
        "voice_id": _int(request.GET.get("voix")),
        "today": timezone.localdate(),
    }
    return render(request, "voices/calendar.html", context)


def _weekday_labels() -> list[str]:
    return [str(day) for day in WEEKDAYS]


def _period(request: HttpRequest, space: Space) -> Period:
    until = parse_date(request.GET.get("jusqu_au", "") or "")
    weeks = min(max(_int(request.GET.get("semaines")) or 8, 1), 52)
    if until is None:
        return default_period(space, weeks=weeks)
    return Period(first=until - timedelta(days=until.weekday() + 7 * (weeks - 1)), weeks=weeks)


def _figures(request: HttpRequest, space: Space) -> Figures:
    return figures_for(
        space,
        _period(request, space),
        tone_labels={value: str(label) for value, label in Tone.choices},
        weekday_labels=_weekday_labels(),
    )


def _charts(figures: Figures) -> dict[str, Any]:
    week_label = _("week of %(date)s")
    return {
        "channels": [
            bar_chart(
                channel.name,
                [
                    (week_label % {"date": date_format(monday, "j M")}, count)
                    for monday, count in channel.counts
                ],
                target=channel.target,
                target_label=_("target: %(count)d a week") % {"count": channel.target},
            )
            for channel in figures.channel_weeks
        ],
        "audiences": bar_chart(
            _("Share of posts per audience"),
            [(share.label, share.percent) for share in figures.audiences],
            suffix=" %",
        ),
        "messages": bar_chart(
            _("Share of posts per key message"),
            [(share.label, share.percent) for share in figures.messages],
            suffix=" %",
        ),
        "tone": bar_chart(
            _("Engagement per post, by tone"),
            [(row.label, row.average) for row in figures.by_tone],
            decimals=1,
        ),
        "weekday": bar_chart(
            _("Engagement per post, by weekday"),
            [(row.label, row.average) for row in figures.by_weekday],
            decimals=1,
        ),
        "hour": bar_chart(
            _("Engagement per post, by hour"),
            [(row.label, row.average) for row in figures.by_hour],
            decimals=1,
        ),
        "voice": bar_chart(
            _("Engagement per post, by voice"),
            [(row.label, row.average) for row in figures.by_voice],
            decimals=1,
        ),
    }


@space_page(permissions.can_see_figures)
def figures(request: HttpRequest, space: Space) -> HttpResponse:
    result = _figures(request, space)
    context = {
        **space_context(space, request.user),
        "figures": result,
        "charts": _charts(result),
        "previous_until": result.period.first - timedelta(days=1),
        "next_until": result.period.last + timedelta(days=7 * result.period.weeks),
    }
    return render(request, "voices/figures.html", context)


@space_page(permissions.can_see_figures)
def figures_csv(request: HttpRequest, space: Space) -> HttpResponse:
    """One line per published post of the period and channel: what the charts are made of."""
    period = _period(request, space)
    start, end = period.bounds()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{space.slug}-{period.first:%Y-%m-%d}-{period.last:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # spreadsheet programs read UTF-8 from the byte order mark
    writer = csv.writer(response)
    writer.writerow(
        [
            _("published"),
            _("voice"),
            _("channel"),
            _("audience"),
            _("key message"),
            _("tone"),
            _("topics"),
            _("review decision"),
            _("held (minutes)"),
            _("replies"),
            _("reposts"),
            _("favourites"),
            _("reactions"),
            _("repost of"),
        ]
    )
    posts = (
        Post.objects.filter(
            space=space, state=PostState.PUBLISHED, published_at__gte=start, published_at__lt=end
        )
        .select_related("voice__user", "audience", "key_message")
        .prefetch_related("tags", "deliveries__channel", "reactions")
        .order_by("published_at", "pk")
    )
    for post in posts:
        held = ""
        if post.review_action == "hold" and post.decided_at and post.submitted_at:
            held = str(round((post.decided_at - post.submitted_at).total_seconds() / 60))
        for delivery in post.deliveries.all():
            writer.writerow(
                [
                    timezone.localtime(delivery.published_at or post.published_at).isoformat(),
                    post.voice.name,
                    delivery.channel.name,
                    post.audience.name if post.audience else "",
                    post.key_message.text if post.key_message else "",
                    post.get_tone_display(),
                    ", ".join(tag.name for tag in post.tags.all()),
                    post.review_action,
                    held,
                    delivery.replies,
                    delivery.reposts,
                    delivery.favourites,
                    len(post.reactions.all()),
                    post.repost_of_id or "",
                ]
            )
    return response
