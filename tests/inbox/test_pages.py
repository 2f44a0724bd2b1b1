"""The inbox's pages: who sees what, one click to pass a question on, the answer form, the
settings (holidays, absences); query counts pinned on the list pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.inbox.models import Absence, AnswerKind, Holiday, Question, QuestionState
from maillage.inbox.services import answers, assignment
from maillage.inbox.services import questions as services
from tests.factories import InboxAnswerFactory, QuestionFactory, UserFactory
from tests.inbox.conftest import Museum


def url(name: str, museum: Museum, **kwargs: Any) -> str:
    return reverse(f"inbox:{name}", kwargs={"space": museum.space.slug, **kwargs})


def asked(museum: Museum, text: str) -> Question:
    return services.receive_email(
        space=museum.space, sender="paul@example.org", subject=text[:60], text=text
    )


def test_inside_pages_are_for_the_space_members_only(client: Client, museum: Museum) -> None:
    question = asked(museum, "Comment est monté le squelette de la baleine ?")
    pages = [
        url("inbox", museum),
        url("question", museum, pk=question.pk),
        url("figures", museum),
        url("figures_csv", museum),
    ]
    for page in pages:
        assert client.get(page).status_code == 302, page
    client.force_login(UserFactory())
    for page in [*pages, url("settings", museum), url("review", museum)]:
        assert client.get(page).status_code == 403, page
    client.force_login(museum.thomas.user)
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert client.get(url("settings", museum)).status_code == 403
    assert client.get(url("review", museum)).status_code == 403
    client.force_login(museum.admin)
    assert client.get(url("settings", museum)).status_code == 200


def test_the_inbox_lists_late_questions_first_with_their_tabs(
    client: Client, museum: Museum
) -> None:
    early = asked(museum, "Comment est monté le squelette de la baleine ?")
    late = asked(museum, "Un insecte dans ma cuisine")
    Question.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=1))
    asked(museum, "Quels sont vos horaires le dimanche ?")  # to triage
    client.force_login(museum.editor)
    page = client.get(url("inbox", museum)).content.decode()
    assert page.index("Un insecte dans ma cuisine") < page.index("Comment est monté")
    assert "late" in page
    assert "Waiting for an answer (3)" in page and "To triage (1)" in page
    triage = client.get(url("inbox", museum) + "?voir=a-trier").content.decode()
    assert "Quels sont vos horaires" in triage and "insecte" not in triage
    mine = client.get(url("inbox", museum) + "?moi=1")
    assert mine.status_code == 200  # the editor has no voice: the link is not offered
    client.force_login(museum.lucie.user)
    mine = client.get(url("inbox", museum) + "?moi=1").content.decode()
    assert "baleine" in mine and "insecte" not in mine
    assert early.assignee == museum.lucie


def test_one_click_passes_a_question_on_and_counts_a_hop(client: Client, museum: Museum) -> None:
    question = asked(museum, "J’ai trouvé un insecte bizarre dans mon jardin")
    assert question.assignee == museum.camille
    client.force_login(museum.camille.user)
    page = client.get(url("question", museum, pk=question.pk)).content.decode()
    assert "Pass it on" in page and "Not for me: back to triage" in page
    response = client.post(url("assign", museum, pk=question.pk), {"voice": museum.yannick.pk})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.assignee == museum.yannick and question.hops == 1
    # Camille no longer holds it: she may not pass it on again.
    client.post(url("assign", museum, pk=question.pk), {"voice": museum.lucie.pk})
    question.refresh_from_db()
    assert question.assignee == museum.yannick
    client.force_login(museum.yannick.user)
    client.post(url("release", museum, pk=question.pk))
    question.refresh_from_db()
    assert question.state == QuestionState.NEW and question.hops == 2


def test_answering_from_the_page(
    client: Client, museum: Museum, smtp_server: Any, committed: Any
) -> None:
    question = asked(museum, "Comment est monté le squelette de la baleine ?")
    client.force_login(museum.lucie.user)
    page = client.get(url("question", museum, pk=question.pk)).content.decode()
    assert "Send the answer" in page
    assert 'value="public"' not in page  # no consent: no public answer offered
    with committed():
        response = client.post(
            url("answer", museum, pk=question.pk),
            {"kind": AnswerKind.EMAIL, "body": "Avec une armature d’acier."},
        )
    assert response.status_code == 302
    assert smtp_server.wait_for(1)[0].envelope_to == ["paul@example.org"]
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED


def test_state_actions_for_triage(client: Client, museum: Museum) -> None:
    question = asked(museum, "Gagnez un iPhone maintenant")
    client.force_login(museum.editor)
    client.post(url("state", museum, pk=question.pk), {"action": "spam"})
    question.refresh_from_db()
    assert question.state == QuestionState.SPAM
    client.post(url("state", museum, pk=question.pk), {"action": "reopen"})
    question.refresh_from_db()
    assert question.state == QuestionState.NEW
    client.force_login(museum.thomas.user)  # a voice who does not hold it
    client.post(url("state", museum, pk=question.pk), {"action": "spam"})
    question.refresh_from_db()
    assert question.state == QuestionState.NEW


def test_settings_holidays_and_absences(client: Client, museum: Museum) -> None:
    client.force_login(museum.admin)
    response = client.post(
        url("settings", museum),
        {
            "what": "settings",
            "accepts_questions": "on",
            "response_hours": "16",
            "reminder_hours": "2",
            "email_address": "Questions@Museum-Landes.example",
            "triage_role": "reviewer",
        },
    )
    assert response.status_code == 302
    museum.settings.refresh_from_db()
    assert museum.settings.response_hours == 16 and museum.settings.triage_role == "reviewer"
    assert museum.settings.email_address == "questions@museum-landes.example"
    client.post(
        url("settings", museum), {"what": "holiday", "day": "2014-05-01", "name": "1er mai"}
    )
    assert Holiday.objects.get().name == "1er mai"
    client.post(
        url("settings", museum),
        {
            "what": "absence",
            "voice": museum.camille.pk,
            "starts_on": "2014-05-05",
            "ends_on": "2014-05-09",
        },
    )
    assert Absence.objects.get().voice == museum.camille
    bad = client.post(
        url("settings", museum),
        {
            "what": "absence",
            "voice": museum.camille.pk,
            "starts_on": "2014-05-09",
            "ends_on": "2014-05-05",
        },
    )
    assert bad.status_code == 400 and Absence.objects.count() == 1
    client.post(url("settings", museum), {"what": "delete-holiday", "pk": Holiday.objects.get().pk})
    assert not Holiday.objects.exists()
    # The reminder must come before the deadline.
    bad = client.post(
        url("settings", museum),
        {"what": "settings", "response_hours": "4", "reminder_hours": "4", "triage_role": "editor"},
    )
    assert bad.status_code == 400


def count_queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def published(museum: Museum, number: int) -> Question:
    question = QuestionFactory(
        space=museum.space,
        subject=f"Question publique n°{number}",
        consent_public=True,
        published_at=timezone.now(),
        state="answered",
        assignee=museum.lucie,
    )
    InboxAnswerFactory(question=question, voice=museum.lucie, kind="public")
    return question


@pytest.mark.parametrize("name", ["inbox", "public", "review", "figures"])
def test_list_pages_have_a_pinned_query_count(client: Client, museum: Museum, name: str) -> None:
    client.force_login(museum.admin)
    museum.admin.__dict__.pop("_voices_roles", None)

    def add_rows(count: int) -> None:
        for number in range(count):
            question = asked(museum, f"Le squelette n°{number} de la baleine")
            published(museum, number)
            assignment.assign(question=question, voice=museum.thomas, by=museum.admin)
            answers.write_answer(
                question=question, user=museum.thomas.user, kind="email", body="Je crois."
            )

    add_rows(1)
    address = url(name, museum)
    few = count_queries(client, address)
    add_rows(6)
    assert count_queries(client, address) == few


def test_voices_pages_keep_their_query_count_with_questions(client: Client, museum: Museum) -> None:
    space_page = reverse("voices:space", kwargs={"space": museum.space.slug})
    voice_page = reverse(
        "voices:voice", kwargs={"space": museum.space.slug, "voice": museum.lucie.slug}
    )
    published(museum, 0)
    few = [count_queries(client, space_page), count_queries(client, voice_page)]
    for number in range(1, 8):
        published(museum, number)
    assert [count_queries(client, space_page), count_queries(client, voice_page)] == few


def test_a_voice_says_they_are_away_and_routing_skips_them(client: Client, museum: Museum) -> None:
    today = timezone.localdate()
    client.force_login(museum.camille.user)
    response = client.post(
        url("own_absence", museum),
        {"absence-starts_on": today.isoformat(), "absence-ends_on": today.isoformat()},
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert absence.voice == museum.camille
    assert "Out of the office?" in client.get(url("inbox", museum)).content.decode()
    question = asked(museum, "Un insecte bizarre dans ma cuisine")
    assert question.assignee is None and question.state == QuestionState.NEW
    # Back early: she removes it; others may not remove hers.
    client.force_login(museum.lucie.user)
    client.post(url("own_absence", museum), {"remove": absence.pk})
    assert Absence.objects.exists()
    client.force_login(museum.camille.user)
    client.post(url("own_absence", museum), {"remove": absence.pk})
    assert not Absence.objects.exists()
    assert asked(museum, "Encore un insecte").assignee == museum.camille
    # Someone without a voice has nothing to declare.
    client.force_login(museum.editor)
    assert client.post(url("own_absence", museum), {}).status_code == 404
