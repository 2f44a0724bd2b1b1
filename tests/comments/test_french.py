"""The comments speak French by default, from this app's own catalogue, with French typography."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

import maillage.articles.comments
from maillage.articles.comments import services

pytestmark = pytest.mark.django_db

CATALOGUE = Path(maillage.articles.comments.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def french_client() -> Client:
    if not (CATALOGUE / "django.mo").exists():
        # `make test` compiles every catalogue: a missing one is a broken build, not a skip.
        pytest.fail("French catalogue not compiled: run `make messages`")
    return Client(headers={"Accept-Language": "fr"})


def test_catalogue_is_complete_and_typographed() -> None:
    text = (CATALOGUE / "django.po").read_text()
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]
    assert [entry for entry in entries if entry.rstrip().endswith('msgstr ""')] == []
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, flags=re.M)
    for value in translations:
        assert not re.search(r"[ ][;!?:]", value), value
        assert not re.search(r"« |[^\u00a0]»", value), value


def test_the_section_in_french(french_client, report, trusted):
    services.post_comment(target=report, author=trusted, body="Bravo !")
    page = french_client.get(report.get_absolute_url()).content.decode()
    assert "Commentaires (1)" in page
    assert "Bravo\u202f!" in page
    assert "Répondre" in page and "Citer" in page
    assert '<label for="id_comment-name">Votre nom' in page
    assert "Suivre ces commentaires (RSS)" in page


def test_guest_confirmation_email_in_french(french_client, report, smtp, committed):
    url = reverse("comments:post", kwargs={"kind": "article", "object_id": report.pk})
    data = {
        "comment-name": "Anne",
        "comment-email": "anne@example.org",
        "comment-body": "Et les archives ?",
    }
    with translation.override("fr"), committed():
        french_client.post(url, data)
    [mail] = smtp.wait_for(1)
    with translation.override("fr"):
        title = str(report)
    assert mail.subject.strip() == f"Confirmez votre commentaire sur «\u00a0{title}\u00a0»"
    assert "Pour le publier, ouvrez ce lien\u00a0:" in mail.text()
