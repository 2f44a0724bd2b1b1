"""The moderation pages and the decisions read in French, with French typography."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.review import Decision, ReviewAction
from maillage.members.models import User
from tests.factories import ReviewRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_client(coordinator: User) -> Client:
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(coordinator)
    return client


def test_the_queue_in_french(french_client: Client, held: Any, reviewable_links: Any) -> None:
    ReviewRecordFactory(state="sampled", action="publish_then_sample", reasons=["low_trust"])
    html = french_client.get(reverse("core:review_queue")).content.decode()
    assert "<title>File de relecture" in html
    assert "2 contributions à relire\u00a0: d’abord celles qui sont retenues" in html
    assert "Retenue pour relecture. C’est l’une de ses premières contributions." in html
    assert "Commentaire · Camille Martin" in html
    for label in ("Valider", "Indésirable", "Rejeter", "Raison, envoyée à l’auteur ou l’autrice"):
        assert label in html


def test_the_policy_and_figures_in_french(french_client: Client) -> None:
    ReviewRecordFactory(state="auto_published", action="publish")
    html = french_client.get(reverse("core:review_policy")).content.decode()
    assert "Valider de ne pas tout valider\u00a0:" in html
    assert "Niveau de confiance pour publier directement" in html
    assert "mettre en attente de relecture" in html
    html = french_client.get(reverse("core:review_figures")).content.decode()
    assert "<title>Chiffres de la relecture" in html
    assert "100\u202f%" in html
    assert "publiées sans relecture" in html


def test_every_reason_reads_in_french() -> None:
    from django.utils import translation

    from maillage.core.review.decisions import REASON_TEXTS

    with translation.override("fr"):
        for code in REASON_TEXTS:
            text = Decision(ReviewAction.PUBLISH_THEN_SAMPLE, (code,)).describe()
            assert text.startswith("Publiée tout de suite\u202f; un échantillon est relu ensuite. ")
            assert "The " not in text and "It " not in text and "This " not in text, text
