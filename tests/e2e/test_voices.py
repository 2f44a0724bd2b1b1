"""Voices of an institution in a real browser: a voice writes a post outside her expertise, it
is held, a reviewer approves it, the scheduling task publishes it at its time. The strategy,
the editor, the calendar and the figures are accessible (axe-core) and fit a 320 px phone.

Elements are found by names and ids, not their (French) words.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.members.demo import DEMO_PASSWORD, load_members
from maillage.voices.demo import load_voices
from maillage.voices.models import Post, PostState, Space
from maillage.voices.services import publishing
from maillage.voices.services.strategy import ensure_first_version
from tests.e2e.conftest import ARTIFACTS, assert_accessible, assert_fits_width, log_in
from tests.factories import (
    AudienceFactory,
    ChannelFactory,
    KeyMessageFactory,
    MembershipFactory,
    SpaceFactory,
    TagFactory,
    UserFactory,
    VoiceFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_held_post_is_approved_then_published_on_schedule(page: Any) -> None:
    space = SpaceFactory(institution__name="Muséum des Landes", institution__slug="museum-landes")
    reviewer = UserFactory(email="rose@example.org", display_name="Rose Relectrice")
    MembershipFactory(space=space, user=reviewer, role="reviewer")
    audience = AudienceFactory(space=space, name="Familles")
    message = KeyMessageFactory(audience=audience, text="Le muséum se visite en famille")
    site = ChannelFactory(space=space, kind="site", name="Nos pages")
    site.audiences.set([audience])
    camille = VoiceFactory(
        space=space,
        user=UserFactory(email="camille@example.org", display_name="Camille Le Goff"),
        expertise=[TagFactory(name="entomologie")],
    )
    camille.channels.set([site])
    ensure_first_version(space=space, by=reviewer)

    log_in(page, "camille@example.org")
    page.goto(f"/voix/{space.slug}/publications/nouvelle/")
    assert_accessible(page)
    page.fill("#id_text", "Des météorites dans nos réserves ? Une vitrine bientôt.")
    # The counter (our own small script) follows the typing.
    assert page.locator("[data-counter] [data-count]").first.inner_text() == "55"
    page.select_option("#id_audience", str(audience.pk))
    page.select_option("#id_key_message", str(message.pk))
    page.fill("#id_tags", "minéralogie")
    page.check(f"input[name=channels][value='{site.pk}']")
    later = timezone.localtime() + timedelta(minutes=2)
    page.fill("#id_scheduled_for", later.strftime("%Y-%m-%dT%H:%M"))
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button[name=submit]")
    page.wait_for_load_state()

    post = Post.objects.get(space=space)
    assert post.state == PostState.HELD
    assert post.review_reasons == ["outside_expertise"]
    assert page.locator(".state-held").count() >= 1
    assert_accessible(page)

    log_in(page, "rose@example.org")
    page.goto(f"/voix/{space.slug}/relecture/")
    assert page.locator(".review-entry").count() == 1
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill(".review-entry textarea[name=note]", "Bonne idée, vérifié avec la conservatrice.")
    page.click(".review-entry form[action$='/approuver/'] button")
    page.wait_for_load_state()
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED
    page.goto(f"/voix/{space.slug}/")
    assert page.locator(".post-card").count() == 0

    # The scheduling task's round, at the post's time.
    assert publishing.publish_due(now=post.scheduled_for + timedelta(seconds=30)) == 1
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    page.context.clear_cookies()
    page.goto(f"/voix/{space.slug}/")
    assert page.locator(".post-card").count() == 1
    assert_accessible(page)
    assert_fits_width(page)


PAGES = {
    "strategie": "strategie/",
    "editeur": "publications/nouvelle/",
    "calendrier": "calendrier/?vue=mois&date=2014-04-10",
    "calendrier-semaine": "calendrier/?date=2014-04-09",
    "chiffres": "chiffres/",
    "relecture": "relecture/",
    "canaux": "canaux/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_demo_pages_are_accessible_and_fit_a_phone(page: Any, name: str) -> None:
    load_members()
    load_voices()
    space = Space.objects.get()
    email = (
        "camille.legoff@docarennes.example"
        if name == "editeur"
        else "mathieu.quere@docarennes.example"
    )
    log_in(page, email, DEMO_PASSWORD)
    page.goto(f"/voix/{space.slug}/{PAGES[name]}")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"voices-{name}-desktop.png"), full_page=True)
    assert_fits_width(page)
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=str(ARTIFACTS / f"voices-{name}-320.png"), full_page=True)
