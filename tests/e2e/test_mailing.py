"""The mailing list in a real browser: a member starts a thread from the web (previewing her
Markdown with htmx), the list's subscribers receive it by SMTP, another member answers on the
web, and the archive finds the thread by date and by search. Every page passes axe-core and
fits a 320 px phone.

Elements are found by their ids, names and addresses, not their words (the pages are French).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from maillage.core.review.models import ReviewPolicy
from maillage.mailing.models import Message
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import (
    ListMessageFactory,
    ListSubscriptionFactory,
    ListThreadFactory,
    MailingListFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def check_page(page: Any, url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    assert page.locator("h1").count() == 1, url
    assert_accessible(page)
    assert_fits_width(page)


def wait_until(condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never became true"
        time.sleep(0.1)


def test_post_from_the_web_receive_it_reply_and_find_it_in_the_archive(
    page: Any, smtp_server: Any, settings: Any
) -> None:
    settings.MAILING_DOMAIN = "lists.example.org"
    policy = ReviewPolicy.current()
    policy.trust_level_to_publish, policy.first_contributions = 0, 0
    policy.save()
    network = MailingListFactory(
        name="Doc@Rennes", slug="reseau", local_part="reseau", is_network_list=True
    )
    camille = UserFactory(email="camille@example.org", display_name="Camille Le Goff")
    sophie = UserFactory(email="sophie@example.org", display_name="Sophie Le Bihan")
    ListSubscriptionFactory(mailing_list=network, member=sophie, mode="every")
    older = ListThreadFactory(
        mailing_list=network,
        subject="Fréquence des posts sur Facebook : un très long sujet qui doit passer à la ligne",
    )
    ListMessageFactory(thread=older, body="Deux ou trois par semaine, pas plus.")

    log_in(page, camille)
    page.goto("/liste/")
    page.click("a[href='/liste/reseau/']")
    page.click("a[href='/liste/reseau/nouveau/']")
    page.fill("#id_subject", "Liens pour aller plus loin")
    page.fill("#id_body", "Voici la conférence de **Pascal Desfarges**.")
    page.click("button[name=preview]")
    page.wait_for_selector("#preview-box strong")
    assert page.locator("#preview-box strong").inner_text() == "Pascal Desfarges"
    assert Message.objects.filter(author=camille).count() == 0  # a preview sends nothing
    assert_accessible(page)
    page.click("main form button[type=submit]:not([name=preview])")
    page.wait_for_load_state()
    first = Message.objects.get(author=camille)
    assert page.url.endswith(f"/liste/reseau/fil/{first.thread_id}/#message-{first.pk}")
    assert (
        page.locator(f"#message-{first.pk} .comment-body strong").inner_text() == "Pascal Desfarges"
    )
    wait_until(lambda: smtp_server.to("sophie@example.org"))
    [received] = smtp_server.to("sophie@example.org")
    assert received.message["Message-ID"] == first.message_id

    # Sophie answers on the web.
    page.context.clear_cookies()
    log_in(page, sophie)
    page.goto(first.thread.get_absolute_url())
    page.fill("#id_body", "Merci ! J’ajoute le blog de la BU.")
    page.click("#reply-form button[type=submit]:not([name=preview])")
    page.wait_for_load_state()
    reply = Message.objects.get(author=sophie)
    assert reply.parent == first
    assert page.locator(f"#message-{reply.pk}").is_visible()

    # The archive: both threads by date, and the search finds the new one.
    page.goto("/liste/reseau/")
    assert page.locator(f"a[href='/liste/reseau/fil/{first.thread_id}/']").is_visible()
    page.fill("#archive-q", "conférence")
    page.click("form[role=search].archive-search button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(f"a[href='/liste/reseau/message/{first.pk}/']").count() == 1

    for url in (
        "/liste/",
        "/liste/reseau/",
        first.thread.get_absolute_url(),
        older.get_absolute_url(),
        "/liste/reseau/nouveau/",
        "/liste/reseau/recherche/?q=conf%C3%A9rence",
        "/liste/abonnements/",
    ):
        check_page(page, url)
