"""The watch's pages speak French by default, from the app's own catalogue, French typography."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import maillage.veille
from maillage.core.models import Tag
from tests.factories import BookmarkFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(maillage.veille.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Overrides the package's English default: these pages are read in French."""
    with translation.override("fr"):
        yield


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


def test_the_shared_watch_in_french(french_client, camille):
    museums = Tag.objects.create(name="Musées")
    BookmarkFactory(
        owner=camille,
        title="Le musée en ligne",
        visibility="public",
        to_read=True,
        tags=[museums],
        created_at=timezone.make_aware(timezone.datetime(2014, 3, 26, 12, 0)),
    )
    page = french_client.get(reverse("veille:shared")).content.decode()
    assert "<title>Veille partagée · " in page
    assert ">Veille</a>" in page  # the main menu
    assert "1 signet" in page
    assert "26 mars 2014" in page
    assert "À lire" in page and "Public" in page
    assert "Mots-clés" in page and "Les plus récents d’abord" in page

    tag_page = french_client.get(reverse("veille:tag", args=["musees"])).content.decode()
    assert "<title>Mot-clé\u00a0: Musées · " in tag_page


def test_bulk_messages_in_french(french_client, camille):
    bookmark = BookmarkFactory(owner=camille)
    french_client.force_login(camille)
    response = french_client.post(
        reverse("veille:mine"),
        {"ids": [bookmark.pk], "action": "delete"},
    )
    assert "Supprimer ce signet\u202f?" in response.content.decode()
    response = french_client.post(
        reverse("veille:mine"),
        {"ids": [bookmark.pk], "action": "delete", "confirm": "on"},
        follow=True,
    )
    assert "1 signet supprimé." in response.content.decode()


def test_the_bookmarklet_help_in_french(french_client):
    page = french_client.get(reverse("veille:bookmarklet")).content.decode()
    assert "<title>Le bookmarklet · " in page
    assert "Glissez ce lien dans la barre de favoris de votre navigateur\u00a0:" in page
    assert "aucun service tiers" in page
