"""The site speaks French by default: the members pages come from this app's catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import maillage.members

pytestmark = pytest.mark.django_db

CATALOGUE = Path(maillage.members.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def french_client() -> Client:
    if not (CATALOGUE / "django.mo").exists():
        # `make test` compiles every catalogue: a missing one is a broken build, not a skip.
        pytest.fail("French catalogue not compiled: run `make messages`")
    return Client(headers={"Accept-Language": "fr"})


def test_catalogue_is_complete() -> None:
    text = (CATALOGUE / "django.po").read_text()
    assert "#, fuzzy" not in text
    # Every msgstr filled: an empty one is followed by a blank line or a comment.
    entries = text.split("\n\n")[1:]
    empty = [entry for entry in entries if entry.rstrip().endswith('msgstr ""')]
    assert empty == []


def test_directory_in_french(french_client: Client) -> None:
    from tests.factories import UserFactory

    UserFactory(display_name="Enzo", profession="teacher")
    html = french_client.get(reverse("members:directory")).content.decode()
    assert "<title>Annuaire des membres · " in html
    assert "Tous les métiers" in html
    assert "Enseignant·e" in html  # the profession on the card, capitalised
    assert "étudiant·e" in html  # the profession choices
    assert "1 membre" in html


def test_login_in_french_with_typography(french_client: Client) -> None:
    html = french_client.get(reverse("members:login")).content.decode()
    assert "<h1>Connexion</h1>" in html  # Django's own catalogue wins for "Log in"
    assert "Mot de passe oublié\u202f?" in html
