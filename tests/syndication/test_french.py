"""Partner feeds speak French by default, from their own catalogue, with French typography."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import maillage.articles
import maillage.articles.syndication
from maillage.articles.syndication.models import FetchStatus
from maillage.core.licences import Licence
from tests.factories import FeedItemFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(maillage.articles.syndication.__file__).parent / "locale" / "fr" / "LC_MESSAGES"
ARTICLES = Path(maillage.articles.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture
def french_client(coordinator) -> Client:  # type: ignore[no-untyped-def]
    if not (CATALOGUE / "django.mo").exists():
        # `make test` compiles every catalogue: a missing one is a broken build, not a skip.
        pytest.fail("French catalogue not compiled: run `make messages`")
    client = Client(headers={"Accept-Language": "fr"})
    client.force_login(coordinator)
    return client


def test_catalogue_is_complete_and_typographed() -> None:
    text = (CATALOGUE / "django.po").read_text()
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]
    assert [entry for entry in entries if entry.rstrip().endswith('msgstr ""')] == []
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, flags=re.M)
    for value in translations:
        assert not re.search(r"[ ][;!?:]", value), value
        assert not re.search(r"« |[^\u00a0]»", value), value


def test_the_articles_catalogue_has_the_attribution_line() -> None:
    text = (ARTICLES / "django.po").read_text()
    assert 'msgstr "Via un article de %(partner)s, publié le %(original_date)s"' in text


def test_the_coordinator_page_in_french(french_client):
    subscription = SubscriptionFactory(
        name="Finistère en communs", last_status=FetchStatus.ERROR, last_error="x", failure_count=2
    )
    FeedItemFactory(subscription=subscription, licence=Licence.ALL_RIGHTS_RESERVED)
    page = french_client.get(reverse("syndication:list")).content.decode()
    assert "<title>Flux des partenaires · " in page
    assert "S’abonner au flux d’un partenaire" in page
    assert "Le dernier relevé a échoué\u00a0:" in page
    assert "(2 échecs d’affilée)" in page
    assert "Tous droits réservés\u00a0: seul un court extrait" in page
    assert "Publier un extrait" in page and "Relever maintenant" in page
