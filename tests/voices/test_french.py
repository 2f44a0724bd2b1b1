"""The voices speak French: pages, reasons of decisions, emails; French typography."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from maillage.core.review import describe_decision
from tests.voices.conftest import Museum

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "maillage/voices/locale/fr/LC_MESSAGES/django.po"


def test_pages_read_in_french(museum: Museum) -> None:
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(museum.camille.user)
    strategy = client.get(reverse("voices:strategy", kwargs={"space": museum.space.slug}))
    assert "La stratégie avant l’outil" in strategy.content.decode()
    editor = client.get(reverse("voices:post_new", kwargs={"space": museum.space.slug}))
    assert "Écrire une publication" in editor.content.decode()


def test_reasons_read_in_french() -> None:
    with translation.override("fr"):
        text = describe_decision("hold", ["charter_not_accepted", "training_not_done"])
    assert "n’a pas encore accepté la charte" in text
    assert "n’a pas encore suivi la formation" in text


def test_french_typography_in_the_catalogue() -> None:
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', CATALOGUE.read_text(), re.MULTILINE)
    text = "\n".join(translations)
    assert not re.search(r" [;!?]", text), "a plain space before ; ! ?"
    assert not re.search(r" :", text), "a plain space before :"
