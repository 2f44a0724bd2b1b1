"""Sources in a real browser: the sources page and the reader are accessible (axe-core) and fit
a 320 px phone; "Garder" keeps an entry with htmx, in place, and the bookmark exists.

Elements are found by ids and form actions, not their words: the pages are in French here.
With E2E_SCREENSHOTS=1, each page is saved at 1280 and 320 px in test-artifacts/.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.veille.models import Bookmark
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width, log_in
from tests.factories import (
    FeedEntryFactory,
    FeedFactory,
    ReadEntryFactory,
    SourceSubscriptionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Médiathèque-intercommunale-de-la-vallée-de-la-Vilaine-et-du-Meu : le blog"


def screenshot(page: Any, name: str) -> None:
    if not os.environ.get("E2E_SCREENSHOTS"):
        return
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"sources-{name}-{width}.png"), full_page=True)


def make_sources() -> Any:
    member = UserFactory(display_name="Sophie Le Bihan")
    now = timezone.now()
    museums = TagFactory(name="musées")
    blog = SourceSubscriptionFactory(
        member=member,
        feed=FeedFactory(
            title=LONG_TITLE,
            url="https://mediatheque-vallee-vilaine.example.org/feed.xml",
            last_success_at=now - timedelta(minutes=12),
        ),
        tags=[museums, TagFactory(name="réseaux sociaux")],
    )
    broken = SourceSubscriptionFactory(
        member=member,
        feed=FeedFactory(
            title="Archives de Rennes",
            consecutive_errors=3,
            last_error="Le serveur a répondu par une erreur (HTTP 503).",
            next_fetch_at=now + timedelta(hours=8),
            bozo_warning=(
                "Ce flux est mal formé (mismatched tag)\u202f; ce qui a pu en être lu a été gardé."
            ),
        ),
    )
    network = SourceSubscriptionFactory(
        member=None, for_network=True, feed=FeedFactory(title="Doc@Rennes — veille du réseau")
    )
    for number, (subscription, title) in enumerate(
        [
            (blog, "Atelier « réseaux sociaux en bibliothèque » : le compte-rendu du 26 mars 2014"),
            (network, "Creative Commons : pourquoi libérer les photos de nos fonds patrimoniaux"),
            (blog, "Flickr, Wikimedia Commons et les archives : retour d’expérience"),
            (broken, "Community management : une journée type au musée des beaux-arts"),
            (
                network,
                "https://www.example.org/un-titre-qui-est-une-tres-longue-adresse-sans-espace-du-tout",
            ),
        ]
    ):
        entry = FeedEntryFactory(
            feed=subscription.feed,
            title=title,
            summary=(
                "Quinze personnes réunies à la médiathèque pour parler de Facebook, de Twitter "
                "et de la place des bibliothécaires sur le web social. " * 2
            ).strip(),
            published_at=now - timedelta(hours=3 * number + 1),
        )
        if number == 2:
            ReadEntryFactory(user=member, entry=entry)
    return member, blog


def test_sources_page_is_accessible_and_fits_a_phone(page: Any) -> None:
    member, _blog = make_sources()
    log_in(page, member)

    page.goto("/veille/sources/")
    assert page.locator("h1").count() == 1
    assert page.locator(".source-error").count() == 1
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "list")


def test_reader_is_accessible_fits_a_phone_and_keeps_with_htmx(page: Any) -> None:
    member, _blog = make_sources()
    log_in(page, member)

    page.goto("/veille/sources/lecture/")
    assert page.locator(".entry").count() == 5
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "reader")

    page.set_viewport_size({"width": 1280, "height": 900})
    first = page.locator(".entry").first
    entry_id = first.get_attribute("id")
    first.locator("form[action$='/garder/'] button").click()
    kept = page.locator(f"#{entry_id} .badge-ok")
    kept.wait_for()
    assert page.locator(f"#{entry_id} [role=status]").count() == 1
    assert page.url.endswith("/veille/sources/lecture/")  # no page load: swapped in place
    assert Bookmark.objects.filter(owner=member, source="feed").count() == 1
    assert_accessible(page)
