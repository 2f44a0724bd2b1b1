"""The licence chooser: three plain questions lead to the matching Creative Commons licence,
and the page explains every licence in plain words."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from maillage.core.licences import Licence
from maillage.onboarding.licence_chooser import EXPLAINED, EXPLANATIONS, choose_licence

CASES = [
    # commercial, modifications, share_alike → licence
    (True, True, False, Licence.CC_BY),
    (True, True, True, Licence.CC_BY_SA),
    (True, False, False, Licence.CC_BY_ND),
    (True, False, True, Licence.CC_BY_ND),  # share-alike means nothing without modifications
    (False, True, False, Licence.CC_BY_NC),
    (False, True, True, Licence.CC_BY_NC_SA),
    (False, False, False, Licence.CC_BY_NC_ND),
    (False, False, True, Licence.CC_BY_NC_ND),
]


@pytest.mark.parametrize(("commercial", "modifications", "share_alike", "expected"), CASES)
def test_choose_licence(
    commercial: bool, modifications: bool, share_alike: bool, expected: Licence
) -> None:
    assert (
        choose_licence(commercial=commercial, modifications=modifications, share_alike=share_alike)
        == expected
    )


def test_every_licence_is_explained_in_french() -> None:
    assert set(EXPLAINED) == set(Licence)
    for explanation in EXPLANATIONS.values():
        for text in (
            explanation.in_short,
            explanation.others_may,
            explanation.others_must,
            explanation.good_for,
        ):
            with translation.override("en"):
                english = str(text)
            with translation.override("fr"):
                french = str(text)
            assert french and french != english
    with translation.override("fr"):
        assert str(EXPLANATIONS[Licence.CC_BY_SA].in_short) == (
            "Faites-en ce que vous voulez, citez-moi, et partagez à l’identique."
        )


@pytest.mark.django_db
def test_the_page_answers_without_javascript(client: Client) -> None:
    url = reverse("onboarding:licence")
    page = client.get(url)
    assert page.status_code == 200
    assert "Your licence" not in page.content.decode()
    chosen = client.get(url, {"commercial": "no", "modifications": "yes", "share_alike": "yes"})
    html = chosen.content.decode()
    assert "Your licence: CC BY-NC-SA 4.0" in html
    assert "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.en" in html
    # Every licence is explained on the page, the chosen one marked.
    for licence in Licence:
        assert licence.short_label in html
    assert html.count("is-chosen") == 1


@pytest.mark.django_db
def test_an_incomplete_answer_shows_the_questions_again(client: Client) -> None:
    page = client.get(reverse("onboarding:licence"), {"commercial": "yes"})
    html = page.content.decode()
    assert "Your licence" not in html
    assert "errorlist" in html
