"""An article taken from a partner: its attribution line, canonical link, card and feed item."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from maillage.articles.models import ArticleOrigin
from maillage.core.licences import Licence
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ORIGINAL = "https://partenaire.example/2014/04/atelier-rennes"


def partner_article(**overrides):  # type: ignore[no-untyped-def]
    values = {
        "title": "Un atelier à Rennes",
        "origin": ArticleOrigin.REPUBLISHED,
        "original_url": ORIGINAL,
        "original_site_name": "Bretagne en communs",
        "original_site_url": "https://partenaire.example/",
        "original_author": "Anne Le Roux",
        "original_published_at": datetime(2014, 4, 2, 9, 30, tzinfo=PARIS),
        "original_licence_url": "https://creativecommons.org/licenses/by-sa/3.0/fr/",
        "licence": Licence.CC_BY_SA,
    }
    values.update(overrides)
    return ArticleFactory(**values)


def test_republished_article_credits_the_partner_and_points_canonical_at_the_original(client):
    article = partner_article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{ORIGINAL}">' in page
    assert (
        'Via an article from <a href="https://partenaire.example/" rel="noopener">'
        "Bretagne en communs</a>, published on 2 April 2014." in page
    )
    assert "Written by Anne Le Roux." in page
    assert f'<a href="{ORIGINAL}" rel="noopener">Read the original article</a>' in page
    # The badge credits the licence the original declares (3.0 France), not our 4.0.
    assert (
        '<a class="licence-badge" href="https://creativecommons.org/licenses/by-sa/3.0/fr/" '
        'rel="license" title="CC BY-SA 3.0 FR (read the licence)">CC BY-SA 3.0 FR</a>'
    ) in page
    # One attribution line, not two.
    assert page.count('class="attribution"') == 1
    assert "By Membre" not in page


def test_a_declared_address_of_another_family_stays_one_click_away(client):
    # Not the article's licence family (changed by hand?): our badge, and the original's link.
    article = partner_article(
        original_licence_url="https://creativecommons.org/licenses/by-nd/3.0/fr/"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">CC BY-SA 4.0</a>" in page
    assert (
        '(<a href="https://creativecommons.org/licenses/by-nd/3.0/fr/" rel="noopener">'
        "as the original declares it</a>)"
    ) in page


def test_excerpt_says_it_quotes_and_links_to_the_whole_article(client):
    article = partner_article(
        origin=ArticleOrigin.EXCERPT,
        licence=Licence.ALL_RIGHTS_RESERVED,
        original_licence_url="",
        original_author="",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Excerpt of an article from" in page
    assert "Read the whole article on the original site" in page
    assert "All rights reserved by its author: quoted here briefly." in page
    assert "Written by" not in page


def test_own_articles_keep_their_line_and_canonical(client):
    article = ArticleFactory(licence=Licence.CC_BY)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{article.canonical_url}">' in page
    assert "Via an article" not in page and "By Membre" in page


def test_the_list_and_the_feed_name_the_original_author(client):
    partner_article()
    listing = client.get(reverse("articles:list")).content.decode()
    assert "Anne Le Roux, Bretagne en communs" in listing
    feed = feedparser.parse(client.get(reverse("articles:feed_atom")).content)
    assert not feed.bozo
    assert feed.entries[0].author == "Anne Le Roux"


def test_attribution_in_french(client):
    article = partner_article()
    with translation.override("fr"):
        page = client.get(article.get_absolute_url(), headers={"Accept-Language": "fr"})
    text = page.content.decode()
    assert "Via un article de" in text and "publié le 2 avril 2014" in text
    assert "Lire l’article original" in text
