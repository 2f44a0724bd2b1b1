"""The demo museum loads, twice the same, and its figures show something."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.review import ReviewRecord
from maillage.members.demo import load_members
from maillage.voices.demo import POSTS, load_voices
from maillage.voices.figures import default_period, figures_for
from maillage.voices.models import Delivery, Post, Space, StrategyVersion, Voice

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Space.objects.count(),
        Voice.objects.count(),
        Post.objects.count(),
        Delivery.objects.count(),
        StrategyVersion.objects.count(),
        ReviewRecord.objects.count(),
    )


def test_the_demo_loads_twice_the_same(db: Any) -> None:
    load_members()
    load_voices()
    first = counts()
    load_voices()
    assert counts() == first
    assert first[1] == 4 and first[2] == len(POSTS)

    space = Space.objects.get()
    assert space.audiences.count() == 3
    states = set(Post.objects.values_list("state", flat=True))
    assert states == {"published", "held", "rejected"}

    figures = figures_for(
        space,
        default_period(space, weeks=4),
        tone_labels={},
        weekday_labels=["1", "2", "3", "4", "5", "6", "7"],
    )
    assert figures.review.held and figures.review.without_review > figures.review.held
    tones = {row.label: row.average for row in figures.by_tone}
    assert tones["humorous"] > tones["informative"]
    assert any(
        status == "gap"
        for channel in figures.channel_weeks
        for _w, _c, status in channel.statuses()
    )


def test_the_demo_pages_answer(db: Any) -> None:
    load_members()
    load_voices()
    space = Space.objects.get()
    client = Client()
    assert client.get(space.get_absolute_url()).status_code == 200
    client.force_login(space.memberships.get(role="admin").user)
    for name in ("home", "strategy", "channels", "calendar", "figures", "queue", "team"):
        assert (
            client.get(reverse(f"voices:{name}", kwargs={"space": space.slug})).status_code == 200
        )
