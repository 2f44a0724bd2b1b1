"""Answers out: a trusted voice within their expertise answers directly (real SMTP, threaded on
the asker's email, replies coming back to the questions address); otherwise a reviewer of the
space reads it first, never its author; published as a question and answer only with the
asker's consent, and then searchable; private answers and questions never shown to the public."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core import search
from maillage.core.review import ReviewRecord, ReviewState
from maillage.inbox.models import Answer, AnswerKind, AnswerState, Question, QuestionState
from maillage.inbox.services import InboxError, NotAllowed, answers, assignment
from maillage.inbox.services import questions as services
from tests.inbox.conftest import Museum


class Never(random.Random):
    def random(self) -> float:
        return 0.99


def routed(museum: Museum, text: str, **fields: Any) -> Question:
    question = services.receive_email(
        space=museum.space,
        sender=fields.pop("sender", "paul@example.org"),
        sender_name="Paul Durand",
        subject=fields.pop("subject", text[:60]),
        text=text,
        message_id=fields.pop("message_id", ""),
    )
    for name, value in fields.items():
        setattr(question, name, value)
    if fields:
        question.save()
    question.refresh_from_db()
    return question


def test_a_trusted_voice_answers_directly_by_email_in_the_askers_thread(
    museum: Museum, smtp_server: Any, committed: Any
) -> None:
    question = routed(
        museum,
        "J’ai trouvé un insecte vert et brillant : qu’est-ce que c’est ?",
        subject="Un insecte vert et brillant",
        message_id="<q-1@example.org>",
    )
    assert question.assignee == museum.camille
    with committed():
        answer = answers.write_answer(
            question=question,
            user=museum.camille.user,
            kind=AnswerKind.EMAIL,
            body="Un **carabe doré** : il mange les limaces, gardez-le au jardin.",
            rng=Never(),
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT and answer.sent_at is not None
    assert answer.review_reasons == ["trusted_author", "within_expertise"]
    record = ReviewRecord.objects.for_content(answer).get()
    assert record.state == ReviewState.AUTO_PUBLISHED
    mail = smtp_server.wait_for(1)[0]
    assert mail.envelope_to == ["paul@example.org"]
    # "Re: " in every language, as mail clients expect.
    assert mail.subject.strip() == "Re: Un insecte vert et brillant"
    assert mail.message["In-Reply-To"] == "<q-1@example.org>"
    assert mail.message["Message-ID"] == answer.message_id
    assert mail.message["Reply-To"] == "questions@museum-landes.example"
    assert "Un **carabe doré**" in mail.text() and "<strong>carabe doré</strong>" in mail.html()
    assert "Camille Le Goff, chargée des collections d’entomologie" in mail.text()
    assert "> J’ai trouvé un insecte vert" in mail.text()
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED
    assert question.first_answered_at == answer.sent_at
    # Sending again (a retried task) sends nothing more.
    assert answers.deliver(answer_id=answer.pk) is False
    # Paul answers our email: a follow-up, straight back to Camille.
    follow = services.receive_email(
        space=museum.space,
        sender="paul@example.org",
        subject="Re: insecte",
        text="Merci ! Et il vit combien de temps ?",
        message_id="<q-2@example.org>",
        references=["<q-1@example.org>", answer.message_id],
    )
    assert follow.follow_up_of == question
    assert follow.assignee == museum.camille and follow.routing == "addressed"


def test_outside_expertise_the_answer_waits_for_a_reviewer(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    question = routed(museum, "Quels sont vos horaires le dimanche ?")
    assert question.state == QuestionState.NEW
    assignment.assign(question=question, voice=museum.thomas, by=museum.editor)
    with committed():
        answer = answers.write_answer(
            question=question,
            user=museum.thomas.user,
            kind=AnswerKind.EMAIL,
            body="Le muséum ouvre le dimanche de 14 h à 18 h.",
        )
    assert answer.state == AnswerState.HELD
    assert "outside_expertise" in answer.review_reasons
    assert smtp_server.messages == []
    # Thomas sees why on the question's page.
    client.force_login(museum.thomas.user)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "outside the author’s declared expertise" in page
    # The reviewer's queue holds it; nobody reviews their own answer.
    review_url = reverse("inbox:review", kwargs={"space": museum.space.slug})
    record = ReviewRecord.objects.for_content(answer).get()
    decide_url = reverse(
        "inbox:review_decide", kwargs={"space": museum.space.slug, "record": record.pk}
    )
    assert client.get(review_url).status_code == 403  # a voice is not a reviewer
    client.force_login(museum.reviewer)
    assert "Le muséum ouvre le dimanche" in client.get(review_url).content.decode()
    with committed():
        response = client.post(decide_url, {"action": "approve", "note": "Parfait."})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT
    assert smtp_server.wait_for(1)[0].envelope_to == ["paul@example.org"]
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED


def test_a_reviewer_may_refuse_with_a_reason_the_voice_reads(
    museum: Museum, committed: Any
) -> None:
    question = routed(museum, "Quels sont vos horaires le dimanche ?")
    assignment.assign(question=question, voice=museum.thomas, by=museum.editor)
    answer = answers.write_answer(
        question=question, user=museum.thomas.user, kind=AnswerKind.EMAIL, body="Je crois que oui."
    )
    from maillage.core import review as policy

    record = ReviewRecord.objects.for_content(answer).get()
    with pytest.raises(policy.ReviewNotAllowed):  # a voice does not review
        policy.approve(record=record, by=museum.thomas.user)
    # Even a reviewer does not review their own answer.
    museum.space.memberships.filter(user=museum.thomas.user).update(role="reviewer")
    museum.thomas.user.__dict__.pop("_voices_roles", None)
    with pytest.raises(policy.OwnContent):
        policy.approve(record=record, by=museum.thomas.user)
    policy.reject(record=record, by=museum.reviewer, reason="Vérifie les horaires d’été.")
    answer.refresh_from_db()
    assert answer.state == AnswerState.REJECTED
    assert answer.decision_note == "Vérifie les horaires d’été."
    question.refresh_from_db()
    assert question.state == QuestionState.ASSIGNED  # still waiting for an answer


def test_an_untrained_voice_is_held_even_within_expertise(museum: Museum) -> None:
    museum.lucie.training_done_at = None
    museum.lucie.save()
    question = routed(museum, "Comment est monté le squelette de la baleine ?")
    answer = answers.write_answer(
        question=question, user=museum.lucie.user, kind=AnswerKind.EMAIL, body="Avec des tiges."
    )
    assert answer.state == AnswerState.HELD
    assert "training_not_done" in answer.review_reasons


def test_who_may_answer(museum: Museum) -> None:
    question = routed(museum, "Comment est monté le squelette de la baleine ?")
    with pytest.raises(NotAllowed):
        answers.write_answer(
            question=question, user=museum.camille.user, kind=AnswerKind.EMAIL, body="…"
        )
    with pytest.raises(NotAllowed):  # triage without a voice of their own
        answers.write_answer(question=question, user=museum.editor, kind=AnswerKind.EMAIL, body="…")
    with pytest.raises(InboxError):  # no consent to publish
        answers.write_answer(
            question=question, user=museum.lucie.user, kind=AnswerKind.PUBLIC, body="…"
        )
    with pytest.raises(InboxError):  # not from a network
        answers.write_answer(
            question=question, user=museum.lucie.user, kind=AnswerKind.CHANNEL, body="…"
        )


def public_urls(museum: Museum, question: Question) -> list[str]:
    space = museum.space.slug
    return [
        reverse("inbox:public", kwargs={"space": space}),
        reverse("voices:space", kwargs={"space": space}),
        reverse("voices:voice", kwargs={"space": space, "voice": museum.lucie.slug}),
    ]


def found(text: str, viewer: Any = None) -> set[str]:
    return {hit.url for hit in search.search(viewer=viewer, text=text).hits}


def test_published_with_consent_it_is_on_the_institution_page_and_searchable(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    question = routed(
        museum,
        "Comment a-t-on monté le squelette de la baleine ? Avec quoi tiennent les vertèbres ?",
        subject="Le squelette de la baleine",
        consent_public=True,
        sender="paul.durand@example.org",
    )
    with committed():
        answer = answers.write_answer(
            question=question,
            user=museum.lucie.user,
            kind=AnswerKind.PUBLIC,
            body="Chaque vertèbre est enfilée sur une **armature d’acier** forgée en 1898.",
            rng=Never(),
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT
    mail = smtp_server.wait_for(1)[0]
    public_url = reverse(
        "inbox:public_question", kwargs={"space": museum.space.slug, "pk": question.pk}
    )
    assert f"https://docarennes.example{public_url}" in mail.text()
    question.refresh_from_db()
    assert question.published_at is not None
    for url in public_urls(museum, question):
        page = client.get(url).content.decode()
        assert "Le squelette de la baleine" in page, url
        assert "paul.durand@example.org" not in page and "Paul Durand" not in page
    detail = client.get(public_url).content.decode()
    assert "armature d’acier" in detail and "Lucie Bréhat" in detail
    assert "Paul" not in detail
    assert found("armature vertèbres") == {public_url}
    assert found("Paul Durand") == set()
    # The asker withdraws their consent: off the page and out of the index.
    services.set_consent(question=question, consent=False)
    assert client.get(public_url).status_code == 404
    assert (
        "Le squelette de la baleine"
        not in client.get(public_urls(museum, question)[0]).content.decode()
    )
    assert found("armature vertèbres") == set()


def test_private_questions_and_answers_are_never_public(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    question = routed(
        museum,
        "Mon grand-père a donné le squelette d’un loup en 1950, est-il exposé ?",
        subject="Le squelette du loup de mon grand-père",
        consent_public=False,
    )
    with committed():
        answers.write_answer(
            question=question,
            user=museum.lucie.user,
            kind=AnswerKind.EMAIL,
            body="Le squelette du loup est en réserve, inventaire 1950-12.",
        )
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED and question.published_at is None
    public = reverse(
        "inbox:public_question", kwargs={"space": museum.space.slug, "pk": question.pk}
    )
    assert client.get(public).status_code == 404
    for url in public_urls(museum, question):
        assert "loup" not in client.get(url).content.decode()
    # The inbox itself: its members only; a visitor logs in first, a stranger gets 403.
    inbox_url = question.get_absolute_url()
    assert client.get(inbox_url).status_code == 302
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(inbox_url).status_code == 403
    assert found("squelette loup") == set()
    assert found("squelette loup", viewer=museum.lucie.user) == set()
    # Even with a public answer, no consent means no publication.
    assert Answer.objects.filter(kind=AnswerKind.PUBLIC).count() == 0


def test_an_answer_that_cannot_be_sent_is_retried_then_marked_failed(
    museum: Museum, settings: Any
) -> None:
    from tests.services import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    question = routed(museum, "Comment est monté le squelette de la baleine ?")
    answer = answers.write_answer(
        question=question, user=museum.lucie.user, kind=AnswerKind.EMAIL, body="Avec de l’acier."
    )
    for attempt in range(1, answers.MAX_ATTEMPTS):
        with pytest.raises(answers.DeliveryFailed):
            answers.deliver(answer_id=answer.pk)
        answer.refresh_from_db()
        assert answer.state == AnswerState.SENDING and answer.attempts == attempt
        assert answer.error
    assert answers.deliver(answer_id=answer.pk) is False
    answer.refresh_from_db()
    assert answer.state == AnswerState.FAILED
    question.refresh_from_db()
    assert question.state == QuestionState.ASSIGNED and question.first_answered_at is None
