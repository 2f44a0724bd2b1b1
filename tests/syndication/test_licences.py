"""Reading the licence a partner declares, and the one rule of what the network may do with it."""

from __future__ import annotations

import pytest

from maillage.core.licences import (
    Licence,
    Republication,
    licence_from_declaration,
    republication_right,
)

# What feeds and pages really write, and the family it is mapped to (None: not recognised).
DECLARATIONS = [
    ("https://creativecommons.org/licenses/by-sa/4.0/", Licence.CC_BY_SA),
    ("http://creativecommons.org/licenses/by-sa/3.0/fr/", Licence.CC_BY_SA),
    ("https://creativecommons.org/licenses/by/2.0/deed.fr", Licence.CC_BY),
    ("http://creativecommons.org/licenses/by-nc-nd/2.0/fr/", Licence.CC_BY_NC_ND),
    ("http://creativecommons.org/licenses/by-nd-nc/1.0/", Licence.CC_BY_NC_ND),
    ("https://creativecommons.org/licenses/by-nd/4.0/legalcode", Licence.CC_BY_ND),
    ("https://creativecommons.org/publicdomain/zero/1.0/", Licence.CC0),
    ("CC-BY-NC-SA-4.0", Licence.CC_BY_NC_SA),
    ("CC BY-NC 3.0", Licence.CC_BY_NC),
    ("cc-by-sa", Licence.CC_BY_SA),
    ("CC0", Licence.CC0),
    ("Creative Commons BY-SA", Licence.CC_BY_SA),
    ("Creative Commons Attribution-ShareAlike 4.0 International", Licence.CC_BY_SA),
    ("Creative Commons Attribution - Pas de Modification 4.0 International", Licence.CC_BY_ND),
    (
        "Creative Commons Paternité - Pas d’Utilisation Commerciale - Partage des Conditions "
        "Initiales à l’Identique 2.0 France",
        Licence.CC_BY_NC_SA,
    ),
    # The seed's "article sous licence creative common": no elements named, so the strictest.
    ("article sous licence creative common", Licence.CC_BY_NC_ND),
    ("Domaine public", Licence.CC0),
    ("© 2014 Bretagne en communs", Licence.ALL_RIGHTS_RESERVED),
    ("Copyright 2014, tous droits réservés", Licence.ALL_RIGHTS_RESERVED),
    ("All rights reserved", Licence.ALL_RIGHTS_RESERVED),
    ("© 2014 Brest en biens communs — CC BY-SA 4.0", Licence.CC_BY_SA),
    ("Licence Ouverte / Open Licence", None),
    ("CC", None),
    ("", None),
    (None, None),
    ("https://example.org/licence.html", None),
    ("https://creativecommons.org/licenses/by-sa-nd/4.0/", None),
]


@pytest.mark.parametrize(("declaration", "expected"), DECLARATIONS)
def test_licence_from_declaration(declaration, expected):
    assert licence_from_declaration(declaration) == expected


# The decision table: every licence we know, and an unknown one.
RIGHTS = [
    (Licence.CC0, Republication.ADAPT),
    (Licence.CC_BY, Republication.ADAPT),
    (Licence.CC_BY_SA, Republication.ADAPT),
    (Licence.CC_BY_NC, Republication.ADAPT),
    (Licence.CC_BY_NC_SA, Republication.ADAPT),
    (Licence.CC_BY_ND, Republication.VERBATIM),
    (Licence.CC_BY_NC_ND, Republication.VERBATIM),
    (Licence.ALL_RIGHTS_RESERVED, Republication.EXCERPT),
    ("", Republication.EXCERPT),
    (None, Republication.EXCERPT),
    ("GPL-3.0", Republication.EXCERPT),
]


@pytest.mark.parametrize(("licence", "right"), RIGHTS)
def test_republication_right(licence, right):
    assert republication_right(licence) is right
    assert republication_right(licence).allows_republication is (right != Republication.EXCERPT)


def test_every_licence_is_in_the_decision_table():
    assert {licence for licence, _ in RIGHTS if isinstance(licence, Licence)} == set(Licence)


@pytest.mark.parametrize("licence", [value for value in Licence])
def test_stored_codes_decide_as_their_licence(licence):
    assert republication_right(licence.value) is republication_right(licence)
