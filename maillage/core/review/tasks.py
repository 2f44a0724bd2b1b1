"""Background jobs of the review policy: the rejection email, "silence means yes"."""

from __future__ import annotations

from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from maillage.core.review import services
from maillage.core.review.models import ReviewRecord


@db_task(retries=3, retry_delay=60)
def send_rejection_email(record_id: int, description: str, language: str) -> None:
    record = ReviewRecord.objects.select_related("author").filter(pk=record_id).first()
    if record is None:
        return
    with translation.override(language):
        services.send_rejection_email(record=record, description=description)


@db_periodic_task(crontab(minute="*/10"))
def publish_expired_holds() -> None:
    services.publish_expired()
