"""The figures on fixed data: first-response median and 90th percentile per voice, subject and
month, hops per question, the share answered within the deadline, questions by channel, direct
routing against triage, the chart and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from maillage.inbox import charts, figures
from maillage.inbox.models import Question
from tests.factories import InboxAnswerFactory, QuestionFactory, TagFactory
from tests.inbox.conftest import Museum

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2014, 6, 1, 12, tzinfo=PARIS)


def test_median_and_nearest_rank_percentile() -> None:
    assert figures.median([]) is None and figures.percentile([], 0.9) is None
    assert figures.median([5, 1, 3]) == 3
    assert figures.median([4, 1, 3, 2]) == 2.5
    values = list(range(1, 11))  # 1..10
    assert figures.percentile(values, 0.9) == 9
    assert figures.percentile(values, 0.5) == 5
    assert figures.percentile([7], 0.9) == 7
    assert figures.percentile(list(range(1, 21)), 0.9) == 18


def test_hours_as_people_read_them() -> None:
    assert figures.hours_text(None) == "—"
    assert figures.hours_text(0.5) == "30 min"
    assert figures.hours_text(3 + 20 / 60) == "3 h 20"
    assert figures.hours_text(50) == "2 d 2 h"


# (received, hours to the first answer or None, deadline after (hours), routing, hops, channel,
#  topic, voice who answered first)
FIXED: list[tuple[datetime, float | None, float, str, int, str, str, str]] = [
    (datetime(2014, 4, 1, 10, tzinfo=PARIS), 2, 24, "direct", 0, "form", "insectes", "camille"),
    (datetime(2014, 4, 2, 10, tzinfo=PARIS), 4, 24, "direct", 0, "email", "insectes", "camille"),
    (datetime(2014, 4, 3, 10, tzinfo=PARIS), 30, 24, "direct", 1, "form", "insectes", "camille"),
    (datetime(2014, 4, 10, 10, tzinfo=PARIS), 1, 24, "addressed", 0, "form", "squelettes", "lucie"),
    (datetime(2014, 5, 5, 10, tzinfo=PARIS), 48, 24, "triage", 2, "email", "", "thomas"),
    (datetime(2014, 5, 6, 10, tzinfo=PARIS), 10, 24, "triage", 1, "connector", "visites", "thomas"),
    (datetime(2014, 5, 7, 10, tzinfo=PARIS), None, 24, "triage", 0, "form", "", ""),  # late
    (
        datetime(2014, 5, 31, 20, tzinfo=PARIS),
        None,
        24,
        "direct",
        0,
        "form",
        "herbiers",
        "",
    ),  # open
]


@pytest.fixture
def fixed(museum: Museum) -> list[Question]:
    voices = {"camille": museum.camille, "lucie": museum.lucie, "thomas": museum.thomas}
    made = []
    for received, hours, due, routing, hops, channel, topic, who in FIXED:
        answered = received + timedelta(hours=hours) if hours is not None else None
        assignee = voices.get(who) or museum.yannick
        question = QuestionFactory(
            space=museum.space,
            received_at=received,
            deadline=received + timedelta(hours=due),
            first_answered_at=answered,
            routing=routing,
            hops=hops,
            channel=channel,
            topic=TagFactory(name=topic) if topic else None,
            state="answered" if answered else "assigned",
            assignee=assignee,
        )
        if answered:
            InboxAnswerFactory(question=question, voice=voices[who], sent_at=answered)
        made.append(question)
    # Spam and unconfirmed questions count nowhere.
    QuestionFactory(space=museum.space, state="spam", received_at=NOW - timedelta(days=3))
    QuestionFactory(space=museum.space, state="unconfirmed", received_at=NOW - timedelta(days=3))
    return made


def test_figures_on_fixed_data(museum: Museum, fixed: list[Question]) -> None:
    result = figures.figures_for(museum.space, now=NOW)
    assert result.total == 8
    assert result.overall.answered == 6
    assert result.overall.median == 7  # 1, 2, 4, 10, 30, 48
    assert result.overall.p90 == 48
    by_voice = {group.label: group for group in result.by_voice}
    assert by_voice["Camille Le Goff"].hours == [2, 4, 30]
    assert by_voice["Camille Le Goff"].median == 4 and by_voice["Camille Le Goff"].p90 == 30
    assert by_voice["Lucie Bréhat"].median == 1
    assert by_voice["Thomas Berthelot"].median == 29 and by_voice["Thomas Berthelot"].questions == 2
    # The two unanswered ones are with Yannick (assigned, no answer yet).
    assert (
        by_voice["Yannick Ollivier"].questions == 2 and by_voice["Yannick Ollivier"].median is None
    )
    by_topic = {group.label: group for group in result.by_topic}
    assert by_topic["insectes"].questions == 3 and by_topic["insectes"].median == 4
    assert by_topic["no subject found"].questions == 2
    assert by_topic["no subject found"].hours == [48]
    assert [(g.label, g.questions, g.median) for g in result.by_month] == [
        ("2014-04", 4, 3.0),
        ("2014-05", 4, 29.0),
    ]
    assert result.hops == {"0": 5, "1": 2, "2": 1, "3+": 0}
    assert result.hops_average == pytest.approx(4 / 8)
    # Known: 6 answered (4 in time: 2, 4, 1, 10 h) and the late one; the open one is not known.
    assert (result.in_time, result.decided) == (4, 7)
    assert result.in_time_share == pytest.approx(400 / 7)
    assert result.by_channel == [
        ("form on our pages", 5),
        ("email", 2),
        ("reply or mention on a network", 1),
    ]
    routing = {group.routing: group for group in result.routing}
    assert routing["direct"].questions == 4 and routing["direct"].median == 4
    assert routing["direct"].in_time_share == pytest.approx(200 / 3)
    assert routing["direct"].hops_per_question == pytest.approx(0.25)
    assert routing["triage"].questions == 3 and routing["triage"].median == 29
    assert routing["triage"].in_time_share == pytest.approx(100 / 3)
    assert routing["triage"].hops_per_question == 1
    assert routing["addressed"].questions == 1 and routing["addressed"].in_time_share == 100


def test_the_routing_chart_compares_direct_and_triage(
    museum: Museum, fixed: list[Question]
) -> None:
    drawn = charts.routing_charts(figures.figures_for(museum.space, now=NOW))
    medians = {bar.label: bar for bar in drawn[0].bars}
    assert medians["routed directly to an expert"].value == 4
    assert medians["through triage"].value == 29
    assert medians["through triage"].width == 250  # the longest bar fills the space
    assert medians["routed directly to an expert"].shown == "4,0 h"


def test_figures_page_and_csv(client: Client, museum: Museum, fixed: list[Question]) -> None:
    url = reverse("inbox:figures", kwargs={"space": museum.space.slug})
    assert client.get(url).status_code == 302  # log in first
    client.force_login(museum.camille.user)
    page = client.get(url).content.decode()
    assert "<svg" in page and "through triage" in page
    assert "Camille Le Goff" in page and "4 h 00" in page
    response = client.get(reverse("inbox:figures_csv", kwargs={"space": museum.space.slug}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == figures.CSV_HEADER
    assert len(rows) == 9
    first = rows[1]
    assert first[2:] == [
        "2014-04",
        "form on our pages",
        "routed directly to an expert",
        "insectes",
        "Camille Le Goff",
        "0",
        "answered",
        "2.00",
        "yes",
    ]
    # No asker, no address, no text of a question in the export.
    text = response.content.decode()
    assert "@example.org" not in text and "Léa" not in text and "insecte trouvé" not in text
