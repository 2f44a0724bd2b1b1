"""The coordinators' moderation pages in a real browser: usable from the keyboard, accessible,
and fitting a phone. Elements are found by ids and names, not by their (French) words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from maillage.core.review import ReviewRecord, register_reviewable, unregister_reviewable
from maillage.members.models import ProfileLink, Role
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import ProfileLinkFactory, ReviewRecordFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewable_links() -> Iterator[list[int]]:
    approved: list[int] = []

    def approve(link: models.Model) -> None:
        approved.append(link.pk)

    def describe(link: models.Model) -> str:
        assert isinstance(link, ProfileLink)
        return f"{link.title} — {link.url}"

    register_reviewable(
        ProfileLink,
        approve=approve,
        reject=lambda link, reason: None,
        mark_spam=lambda link: None,
        describe=describe,
        url=lambda link: "/",
    )
    yield approved
    unregister_reviewable(ProfileLink)


def test_a_coordinator_works_through_the_queue_from_the_keyboard(
    page: Any, reviewable_links: list[int]
) -> None:
    UserFactory(email="claire@example.org", display_name="Claire Morvan", role=Role.COORDINATOR)
    author = UserFactory(display_name="Camille Martin")
    first = ReviewRecordFactory(
        target=ProfileLinkFactory(user=author, title="Un très long titre de lien " * 4),
        author=author,
        reasons=["too_many_links", "first_contributions"],
    )
    second = ReviewRecordFactory(
        target=ProfileLinkFactory(user=author), author=author, state="sampled"
    )
    log_in(page, "claire@example.org")

    page.goto("/moderation/")
    assert page.locator(".review-item").count() == 2
    assert_accessible(page)

    # With htmx the item is replaced in place, and focus lands on its result.
    page.focus(f"#record-{first.pk} form[action$='/approuver/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#record-{first.pk} [role=status]:focus")
    first.refresh_from_db()
    assert first.state == "approved"
    assert reviewable_links == [first.object_id]

    page.keyboard.press("Tab")  # on to the next item: its link, then its buttons
    page.fill(f"#reason-{second.pk}", "Hors sujet pour le réseau.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#record-{second.pk} [role=status]")
    second.refresh_from_db()
    assert (second.state, second.resolution_note) == ("rejected", "Hors sujet pour le réseau.")
    assert_accessible(page)

    page.goto("/moderation/")
    long_address = "https://une-mediatheque-au-nom-vraiment-tres-long.example.org/blog/"
    ReviewRecordFactory(target=ProfileLinkFactory(user=author, url=long_address), author=author)
    page.reload()
    assert_fits_width(page)


def test_the_policy_and_figures_pages_are_accessible(page: Any) -> None:
    UserFactory(email="claire@example.org", role=Role.COORDINATOR)
    created = timezone.now() - timedelta(days=3)
    for state in ("auto_published", "auto_published", "approved", "rejected"):
        ReviewRecordFactory(
            state=state,
            action="publish" if state == "auto_published" else "hold",
            created_at=created,
            resolved_at=created + timedelta(hours=5),
        )
    log_in(page, "claire@example.org")
    for path in ("/moderation/reglages/", "/moderation/chiffres/"):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_fits_width(page)
        page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/moderation/reglages/")
    page.fill("#id_max_links", "4")
    page.select_option("#id_kind_post", "hold")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.input_value("#id_max_links") == "4"
    assert ReviewRecord.objects.count() == 4
