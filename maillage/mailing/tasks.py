"""Background jobs of the mailing list: sending a message to its recipients in batches, the
sweep that sends again what waits (after an SMTP outage), and the digests at their hour."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from maillage.mailing.models import Delivery, Digest
from maillage.mailing.services import digests, outgoing


@db_task()
def distribute_message(message_id: int) -> None:
    for batch in outgoing.batches(outgoing.distribute(message_id=message_id)):
        send_deliveries(batch)


@db_task()
def send_deliveries(delivery_ids: list[int]) -> None:
    outgoing.send_deliveries(delivery_ids=delivery_ids)


@db_task()
def send_digests(digest_ids: list[int]) -> None:
    digests.send_digests(digest_ids=digest_ids)


@db_periodic_task(crontab(minute="*/5"))
@lock_task("mailing-send-due")
def send_due_mail() -> None:
    """Deliveries and digests whose next attempt has come (after a failure, or left behind)."""
    for batch in outgoing.batches(outgoing.claim_due(Delivery)):
        outgoing.send_deliveries(delivery_ids=batch)
    for batch in outgoing.batches(outgoing.claim_due(Digest)):
        digests.send_digests(digest_ids=batch)


@db_periodic_task(crontab(minute="*/10"))
@lock_task("mailing-digests")
def make_due_digests() -> None:
    """Digests whose hour has come (07:00 local time by default); each made once per period."""
    for batch in outgoing.batches(digests.create_due_digests()):
        send_digests(batch)
