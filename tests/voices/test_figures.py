"""Figures computed on fixed data: posts per week per channel against target, shares per
audience and key message, engagement by tone, weekday, hour and voice, review shares; the
calendar's gaps and bursts; the charts' geometry; the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from maillage.core.review import ReviewRecord
from maillage.voices.calendar import calendar_for, status_against
from maillage.voices.charts import bar_chart
from maillage.voices.figures import Period, figures_for
from maillage.voices.models import Post
from tests.factories import (
    AudienceFactory,
    ChannelFactory,
    DeliveryFactory,
    KeyMessageFactory,
    PostFactory,
    ReactionFactory,
)
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
WEEK_1 = date(2014, 3, 24)  # a Monday
TONES = {"warm": "warm", "humorous": "humorous", "informative": "informative"}
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def post(
    museum: Museum,
    when: datetime,
    *,
    voice: Any = None,
    tone: str = "warm",
    audience: Any = None,
    message: Any = None,
    channels: tuple[Any, ...] = (),
    engagement: tuple[int, int, int] = (0, 0, 0),
    action: str = "publish_then_sample",
    state: str = "auto_published",
    held_minutes: int = 0,
) -> Post:
    submitted = when - timedelta(minutes=held_minutes)
    item = PostFactory(
        voice=voice or museum.camille,
        state="published",
        tone=tone,
        audience=audience or museum.audience,
        key_message=message or museum.message,
        scheduled_for=when,
        published_at=when,
        submitted_at=submitted,
        decided_at=when,
        review_action=action,
    )
    for channel in channels or (museum.site,):
        replies, reposts, favourites = engagement if channel.kind == "mastodon" else (0, 0, 0)
        DeliveryFactory(
            post=item,
            channel=channel,
            state="published",
            published_at=when,
            replies=replies,
            reposts=reposts,
            favourites=favourites,
        )
    ReviewRecord.objects.create(
        content_type=ContentType.objects.get_for_model(Post),
        object_id=item.pk,
        kind="post",
        author=item.author,
        action=action,
        reasons=[],
        state=state,
        created_at=submitted,
        resolved_at=when if action == "hold" else None,
    )
    return item


@pytest.fixture
def scenario(museum: Museum) -> dict[str, Any]:
    mastodon = ChannelFactory(
        space=museum.space, kind="mastodon", name="Mastodon", target_per_week=2
    )
    schools = AudienceFactory(space=museum.space, name="Scolaires")
    teachers = KeyMessageFactory(audience=schools, text="Des ateliers pour les classes")

    def at(day: int, hour: int) -> datetime:
        return datetime.combine(
            WEEK_1 + timedelta(days=day), datetime.min.time(), tzinfo=PARIS
        ).replace(hour=hour)

    # Week 1: 3 posts on the site (target 3), 3 on Mastodon (target 2).
    post(museum, at(0, 10), tone="warm", channels=(museum.site, mastodon), engagement=(1, 2, 3))
    post(
        museum, at(2, 10), tone="humorous", channels=(museum.site, mastodon), engagement=(4, 5, 11)
    )
    post(
        museum,
        at(2, 18),
        tone="humorous",
        voice=museum.yann,
        channels=(museum.site, mastodon),
        engagement=(0, 0, 0),
        action="hold",
        state="approved",
        held_minutes=90,
        audience=schools,
        message=teachers,
    )
    # Week 2: one post only (a gap on both).
    reacted = post(
        museum,
        at(8, 10),
        tone="informative",
        channels=(mastodon,),
        engagement=(0, 1, 1),
        action="hold",
        state="expired_published",
        held_minutes=150,
    )
    ReactionFactory(post=reacted)
    ReactionFactory(post=reacted)
    return {"mastodon": mastodon, "schools": schools}


def test_figures_on_fixed_data(museum: Museum, scenario: dict[str, Any]) -> None:
    figures = figures_for(
        museum.space, Period(first=WEEK_1, weeks=2), tone_labels=TONES, weekday_labels=DAYS
    )

    by_channel = {row.name: row for row in figures.channel_weeks}
    assert by_channel["Nos pages"].counts == [(WEEK_1, 3), (WEEK_1 + timedelta(days=7), 0)]
    assert by_channel["Mastodon"].counts == [(WEEK_1, 3), (WEEK_1 + timedelta(days=7), 1)]
    assert [status for _w, _c, status in by_channel["Mastodon"].statuses()] == ["ok", "gap"]

    audiences = {share.label: (share.count, round(share.percent)) for share in figures.audiences}
    assert audiences == {"Familles": (3, 75), "Scolaires": (1, 25)}
    assert {share.label for share in figures.messages} == {
        "Le muséum se visite en famille",
        "Des ateliers pour les classes",
    }

    tones = {row.label: (row.posts, row.engagement) for row in figures.by_tone}
    assert tones == {"warm": (1, 6), "humorous": (2, 20), "informative": (1, 4)}
    weekdays = {row.label: (row.posts, row.engagement) for row in figures.by_weekday}
    assert weekdays["Mon"] == (1, 6) and weekdays["Wed"] == (2, 20) and weekdays["Tue"] == (1, 4)
    assert weekdays["Sun"] == (0, 0)
    hours = {row.label: (row.posts, row.engagement) for row in figures.by_hour}
    assert hours == {"10 h": (3, 30), "18 h": (1, 0)}
    voices = {row.label: (row.posts, row.engagement) for row in figures.by_voice}
    assert voices == {"Camille Le Goff": (3, 30), "Yann Morvan": (1, 0)}

    review = figures.review
    assert (review.submitted, review.without_review, review.held) == (4, 2, 2)
    assert review.without_review_share == 50
    assert review.median_held == timedelta(minutes=120)


def test_only_the_period_counts(museum: Museum, scenario: dict[str, Any]) -> None:
    figures = figures_for(
        museum.space,
        Period(first=WEEK_1 + timedelta(days=7), weeks=1),
        tone_labels=TONES,
        weekday_labels=DAYS,
    )
    assert sum(share.count for share in figures.audiences) == 1


def test_the_calendar_shows_gaps_and_bursts(museum: Museum, scenario: dict[str, Any]) -> None:
    week = calendar_for(museum.space, view="week", around=WEEK_1 + timedelta(days=3))
    rows = {row.channel.name: row for row in week.rows}
    assert week.first == WEEK_1 and len(week.days) == 7
    assert [entry.post.tone for entry in rows["Nos pages"].days[WEEK_1 + timedelta(days=2)]] == [
        "humorous",
        "humorous",
    ]
    assert rows["Nos pages"].weeks[0].status == "ok"
    month = calendar_for(museum.space, view="month", around=date(2014, 3, 10))
    assert month.first == date(2014, 2, 24) and month.last == date(2014, 4, 6)
    assert len(month.weeks) == 6
    only_yann = calendar_for(museum.space, view="week", around=WEEK_1, voice_id=museum.yann.pk)
    assert sum(len(entries) for row in only_yann.rows for entries in row.days.values()) == 2
    assert status_against(0, 3) == "gap"
    assert status_against(3, 3) == "ok"
    assert status_against(5, 3) == "burst"
    assert status_against(2, 0) == "burst"


def test_bar_chart_geometry() -> None:
    chart = bar_chart("Titre", [("a", 2), ("b", 4)], target=3, target_label="3 par semaine")
    assert [bar.width for bar in chart.bars] == [125.0, 250.0]
    assert chart.target_x == 187.5
    assert chart.height == 68


def test_the_figures_page_and_its_csv(museum: Museum, scenario: dict[str, Any]) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(museum.camille.user)
    page = client.get(
        reverse("voices:figures", kwargs={"space": museum.space.slug}),
        {"jusqu_au": "2014-04-06", "semaines": "2"},
    )
    content = page.content.decode()
    assert (
        content.count("<svg") == 8
    )  # two channels, audiences, messages, tone, weekday, hour, voice
    assert "50 %" in content
    response = client.get(
        reverse("voices:figures_csv", kwargs={"space": museum.space.slug}),
        {"jusqu_au": "2014-04-06", "semaines": "2"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["published", "voice", "channel"]
    assert len(rows) == 1 + 7  # one line per post and channel
    held_minutes = sorted(row[8] for row in rows[1:] if row[8])
    assert held_minutes == ["150", "90", "90"]
