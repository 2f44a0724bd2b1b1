"""The inbox in a real browser: a visitor asks the museum a question from its page (no account),
confirms it from the email (real SMTP), it is routed to the voice who knows insects, who answers
in public; the visitor's answer arrives and the question and answer is on the museum's page.
Every page passes axe-core and fits a 320 px phone; the demo's inbox, a question and the figures
too (pictures with E2E_SCREENSHOTS).

Elements are found by names and ids, not their (French) words.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from maillage.inbox.demo import load_inbox
from maillage.inbox.models import Answer, Question
from maillage.members.demo import DEMO_PASSWORD, load_members
from maillage.voices.demo import load_voices
from maillage.voices.models import Space
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width, log_in
from tests.factories import (
    InboxSettingsFactory,
    MembershipFactory,
    SpaceFactory,
    TagFactory,
    UserFactory,
    VoiceFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check(page: Any) -> None:
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def shoot(page: Any, name: str) -> None:
    if not os.environ.get("E2E_SCREENSHOTS"):
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / f"inbox-{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=str(ARTIFACTS / f"inbox-{name}-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_asks_the_right_voice_answers(page: Any, smtp_server: Any) -> None:
    space = SpaceFactory(institution__name="Muséum des Landes", institution__slug="museum-landes")
    InboxSettingsFactory(space=space)
    editor = UserFactory(email="edouard@example.org", display_name="Édouard Éditeur")
    MembershipFactory(space=space, user=editor, role="editor")
    camille = VoiceFactory(
        space=space,
        user=UserFactory(email="camille@example.org", display_name="Camille Le Goff"),
        title="chargée des collections d’entomologie",
        expertise=[TagFactory(name="entomologie"), TagFactory(name="insectes")],
    )
    VoiceFactory(
        space=space,
        user=UserFactory(email="lucie@example.org", display_name="Lucie Bréhat"),
        title="préparatrice en ostéologie",
        expertise=[TagFactory(name="squelettes")],
    )

    # A visitor on the museum's page, without an account.
    page.goto(f"/voix/{space.slug}/")
    check(page)
    page.click(".ask-block a.button")
    page.wait_for_load_state()
    check(page)
    page.fill("#id_question-name", "Léa Martin")
    page.fill("#id_question-email", "lea@example.org")
    page.fill("#id_question-subject", "Un insecte vert dans mon jardin")
    page.fill(
        "#id_question-body",
        "J’ai trouvé un insecte vert et brillant sous mes rosiers : pouvez-vous l’identifier ?",
    )
    page.check("#id_question-consent_public")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check(page)
    question = Question.objects.get()
    assert question.state == "unconfirmed"

    # The confirmation email, then the button behind its link.
    mail = smtp_server.wait_for(1)[0]
    assert mail.envelope_to == ["lea@example.org"]
    link = re.search(r"(/questions/confirmer/[^\s]+/)", mail.text())
    assert link
    page.goto(link.group(1))
    check(page)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check(page)
    question.refresh_from_db()
    assert question.state == "assigned" and question.assignee == camille

    # Camille hears about it, opens her inbox and answers in public.
    assert smtp_server.wait_for(2)[1].envelope_to == ["camille@example.org"]
    log_in(page, "camille@example.org")
    page.goto(f"/questions/{space.slug}/boite/")
    assert page.locator(f"a[href$='/boite/{question.pk}/']").count() == 1
    check(page)
    shoot(page, "test-inbox")
    page.click(f"a[href$='/boite/{question.pk}/']")
    page.wait_for_load_state()
    check(page)
    page.fill("#id_body", "Un **carabe doré** : il mange les limaces, gardez-le au jardin.")
    page.check("input[name=kind][value=public]")
    page.click("form[action$='/repondre/'] button[type=submit]")
    page.wait_for_load_state()
    check(page)
    answer = Answer.objects.get()
    assert answer.state == "sent", answer.error
    answered = smtp_server.wait_for(3)[2]
    assert answered.envelope_to == ["lea@example.org"]
    assert "carabe doré" in answered.text()

    # Anyone now reads it on the museum's questions and answers, without Léa's name.
    page.context.clear_cookies()
    page.goto(f"/questions/{space.slug}/")
    assert page.locator(".qa").count() == 1
    check(page)
    page.click(".qa a")
    page.wait_for_load_state()
    assert "Léa" not in page.content()
    assert page.locator(".answer strong").inner_text() == "carabe doré"
    check(page)


PAGES = {
    "boite": "boite/",
    "question": None,
    "chiffres": "chiffres/",
    "relecture": "relecture/",
    "reglages": "reglages/",
    "public": "",
    "poser": "poser/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_demo_pages_are_accessible_and_fit_a_phone(page: Any, name: str) -> None:
    load_members()
    load_voices()
    load_inbox()
    space = Space.objects.get(institution__slug="musee-vilaine")
    if name not in ("public", "poser"):
        log_in(page, "mathieu.quere@docarennes.example", DEMO_PASSWORD)
    path = PAGES[name]
    if path is None:
        question = Question.objects.get(subject="Réserver une visite pour une classe")
        path = f"boite/{question.pk}/"
    page.goto(f"/questions/{space.slug}/{path}")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    shoot(page, name)
    assert_fits_width(page)
