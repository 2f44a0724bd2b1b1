"""Older and ported Creative Commons licences as partners declare them (3.0 France, 2.0, 2.5…):
the rights are those of the licence family, the attribution credits the exact licence declared."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from maillage.articles.syndication import services
from maillage.core.licences import (
    DeclaredLicence,
    Licence,
    Republication,
    declared_licence,
    licence_from_declaration,
    republication_right,
)
from tests.factories import FeedItemFactory, SubscriptionFactory

# Real declarations (feeds' <link rel="license">, <dc:rights>, footers), and what they declare:
# the family, the name to credit, the licence's address (as declared, else the official one).
DECLARED = [
    (
        "https://creativecommons.org/licenses/by-nc-sa/3.0/fr/",
        DeclaredLicence(
            Licence.CC_BY_NC_SA,
            "CC BY-NC-SA 3.0 FR",
            "https://creativecommons.org/licenses/by-nc-sa/3.0/fr/",
        ),
    ),
    (
        "http://creativecommons.org/licenses/by/2.0/",
        DeclaredLicence(Licence.CC_BY, "CC BY 2.0", "http://creativecommons.org/licenses/by/2.0/"),
    ),
    (
        "http://creativecommons.org/licenses/by-nd/2.5/deed.fr",
        DeclaredLicence(
            Licence.CC_BY_ND,
            "CC BY-ND 2.5",
            "http://creativecommons.org/licenses/by-nd/2.5/deed.fr",
        ),
    ),
    (
        "https://creativecommons.org/licenses/by-nc-nd/3.0/fr/legalcode",
        DeclaredLicence(
            Licence.CC_BY_NC_ND,
            "CC BY-NC-ND 3.0 FR",
            "https://creativecommons.org/licenses/by-nc-nd/3.0/fr/legalcode",
        ),
    ),
    (
        "https://creativecommons.org/licenses/by/3.0/igo/",
        DeclaredLicence(
            Licence.CC_BY, "CC BY 3.0 IGO", "https://creativecommons.org/licenses/by/3.0/igo/"
        ),
    ),
    (
        "CC BY-SA 3.0 FR",
        DeclaredLicence(
            Licence.CC_BY_SA,
            "CC BY-SA 3.0 FR",
            "https://creativecommons.org/licenses/by-sa/3.0/fr/",
        ),
    ),
    (
        "CC-BY-SA-3.0-DE",  # SPDX names the ports too
        DeclaredLicence(
            Licence.CC_BY_SA,
            "CC BY-SA 3.0 DE",
            "https://creativecommons.org/licenses/by-sa/3.0/de/",
        ),
    ),
    (
        "Texte sous licence CC BY-NC 2.5",
        DeclaredLicence(
            Licence.CC_BY_NC, "CC BY-NC 2.5", "https://creativecommons.org/licenses/by-nc/2.5/"
        ),
    ),
    (
        "Creative Commons Paternité - Pas d’Utilisation Commerciale - Partage des Conditions "
        "Initiales à l’Identique 2.0 France",
        DeclaredLicence(
            Licence.CC_BY_NC_SA,
            "CC BY-NC-SA 2.0 FR",
            "https://creativecommons.org/licenses/by-nc-sa/2.0/fr/",
        ),
    ),
    (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        DeclaredLicence(
            Licence.CC0, "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"
        ),
    ),
    (
        "https://creativecommons.org/publicdomain/mark/1.0/",
        DeclaredLicence(
            Licence.CC0,
            "Public Domain Mark 1.0",
            "https://creativecommons.org/publicdomain/mark/1.0/",
        ),
    ),
    # A name without a version: the family, and no address to invent.
    ("cc-by-sa", DeclaredLicence(Licence.CC_BY_SA, "CC BY-SA", "")),
    # A rights sentence names no exact licence: credited as written.
    (
        "© 2014 Finistère en communs, tous droits réservés",
        DeclaredLicence(
            Licence.ALL_RIGHTS_RESERVED, "© 2014 Finistère en communs, tous droits réservés", ""
        ),
    ),
    # Unknown: no permission read into them.
    ("Licence Ouverte / Open Licence", None),
    ("https://creativecommons.org/licenses/sampling+/1.0/", None),
    ("https://creativecommons.org/licenses/nc-sa/1.0/", None),  # 1.0 without attribution
    ("https://www.gnu.org/licenses/fdl-1.3.html", None),
    ("Reproduction autorisée avec mention de la source", None),
]


@pytest.mark.parametrize(("declaration", "expected"), DECLARED)
def test_declared_licence(declaration, expected):
    assert declared_licence(declaration) == expected
    assert licence_from_declaration(declaration) == (expected.licence if expected else None)


# What the network may do follows the family, whatever the version or port.
RIGHTS = [
    ("https://creativecommons.org/licenses/by-nc-sa/3.0/fr/", Republication.ADAPT),
    ("http://creativecommons.org/licenses/by/2.0/", Republication.ADAPT),
    ("CC BY-SA 3.0 FR", Republication.ADAPT),
    ("https://creativecommons.org/publicdomain/zero/1.0/", Republication.ADAPT),
    ("https://creativecommons.org/publicdomain/mark/1.0/", Republication.ADAPT),
    ("http://creativecommons.org/licenses/by-nd/2.5/deed.fr", Republication.VERBATIM),
    ("http://creativecommons.org/licenses/by-nc-nd/2.0/fr/", Republication.VERBATIM),
    ("© 2014 Finistère en communs", Republication.EXCERPT),
    ("Licence Ouverte / Open Licence", Republication.EXCERPT),
    ("https://creativecommons.org/licenses/nc-sa/1.0/", Republication.EXCERPT),
]


@pytest.mark.parametrize(("declaration", "right"), RIGHTS)
def test_the_rights_follow_the_family(declaration, right):
    assert republication_right(licence_from_declaration(declaration)) is right


@pytest.mark.parametrize(
    ("declaration", "licence"),
    [("https://creativecommons.org/licenses/by-nd/2.0/fr/", Licence.CC_BY_ND)],
)
def test_nc_and_commercial_use_follow_the_family(declaration, licence):
    declared = declared_licence(declaration)
    assert declared is not None and declared.licence == licence
    assert not licence.details.allows_derivatives and licence.details.allows_commercial_use
    nc = declared_licence("https://creativecommons.org/licenses/by-nc/2.5/")
    assert nc is not None and not nc.licence.details.allows_commercial_use


@pytest.fixture
def partner(db):  # type: ignore[no-untyped-def]
    return SubscriptionFactory(name="Bretagne en communs", site_url="https://partenaire.example/")


def republished(partner, coordinator, declared, **extra):  # type: ignore[no-untyped-def]
    item = FeedItemFactory(
        subscription=partner,
        title="Un atelier à Quimper",
        link="https://partenaire.example/quimper",
        licence=licence_from_declaration(declared) or "",
        licence_declared=declared,
        **extra,
    )
    return services.republish_item(item=item, by=coordinator, publish=True)


def test_the_attribution_credits_the_declared_version_and_links_to_it(partner, coordinator, client):
    article = republished(
        partner, coordinator, "https://creativecommons.org/licenses/by-nc-sa/3.0/fr/"
    )
    assert article.licence == Licence.CC_BY_NC_SA
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<a class="licence-badge" href="https://creativecommons.org/licenses/by-nc-sa/3.0/fr/" '
        'rel="license" title="CC BY-NC-SA 3.0 FR (read the licence)">CC BY-NC-SA 3.0 FR</a>'
    ) in page
    assert "CC BY-NC-SA 4.0" not in page
    assert "as the original declares it" not in page  # the badge already links to it
    # The feeds name the same licence.
    feed = client.get(reverse("articles:feed_rss")).content.decode()
    assert (
        "<creativeCommons:license>https://creativecommons.org/licenses/by-nc-sa/3.0/fr/"
        "</creativeCommons:license>"
    ) in feed
    atom = feedparser.parse(client.get(reverse("articles:feed_atom")).content)
    assert atom.entries[0].rights == (
        "CC BY-NC-SA 3.0 FR — https://creativecommons.org/licenses/by-nc-sa/3.0/fr/"
    )


def test_a_declared_name_is_credited_with_its_official_address(partner, coordinator, client):
    article = republished(partner, coordinator, "CC BY-SA 3.0 FR")
    assert article.original_licence_url == "https://creativecommons.org/licenses/by-sa/3.0/fr/"
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        'href="https://creativecommons.org/licenses/by-sa/3.0/fr/" rel="license" '
        'title="CC BY-SA 3.0 FR (read the licence)">CC BY-SA 3.0 FR</a>'
    ) in page


def test_a_name_without_version_keeps_our_badge_of_the_family(partner, coordinator, client):
    article = republished(partner, coordinator, "cc-by-sa")
    assert article.original_licence_url == ""
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">CC BY-SA 4.0</a>" in page


def test_an_nd_version_is_republished_word_for_word_and_locked(partner, coordinator, client):
    article = republished(partner, coordinator, "http://creativecommons.org/licenses/by-nd/2.5/")
    assert article.licence == Licence.CC_BY_ND and article.is_verbatim_only
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">CC BY-ND 2.5</a>" in page


@pytest.mark.parametrize(
    "declared",
    [
        "Licence Ouverte / Open Licence",
        "https://creativecommons.org/licenses/nc-sa/1.0/",
        "Reproduction autorisée avec mention de la source",
    ],
)
def test_an_unknown_declaration_allows_only_an_excerpt_and_a_link(
    partner, coordinator, client, declared
):
    item = FeedItemFactory(
        subscription=partner,
        link="https://partenaire.example/inconnu",
        licence="",
        licence_declared=declared,
    )
    with pytest.raises(services.LicenceForbids):
        services.republish_item(item=item, by=coordinator)
    article = services.share_excerpt(item=item, by=coordinator, publish=True)
    assert article.licence == Licence.ALL_RIGHTS_RESERVED and article.original_licence_url == ""
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Read the whole article on the original site" in page
    assert 'href="https://partenaire.example/inconnu"' in page
