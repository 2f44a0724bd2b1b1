"""Scheduled messages: reminders across daylight-saving changes, sent once; organisers' alerts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation

from maillage.events import notifications, reminders, services, tasks
from maillage.events.models import (
    EventStatus,
    NotificationKind,
    RegistrationStatus,
    SentNotification,
)
from tests.events.support import people, sent_to, subjects
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def paris_event(coordinator, starts_at, **fields):  # type: ignore[no-untyped-def]
    return EventFactory(
        created_by=coordinator,
        organisers=[coordinator],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=45),
        **fields,
    )


# --- When reminders are due ----------------------------------------------------------------------


def test_spring_forward_morning_reminder_is_at_eight_local(coordinator):
    # 29 March 2026: Paris moves from UTC+1 to UTC+2 at 02:00.
    event = paris_event(coordinator, datetime(2026, 3, 29, 9, 0, tzinfo=PARIS))
    assert event.starts_at == utc(2026, 3, 29, 7, 0)
    assert dict(reminders.reminder_moments(event)) == {
        NotificationKind.REMINDER_DAYS_BEFORE: utc(2026, 3, 27, 8, 0),  # 09:00 winter time
        NotificationKind.REMINDER_MORNING: utc(2026, 3, 29, 6, 0),  # 08:00 summer time
    }


def test_fall_back_morning_reminder_is_at_eight_local(coordinator):
    # 25 October 2026: Paris moves from UTC+2 to UTC+1 at 03:00.
    event = paris_event(coordinator, datetime(2026, 10, 25, 9, 0, tzinfo=PARIS))
    assert event.starts_at == utc(2026, 10, 25, 8, 0)
    assert dict(reminders.reminder_moments(event)) == {
        NotificationKind.REMINDER_DAYS_BEFORE: utc(2026, 10, 23, 7, 0),  # 09:00 summer time
        NotificationKind.REMINDER_MORNING: utc(2026, 10, 25, 7, 0),  # 08:00 winter time
    }


def test_reminders_follow_the_event_settings_and_time_zone(coordinator):
    montreal = ZoneInfo("America/Montreal")
    event = paris_event(
        coordinator,
        datetime(2026, 11, 3, 18, 30, tzinfo=montreal),
        time_zone="America/Montreal",
        reminder_days_before=7,
        reminder_morning_at=time(9, 15),
    )
    assert dict(reminders.reminder_moments(event)) == {
        # 27 October 18:30 is still summer time in Montreal (UTC-4), 3 November is not (UTC-5).
        NotificationKind.REMINDER_DAYS_BEFORE: utc(2026, 10, 27, 22, 30),
        NotificationKind.REMINDER_MORNING: utc(2026, 11, 3, 14, 15),
    }


def test_no_reminder_when_switched_off_nor_a_morning_one_for_an_early_event(coordinator):
    off = paris_event(
        coordinator,
        datetime(2026, 5, 5, 9, 0, tzinfo=PARIS),
        reminder_days_before=None,
        reminder_morning_at=None,
    )
    assert reminders.reminder_moments(off) == []
    early = paris_event(coordinator, datetime(2026, 5, 5, 7, 30, tzinfo=PARIS))
    assert [kind for kind, _ in reminders.reminder_moments(early)] == [
        NotificationKind.REMINDER_DAYS_BEFORE
    ]


# --- Sending them once ---------------------------------------------------------------------------


def test_reminders_go_once_to_people_confirmed_before_the_moment(coordinator):
    event = paris_event(coordinator, datetime(2026, 3, 29, 9, 0, tzinfo=PARIS))
    days_before, morning = utc(2026, 3, 27, 8, 0), utc(2026, 3, 29, 6, 0)
    early = utc(2026, 3, 1, 12, 0)
    with translation.override("en"):
        confirmed = RegistrationFactory(event=event, confirmed_at=early, language="en")
    late = RegistrationFactory(event=event, confirmed_at=utc(2026, 3, 28, 12, 0))
    RegistrationFactory(event=event, status=RegistrationStatus.WAITING, confirmed_at=None)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED, confirmed_at=early)

    assert reminders.send_due_reminders(now=days_before - timedelta(minutes=1)) == 0
    assert reminders.send_due_reminders(now=days_before) == 1
    assert reminders.send_due_reminders(now=days_before + timedelta(minutes=5)) == 0
    [message] = mail.outbox
    assert message.to == [confirmed.email]
    assert message.subject.startswith("Reminder: ")
    assert confirmed.check_in_code in message.body

    assert reminders.send_due_reminders(now=morning) == 2  # the late one too, now
    assert reminders.send_due_reminders(now=morning + timedelta(minutes=5)) == 0
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted([confirmed.email, late.email])
    assert sent_to(confirmed.email)[-1].subject.startswith("Today: ")
    assert SentNotification.objects.filter(event=event).count() == 3
    # After the start, nothing more.
    assert reminders.send_due_reminders(now=event.starts_at + timedelta(minutes=1)) == 0


def test_when_both_are_due_only_the_morning_one_goes(coordinator):
    event = paris_event(coordinator, datetime(2026, 10, 25, 9, 0, tzinfo=PARIS))
    RegistrationFactory(event=event, confirmed_at=utc(2026, 10, 1, 0, 0))
    assert reminders.send_due_reminders(now=utc(2026, 10, 25, 7, 30)) == 1
    [notification] = SentNotification.objects.all()
    assert notification.kind == NotificationKind.REMINDER_MORNING
    assert notification.scheduled_for == utc(2026, 10, 25, 7, 0)


def test_the_periodic_task_twice_sends_each_reminder_once(coordinator):
    # The "two days before" moment passed a minute ago.
    starts_at = timezone.now() + timedelta(days=2) - timedelta(minutes=1)
    event = paris_event(coordinator, starts_at, reminder_morning_at=None)
    registrations = RegistrationFactory.create_batch(
        3, event=event, confirmed_at=timezone.now() - timedelta(days=5)
    )
    tasks.send_reminders.call_local()
    tasks.send_reminders.call_local()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in registrations)


def test_a_failed_send_is_tried_again_and_a_sent_one_never(coordinator, monkeypatch):
    starts_at = timezone.now() + timedelta(days=2) - timedelta(minutes=1)
    event = paris_event(coordinator, starts_at, reminder_morning_at=None)
    RegistrationFactory(event=event, confirmed_at=timezone.now() - timedelta(days=5))
    real_send = notifications.send_registration_email

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(notifications, "send_registration_email", broken)
    assert reminders.send_due_reminders() == 0
    assert not SentNotification.objects.exists()  # the claim was released
    monkeypatch.setattr(notifications, "send_registration_email", real_send)
    assert reminders.send_due_reminders() == 1
    assert reminders.send_due_reminders() == 0
    assert len(mail.outbox) == 1


def test_moving_the_event_re_arms_its_reminders(coordinator):
    starts_at = timezone.now() + timedelta(days=2) - timedelta(minutes=1)
    event = paris_event(coordinator, starts_at, reminder_morning_at=None)
    RegistrationFactory(event=event, confirmed_at=timezone.now() - timedelta(days=5))
    assert reminders.send_due_reminders() == 1
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    services.save_event(event=event, by=coordinator)
    assert reminders.send_due_reminders(now=timezone.now() + timedelta(hours=1)) == 1


def test_draft_and_cancelled_events_remind_nobody(coordinator):
    starts_at = timezone.now() + timedelta(days=2) - timedelta(minutes=1)
    for status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        event = paris_event(coordinator, starts_at, status=status)
        RegistrationFactory(event=event, confirmed_at=timezone.now() - timedelta(days=5))
    assert reminders.send_due_reminders() == 0


# --- Organisers ----------------------------------------------------------------------------------


def test_organisers_hear_at_half_eighty_and_full_once_each(coordinator, committed):
    event = paris_event(coordinator, timezone.now() + timedelta(days=10), capacity=10)
    users = people(11)
    filling = []
    with translation.override("en"):
        for user in users:
            with committed():
                services.register_member(event=event, user=user)
            filling.append(len(sent_to(coordinator.email)))
    # The alerts arrive with the 5th, the 8th and the 10th registration; the 11th waits.
    assert filling == [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3]
    alerts = sent_to(coordinator.email)
    assert "50" in alerts[0].subject and "80" in alerts[1].subject
    assert alerts[2].subject.startswith(("Full", "Complet"))
    assert reminders.alert_organisers_of_filling_everywhere() == 0
    tasks.alert_organisers.call_local()
    assert len(sent_to(coordinator.email)) == 3


def test_thresholds_passed_together_make_one_alert(coordinator):
    event = paris_event(coordinator, timezone.now() + timedelta(days=10), capacity=1)
    RegistrationFactory(event=event)
    assert reminders.alert_organisers_of_filling(event=event) == 100
    assert len(mail.outbox) == 1
    assert SentNotification.objects.filter(event=event).count() == 3
    assert reminders.alert_organisers_of_filling(event=event) is None


def test_without_organisers_the_creator_hears_and_without_limit_nobody(coordinator):
    event = EventFactory(created_by=coordinator, capacity=2)
    RegistrationFactory(event=event)
    assert reminders.alert_organisers_of_filling(event=event) == 50
    assert mail.outbox[0].to == [coordinator.email]
    unlimited = EventFactory(created_by=coordinator, capacity=None)
    RegistrationFactory(event=unlimited)
    assert reminders.alert_organisers_of_filling(event=unlimited) is None


def test_organisers_are_reminded_to_close_two_days_after_once(coordinator):
    now = timezone.now()
    organiser = UserFactory(email="olivier@example.org")
    due = EventFactory(
        created_by=coordinator,
        organisers=[organiser],
        starts_at=now - timedelta(days=2, hours=3),
        ends_at=now - timedelta(days=2, minutes=1),
    )
    EventFactory(  # ended yesterday: not yet
        created_by=coordinator,
        starts_at=now - timedelta(days=1, hours=3),
        ends_at=now - timedelta(days=1),
    )
    EventFactory(  # already closed
        created_by=coordinator,
        status=EventStatus.CLOSED,
        starts_at=now - timedelta(days=5, hours=3),
        ends_at=now - timedelta(days=5),
    )
    assert reminders.send_close_reminders() == 1
    assert reminders.send_close_reminders() == 0
    tasks.alert_organisers.call_local()
    [message] = mail.outbox
    assert message.to == ["olivier@example.org"]
    assert due.get_absolute_url() in message.body
    assert subjects() == [message.subject]
