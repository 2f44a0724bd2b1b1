"""First steps in a real browser: a member answers the questionnaire, gets a path, follows the
spreadsheet-import step to the import page, marks a step done with htmx; "it helped me" toggles
in place; the licence chooser answers without JavaScript. Every page passes axe-core and fits
a 320 px phone.

Elements are found by ids, names and addresses, not their words: the pages are in French here.
With E2E_SCREENSHOTS=1, each page is saved at 1280 and 320 px in test-artifacts/.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from maillage.onboarding.models import HelpfulVote, Path, StepKind
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width, log_in
from tests.factories import (
    AnswerFactory,
    FirstStepFactory,
    ObjectionFactory,
    PracticeFactory,
    StepFeedFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def screenshot(page: Any, name: str) -> None:
    if not os.environ.get("E2E_SCREENSHOTS"):
        return
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"onboarding-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def check(page: Any, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def make_catalogue() -> dict[str, Any]:
    excel = FirstStepFactory(
        title="Importer votre veille Excel", kind=StepKind.SPREADSHEET_IMPORT, url=""
    )
    feeds = FirstStepFactory(
        title="Suivre ces trois flux", kind=StepKind.FOLLOW_FEEDS, url="", for_everyone=True
    )
    StepFeedFactory(step=feeds, title="Doc@Rennes", url="https://docarennes.example.org/feed/")
    licence = FirstStepFactory(
        title="Choisir une licence Creative Commons pour vos photos",
        kind=StepKind.LICENCE_CHOOSER,
        url="",
        for_everyone=True,
    )
    watch = PracticeFactory(label="Je tiens une veille dans un tableur", steps=[excel, feeds])
    photos = PracticeFactory(label="Je prends des photos", steps=[licence])
    afraid = ObjectionFactory(
        title="J’ai peur de me lancer",
        explanation="Peur de **mal faire** devant tout le monde.",
        featured=True,
    )
    ObjectionFactory(title="Je n’ai pas le temps de m’y mettre")
    answer = AnswerFactory(
        objection=afraid,
        body="Commencez par lire sans rien publier : suivez trois comptes pendant une semaine.",
    )
    AnswerFactory(
        objection=afraid,
        kind="testimony",
        title="Comment j’ai convaincu ma direction",
        body="Une charte d’une page, signée par la directrice : depuis, elle nous fait confiance.",
    )
    return {"watch": watch, "photos": photos, "afraid": afraid, "answer": answer}


def test_questionnaire_to_the_spreadsheet_import(page: Any) -> None:
    catalogue = make_catalogue()
    member = UserFactory(display_name="Sophie Le Bihan")
    log_in(page, member)

    page.goto(reverse("onboarding:questionnaire"))
    check(page, "questionnaire")
    page.check(f"input[name=practices][value='{catalogue['watch'].pk}']")
    page.check(f"input[name=objections][value='{catalogue['afraid'].pk}']")
    page.click("main form.questionnaire button[type=submit]")
    page.wait_for_load_state()

    path = Path.objects.get(owner=member)
    assert page.url.endswith(path.get_absolute_url())
    assert page.locator("#path-steps li.path-step").count() == 3  # excel, objection, feeds
    check(page, "path")

    # Mark the second step done with htmx: swapped in place, focus stays on its button.
    page.locator("#path-steps form button").nth(1).click()
    page.wait_for_selector("#path-steps li.is-done")
    assert page.locator("#path-steps li.is-done").count() == 1
    assert page.evaluate("document.activeElement.closest('li').id").startswith("etape-")
    assert path.path_steps.filter(done_at__isnull=False).count() == 1

    # The spreadsheet-import step leads straight to the import page.
    page.locator(f"#path-steps a[href='{reverse('veille_imports:start')}']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("veille_imports:start"))
    assert page.locator("main input[type=file]").count() == 1


def test_a_visitor_takes_the_questionnaire_and_shares_the_path(page: Any, browser: Any) -> None:
    catalogue = make_catalogue()
    page.goto(reverse("onboarding:questionnaire"))
    page.check(f"input[name=practices][value='{catalogue['photos'].pk}']")
    page.click("main form.questionnaire button[type=submit]")
    page.wait_for_load_state()
    shared = page.input_value("#share-url")
    assert "/premiers-pas/parcours/" in shared

    colleague = browser.new_context(locale="fr-FR").new_page()
    colleague.goto(shared)
    assert colleague.locator("#path-steps li.path-step").count() == 2  # licence, then feeds
    assert colleague.locator("#path-steps form").count() == 0  # read only for a colleague
    colleague.context.close()


def test_objections_and_it_helped_me(page: Any) -> None:
    catalogue = make_catalogue()
    member = UserFactory(display_name="Julien Tanguy")

    page.goto(reverse("onboarding:objections"))
    check(page, "objections")
    page.goto(catalogue["afraid"].get_absolute_url())
    check(page, "objection")

    log_in(page, member)
    page.goto(catalogue["afraid"].get_absolute_url())
    helpful = f"#helpful-{catalogue['answer'].pk}"
    page.click(f"{helpful} button")
    page.wait_for_selector(f"{helpful} button[aria-pressed=true]")
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    assert HelpfulVote.objects.filter(member=member).count() == 1
    page.click(f"{helpful} button")
    page.wait_for_selector(f"{helpful} button[aria-pressed=false]")
    assert not HelpfulVote.objects.exists()
    check(page, "objection-member")


def test_the_licence_chooser_and_the_practices(page: Any) -> None:
    make_catalogue()
    page.goto(reverse("onboarding:licence"))
    page.check("input[name=commercial][value=no]")
    page.check("input[name=modifications][value=yes]")
    page.check("input[name=share_alike][value=yes]")
    page.click("main form.licence-form button[type=submit]")
    page.wait_for_load_state()
    assert "CC BY-NC-SA 4.0" in page.inner_text("#result-title")
    check(page, "licence")
    page.goto(reverse("onboarding:practices"))
    check(page, "practices")
    page.goto(reverse("onboarding:home"))
    check(page, "home")


def test_coordinators_pages(page: Any) -> None:
    catalogue = make_catalogue()
    coordinator = UserFactory(display_name="Claire Morvan", role="coordinator", trust_level=4)
    for _ in range(3):
        Path.objects.create()
    path = Path.objects.first()
    assert path is not None
    path.practices.add(catalogue["watch"])
    log_in(page, coordinator)
    page.goto(reverse("onboarding:objections"))
    assert page.locator(".curate-actions").count() == 2
    check(page, "objections-coordinator")
    page.goto(catalogue["afraid"].get_absolute_url())
    check(page, "objection-coordinator")
    page.goto(reverse("onboarding:counts"))
    assert page.locator("#tally-practices").count() == 1
    check(page, "counts")
