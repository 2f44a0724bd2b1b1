"""Background jobs for events: the emails, and the periodic work (offers, reminders, alerts).

Tasks take ids and re-read their rows; the services and `reminders` decide whether anything is
still to do, so running a task twice does no harm.
"""

from __future__ import annotations

import logging
from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.events import notifications, reminders, services
from maillage.events.models import Event, Registration

logger = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=60)
def send_registration_email(registration_id: int, kind: str, **extra: Any) -> None:
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None:
        return
    notifications.send_registration_email(registration, kind, **extra)


@db_task(retries=2, retry_delay=60)
def check_event_filling(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        reminders.alert_organisers_of_filling(event=event)


@db_periodic_task(crontab(minute="*/5"))
def expire_offers() -> None:
    count = services.expire_offers()
    if count:
        logger.info("%d place offers expired and passed on", count)


@db_periodic_task(crontab(minute="*/5"))
def send_reminders() -> None:
    count = reminders.send_due_reminders()
    if count:
        logger.info("%d event reminders sent", count)


@db_periodic_task(crontab(minute="*/15"))
def alert_organisers() -> None:
    reminders.alert_organisers_of_filling_everywhere()
    reminders.send_close_reminders()
