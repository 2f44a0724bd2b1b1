"""Normalised addresses and the one-bookmark-per-page rule."""

import pytest

from maillage.veille.models import Bookmark
from maillage.veille.services import merge_notes, save_bookmark
from maillage.veille.urls_normalise import InvalidBookmarkURL, normalise_url, url_digest
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.ORG/Page", "http://example.org/Page"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        ("https://example.org", "https://example.org/"),
        (
            "https://example.org/a?utm_source=lettre&id=3&utm_medium=email&fbclid=XyZ",
            "https://example.org/a?id=3",
        ),
        ("https://example.org/a?UTM_Campaign=x", "https://example.org/a"),
        ("https://example.org/a?b=2&a=1", "https://example.org/a?b=2&a=1"),
        ("https://example.org/a?q=caf%C3%A9&x=", "https://example.org/a?q=caf%C3%A9&x="),
        ("  https://bib.example.fr./musée  ", "https://bib.example.fr/musée"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
    ],
)
def test_normalise_url(raw: str, expected: str) -> None:
    assert normalise_url(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "ftp://example.org/", "javascript:alert(1)", "https://", "http://[::1", "example"]
)
def test_normalise_url_refuses_what_is_not_a_web_address(raw: str) -> None:
    with pytest.raises(InvalidBookmarkURL):
        normalise_url(raw)


def test_digest_is_stable_and_fixed_length() -> None:
    assert url_digest("https://example.org/") == url_digest("https://example.org/")
    assert len(url_digest("https://example.org/" + "a" * 5000)) == 64


def test_merge_notes() -> None:
    assert merge_notes("", "Première note") == "Première note"
    assert merge_notes("Première note", "Première note") == "Première note"
    assert merge_notes("Première note", "Seconde") == "Première note\n\nSeconde"
    assert merge_notes("Première note", "  ") == "Première note"


@pytest.mark.django_db
def test_saving_the_same_page_again_merges_tags_and_notes_and_says_so() -> None:
    owner = UserFactory()
    first = save_bookmark(
        owner=owner,
        url="https://www.example.org/veille?utm_source=twitter",
        title="Veille partagée",
        notes="Vu en atelier.",
        tags="Réseaux sociaux, Bibliothèques",
    )
    assert first.created
    again = save_bookmark(
        owner=owner,
        url="HTTPS://www.example.org/veille#commentaires",
        title="Autre titre",
        notes="À relire.",
        tags="bibliotheques, Community management",
        to_read=True,
    )
    assert again.merged
    assert again.bookmark.pk == first.bookmark.pk
    assert again.added_tags == ("Community management",)
    assert again.notes_added
    bookmark = Bookmark.objects.get()
    assert bookmark.title == "Veille partagée"
    assert bookmark.notes == "Vu en atelier.\n\nÀ relire."
    assert bookmark.to_read
    assert bookmark.url == "https://www.example.org/veille?utm_source=twitter"
    assert sorted(bookmark.tags.values_list("slug", flat=True)) == [
        "bibliotheques",
        "community-management",
        "reseaux-sociaux",
    ]


@pytest.mark.django_db
def test_two_members_each_keep_their_own_bookmark_of_one_page() -> None:
    save_bookmark(owner=UserFactory(), url="https://example.org/page")
    save_bookmark(owner=UserFactory(), url="https://example.org/page")
    assert Bookmark.objects.count() == 2
