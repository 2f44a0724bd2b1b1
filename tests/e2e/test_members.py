"""A newcomer's path in a real browser, and the accessibility of the members pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.factories import InstitutionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "une-phrase-de-passe-solide"


def test_a_newcomer_signs_up_confirms_by_email_and_sees_the_directory(
    page: Any, live_server: Any, smtp_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    UserFactory(display_name="Maëlle Le Gall", profession="archivist")

    page.goto("/")
    page.get_by_role("link", name="Rejoindre le réseau").first.click()
    page.get_by_label("Adresse électronique").fill("nouvelle@example.org")
    page.get_by_label("Nom affiché").fill("Nouvelle Venue")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()

    [mail] = smtp_server.wait_for(1)
    assert mail.envelope_to == ["nouvelle@example.org"]
    link = re.search(r"https?://\S+/confirmation/\S+", mail.text())
    assert link, mail.text()
    page.goto(link.group(0))

    if "connexion" in page.url:
        page.get_by_label("Adresse électronique").fill("nouvelle@example.org")
        page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(PASSWORD)
        page.get_by_role("button", name="Connexion").click()
    page.goto("/membres/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.get_by_text("Maëlle Le Gall").count() >= 1
    assert page.get_by_text("Nouvelle Venue").count() >= 1


@pytest.mark.parametrize(
    "path",
    ["/", "/membres/", "/membres/connexion/", "/membres/inscription/", "/membres/institutions/"],
)
def test_public_pages_are_accessible_and_fit_a_phone(page: Any, path: str) -> None:
    institution = InstitutionFactory(name="Médiathèque des Champs Libres")
    UserFactory(display_name="Yann Morvan", institution=institution, profession="librarian")
    page.goto(path)
    assert page.title()
    assert_accessible(page)
    assert_fits_width(page, 320)


def test_member_pages_are_accessible_when_logged_in(page: Any) -> None:
    member = UserFactory(display_name="Claire Rivoal", bio="Je fais de la **veille**.")
    member.set_password(PASSWORD)
    member.save()
    page.goto("/membres/connexion/")
    page.get_by_label("Adresse électronique").fill(member.email)
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    titles = set()
    for path in (f"/membres/{member.pk}/", "/membres/profil/modifier/", "/membres/"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path)
        titles.add(page.title())
        assert_accessible(page)
        assert_fits_width(page, 320)
    assert len(titles) == 3, "every page has its own title"
