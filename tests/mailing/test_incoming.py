"""Mail coming in: threads found, senders checked, machines ignored (no loops), hostile and broken
emails handled with a clear outcome — and every email kept whole, whatever became of it."""

from __future__ import annotations

import io
import sys
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import call_command
from django.test import Client

from maillage.mailing import addresses
from maillage.mailing.models import (
    Attachment,
    InboundMail,
    InboundOutcome,
    Message,
    MessageStatus,
    Thread,
)
from maillage.mailing.services import incoming, posting
from tests.factories import ListMessageFactory, ListThreadFactory, UserFactory
from tests.mailing.conftest import DOMAIN

pytestmark = pytest.mark.django_db

LIST = f"reseau@{DOMAIN}"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def email(
    *,
    sender: str = "Camille Le Goff <camille@example.org>",
    subject: str = "Une question sur Flickr",
    body: str = "Qui utilise Flickr pour les fonds photographiques ?",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = LIST
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.org")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def receive(message: EmailMessage | bytes, *, to: str = LIST, sender: str | None = None):  # type: ignore[no-untyped-def]
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return incoming.receive(raw=raw, recipient=to, envelope_from=sender)


def kept(outcome) -> bytes:  # type: ignore[no-untyped-def]
    inbound = InboundMail.objects.get(pk=outcome.inbound_id)
    with inbound.raw.open("rb") as stream:
        return stream.read()


@pytest.fixture
def verified_mail(settings):  # type: ignore[no-untyped-def]
    """Our own mail server checks DMARC and says so (Authentication-Results, RFC 8601)."""
    settings.MAILING_AUTHSERV_ID = "mx.docarennes.example"
    return (
        "mx.docarennes.example; dmarc=pass header.from=example.org; dkim=pass header.d=example.org"
    )


def test_a_new_thread_by_email_from_a_verified_member(
    network, camille, open_policy, verified_mail, committed
):
    message = email(Authentication_Results=verified_mail)
    with committed():
        outcome = receive(message, sender="camille@example.org")
    assert outcome.outcome == InboundOutcome.POSTED
    posted = Message.objects.get()
    assert posted.thread.subject == "Une question sur Flickr"
    assert posted.author == camille
    assert posted.message_id == message["Message-ID"]
    assert posted.status == MessageStatus.PUBLISHED
    assert kept(outcome) == message.as_bytes()


def test_an_unverified_sender_is_held_never_published(network, camille, open_policy):
    # Anyone can write "From: camille@…": without our reply address nor a DMARC pass from our
    # own server, the message waits for a moderator.
    forged = email(
        Authentication_Results="attacker.example; dmarc=pass header.from=example.org",
        body="Cliquez ici : http://phishing.example/",
    )
    outcome = receive(forged, sender="attacker@phishing.example")
    assert outcome.outcome == InboundOutcome.HELD
    held = Message.objects.get()
    assert held.status == MessageStatus.HELD
    assert held.author == camille
    assert "sender not verified" in outcome.detail
    from maillage.core.review.models import ReviewRecord

    record = ReviewRecord.objects.get(object_id=held.pk, kind="list_message")
    assert "unverified_sender" in record.reasons
    assert Thread.objects.get().message_count == 0


def test_a_reply_address_of_someone_else_is_not_proof(network, camille, sophie, open_policy):
    thread = ListThreadFactory(mailing_list=network)
    ListMessageFactory(thread=thread, author=sophie)
    sophies_address = addresses.reply_address(network, member_id=sophie.pk, thread_id=thread.pk)
    outcome = receive(email(subject="Re: suite"), to=sophies_address)
    assert outcome.outcome == InboundOutcome.HELD  # Camille used Sophie's reply address
    assert "reply address of member" in outcome.detail


def test_a_tampered_reply_address_is_a_post_to_the_list_held(network, camille, open_policy):
    thread = ListThreadFactory(mailing_list=network)
    ListMessageFactory(thread=thread)
    good = addresses.reply_address(network, member_id=camille.pk, thread_id=thread.pk)
    tampered = good.replace("+r-", "+r-1")
    outcome = receive(email(), to=tampered)
    assert outcome.outcome == InboundOutcome.HELD
    assert "wrong signature" in outcome.detail


def test_threads_are_found_by_reply_address_headers_then_subject(
    network, camille, sophie, open_policy, verified_mail
):
    thread = ListThreadFactory(mailing_list=network, subject="Fréquence des posts sur Facebook")
    first = ListMessageFactory(thread=thread, author=sophie, message_id="<first@example.org>")
    # By headers, without our reply address (a member who forwarded and answered).
    by_headers = email(
        subject="Sujet changé",
        In_Reply_To="<first@example.org>",
        Authentication_Results=verified_mail,
    )
    assert receive(by_headers).outcome == InboundOutcome.POSTED
    assert Message.objects.get(message_id=by_headers["Message-ID"]).thread == thread
    # By subject, when the headers were lost ("Re:" and the list's prefix taken off).
    by_subject = email(
        subject="RE : [Doc@Rennes] Fréquence des posts sur Facebook",
        Authentication_Results=verified_mail,
    )
    assert receive(by_subject).outcome == InboundOutcome.POSTED
    found = Message.objects.get(message_id=by_subject["Message-ID"])
    assert found.thread == thread
    assert found.parent is not None
    # The same subject without "Re:" is a new thread.
    assert (
        receive(
            email(subject="Fréquence des posts sur Facebook", Authentication_Results=verified_mail)
        ).outcome
        == InboundOutcome.POSTED
    )
    assert Thread.objects.count() == 2
    assert first.replies.count() == 1


@pytest.mark.parametrize(
    ("headers", "envelope", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "camille@example.org", "Auto-Submitted"),
        ({"Precedence": "bulk"}, "camille@example.org", "Precedence"),
        ({"X_Autoreply": "yes"}, "camille@example.org", "X-Autoreply"),
        ({}, "", "empty envelope sender"),
        (
            {"Subject": "Réponse automatique : absente jusqu'au 7 avril"},
            "camille@example.org",
            "subject",
        ),
    ],
)
def test_machines_writing_are_ignored(network, camille, open_policy, headers, envelope, reason):
    subject = headers.pop("Subject", "Absence")
    message = email(subject=subject, **headers)
    outcome = receive(message, sender=envelope)
    assert outcome.outcome == InboundOutcome.AUTOMATIC
    assert reason in outcome.detail
    assert not Message.objects.exists()
    assert kept(outcome) == message.as_bytes()


def test_our_own_mail_coming_back_is_a_loop(network, camille, open_policy):
    looped = email(List_Id=f"Doc@Rennes <reseau.{DOMAIN}>")
    assert receive(looped).outcome == InboundOutcome.LOOP
    assert receive(email(X_Loop=LIST)).outcome == InboundOutcome.LOOP
    assert not Message.objects.exists()


def test_strangers_and_unknown_addresses(network, open_policy):
    stranger = receive(email(sender="spam@example.net"))
    assert stranger.outcome == InboundOutcome.UNKNOWN_SENDER
    assert stranger.smtp_reply.startswith("250")  # no backscatter to a forged sender
    unknown = receive(email(), to=f"personne@{DOMAIN}")
    assert unknown.outcome == InboundOutcome.UNKNOWN_RECIPIENT
    assert unknown.smtp_reply.startswith("550")
    assert unknown.exit_code == incoming.EX_NOUSER
    assert InboundMail.objects.count() == 2


def test_the_same_email_twice_is_one_message(network, camille, open_policy, verified_mail):
    message = email(Authentication_Results=verified_mail)
    assert receive(message).outcome == InboundOutcome.POSTED
    again = receive(message)
    assert again.outcome == InboundOutcome.DUPLICATE
    assert Message.objects.count() == 1
    assert InboundMail.objects.count() == 2


def test_html_only_with_scripts_becomes_safe_markdown(network, camille, open_policy, verified_mail):
    message = EmailMessage()
    message["From"] = "camille@example.org"
    message["To"] = LIST
    message["Subject"] = "En HTML"
    message["Authentication-Results"] = verified_mail
    message.set_content(
        "<p>Bonjour <b>à tous</b>,</p><script>alert('x')</script>"
        '<p><a href="javascript:alert(1)" onclick="steal()">lien</a> et '
        '<a href="https://example.org/">un vrai</a></p><style>p{}</style>',
        subtype="html",
    )
    assert receive(message).outcome == InboundOutcome.POSTED
    posted = Message.objects.get()
    assert (
        "alert" not in posted.body and "steal" not in posted.body and "<script" not in posted.body
    )
    assert "**à tous**" in posted.body
    assert "https://example.org/" in posted.body
    assert "HTML" in posted.notes
    page = Client()
    page.force_login(camille)
    text = page.get(posted.thread.get_absolute_url()).content.decode()
    assert "<script>alert" not in text and "javascript:" not in text


def test_wrong_and_unknown_charsets_are_read_as_well_as_they_can(
    network, camille, open_policy, verified_mail
):
    # Declared utf-8 but written in latin-1; then an unknown charset name.
    latin = (
        "From: camille@example.org\r\nTo: reseau@lists.example.org\r\n"
        "Subject: =?x-unknown?q?Caf=E9?=\r\n"
        f"Authentication-Results: {verified_mail}\r\n"
        "Message-ID: <latin@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    ).encode() + "Réunion à la médiathèque\r\n".encode("latin-1")
    assert receive(latin).outcome == InboundOutcome.POSTED
    assert Message.objects.get(message_id="<latin@example.org>").body == "Réunion à la médiathèque"
    unknown = (
        "From: camille@example.org\r\nTo: reseau@lists.example.org\r\nSubject: Test\r\n"
        f"Authentication-Results: {verified_mail}\r\n"
        "Message-ID: <unknown@example.org>\r\n"
        "Content-Type: text/plain; charset=klingon-8\r\n\r\n"
    ).encode() + "Ça marche".encode()
    assert receive(unknown).outcome == InboundOutcome.POSTED
    assert Message.objects.get(message_id="<unknown@example.org>").body == "Ça marche"


def test_garbage_is_kept_and_said_malformed(network):
    outcome = receive(b"\x00\xff garbage without headers \x00")
    assert outcome.outcome == InboundOutcome.MALFORMED
    assert kept(outcome) == b"\x00\xff garbage without headers \x00"


def test_too_large_is_refused_with_its_beginning_kept(network, camille, settings):
    settings.MAILING_MAX_MESSAGE_BYTES = 50_000
    huge = email(body="x" * 200_000).as_bytes()
    outcome = receive(huge)
    assert outcome.outcome == InboundOutcome.TOO_LARGE
    assert outcome.smtp_reply.startswith("552") and outcome.exit_code == incoming.EX_DATAERR
    assert kept(outcome) == huge[:50_000]
    assert not Message.objects.exists()


def test_attachments_within_limits_are_kept_others_said(
    network, camille, open_policy, verified_mail, settings
):
    settings.MAILING_ATTACHMENT_MAX_BYTES = 1000
    message = email(Authentication_Results=verified_mail)
    message.add_attachment(PNG, maintype="image", subtype="png", filename="affiche.png")
    message.add_attachment(
        b"MZ\x90\x00 program", maintype="application", subtype="octet-stream", filename="virus.exe"
    )
    message.add_attachment(
        b"not a png at all", maintype="image", subtype="png", filename="faux.png"
    )
    message.add_attachment(
        b"%PDF-1.4" + b"0" * 2000, maintype="application", subtype="pdf", filename="gros.pdf"
    )
    assert receive(message).outcome == InboundOutcome.POSTED
    posted = Message.objects.get()
    [attachment] = Attachment.objects.all()
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "affiche.png",
        "image/png",
        len(PNG),
    )
    assert "virus.exe" in posted.notes and "faux.png" in posted.notes and "gros.pdf" in posted.notes
    assert posted.body == "Qui utilise Flickr pour les fonds photographiques ?"


def test_quotes_and_signature_are_taken_off_what_is_shown(
    network, camille, open_policy, verified_mail
):
    message = email(
        Authentication_Results=verified_mail,
        body=(
            "Oui, nous l’utilisons depuis 2012.\n\n-- \nCamille Le Goff\nMédiathèque\n\n"
            "Le mer. 26 mars 2014 à 18:00, Léa <lea@example.org> a écrit :\n"
            "> Qui utilise Flickr ?\n"
        ),
    )
    receive(message)
    assert Message.objects.get().body == "Oui, nous l’utilisons depuis 2012."


def test_a_posting_rate_stops_a_runaway_sender(
    network, camille, open_policy, verified_mail, settings
):
    settings.MAILING_POST_RATE_LIMIT = 2
    outcomes = [
        receive(email(subject=f"Sujet {n}", Authentication_Results=verified_mail)).outcome
        for n in range(3)
    ]
    assert outcomes == [InboundOutcome.POSTED, InboundOutcome.POSTED, InboundOutcome.NOT_ALLOWED]
    assert InboundMail.objects.count() == 3


def test_a_list_from_a_trust_level_holds_the_others(
    network, camille, sophie, open_policy, verified_mail
):
    network.posting_policy = "trusted"
    network.min_trust_level = 2
    network.save()
    assert receive(email(Authentication_Results=verified_mail)).outcome == InboundOutcome.POSTED
    sophie_mail = email(
        sender="sophie@example.org", subject="Moi aussi", Authentication_Results=verified_mail
    )
    assert receive(sophie_mail).outcome == InboundOutcome.HELD


def test_an_error_while_handling_is_recorded_and_the_mail_kept(network, camille, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(posting, "start_thread", broken)
    message = email()
    outcome = receive(message)
    assert outcome.outcome == InboundOutcome.ERROR
    assert "disk full" in outcome.detail
    assert outcome.smtp_reply.startswith("250")  # kept: a coordinator handles it again
    assert kept(outcome) == message.as_bytes()


def test_the_receive_command_reads_standard_input(
    network, camille, open_policy, verified_mail, monkeypatch, capsys
):
    message = email(Authentication_Results=verified_mail)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(message.as_bytes())))
    monkeypatch.setenv("ORIGINAL_RECIPIENT", LIST)
    monkeypatch.setenv("SENDER", "camille@example.org")
    call_command("mail", "receive")
    assert "posted" in capsys.readouterr().out
    assert Message.objects.get().message_id == message["Message-ID"]


def test_the_receive_command_exits_67_for_an_unknown_address(network, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(email().as_bytes())))
    with pytest.raises(SystemExit) as exit_info:
        call_command("mail", "receive", "--recipient", f"nobody@{DOMAIN}")
    assert exit_info.value.code == incoming.EX_NOUSER
    assert InboundMail.objects.get().outcome == InboundOutcome.UNKNOWN_RECIPIENT


@pytest.mark.django_db(transaction=True)  # Django's command closes the connection at its end
def test_the_maillage_command_forwards_mail_to_django(
    network, camille, open_policy, verified_mail, monkeypatch
):
    from maillage.cli import main

    message = email(Authentication_Results=verified_mail)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(message.as_bytes())))
    assert main(["mail", "receive", "--recipient", LIST, "--sender", "camille@example.org"]) == 0
    assert Message.objects.filter(message_id=message["Message-ID"]).exists()


def test_a_member_who_left_cannot_post(network, open_policy, verified_mail):
    UserFactory(email="parti@example.org", is_active=False)
    outcome = receive(
        email(
            sender="parti@example.org",
            Authentication_Results=verified_mail.replace("example.org", "example.org"),
        )
    )
    assert outcome.outcome == InboundOutcome.UNKNOWN_SENDER
