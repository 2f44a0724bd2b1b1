"""Articles in a real browser: the list, an article page and the writing form are accessible
(axe-core) and fit a 320 px phone; a guest suggests a link and sees the thanks.

Elements are found by their names and ids, not their words: the pages are in French here.
"""

from __future__ import annotations

from typing import Any

import pytest

from maillage.articles.models import LinkSuggestion
from maillage.core.models import Tag
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import (
    ArticleFactory,
    EventFactory,
    FurtherLinkFactory,
    LinkSuggestionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Médiathèque-intercommunale-de-la-vallée-de-la-Vilaine-et-du-Meu"


def make_articles() -> Any:
    wiki = Tag.objects.create(name="Wikipédia")
    author = UserFactory(display_name="Léa Durand")
    report = ArticleFactory(
        title=f"Compte-rendu de l’atelier {LONG_WORD}",
        summary="Ce que nous avons retenu de l’atelier : freins, déclics et projets.",
        body="## Les freins\n\nUne longue liste.\n\n## Les déclics\n\n- un\n- deux\n",
        authors=[author],
        tags=[wiki],
        event=EventFactory(title="Premier atelier"),
    )
    FurtherLinkFactory(article=report, title="Un guide", suggested_by_name="Yann")
    ArticleFactory(title="Un autre article", tags=[wiki])
    return author, report


def test_list_and_article_page_are_accessible_and_fit_a_phone(page: Any) -> None:
    _author, report = make_articles()
    page.goto("/articles/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(report.get_absolute_url())
    assert page.locator("link[rel=canonical]").count() == 1
    assert_accessible(page)
    assert_fits_width(page)


def test_list_filters_update_in_place(page: Any) -> None:
    make_articles()
    ArticleFactory(title="Sans mot-clé")
    page.goto("/articles/")
    assert page.locator(".article-card").count() == 3
    page.select_option("#id_tag", "wikipedia")
    page.wait_for_url("**/articles/?*tag=wikipedia*")
    page.wait_for_function("document.querySelectorAll('.article-card').length === 2")


def test_a_guest_suggests_a_link(page: Any) -> None:
    _author, report = make_articles()
    page.goto(report.get_absolute_url())
    page.click(".suggestion-box summary")
    page.fill("#id_url", "https://exemple.org/guide")
    page.fill("#id_title", "Un guide pratique")
    page.fill("#id_name", "Yann Lecteur")
    page.fill("#id_email", "yann@example.org")
    page.click(".suggestion-box button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".message-success").count() == 1
    assert LinkSuggestion.objects.get().name == "Yann Lecteur"


def test_writing_form_and_author_view_are_accessible(page: Any) -> None:
    author, report = make_articles()
    LinkSuggestionFactory(article=report)
    log_in(page, author)
    page.goto("/articles/nouveau/")
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(report.get_absolute_url())
    assert page.locator(".suggestion-list li.suggestion").count() == 1
    assert_accessible(page)
    assert_fits_width(page)
