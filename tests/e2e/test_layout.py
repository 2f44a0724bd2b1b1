"""The shared layout in a real browser: landmarks, language switch, 320 px, accessibility."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, assert_fits_width

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_is_french_accessible_and_fits_a_phone(page: Any) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    for landmark in ("banner", "main", "contentinfo", "navigation"):
        assert page.get_by_role(landmark).count() >= 1, landmark
    assert_accessible(page)
    assert_fits_width(page, 320)


def test_language_switch_turns_the_page_english(page: Any) -> None:
    page.goto("/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Directory", exact=True).count() == 1


def test_skip_link_is_first_and_visible_on_focus(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
