"""Sending and its failures over a real SMTP server: an outage delays mail and loses none, a
refused recipient fails alone; bounces to the VERP address are recorded, and repeated hard
bounces suspend delivery and tell the member on their next visit."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.mailing import addresses, tasks
from maillage.mailing.models import (
    Bounce,
    BounceKind,
    Delivery,
    DeliveryState,
    InboundOutcome,
    Subscription,
)
from maillage.mailing.services import incoming, outgoing, posting
from tests.services import SMTPServer, free_port

pytestmark = pytest.mark.django_db


def post(author, network, committed, subject="Prochain atelier", body="Qui vient ?"):  # type: ignore[no-untyped-def]
    with committed():
        return posting.start_thread(mailing_list=network, author=author, subject=subject, body=body)


def time_passes() -> None:
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_smtp_outage_delays_and_loses_nothing(
    settings, network, subscribed, open_policy, committed, smtp_server
):
    camille, _sophie, *_ = subscribed
    port = smtp_server.port
    settings.EMAIL_PORT = free_port()  # nobody listens there: the server is down
    message = post(camille, network, committed)
    deliveries = Delivery.objects.filter(message=message)
    assert deliveries.count() == 2
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.PENDING}
    assert set(deliveries.values_list("attempts", flat=True)) == {1}
    first = deliveries.first()
    assert first is not None and first.next_attempt_at > timezone.now()
    assert "Connection refused" in first.last_error or "Errno" in first.last_error
    # The sweep does not take them before their time…
    tasks.send_due_mail()
    assert not smtp_server.messages
    # …nor while the server is still down (a second attempt, a longer wait).
    time_passes()
    tasks.send_due_mail()
    assert set(deliveries.values_list("attempts", flat=True)) == {2}
    # The server is back: everything goes, once.
    settings.EMAIL_PORT = port
    time_passes()
    tasks.send_due_mail()
    smtp_server.wait_for(2)
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.SENT}
    tasks.send_due_mail()
    assert len(smtp_server.messages) == 2


def test_retries_back_off_then_give_up_visibly(
    settings, network, subscribed, open_policy, committed
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    message = post(subscribed[0], network, committed)
    delays = []
    for _ in range(outgoing.MAX_ATTEMPTS - 1):
        time_passes()
        before = timezone.now()
        tasks.send_due_mail()
        delivery = Delivery.objects.filter(message=message).first()
        assert delivery is not None
        delays.append(delivery.next_attempt_at - before)
    assert delays[0] < delays[3] <= outgoing.LONGEST_RETRY + timedelta(seconds=5)
    assert {d.state for d in Delivery.objects.all()} == {DeliveryState.FAILED}
    assert all(d.last_error for d in Delivery.objects.all())


class RefusingServer(SMTPServer):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("sophie"):
            return "550 5.1.1 <sophie@example.org>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_fails_alone(settings, network, subscribed, open_policy, committed):
    server = RefusingServer(host="127.0.0.1", port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    try:
        camille, sophie, *_ = subscribed
        post(camille, network, committed)
        server.wait_for(1)
    finally:
        controller.stop()
    assert Delivery.objects.get(member=sophie).state == DeliveryState.FAILED
    assert "550" in Delivery.objects.get(member=sophie).last_error
    assert Delivery.objects.get(member=camille).state == DeliveryState.SENT


def delivery_status_notification(
    *, to: str, status: str = "5.1.1", action: str = "failed"
) -> bytes:
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mx.example.org"
    report["To"] = to
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Auto-Submitted"] = "auto-replied"
    report.set_content("This is the mail system at host mx.example.org.\n\nI'm sorry…")
    report.make_mixed()
    raw = report.as_string().replace(
        "multipart/mixed", 'multipart/report; report-type="delivery-status"'
    )
    boundary = report.get_boundary()
    status_part = (
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; sophie@example.org\r\n"
        f"Action: {action}\r\nStatus: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} <sophie@example.org>: User unknown\r\n\r\n"
    )
    raw = raw.replace(f"--{boundary}--", status_part + f"--{boundary}--")
    return raw.encode()


def test_hard_bounces_suspend_delivery_and_the_member_is_told_once(
    settings, network, subscribed, open_policy, committed, smtp_server
):
    camille, sophie, *_ = subscribed
    settings.MAILING_BOUNCE_LIMIT = 3
    browser = Client()
    browser.force_login(sophie)
    for number in range(3):
        message = post(camille, network, committed, subject=f"Sujet {number}")
        delivery = Delivery.objects.get(message=message, member=sophie)
        verp = addresses.bounce_address(delivery_id=delivery.pk)
        with committed():
            outcome = incoming.receive(
                raw=delivery_status_notification(to=verp), recipient=verp, envelope_from=""
            )
        assert outcome.outcome == InboundOutcome.BOUNCE
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.BOUNCED
    assert Bounce.objects.filter(member=sophie, kind=BounceKind.HARD).count() == 3
    subscription = Subscription.objects.get(member=sophie)
    assert subscription.suspended_at is not None
    assert "5.1.1" in subscription.suspension_reason
    # No more mail to Sophie.
    sent_before = len(smtp_server.to("sophie@example.org"))
    post(camille, network, committed, subject="Après la suspension")
    smtp_server.wait_for(len(smtp_server.messages))
    assert len(smtp_server.to("sophie@example.org")) == sent_before
    # Her next visit says so, once, with the way to start again.
    page = browser.get(reverse("mailing:index")).content.decode()
    assert "reviennent" in page or "keep coming back" in page
    assert reverse("mailing:subscriptions") in page
    assert "reviennent" not in browser.get(reverse("mailing:index")).content.decode()
    subscription.refresh_from_db()
    assert subscription.suspension_notified_at is not None
    # She checks her address and starts them again.
    response = browser.post(
        reverse("mailing:subscriptions"),
        {f"list_{network.pk}": "every", "followed_tags": "", "resume": "1"},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.suspended_at is None


def test_a_soft_bounce_is_recorded_but_suspends_nothing(
    network, subscribed, open_policy, committed, smtp_server
):
    camille, sophie, *_ = subscribed
    message = post(camille, network, committed)
    delivery = Delivery.objects.get(message=message, member=sophie)
    verp = addresses.bounce_address(delivery_id=delivery.pk)
    for _ in range(5):
        incoming.receive(
            raw=delivery_status_notification(to=verp, status="4.2.2", action="delayed"),
            recipient=verp,
            envelope_from="",
        )
    assert Bounce.objects.filter(kind=BounceKind.SOFT).count() == 5
    assert Subscription.objects.get(member=sophie).suspended_at is None
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_a_forged_bounce_address_records_nothing(network, subscribed):
    forged = addresses.bounce_address(delivery_id=1).replace("m-1-", "m-2-")
    outcome = incoming.receive(
        raw=delivery_status_notification(to=forged), recipient=forged, envelope_from=""
    )
    assert outcome.outcome == InboundOutcome.BOUNCE
    assert "wrong signature" in outcome.detail
    assert not Bounce.objects.exists()


def test_a_plain_text_bounce_without_dsn(network, subscribed, open_policy, committed, smtp_server):
    camille, sophie, *_ = subscribed
    message = post(camille, network, committed)
    delivery = Delivery.objects.get(message=message, member=sophie)
    verp = addresses.bounce_address(delivery_id=delivery.pk)
    raw = (
        b"From: postmaster@old-isp.example\r\nSubject: Delivery failure\r\n\r\n"
        b"Your message could not be delivered: 550 user unknown.\r\n"
    )
    incoming.receive(raw=raw, recipient=verp, envelope_from="")
    assert Bounce.objects.get().kind == BounceKind.HARD
