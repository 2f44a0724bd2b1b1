"""Search in a real browser: the header box leads to the results page; typing there updates the
results in place (htmx) without leaving the page; the counts per kind filter; without
JavaScript the same page works by submitting the form. The page passes axe-core and fits a
320 px phone.

Elements are found by their ids and roles, not their words: the pages are in French here.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from maillage.core import search
from maillage.core.models import Tag
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width
from tests.factories import ArticleFactory, BookmarkFactory, EventFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def the_network() -> None:
    camille = UserFactory(display_name="Camille Le Goff")
    reseaux = Tag.objects.create(name="Réseaux sociaux")
    ArticleFactory(
        title="Les bibliothèques sur les réseaux sociaux",
        summary="Retours d’expérience de médiathèques bretonnes.",
        body="Twitter, Facebook et Flickr : ce que la bibliothèque y gagne, et ce qu’il en coûte.",
        tags=[reseaux],
    )
    ArticleFactory(
        title="Animer une communauté",
        body="Une bibliothèque municipale raconte deux ans de community management.",
    )
    EventFactory(
        title="Atelier : la bibliothèque et les réseaux sociaux",
        summary="Un après-midi pour ouvrir les comptes de sa bibliothèque.",
    )
    for number in range(3):
        BookmarkFactory(
            owner=camille,
            title=f"Bibliothèques et médias sociaux, lecture n°{number + 1}",
            notes="Une très longue adresse à lire plus tard : "
            "https://bibliotheque.example.org/ressources/reseaux-sociaux/guide-complet-2014",
            visibility="public",
        )
    search.rebuild()


def screenshot(page: Any, name: str) -> None:
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-{name}.png"), full_page=True)


def test_header_box_instant_results_and_kind_filter(page: Any) -> None:
    from playwright.sync_api import expect

    the_network()
    page.goto("/")
    page.fill("#site-search-q", "bibliotheque")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/recherche/?q=bibliotheque")
    assert page.locator("#id_q").input_value() == "bibliotheque"
    assert page.locator(".search-hit").count() == 6
    assert page.locator(".search-hit mark").first.inner_text().lower().startswith("biblioth")
    assert_accessible(page)
    screenshot(page, "desktop")

    # Typing updates the results in place: the page itself is not loaded again.
    page.evaluate("window.stillTheSamePage = true")
    page.fill("#id_q", "réseaux sociaux")
    page.wait_for_url("**/recherche/?q=r%C3%A9seaux+sociaux")  # no empty filters
    expect(page.locator(".search-hit")).to_have_count(5)
    assert page.evaluate("window.stillTheSamePage") is True
    assert "réseaux sociaux" in page.title()  # the <title> follows

    # The counts per kind are filters.
    kinds = page.get_by_role("navigation", name="Résultats par type")
    kinds.get_by_role("link", name="Signets (3)").click()
    page.wait_for_url("**/recherche/?q=r%C3%A9seaux+sociaux&kind=bookmark")
    expect(page.locator(".search-hit")).to_have_count(3)
    assert set(page.locator(".search-hit .badge").all_inner_texts()) == {"Signet"}
    assert page.locator("#id_kind").input_value() == "bookmark"
    assert_accessible(page)

    page.goto("/recherche/?q=bibliotheque")
    assert_fits_width(page, 320)
    screenshot(page, "320")


def test_the_page_works_without_javascript(browser: Any, live_server: Any) -> None:
    the_network()
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/recherche/")
        page.fill("#id_q", "atelier")
        page.click(".search-form button[type=submit]")
        page.wait_for_url("**/recherche/?q=atelier**")
        assert page.locator(".search-hit").count() == 1
        assert page.locator(".search-hit h3 a").get_attribute("href").startswith("/")
        page.get_by_role("link", name="Tout", exact=True).click()
        assert page.locator(".search-hit").count() == 1
        assert_fits_width(page, 320)
    finally:
        context.close()
