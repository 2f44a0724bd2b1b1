"""The results page: full page without JavaScript, partial for htmx, constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.core import search
from tests.factories import ArticleFactory, BookmarkFactory, TagFactory

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def test_the_address_is_french() -> None:
    assert reverse("core:search") == URL


def test_every_page_has_the_search_box(client: Any) -> None:
    html = client.get("/").content.decode()
    assert 'role="search"' in html and f'action="{URL}"' in html
    assert '<label for="site-search-q"' in html


def test_results_page_without_javascript(client: Any) -> None:
    ArticleFactory(title="Les bibliothèques et le numérique", tags=[TagFactory(name="Numérique")])
    BookmarkFactory(title="Bibliothèque numérique", visibility="public")
    search.rebuild()
    response = client.get(URL, {"q": "bibliotheque"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "<mark>bibliothèques</mark>" in html and "<mark>Bibliothèque</mark>" in html
    assert "2 résultats" in html or "2 results" in html
    assert 'hx-trigger="input changed delay:300ms' in html
    assert "?q=bibliotheque&amp;kind=bookmark" in html  # counts per kind are filters
    filtered = client.get(URL, {"q": "bibliotheque", "kind": "bookmark"}).content.decode()
    assert "1 résultat" in filtered or "1 result" in filtered


def test_htmx_gets_the_results_alone(client: Any) -> None:
    ArticleFactory(title="Atelier numérique")
    search.rebuild()
    response = client.get(
        URL,
        {"q": "numerique", "kind": "", "tag": "", "since": "", "until": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="search-results",
    )
    html = response.content.decode()
    assert "<html" not in html and "<mark>numérique</mark>" in html
    assert "HX-Request" in response["Vary"]
    # The address and the title follow, without the fields left empty.
    assert response["HX-Push-Url"] == "/recherche/?q=numerique"
    assert "<title>Recherche\u00a0: numerique" in html or "<title>Search: numerique" in html
    assert 'href="?q=numerique&amp;kind=article"' in html


def test_an_empty_search_explains_the_syntax(client: Any) -> None:
    html = client.get(URL).content.decode()
    assert "#patrimoine" in html


def test_invalid_filters_are_left_out(client: Any) -> None:
    response = client.get(URL, {"q": "x", "since": "pas une date", "kind": "nope", "page": "z"})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_results(client: Any) -> None:
    ArticleFactory(title="Gravure un")
    search.rebuild()
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "gravure"})
    for number in range(30):
        ArticleFactory(title=f"Gravure {number}")
    search.rebuild()
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "gravure"})
    assert "Page 1" in response.content.decode()
    assert len(many) == len(few)
