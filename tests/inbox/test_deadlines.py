"""Deadlines in working time, across nights, weekends and holidays; a reminder before the
deadline and an escalation after it, each sent once however often the periodic task runs."""

from __future__ import annotations

import time as time_module
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from maillage.inbox.deadlines import deadlines_for
from maillage.inbox.models import QuestionState
from maillage.inbox.services import reminders
from maillage.inbox.tasks import handle_deadlines
from tests.factories import HolidayFactory, QuestionFactory
from tests.inbox.conftest import Museum

PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


# The space works 9:00–17:00, Monday to Friday (8 hours a day): 24 working hours are 3 days.
@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Wednesday 26 March 2014, 10:00 → Monday 31 March, 10:00 (Thursday, Friday, Monday).
        (at(date(2014, 3, 26), 10), at(date(2014, 3, 31), 10)),
        # Friday evening, after hours: counted from Monday 9:00 → Wednesday 17:00.
        (at(date(2014, 3, 28), 19), at(date(2014, 4, 2), 17)),
        # Saturday: the same as Monday morning.
        (at(date(2014, 3, 29), 11), at(date(2014, 4, 2), 17)),
        # Early on a Tuesday: from 9:00 → Thursday 17:00.
        (at(date(2014, 4, 1), 7, 30), at(date(2014, 4, 3), 17)),
    ],
)
def test_deadline_across_nights_and_weekends(
    museum: Museum, received: datetime, due: datetime
) -> None:
    assert deadlines_for(museum.space, received).deadline == due


def test_holidays_are_left_out(museum: Museum) -> None:
    # Easter Monday 21 April 2014, and 1 May (a Thursday) with the bridge on Friday.
    for day in (date(2014, 4, 21), date(2014, 5, 1), date(2014, 5, 2)):
        HolidayFactory(settings=museum.settings, day=day)
    # Friday 18 April, 16:00: 1 h on Friday, then Tuesday, Wednesday, and 7 h on Thursday.
    assert deadlines_for(museum.space, at(date(2014, 4, 18), 16)).deadline == at(
        date(2014, 4, 24), 16
    )
    # Wednesday 30 April, 12:00: 5 h, the bridge and the weekend off, 8 h on Monday 5 May and
    # 8 h on Tuesday, 3 h on Wednesday 7 May.
    assert deadlines_for(museum.space, at(date(2014, 4, 30), 12)).deadline == at(
        date(2014, 5, 7), 12
    )


def test_the_reminder_comes_4_working_hours_before(museum: Museum) -> None:
    due = deadlines_for(museum.space, at(date(2014, 3, 26), 10))
    assert due.reminder_at == at(date(2014, 3, 28), 14)
    museum.settings.reminder_hours = 0
    museum.settings.save()
    museum.space._inbox_settings = None  # type: ignore[attr-defined]
    assert deadlines_for(museum.space, at(date(2014, 3, 26), 10)).reminder_at is None


def test_other_working_hours_and_days(museum: Museum) -> None:
    museum.space.working_day_start = time(10)
    museum.space.working_day_end = time(18)
    museum.space.working_days = "1,2,3,4,5"  # Tuesday to Saturday, as many museums
    museum.settings.response_hours = 8
    museum.settings.save()
    # Sunday 30 March → Monday is closed → Tuesday 1 April, 18:00.
    assert deadlines_for(museum.space, at(date(2014, 3, 30), 15)).deadline == at(
        date(2014, 4, 1), 18
    )


def open_question(
    museum: Museum, *, hours_left: float, reminder_hours_ago: float, **fields: Any
) -> Any:
    from django.utils import timezone

    now = timezone.now()
    values = {"state": QuestionState.ASSIGNED, "assignee": museum.camille, **fields}
    return QuestionFactory(
        space=museum.space,
        deadline=now + timedelta(hours=hours_left),
        reminder_at=now - timedelta(hours=reminder_hours_ago),
        **values,
    )


def test_reminders_and_escalations_are_sent_once(
    museum: Museum, smtp_server: Any, committed: Any
) -> None:
    due_soon = open_question(museum, hours_left=2, reminder_hours_ago=1, subject="Bientôt")
    late = open_question(museum, hours_left=-1, reminder_hours_ago=5, subject="En retard")
    triage = open_question(
        museum,
        hours_left=-3,
        reminder_hours_ago=9,
        subject="Personne",
        assignee=None,
        state=QuestionState.NEW,
    )
    answered = open_question(
        museum,
        hours_left=-1,
        reminder_hours_ago=5,
        subject="Répondue",
        state=QuestionState.ANSWERED,
    )
    later = open_question(museum, hours_left=30, reminder_hours_ago=-20, subject="Plus tard")
    with committed():
        first = reminders.handle_deadlines()
    assert first.reminded == [due_soon.pk]
    assert sorted(first.escalated) == sorted([late.pk, triage.pk])
    # Run again, and again through the periodic task itself: nothing more.
    with committed():
        assert reminders.handle_deadlines() == reminders.Round(reminded=[], escalated=[])
        handle_deadlines.call_local()
    smtp_server.wait_for(6)
    time_module.sleep(0.3)  # nothing more arrives
    subjects = sorted((mail.envelope_to[0], mail.subject.strip()) for mail in smtp_server.messages)
    # In the site's language (French). The reminder to Camille; the late one to the admin,
    # the editor (triage) and Camille; the one nobody took to the admin and the editor.
    assert subjects == sorted(
        [
            ("camille@example.org", "Rappel\u00a0: Bientôt"),
            ("alice@example.org", "En retard\u00a0: En retard"),
            ("edouard@example.org", "En retard\u00a0: En retard"),
            ("camille@example.org", "En retard\u00a0: En retard"),
            ("alice@example.org", "En retard\u00a0: Personne"),
            ("edouard@example.org", "En retard\u00a0: Personne"),
        ]
    ), subjects
    for question in (due_soon, late, triage, answered, later):
        question.refresh_from_db()
    assert due_soon.reminded_at is not None and due_soon.escalated_at is None
    assert late.escalated_at is not None and late.reminded_at is None
    assert answered.escalated_at is None and later.reminded_at is None
