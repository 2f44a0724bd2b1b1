"""Curated lists in a real browser: a member makes a list, adds a page by its address and a
bookmark from its page, moves items with htmx (focus stays on the moved item), notes one; a
visitor reads the public list without the private bookmark in it. Pages pass axe-core and fit
320 px.

Elements are found by their names and ids, not their words: the pages are in French here.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from maillage.veille.models import BookmarkList, ListItem
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import BookmarkFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Ressources-pour-les-community-managers-des-bibliotheques-et-des-musees-bretons"


def titles(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".list-item .bookmark-title a").all_inner_texts()]


def check_page(page: Any) -> None:
    assert page.locator("h1").count() == 1, page.url
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_make_fill_order_and_read_a_list(page: Any, browser: Any, live_server: Any) -> None:
    bastien = UserFactory(display_name="Bastien Coquelin")
    shared = BookmarkFactory(
        owner=UserFactory(display_name="Julien Tanguy"),
        title="Répondre aux critiques en public",
        visibility="public",
    )
    secret = BookmarkFactory(owner=bastien, title="Mon brouillon privé", visibility="private")
    charter = BookmarkFactory(
        owner=bastien, title="Écrire une charte éditoriale", visibility="public"
    )

    log_in(page, bastien)
    page.goto("/veille/listes/nouvelle/")
    check_page(page)
    page.fill("#id_title", LONG_TITLE)
    page.fill("#id_description", "Ce que je conseille de lire **avant** d’ouvrir une page.")
    page.check("input[name=visibility][value=public]")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    bookmark_list = BookmarkList.objects.get()
    assert page.url.endswith(bookmark_list.get_absolute_url())

    # From the list: a page by its address (kept in Bastien's bookmarks on the way).
    page.fill("#id_url", charter.url)
    page.fill("#id_note", "Une page suffit.")
    page.click("#add-page button[type=submit]")
    page.wait_for_load_state()
    # From a bookmark's page: someone else's shared bookmark, and his own private one.
    for bookmark in (shared, secret):
        page.goto(bookmark.get_absolute_url())
        page.select_option("#id_bookmark_list", str(bookmark_list.pk))
        page.click(".bookmark-lists button[type=submit]")
        page.wait_for_load_state()

    page.goto(bookmark_list.get_absolute_url())
    assert titles(page) == [charter.title, shared.title, secret.title]
    page.set_viewport_size({"width": 320, "height": 800})
    check_page(page)

    # Move the second item up with htmx: the items are swapped in place, focus stays on it.
    second = ListItem.objects.get(bookmark=shared)
    page.evaluate("window.stillTheSamePage = true")
    page.locator(f"#item-{second.pk} form:has(input[value=up]) button").click()
    expect(page.locator(".list-item .bookmark-title a").first).to_have_text(shared.title)
    assert titles(page) == [shared.title, charter.title, secret.title]
    assert page.evaluate("document.activeElement.closest('li.list-item').id") == f"item-{second.pk}"
    assert page.evaluate("window.stillTheSamePage === true")  # swapped in place, not reloaded

    # A note, without JavaScript's help (a plain form post).
    page.locator(f"#item-{second.pk} summary").click()
    page.fill(f"#note-{second.pk}", "À relire le jour où ça arrive.")
    page.locator(f"#item-{second.pk} details button[type=submit]").click()
    page.wait_for_load_state()
    assert "À relire le jour où ça arrive." in page.locator(f"#item-{second.pk}").inner_text()

    # A visitor: the public list, without Bastien's private bookmark, with its feed announced.
    visitor = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        other = visitor.new_page()
        other.goto(bookmark_list.get_absolute_url())
        assert titles(other) == [shared.title, charter.title]
        assert other.locator("link[rel=alternate][type='application/rss+xml']").count() == 2
        assert other.locator("form[action*=deplacer]").count() == 0
        check_page(other)
        other.goto("/veille/listes/")
        assert other.locator(".list-card").count() == 1
        check_page(other)
    finally:
        visitor.close()
