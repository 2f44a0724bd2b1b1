"""The list both ways over real servers: a message written on the web goes out through SMTP to
every recipient (headers checked), a reply comes back by email through LMTP, lands in the thread
on the web, and goes out again threaded under the first (In-Reply-To, References)."""

from __future__ import annotations

from email.utils import parseaddr

import pytest
from django.test import Client
from django.urls import reverse

from maillage.mailing import addresses
from maillage.mailing.models import (
    Delivery,
    DeliveryState,
    InboundMail,
    InboundOutcome,
    Message,
    MessageSource,
    Thread,
)
from tests.mailing.conftest import DOMAIN

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def reply_email(*, sender: str, to: str, in_reply_to: str, subject: str, body: str) -> bytes:
    return (
        f"From: Sophie Le Bihan <{sender}>\r\n"
        f"To: {to}\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <reponse-1@example.org>\r\n"
        f"In-Reply-To: {in_reply_to}\r\n"
        f"References: {in_reply_to}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


def test_post_on_the_web_reply_by_lmtp_and_the_next_mail_is_threaded(
    smtp_server, lmtp_server, network, subscribed, open_policy
):
    camille, sophie, yann, _lena = subscribed
    client = logged_in(camille)
    response = client.post(
        reverse("mailing:new_thread", kwargs={"slug": "reseau"}),
        {
            "subject": "Des liens pour aller plus loin",
            "body": "Voici **trois liens** après l’atelier du 26 mars : https://example.org/a",
        },
    )
    assert response.status_code == 302
    first = Message.objects.get()
    assert first.source == MessageSource.WEB and first.status == "published"
    mails = smtp_server.wait_for(2)
    # Every message to those who asked for it; a digest reader and a web reader get nothing.
    assert sorted(mail.envelope_to[0] for mail in mails) == [
        "camille@example.org",
        "sophie@example.org",
    ]
    to_sophie = smtp_server.to("sophie@example.org")[0]
    headers = to_sophie.message
    assert headers["Subject"] == "[Doc@Rennes] Des liens pour aller plus loin"
    assert parseaddr(headers["From"]) == ("Camille Le Goff via Doc@Rennes", f"reseau@{DOMAIN}")
    assert headers["List-Id"] == f'"Doc@Rennes" <reseau.{DOMAIN}>'
    assert headers["List-Post"] == f"<mailto:reseau@{DOMAIN}>"
    assert headers["List-Archive"] == "<https://docarennes.example/liste/reseau/>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = headers["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe_url.startswith("https://docarennes.example/liste/desabonnement/")
    assert headers["Message-ID"] == first.message_id
    assert "In-Reply-To" not in headers
    assert headers["Precedence"] == "list"
    # The reply address is Sophie's own, and the envelope sender names her delivery (VERP).
    reply_to = parseaddr(headers["Reply-To"])[1]
    recipient = addresses.parse_recipient(reply_to)
    assert recipient.kind == "reply"
    assert recipient.member_id == sophie.pk
    assert recipient.thread_id == first.thread_id
    delivery = Delivery.objects.get(member=sophie)
    assert to_sophie.envelope_from == addresses.bounce_address(delivery_id=delivery.pk)
    assert delivery.state == DeliveryState.SENT
    # Plain text and HTML: Markdown rendered, the link kept.
    assert "Voici **trois liens**" in to_sophie.text()
    assert "<strong>trois liens</strong>" in to_sophie.html()
    assert "https://docarennes.example/liste/reseau/message/" in to_sophie.text()
    # Two copies, the same Message-ID, different reply addresses.
    to_camille = smtp_server.to("camille@example.org")[0]
    assert to_camille.message["Message-ID"] == first.message_id
    assert to_camille.message["Reply-To"] != headers["Reply-To"]

    # Sophie answers from her mail client, quoting the message, through Postfix (LMTP).
    raw = reply_email(
        sender="sophie@example.org",
        to=reply_to,
        in_reply_to=first.message_id,
        subject="Re: [Doc@Rennes] Des liens pour aller plus loin",
        body=(
            "Merci ! J’ajoute le blog de la BU de Rennes 2.\n\n"
            "Le 27 mars 2014 à 10:00, Camille Le Goff a écrit :\n"
            "> Voici **trois liens** après l’atelier du 26 mars\n"
        ),
    )
    answers = lmtp_server.send(raw, mail_from="sophie@example.org", recipients=[reply_to])
    assert answers == ["250 2.0.0 Kept (posted)"]
    reply = Message.objects.get(message_id="<reponse-1@example.org>")
    assert reply.thread_id == first.thread_id
    assert reply.parent_id == first.pk
    assert reply.author == sophie
    assert reply.source == MessageSource.EMAIL
    assert reply.body == "Merci ! J’ajoute le blog de la BU de Rennes 2."
    inbound = InboundMail.objects.get()
    assert inbound.outcome == InboundOutcome.POSTED
    with inbound.raw.open("rb") as stream:
        assert b"> Voici **trois liens**" in stream.read()  # the original is kept whole

    # On the web: the reply is in the thread, without the quote.
    page = logged_in(yann).get(first.thread.get_absolute_url())
    text = page.content.decode()
    assert "J’ajoute le blog de la BU de Rennes 2" in text
    assert f'id="message-{reply.pk}"' in text
    assert "Le 27 mars 2014 à 10:00" not in text
    assert Thread.objects.get().message_count == 2

    # By email: the reply went out threaded under the first message.
    mails = smtp_server.wait_for(4)
    threaded = [mail for mail in mails if mail.message["Message-ID"] == reply.message_id]
    assert {mail.envelope_to[0] for mail in threaded} == {
        "camille@example.org",
        "sophie@example.org",
    }
    for mail in threaded:
        assert mail.message["In-Reply-To"] == first.message_id
        assert mail.message["References"] == first.message_id
        assert parseaddr(mail.message["From"])[0] == "Sophie Le Bihan via Doc@Rennes"
        assert mail.subject == "Re: [Doc@Rennes] Des liens pour aller plus loin"


def test_one_click_unsubscribe_by_post_without_cookie_nor_csrf(
    smtp_server, network, subscribed, open_policy
):
    camille, sophie, *_ = subscribed
    client = logged_in(camille)
    client.post(
        reverse("mailing:new_thread", kwargs={"slug": "reseau"}),
        {"subject": "Prochain atelier", "body": "Qui vient ?"},
    )
    mail = smtp_server.wait_for(2) and smtp_server.to("sophie@example.org")[0]
    url = mail.message["List-Unsubscribe"].strip().strip("<>")
    path = url.removeprefix("https://docarennes.example")
    # What a mail client does (RFC 8058): a bare POST with this body, no session, no token.
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription = sophie.list_subscriptions.get()
    assert subscription.unsubscribed_at is not None
    # Twice changes nothing; a GET only asks.
    assert anonymous.post(path).status_code == 200
    assert anonymous.get(path).status_code == 200

    # The next message goes to Camille alone.
    client.post(
        reverse("mailing:new_thread", kwargs={"slug": "reseau"}),
        {"subject": "Encore", "body": "Une autre question."},
    )
    smtp_server.wait_for(3)
    assert len(smtp_server.to("sophie@example.org")) == 1
    assert len(smtp_server.to("camille@example.org")) == 2


def test_lmtp_answers_each_recipient_and_refuses_strangers_at_rcpt(
    lmtp_server, network, subscribed, open_policy, settings
):
    settings.MAILING_AUTHSERV_ID = "mx.docarennes.example"
    raw = (
        "From: Camille Le Goff <camille@example.org>\r\n"
        f"To: reseau@{DOMAIN}\r\n"
        "Subject: Deux destinataires\r\n"
        "Message-ID: <deux@example.org>\r\n"
        "Authentication-Results: mx.docarennes.example; dmarc=pass header.from=example.org\r\n"
        "\r\n"
        ".Une ligne qui commence par un point.\r\n"
    ).encode()
    answers = lmtp_server.send(
        raw,
        mail_from="camille@example.org",
        recipients=[f"personne@{DOMAIN}", f"reseau@{DOMAIN}", "quelquun@ailleurs.example"],
    )
    # Refused at RCPT (550) for the two strangers, one reply after DATA for the list.
    assert answers[0].startswith("550") and answers[1].startswith("550")
    assert answers[2] == "250 2.0.0 Kept (posted)"
    assert Message.objects.get().body == ".Une ligne qui commence par un point."


def test_lmtp_refuses_a_message_over_the_size_limit(lmtp_server, network, camille, settings):
    from maillage.mailing import lmtp
    from tests.mailing.conftest import LMTPServer
    from tests.services import free_port

    settings.MAILING_MAX_MESSAGE_BYTES = 20_000
    port = free_port()
    small = lmtp.controller(host="127.0.0.1", port=port)  # reads the limit when it starts
    small.start()
    try:
        raw = (
            "From: camille@example.org\r\nSubject: Trop gros\r\n\r\n" + "x" * 70 + "\r\n"
        ).encode() * 400
        answers = LMTPServer("127.0.0.1", port).send(
            raw, mail_from="camille@example.org", recipients=[f"reseau@{DOMAIN}"]
        )
    finally:
        small.stop()
    assert answers[0].startswith("552")
    assert not Message.objects.exists()


def test_a_held_message_goes_out_once_a_coordinator_approves_it(
    smtp_server, network, subscribed, coordinator, open_policy
):
    from maillage.core import review

    # The list takes messages directly from trust level 3; Camille is at 2.
    network.posting_policy, network.min_trust_level = "trusted", 3
    network.save()
    camille = subscribed[0]
    client = logged_in(camille)
    client.post(
        reverse("mailing:new_thread", kwargs={"slug": "reseau"}),
        {"subject": "Première fois", "body": "Bonjour à toutes et à tous."},
    )
    held = Message.objects.get()
    assert held.status == "held"
    assert not smtp_server.messages
    record = review.ReviewRecord.objects.get(object_id=held.pk, kind="list_message")
    assert record.reasons == ["below_list_trust"]
    review.approve(record=record, by=coordinator)
    smtp_server.wait_for(2)
    held.refresh_from_db()
    assert held.status == "published"
    assert {mail.envelope_to[0] for mail in smtp_server.messages} == {
        "camille@example.org",
        "sophie@example.org",
    }
