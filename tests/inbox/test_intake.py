"""Questions in: the "ask us" form without an account (a confirmation link by real SMTP, the
honeypot, rate limits), email to the institution's address over LMTP end to end, and what the
public pages show of all this (nothing until it is published with consent)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.inbox.models import Question, QuestionChannel, QuestionState
from maillage.mailing.models import InboundMail
from tests.inbox.conftest import Museum


def ask_url(museum: Museum, voice: Any = None) -> str:
    if voice is not None:
        return reverse("inbox:ask_voice", kwargs={"space": museum.space.slug, "voice": voice.slug})
    return reverse("inbox:ask", kwargs={"space": museum.space.slug})


def form(**extra: str) -> dict[str, str]:
    data = {
        "question-name": "Léa Martin",
        "question-email": "lea@example.org",
        "question-subject": "Un insecte dans mon jardin",
        "question-body": "J’ai trouvé un insecte vert et brillant : pouvez-vous l’identifier ?",
        "question-website": "",
    }
    data.update(extra)
    return data


def link_in(text: str) -> str:
    found = re.search(r"https://docarennes\.example(/questions/confirmer/[^\s]+/)", text)
    assert found, text
    return found.group(1)


def test_a_visitor_asks_confirms_by_email_and_the_question_is_routed(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    with committed():
        response = client.post(ask_url(museum), form(**{"question-consent_public": "on"}))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.state == QuestionState.UNCONFIRMED
    assert question.consent_public and question.channel == QuestionChannel.FORM
    # Not in the inbox before the asker confirms.
    assert question.assignee is None and question.deadline is None
    mail = smtp_server.wait_for(1)[0]
    assert mail.envelope_to == ["lea@example.org"]
    assert "Muséum des Landes" in mail.subject
    path = link_in(mail.text())
    # Opening the link shows a button (mail scanners follow links): nothing happens yet.
    assert client.get(path).status_code == 200
    question.refresh_from_db()
    assert question.state == QuestionState.UNCONFIRMED
    with committed():
        assert client.post(path).status_code == 302
    question.refresh_from_db()
    assert question.state == QuestionState.ASSIGNED
    assert question.assignee == museum.camille
    assert question.email_confirmed_at is not None and question.deadline is not None
    # Camille hears about it.
    assigned = smtp_server.wait_for(2)[1]
    assert assigned.envelope_to == ["camille@example.org"]
    assert "Un insecte dans mon jardin" in assigned.subject
    assert f"/questions/{museum.space.slug}/boite/{question.pk}/" in assigned.text()
    # Confirming twice changes nothing; the asker may withdraw their consent.
    with committed():
        client.post(path, {"consent": "0"})
    question.refresh_from_db()
    assert question.state == QuestionState.ASSIGNED and not question.consent_public
    assert len(smtp_server.messages) == 2


def test_asked_on_a_voice_page_it_goes_to_that_voice(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    with committed():
        client.post(ask_url(museum, museum.thomas), form())
    question = Question.objects.get()
    assert question.addressed_to == museum.thomas
    with committed():
        client.post(link_in(smtp_server.wait_for(1)[0].text()))
    question.refresh_from_db()
    assert question.assignee == museum.thomas and question.routing == "addressed"


def test_a_wrong_or_altered_link_is_refused(client: Client, museum: Museum) -> None:
    response = client.get(reverse("inbox:confirm", kwargs={"token": "pas-un-jeton"}))
    assert response.status_code == 404


def test_the_honeypot_answers_as_if_it_worked_and_sends_nothing(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    with committed():
        response = client.post(ask_url(museum), form(**{"question-website": "http://spam"}))
    assert response.status_code == 302
    assert not Question.objects.exists()
    assert smtp_server.messages == []


def test_too_many_questions_from_one_address_are_refused(
    client: Client, museum: Museum, settings: Any
) -> None:
    settings.INBOX_ASK_RATE_LIMIT = 2
    for number in range(2):
        assert (
            client.post(ask_url(museum), form(**{"question-subject": f"n°{number}"})).status_code
            == 302
        )
    response = client.post(ask_url(museum), form())
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Question.objects.count() == 2


def test_invalid_form_says_what_is_missing(client: Client, museum: Museum) -> None:
    response = client.post(
        ask_url(museum), form(**{"question-email": "pas une adresse", "question-body": ""})
    )
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_an_institution_that_takes_no_questions_says_so(client: Client, museum: Museum) -> None:
    museum.settings.accepts_questions = False
    museum.settings.save()
    response = client.post(ask_url(museum), form())
    assert response.status_code == 200
    assert "does not take questions" in response.content.decode()
    assert not Question.objects.exists()


def email(
    *, sender: str, to: str, subject: str, body: str, message_id: str, extra: str = ""
) -> bytes:
    return (
        f"From: Paul Durand <{sender}>\r\n"
        f"To: {to}\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n"
        f"{extra}"
        "MIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


@pytest.mark.django_db(transaction=True)
def test_email_to_the_questions_address_over_lmtp_becomes_a_routed_question(
    museum: Museum, lmtp_server: Any, smtp_server: Any
) -> None:
    raw = email(
        sender="paul@example.org",
        to="questions@museum-landes.example",
        subject="Le squelette de la baleine",
        body="Bonjour,\nComment a-t-on monté le squelette de la baleine ?\nMerci, Paul",
        message_id="<question-1@example.org>",
    )
    answers = lmtp_server.send(
        raw, mail_from="paul@example.org", recipients=["Questions@Museum-Landes.example"]
    )
    assert answers == ["250 2.0.0 Kept (handed)"]
    question = Question.objects.get()
    assert question.channel == QuestionChannel.EMAIL
    assert question.asker_email == "paul@example.org" and question.asker_name == "Paul Durand"
    assert question.subject == "Le squelette de la baleine"
    assert question.message_id == "<question-1@example.org>"
    assert question.state == QuestionState.ASSIGNED and question.assignee == museum.lucie
    inbound = InboundMail.objects.get()
    assert inbound.outcome == "handed"
    assert inbound.detail == f"inbox: question {question.pk} for {museum.space.slug}"
    # The same email delivered twice is one question.
    lmtp_server.send(
        raw, mail_from="paul@example.org", recipients=["questions@museum-landes.example"]
    )
    assert Question.objects.count() == 1
    # An automatic reply is not a question; an unknown address is refused at RCPT.
    auto = email(
        sender="paul@example.org",
        to="questions@museum-landes.example",
        subject="Absent du bureau",
        body="Je suis absent.",
        message_id="<auto-1@example.org>",
        extra="Auto-Submitted: auto-replied\r\n",
    )
    assert lmtp_server.send(
        auto, mail_from="paul@example.org", recipients=["questions@museum-landes.example"]
    ) == ["250 2.0.0 Kept (automatic)"]
    refused = lmtp_server.send(
        raw, mail_from="paul@example.org", recipients=["nobody@else.example"]
    )
    assert refused[0].startswith("550")
    assert Question.objects.count() == 1
