"""About fifty queries on the fixed French corpus, with the results they must give, on SQLite and
on PostgreSQL alike: accents, plurals, elisions, phrases, exclusions, tags, members, kinds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.search.conftest import Find

pytestmark = pytest.mark.django_db

# (query, filters, the first result or None, results that must be there, results that must not)
CASES: list[tuple[str, dict[str, Any], str | None, set[str], set[str]]] = [
    # Accents and case do not matter, nor plurals
    ("bibliotheque", {}, None, {"a_reseaux", "a_reseau", "e_atelier"}, {"b_members"}),
    ("BIBLIOTHÈQUES", {}, None, {"a_reseaux", "a_reseau"}, set()),
    ("musées", {}, None, {"a_musee", "b_instagram", "a_sociaux", "e_wikipedia"}, set()),
    ("musee", {}, None, {"a_musee", "b_instagram"}, set()),
    ("Musée", {}, None, {"a_musee", "b_instagram"}, set()),
    ("médiathèque", {}, None, {"a_reseau", "camille"}, set()),
    ("mediatheques", {}, None, {"a_reseau"}, set()),
    ("photographies", {}, None, {"a_archives", "a_musee", "b_flickr", "yann"}, set()),
    ("photographie", {}, None, {"a_archives", "b_flickr"}, set()),
    ("archive", {}, None, {"a_archives", "yann", "b_flickr", "c_published"}, set()),
    ("licences libres", {}, None, {"a_musee", "b_flickr", "yann"}, set()),
    ("wikipedia", {}, "e_wikipedia", set(), set()),
    ("Wikipédia", {}, "e_wikipedia", set(), set()),
    ("crochet", {}, None, set(), {"sophie"}),
    # Elisions
    ("l'institution", {}, None, {"a_institution", "b_flickr"}, set()),
    ("institutions", {}, None, {"a_institution", "b_flickr"}, set()),
    ("d'archives", {}, None, {"a_archives", "b_flickr"}, set()),
    ("l’équipe", {}, "a_reseaux", set(), set()),
    ("qu'importe l'ouverture", {}, "a_musee", set(), set()),
    # Titles weigh more than text
    ("réseau", {}, None, {"a_reseau", "a_reseaux", "e_atelier"}, set()),
    ("agents", {}, "a_institution", {"b_porte_voix"}, set()),
    ("charte", {}, "a_institution", set(), set()),
    # All the words before some of them
    ("réseaux sociaux", {}, None, {"a_reseaux", "e_atelier", "a_sociaux", "a_reseau"}, set()),
    ("twitter facebook", {}, None, {"e_atelier", "a_reseaux"}, {"camille"}),
    # Exact phrases
    ('"musée de Bretagne"', {}, "a_musee", {"e_wikipedia"}, {"a_phrase_scattered"}),
    ("« musée de Bretagne »", {}, "a_musee", set(), {"a_phrase_scattered"}),
    ("musée Bretagne", {}, None, {"a_musee", "a_phrase_scattered"}, set()),
    ('"réseaux sociaux" bibliothèque', {}, "a_reseaux", {"e_atelier"}, {"a_sociaux"}),
    ('"sociaux réseaux"', {}, None, set(), {"a_reseaux"}),
    ("porte-voix", {}, "b_porte_voix", set(), set()),
    ('"porte voix"', {}, "b_porte_voix", set(), set()),
    # Exclusions
    ("musées -Bretagne", {}, None, {"b_instagram", "a_sociaux"}, {"a_musee", "e_wikipedia"}),
    ('bibliothèque -"réseaux sociaux"', {}, None, {"a_reseau"}, {"a_reseaux", "e_atelier"}),
    ("photographie -flickr", {}, None, {"a_archives", "yann"}, {"b_flickr"}),
    ("archives -#photographie", {}, None, {"c_published"}, {"a_archives", "b_flickr"}),
    # Tags
    ("#patrimoine", {}, None, {"a_musee", "e_wikipedia"}, {"a_archives"}),
    ("#Réseaux-sociaux", {}, None, {"a_reseaux", "e_atelier", "b_instagram", "camille"}, set()),
    ("musées #réseaux-sociaux", {}, "b_instagram", set(), {"a_musee"}),
    ("musées", {"tags": ("licences-libres",)}, "a_musee", {"b_flickr"}, {"b_instagram"}),
    ("#inconnu", {}, None, set(), {"a_reseaux"}),
    # Members
    (
        "@yann",
        {},
        None,
        {"a_musee", "a_archives", "b_flickr", "c_published", "yann"},
        {"a_reseaux"},
    ),
    ("@morvan photographie", {}, None, {"a_archives", "b_flickr"}, {"a_reseaux"}),
    ("@camille-le-goff", {}, None, {"a_reseaux", "e_atelier", "b_instagram"}, {"a_musee"}),
    ("@personne", {}, None, set(), {"a_reseaux"}),
    ("yann", {}, "yann", set(), set()),
    # Kinds and dates
    ("réseaux sociaux type:atelier", {}, "e_atelier", set(), {"a_reseaux"}),
    ("musées kind:bookmark", {}, "b_instagram", set(), {"a_musee"}),
    ("musées", {"kinds": ("article",)}, None, {"a_musee"}, {"b_instagram", "e_wikipedia"}),
    ("twitter type:membre", {}, None, set(), {"e_atelier", "a_reseaux"}),
    (
        "musées",
        {"date_from": date(2015, 1, 1)},
        None,
        {"a_sociaux", "e_wikipedia"},
        {"a_musee", "b_instagram"},
    ),
    (
        "musées",
        {"date_to": date(2014, 12, 31)},
        None,
        {"a_musee", "b_instagram"},
        {"a_sociaux", "e_wikipedia"},
    ),
    # Stopwords alone find nothing; in a query they are ignored
    ("le la les", {}, None, set(), {"a_reseaux"}),
    ("les archives de la ville", {}, None, {"a_archives"}, set()),
    # English text stays findable by its own words
    ("libraries", {}, "a_english", set(), set()),
]


@pytest.mark.parametrize(
    ("text", "filters", "first", "included", "excluded"),
    CASES,
    ids=[f"{number:02d} {case[0]}" for number, case in enumerate(CASES)],
)
def test_relevance(
    find: Find,
    text: str,
    filters: dict[str, Any],
    first: str | None,
    included: set[str],
    excluded: set[str],
) -> None:
    found = find(text, **filters)
    if first is not None:
        assert found[:1] == [first], found
    assert included <= set(found), (sorted(included - set(found)), found)
    assert not (excluded & set(found)), (sorted(excluded & set(found)), found)


def test_documents_with_both_words_rank_above_those_with_one(find: Find) -> None:
    found = find("réseaux sociaux")
    both = {"a_reseaux", "e_atelier", "b_instagram", "camille"}
    one = {"a_sociaux", "a_reseau"}
    assert both <= set(found) and one <= set(found)
    assert max(found.index(key) for key in both) < min(found.index(key) for key in one)


def test_title_outranks_text(find: Find) -> None:
    found = find("photographie")
    assert found.index("a_archives") < found.index("a_musee")


def test_recent_content_is_slightly_favoured(made: dict[str, Any]) -> None:
    from maillage.core import search
    from tests.factories import ArticleFactory
    from tests.search.corpus import when

    old = ArticleFactory(
        title="Kamishibaï en classe", body="Le kamishibaï.", published_at=when(2010, 1, 1)
    )
    new = ArticleFactory(
        title="Kamishibaï en classe", body="Le kamishibaï.", published_at=when(2015, 1, 1)
    )
    search.index(old)
    search.index(new)
    urls = [hit.url for hit in search.search(viewer=None, text="kamishibai").hits]
    assert urls == [new.get_absolute_url(), old.get_absolute_url()]


def test_passages_highlight_the_original_words(made: dict[str, Any]) -> None:
    from maillage.core import search

    results = search.search(viewer=None, text="bibliotheque musees")
    hit = next(hit for hit in results.hits if "Rennes" in str(hit.title))
    assert "<mark>bibliothèques</mark>" in hit.title
    assert "<mark>bibliothèques</mark>" in hit.excerpt
    results = search.search(viewer=None, text="l'institution", kinds=("article",))
    assert results.hits[0].title == "Parler au nom de l&#x27;<mark>institution</mark>"


def test_passages_are_escaped(made: dict[str, Any]) -> None:
    from maillage.core import search
    from tests.factories import ArticleFactory

    article = ArticleFactory(
        title="<script>alert(1)</script> Origami", body="<b>origami</b> & pliage"
    )
    search.index(article)
    hit = search.search(viewer=None, text="origami").hits[0]
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "<b>" not in hit.excerpt and "<mark>origami</mark>" in hit.excerpt
