"""The sources speak French by default, from the app's own catalogue, with French typography."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import maillage.veille.sources
from maillage.members.models import User
from tests.factories import FeedEntryFactory, FeedFactory, SourceSubscriptionFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(maillage.veille.sources.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def french_client() -> Client:
    if not (CATALOGUE / "django.mo").exists():
        pytest.fail("French catalogue not compiled: run `make messages`")
    return Client(headers={"Accept-Language": "fr"})


def test_catalogue_is_complete_and_typographed() -> None:
    text = (CATALOGUE / "django.po").read_text()
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]
    assert [entry for entry in entries if entry.rstrip().endswith('msgstr ""')] == []
    for value in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, flags=re.M):
        assert not re.search(r"[ ][;!?:]", value), value
        assert not re.search(r"« |[^\u00a0]»", value), value


def test_the_pages_in_french(french_client: Client, member: User) -> None:
    feed = FeedFactory(
        title="Blog en panne",
        consecutive_errors=2,
        last_error="Le serveur a répondu par une erreur (HTTP 503).",
        next_fetch_at=timezone.now() + timedelta(hours=2),
    )
    SourceSubscriptionFactory(member=member, feed=feed)
    FeedEntryFactory(feed=feed, title="Atelier du 26 mars")
    french_client.force_login(member)

    sources = french_client.get(reverse("sources:list")).content.decode()
    reader = french_client.get(reverse("sources:reader")).content.decode()

    assert "<title>Sources de la veille" in sources
    assert "Illisible\u00a0:" in sources and "2 échecs d’affilée\u202f; prochain essai" in sources
    assert "1 non lu" in sources and "Suivre une source" in sources
    assert "<title>Lecture" in reader
    assert "Garder" in reader and "Marquer comme lu" in reader and "1 entrée" in reader
    assert "Toutes mes sources et celles du réseau" in reader
