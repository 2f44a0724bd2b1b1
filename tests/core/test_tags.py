"""core.tags: folded slugs, splitting, and Tag.objects.for_names; the Tag admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from maillage.core.models import Tag
from maillage.core.tags import MAX_TAG_LENGTH, clean_tag_name, fold, split_tag_names, tag_slug
from maillage.members.models import Role, User


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bibliothèque", "bibliotheque"),
        ("bibliotheque", "bibliotheque"),
        ("Œuvres", "oeuvres"),
        ("œuvre", "oeuvre"),
        ("Ærodrome", "aerodrome"),
        ("MÉDIATION", "mediation"),
        ("Straße", "strasse"),
        ("ﬁchier", "fichier"),
        ("Ça", "ca"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bibliothèque", "bibliotheque"),
        ("Œuvres", "oeuvres"),
        ("Médiation culturelle", "mediation-culturelle"),
        ("  web 2.0 !", "web-2-0"),
        ("#veille", "veille"),
        ("Communication / Web", "communication-web"),
        ("!!!", ""),
    ],
)
def test_tag_slug(name: str, slug: str) -> None:
    assert tag_slug(name) == slug


def test_tag_slug_is_capped() -> None:
    assert len(tag_slug("a" * 200)) == MAX_TAG_LENGTH


def test_clean_tag_name() -> None:
    assert clean_tag_name("  #Réseaux   sociaux ") == "Réseaux sociaux"
    assert len(clean_tag_name("x" * 100)) == MAX_TAG_LENGTH


def test_split_tag_names_keeps_the_first_spelling() -> None:
    assert split_tag_names("musée, Bibliothèque;  web\nbibliotheque, , MUSEE") == [
        "musée",
        "Bibliothèque",
        "web",
    ]


def test_split_tag_names_accepts_a_list() -> None:
    assert split_tag_names(["Œuvres", "oeuvres", " ", "#archives"]) == ["Œuvres", "archives"]


@pytest.mark.django_db
def test_bibliotheque_with_and_without_accent_is_one_tag() -> None:
    [first] = Tag.objects.for_names("Bibliothèque")
    [second] = Tag.objects.for_names("bibliotheque")
    assert first.pk == second.pk
    assert first.name == "Bibliothèque"
    assert first.slug == "bibliotheque"
    assert Tag.objects.count() == 1


@pytest.mark.django_db
def test_oeuvres_folds_to_oeuvres() -> None:
    [tag] = Tag.objects.for_names(["Œuvres"])
    assert tag.slug == "oeuvres"
    assert Tag.objects.for_names("oeuvres") == [tag]


@pytest.mark.django_db
def test_for_names_creates_only_the_missing_ones_in_order() -> None:
    existing = Tag.objects.create(name="Archives")
    tags = Tag.objects.for_names("web, ARCHIVES, musée")
    assert [tag.slug for tag in tags] == ["web", "archives", "musee"]
    assert tags[1].pk == existing.pk
    assert tags[1].name == "Archives"
    assert Tag.objects.count() == 3


@pytest.mark.django_db
def test_for_names_with_nothing() -> None:
    assert Tag.objects.for_names("") == []
    assert Tag.objects.for_names(", ;") == []


@pytest.mark.django_db
def test_save_fills_the_slug() -> None:
    tag = Tag.objects.create(name="Médiation numérique")
    assert tag.slug == "mediation-numerique"
    assert str(tag) == "Médiation numérique"


# --- admin ----------------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(db: None) -> Client:
    coordinator = User.objects.create_user(
        "coordination@example.org",
        "a long enough password",
        display_name="Coordination",
        role=Role.COORDINATOR,
        is_staff=True,
    )
    client = Client()
    client.force_login(coordinator)
    return client


def test_admin_lists_and_searches_tags(coordinator_client: Client) -> None:
    Tag.objects.for_names("Bibliothèque, Musée, Archives")
    response = coordinator_client.get("/admin/core/tag/", {"q": "bibli"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bibliothèque" in page
    assert "Musée" not in page


def test_admin_refuses_a_second_spelling_of_a_tag(coordinator_client: Client) -> None:
    Tag.objects.for_names("Bibliothèque")
    response = coordinator_client.post("/admin/core/tag/add/", {"name": "bibliotheque"})
    assert response.status_code == 200
    assert "même mot-clé que" in response.content.decode()
    assert Tag.objects.count() == 1


def test_admin_adds_a_tag_with_its_folded_slug(coordinator_client: Client) -> None:
    response = coordinator_client.post("/admin/core/tag/add/", {"name": "  Œuvres d'art "})
    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.slug) == ("Œuvres d'art", "oeuvres-d-art")


def test_admin_rename_moves_the_slug(coordinator_client: Client) -> None:
    [tag] = Tag.objects.for_names("bibliotheque")
    response = coordinator_client.post(f"/admin/core/tag/{tag.pk}/change/", {"name": "Médiathèque"})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Médiathèque", "mediatheque")


def test_admin_is_closed_to_plain_members(db: None) -> None:
    member = User.objects.create_user(
        "membre@example.org", "a long enough password", display_name="Membre", is_staff=True
    )
    client = Client()
    client.force_login(member)
    assert client.get("/admin/core/tag/").status_code == 403


@pytest.mark.django_db
def test_free_slug_skips_taken_and_reserved_slugs() -> None:
    from maillage.core.tags import free_slug
    from maillage.members.models import Institution

    Institution.objects.create(name="Médiathèque", kind="media_library")
    newcomer = Institution(name="Médiathèque", kind="media_library")
    assert free_slug(newcomer, newcomer.name, fallback="x") == "mediatheque-2"
    assert free_slug(newcomer, "Nouveau", fallback="x", reserved={"nouveau"}) == "nouveau-2"
    assert free_slug(newcomer, "!!!", fallback="institution") == "institution"
