"""Sharing a partner's item as an article: in full only when its licence allows it, credited,
once; otherwise a short excerpt with a link to the original."""

from __future__ import annotations

import pytest

from maillage.articles.models import Article, ArticleOrigin, ArticleStatus
from maillage.articles.syndication import services
from maillage.articles.syndication.models import FeedItem
from maillage.core.licences import Licence
from maillage.core.text import render_markdown
from tests.factories import FeedItemFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

LONG_TEXT = " ".join(f"mot{index}" for index in range(150))


@pytest.fixture
def partner():  # type: ignore[no-untyped-def]
    return SubscriptionFactory(name="Bretagne en communs", site_url="https://partenaire.example/")


def test_republishing_creates_a_credited_draft_under_the_original_licence(partner, coordinator):
    item = FeedItemFactory(
        subscription=partner,
        title="Nos photos sur Flickr",
        link="https://partenaire.example/flickr",
        licence=Licence.CC_BY_SA,
        licence_declared="https://creativecommons.org/licenses/by-sa/3.0/fr/",
    )

    article = services.republish_item(item=item, by=coordinator)

    assert article.status == ArticleStatus.DRAFT
    assert article.title == "Nos photos sur Flickr"
    assert article.origin == ArticleOrigin.REPUBLISHED
    assert article.original_url == "https://partenaire.example/flickr"
    assert article.original_site_name == "Bretagne en communs"
    assert article.original_site_url == "https://partenaire.example/"
    assert article.original_author == "Anne Le Roux"
    assert article.original_published_at == item.published_at
    assert article.licence == Licence.CC_BY_SA
    assert article.original_licence_url == "https://creativecommons.org/licenses/by-sa/3.0/fr/"
    assert article.canonical_link == "https://partenaire.example/flickr"
    assert list(article.authors.all()) == [coordinator]
    # The partner's HTML became Markdown that renders back to the same structure.
    assert article.body.startswith("## Pourquoi partager")
    rendered = render_markdown(article.body)
    assert "<strong>licence libre</strong>" in rendered
    assert 'href="https://flickr.example/"' in rendered
    item.refresh_from_db()
    assert item.article == article and item.shared_by == coordinator


def test_the_summary_is_kept_only_when_it_says_something_else(partner, coordinator):
    repeating = FeedItemFactory(
        subscription=partner,
        summary="<p>Partager nos photos sous licence libre a changé […]</p>",
        content="<p>Partager nos photos sous licence libre a changé notre façon de travailler.</p>",
    )
    assert services.republish_item(item=repeating, by=coordinator).summary == ""
    distinct = FeedItemFactory(subscription=partner, summary="<p>Un retour d’expérience.</p>")
    article = services.republish_item(item=distinct, by=coordinator)
    assert article.summary == "Un retour d’expérience."


def test_republishing_and_publishing_at_once(partner, coordinator, client):
    item = FeedItemFactory(subscription=partner, licence=Licence.CC_BY)
    article = services.republish_item(item=item, by=coordinator, publish=True)
    assert article.status == ArticleStatus.PUBLISHED and article.is_live
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Via an article from" in page and "Bretagne en communs" in page
    assert f'<link rel="canonical" href="{item.link}">' in page


def test_republishing_twice_is_refused(partner, coordinator):
    item = FeedItemFactory(subscription=partner)
    services.republish_item(item=item, by=coordinator)
    with pytest.raises(services.AlreadyShared):
        services.republish_item(item=item, by=coordinator)
    with pytest.raises(services.AlreadyShared):
        services.share_excerpt(item=item, by=coordinator)
    assert Article.objects.count() == 1


def test_a_no_derivatives_licence_allows_the_text_word_for_word(partner, coordinator):
    item = FeedItemFactory(
        subscription=partner,
        licence=Licence.CC_BY_NC_ND,
        content="<p>Un texte à reprendre <em>tel quel</em>.</p>",
    )
    article = services.republish_item(item=item, by=coordinator)
    assert article.body == "Un texte à reprendre *tel quel*."
    assert article.licence == Licence.CC_BY_NC_ND


@pytest.mark.parametrize("licence", [Licence.ALL_RIGHTS_RESERVED, ""])
def test_without_a_free_licence_only_an_excerpt(partner, coordinator, licence):
    item = FeedItemFactory(
        subscription=partner,
        licence=licence,
        summary="",
        content=f"<p>{LONG_TEXT} <script>alert(1)</script></p>",
    )
    with pytest.raises(services.LicenceForbids):
        services.republish_item(item=item, by=coordinator)
    assert not Article.objects.exists()

    article = services.share_excerpt(item=item, by=coordinator, publish=True)

    assert article.origin == ArticleOrigin.EXCERPT
    assert article.licence == Licence.ALL_RIGHTS_RESERVED
    assert article.original_url == item.link
    assert article.body.startswith("> mot0 mot1")
    quoted = article.body.removeprefix("> ").removesuffix(" …")
    assert len(quoted.split()) == 60
    assert "alert" not in article.body and "mot60" not in article.body


def test_an_excerpt_of_a_free_item_keeps_its_licence(partner, coordinator):
    item = FeedItemFactory(subscription=partner, licence=Licence.CC_BY)
    article = services.share_excerpt(item=item, by=coordinator)
    assert article.origin == ArticleOrigin.EXCERPT and article.licence == Licence.CC_BY
    assert article.body == "> Un billet de notre partenaire sur les licences libres."


def test_markdown_characters_in_an_excerpt_stay_text(partner, coordinator):
    item = FeedItemFactory(
        subscription=partner, summary="<p>*Pas* d’[emphase](https://x.example) # ici</p>"
    )
    article = services.share_excerpt(item=item, by=coordinator)
    rendered = render_markdown(article.body)
    # Only linkify's plain address link: no emphasis, no Markdown link, no heading.
    assert "<em>" not in rendered and "<h" not in rendered
    assert "*Pas* d’[emphase](" in rendered and ") # ici" in rendered


def test_an_item_without_its_own_address_cannot_be_credited(partner, coordinator):
    item = FeedItemFactory(subscription=partner, link="")
    with pytest.raises(services.SyndicationError):
        services.republish_item(item=item, by=coordinator)


def test_only_coordinators_share(partner, member):
    item = FeedItemFactory(subscription=partner)
    with pytest.raises(services.NotAllowed):
        services.republish_item(item=item, by=member)
    with pytest.raises(services.NotAllowed):
        services.share_excerpt(item=item, by=member)
    assert FeedItem.objects.get(pk=item.pk).article is None


# --- Through the page -----------------------------------------------------------------------


def test_the_page_offers_what_the_licence_allows(partner, coordinator, client):
    free = FeedItemFactory(subscription=partner, title="Libre", licence=Licence.CC_BY_SA)
    verbatim = FeedItemFactory(subscription=partner, title="Tel quel", licence=Licence.CC_BY_ND)
    closed = FeedItemFactory(
        subscription=partner, title="Fermé", licence=Licence.ALL_RIGHTS_RESERVED
    )
    unknown = FeedItemFactory(subscription=partner, title="Inconnu", licence="")
    client.force_login(coordinator)
    page = client.get(partner.get_absolute_url()).content.decode()

    cards = page.split('<li class="card feed-item"')[1:]

    def card(item: FeedItem) -> str:
        [found] = [text for text in cards if f'id="item-{item.pk}"' in text]
        return found

    assert "/republier/" in card(free) and "/extrait/" in card(free)
    assert "/republier/" in card(verbatim) and "word for word only" in card(verbatim)
    assert "/republier/" not in card(closed) and "/extrait/" in card(closed)
    assert "All rights reserved: only a short excerpt" in card(closed)
    assert "/republier/" not in card(unknown) and "No licence we recognise" in card(unknown)
    assert "Licence unknown" in card(unknown)


def test_republish_from_the_page_then_the_item_links_to_the_article(partner, coordinator, client):
    item = FeedItemFactory(subscription=partner, title="À republier")
    client.force_login(coordinator)
    url = f"/articles/partenaires/billets/{item.pk}/republier/"

    response = client.post(url, {"publish": "1"})

    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.status == ArticleStatus.PUBLISHED
    page = client.get(partner.get_absolute_url()).content.decode()
    assert "Republished:" in page and article.get_absolute_url() in page
    assert f"/billets/{item.pk}/republier/" not in page

    again = client.post(url, {"publish": "0"}, follow=True)
    assert "This item has already been shared as an article." in again.content.decode()
    assert Article.objects.count() == 1


def test_republishing_a_closed_item_from_the_page_is_refused(partner, coordinator, client):
    item = FeedItemFactory(subscription=partner, licence=Licence.ALL_RIGHTS_RESERVED)
    client.force_login(coordinator)
    response = client.post(f"/articles/partenaires/billets/{item.pk}/republier/", follow=True)
    assert "does not allow republishing it" in response.content.decode()
    assert not Article.objects.exists()


def test_an_excerpt_from_the_page_is_a_draft_by_default(partner, coordinator, client):
    item = FeedItemFactory(subscription=partner, licence=Licence.ALL_RIGHTS_RESERVED)
    client.force_login(coordinator)
    response = client.post(f"/articles/partenaires/billets/{item.pk}/extrait/", follow=True)
    article = Article.objects.get()
    assert article.status == ArticleStatus.DRAFT and article.origin == ArticleOrigin.EXCERPT
    text = response.content.decode()
    assert "is saved as a draft" in text
    assert "Excerpt of an article from" in text
