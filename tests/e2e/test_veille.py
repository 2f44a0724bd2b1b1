"""The watch in a real browser: add a bookmark, tag two at once (htmx), find them on the tag
page; the bookmarklet, run on another site, opens our form filled in. The pages pass axe-core
and fit a 320 px phone.

Elements are found by their names and ids, not their words: the pages are in French here.
"""

from __future__ import annotations

from typing import Any

import pytest

from maillage.core.models import Tag
from maillage.veille.models import Bookmark
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import BookmarkFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Médiathèque-intercommunale-de-la-vallée-de-la-Vilaine-et-du-Meu : le compte Flickr"
PAGE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
    "<title>Les réseaux sociaux en bibliothèque</title>"
    "<meta name='description' content='Retours d’expérience de médiathèques.'></head>"
    "<body><main><h1>Les réseaux sociaux en bibliothèque</h1>"
    "<p id='passage'>Un compte Flickr bien tenu fait venir de nouveaux publics.</p>"
    "<p>Deux ans de publications, des chiffres et des conseils pour commencer.</p>"
    "</main></body></html>"
).encode()


def check_page(page: Any, url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    assert page.locator("h1").count() == 1, url
    assert_accessible(page)
    assert_fits_width(page)


def test_add_tag_two_at_once_and_find_them_on_the_tag_page(page: Any, http_server: Any) -> None:
    http_server.route("/article", body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    camille = UserFactory(display_name="Camille Martin")
    earlier = BookmarkFactory(
        owner=camille,
        title=LONG_TITLE,
        url="https://flickr.example.org/photos/mediatheque-intercommunale-de-la-vallee",
        notes="> Une citation\n\nEt **une note**.",
        tags=[Tag.objects.create(name="Flickr")],
    )
    BookmarkFactory(owner=camille, title="Pas concerné")
    BookmarkFactory(title="Le signet de quelqu’un d’autre", visibility="public")
    log_in(page, camille)

    # Add a bookmark from the form.
    page.goto("/veille/ajouter/")
    page.fill("#id_url", http_server.url("/article"))
    page.fill("#id_title", "Réseaux sociaux en bibliothèque")
    page.fill("#id_tags", "réseaux sociaux")
    page.check("input[name=visibility][value=public]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/veille/signets/*/")
    added = Bookmark.objects.get(title="Réseaux sociaux en bibliothèque")
    assert added.visibility == "public" and added.source == "manual"
    assert page.locator(".message-success").count() == 1

    # Tick it and the earlier one on "my bookmarks", add a tag to both: htmx swaps the list.
    page.goto("/veille/mes-signets/")
    assert page.locator("input[name=ids]").count() == 3
    page.check(f"#select-{added.pk}")
    page.check(f"#select-{earlier.pk}")
    page.click(".bulk-actions summary")
    page.fill("#id_bulk_tags", "médiation numérique")
    page.click("button[name=action][value=add_tags]")
    page.wait_for_selector("#bookmark-results .message-success")
    assert page.url.endswith("/veille/mes-signets/")  # swapped in place, no reload
    # Keyboard and screen reader users land on what happened.
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    for bookmark in (added, earlier):
        names = set(bookmark.tags.values_list("slug", flat=True))
        assert "mediation-numerique" in names

    # The tag page shows both, with the tags found beside it.
    page.click(f"#bookmark-{added.pk} a.tag[href$='/mediation-numerique/']")
    page.wait_for_url("**/veille/mots-cles/mediation-numerique/")
    assert page.locator(".bookmark-card").count() == 2
    related = page.locator(".related-tags a").all_inner_texts()
    assert sorted(related) == ["Flickr (1)", "réseaux sociaux (1)"]
    assert_accessible(page)
    assert_fits_width(page)


def test_watch_pages_are_accessible_and_fit_a_phone(page: Any) -> None:
    camille = UserFactory(display_name="Camille Martin")
    museums = Tag.objects.create(name="Musées")
    for index in range(3):
        BookmarkFactory(
            owner=camille,
            title=f"{LONG_TITLE} {index}",
            notes="Une *note* avec un lien https://example.org/une-adresse-tres-longue-sans-espace",
            visibility=["public", "members", "private"][index],
            to_read=index == 2,
            tags=[museums],
        )
    other = BookmarkFactory(title="Le musée de Bretagne", visibility="public", tags=[museums])
    check_page(page, "/veille/")
    check_page(page, "/veille/bookmarklet/")
    log_in(page, camille)
    for url in [
        "/veille/",
        "/veille/mes-signets/",
        "/veille/a-lire/",
        "/veille/mots-cles/musees/",
        f"/veille/membres/{camille.pk}/",
        "/veille/ajouter/",
        "/veille/ajouter/plusieurs/",
        other.get_absolute_url(),
    ]:
        check_page(page, url)
    # The bulk edit, opened, and the delete confirmation (without JavaScript's help).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/veille/mes-signets/")
    page.click(".bulk-actions summary")
    assert_accessible(page)
    assert_fits_width(page)


def test_the_bookmarklet_run_on_another_site_opens_our_form_filled_in(
    page: Any, http_server: Any
) -> None:
    http_server.route("/article", body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    camille = UserFactory()
    log_in(page, camille)
    page.goto("/veille/bookmarklet/")
    code = page.get_attribute(".bookmarklet-link a", "href")
    assert code.startswith("javascript:")

    # On the other site (no CSP of ours there): select a passage and run the bookmarklet.
    page.goto(http_server.url("/article"))
    page.evaluate(
        "() => { const range = document.createRange();"
        " range.selectNodeContents(document.getElementById('passage'));"
        " const selection = window.getSelection(); selection.removeAllRanges();"
        " selection.addRange(range); }"
    )
    with page.expect_popup() as popup_info:
        page.evaluate(code.removeprefix("javascript:"))
    popup = popup_info.value
    popup.wait_for_load_state()
    assert "/veille/ajouter/" in popup.url
    assert popup.input_value("#id_url") == http_server.url("/article")
    assert popup.input_value("#id_title") == "Les réseaux sociaux en bibliothèque"
    assert popup.input_value("#id_notes") == (
        "> Un compte Flickr bien tenu fait venir de nouveaux publics."
    )
    popup.fill("#id_tags", "réseaux sociaux")
    popup.click("main form button[type=submit]")
    popup.wait_for_url("**/veille/signets/*/")
    bookmark = Bookmark.objects.get()
    assert bookmark.source == "bookmarklet"
    assert bookmark.owner == camille
    assert bookmark.notes.startswith("> Un compte Flickr")
    assert_accessible(popup)


def test_the_bookmarklet_keeps_its_address_short_enough_for_servers(
    page: Any, http_server: Any
) -> None:
    long_page = (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
        f"<title>{'Médiathèque ’ ' * 200}</title></head>"
        f"<body><p id='passage'>{'Éducation aux médias’ ' * 400}</p></body></html>"
    ).encode()
    http_server.route("/long", body=long_page, headers={"Content-Type": "text/html"})
    log_in(page, UserFactory())
    page.goto("/veille/bookmarklet/")
    code = page.get_attribute(".bookmarklet-link a", "href")
    page.goto(http_server.url("/long"))
    page.evaluate("() => window.getSelection().selectAllChildren(document.body)")
    with page.expect_popup() as popup_info:
        page.evaluate(code.removeprefix("javascript:"))
    popup = popup_info.value
    popup.wait_for_load_state()
    # gunicorn refuses request lines over 4094 bytes: the address stays well under it.
    assert len(popup.url.split("/", 3)[3]) < 3900
    assert popup.input_value("#id_notes").startswith("> Éducation aux médias’")
    assert popup.input_value("#id_title").startswith("Médiathèque ’")
