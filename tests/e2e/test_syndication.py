"""Partner feeds in a real browser: a coordinator subscribes to a feed served by a real local
server, the first fetch runs, an item under CC BY-SA is republished and its page credits the
partner; the pages pass axe and fit 320 px. Elements are found by ids and names (French pages).
"""

from __future__ import annotations

from typing import Any

import pytest

from maillage.articles.models import Article, ArticleOrigin
from maillage.members.models import Role
from tests.e2e.conftest import assert_accessible, assert_fits_width
from tests.factories import PASSWORD, UserFactory
from tests.syndication.feeds import RSS_TYPE, Entry, rss

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = '<p>Texte <script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2"></p>'


def test_a_coordinator_subscribes_and_republishes_with_attribution(
    page: Any, http_server: Any
) -> None:
    entries = [
        Entry("1", "Nos photos sur Flickr", "https://partenaire.example/flickr",
              content="<p>Partager nos photos sous <strong>licence libre</strong>.</p>" + HOSTILE,
              licence_url="https://creativecommons.org/licenses/by-sa/4.0/"),
        Entry("2", "Le programme", "https://partenaire.example/programme",
              rights="© 2014, tous droits réservés"),
    ]  # fmt: skip
    http_server.route("/feed.xml", body=rss(entries), headers={"Content-Type": RSS_TYPE})
    coordinator = UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR)

    page.goto("/membres/connexion/")
    page.fill("#id_username", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.goto("/articles/partenaires/")
    assert_accessible(page)
    page.fill("#id_subscription-name", "Bretagne en communs")
    page.fill("#id_subscription-feed_url", http_server.url("/feed.xml"))
    page.click("form[action$='/abonner/'] button[type=submit]")
    page.wait_for_load_state()

    assert page.locator("h1").inner_text().startswith("Bretagne en communs")
    assert page.locator(".feed-item").count() == 2
    assert page.evaluate("window.pwned") is None
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    closed = page.locator(".feed-item", has_text="Le programme")
    assert closed.locator("button[formaction], form[action$='/republier/']").count() == 0
    free = page.locator(".feed-item", has_text="Nos photos sur Flickr")
    free.locator("input[name=publish][value='1']").check()
    free.locator("form[action$='/republier/'] button[type=submit]:not([formaction])").click()
    page.wait_for_load_state()

    article = Article.objects.get()
    assert article.origin == ArticleOrigin.REPUBLISHED and article.is_live
    assert page.url.endswith(article.get_absolute_url())
    attribution = page.locator(".attribution").inner_text()
    assert "Via un article de Bretagne en communs" in attribution
    assert "CC BY-SA 4.0" in attribution
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == "https://partenaire.example/flickr"
    assert page.evaluate("window.pwned") is None
    assert_accessible(page)
    assert_fits_width(page)
