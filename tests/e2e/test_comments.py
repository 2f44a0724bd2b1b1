"""Comments in a real browser: a guest comments on a workshop report, confirms by email, a
coordinator approves it from the moderation queue, and it appears; the pages are accessible.

Elements are found by their ids and names, not their words (the pages are in French here).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from maillage.articles.comments.models import Comment, CommentStatus
from maillage.articles.models import Article
from maillage.core.review import ReviewRecord
from maillage.events import services as events
from maillage.events.models import Event, EventKind, EventStatus
from maillage.members.models import Role, User
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def confirmation_link(smtp_server: Any, address: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        for mail in smtp_server.to(address):
            found = re.search(r"https?://\S+/commentaires/confirmer/\S+/", mail.text())
            if found:
                return found.group(0)
        assert time.monotonic() < deadline, [m.subject for m in smtp_server.messages]
        time.sleep(0.1)


def wait_until(condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never became true"
        time.sleep(0.1)


def workshop_report(organiser: User) -> Article:
    """A workshop that took place, closed: its report is an article attached to it."""
    starts_at = timezone.now() - timedelta(days=3)
    event = Event.objects.create(
        kind=EventKind.WORKSHOP,
        title="Les réseaux sociaux, nos institutions et nous",
        summary="Un atelier participatif.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=45),
        place_name="Musée de la Vilaine",
        status=EventStatus.PUBLISHED,
        published_at=starts_at - timedelta(days=20),
        created_by=organiser,
    )
    event.organisers.add(organiser)
    return events.close_event(
        event=event,
        by=organiser,
        body="Nous avons parlé de **Twitter**, de Facebook et de Wikipédia.",
        attendees_count=15,
    )


def test_a_guest_comments_confirms_and_a_coordinator_approves(
    page: Any, live_server: Any, smtp_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    coordinator = UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR, trust_level=4)
    report = workshop_report(coordinator)

    page.goto(report.get_absolute_url())
    assert page.locator("#comments-title").count() == 1
    assert_accessible(page)
    page.fill("#id_comment-name", "Anne Invitée")
    page.fill("#id_comment-email", "anne@example.org")
    page.fill("#id_comment-body", "Et pour les **archives** municipales ?")
    page.click("#comment-form button[type=submit]")
    # htmx swaps the section in place and says what happens next.
    page.locator("#comments .message").wait_for()
    assert page.url.endswith(report.get_absolute_url())
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING_EMAIL
    assert page.locator(f"#comment-{comment.pk}").count() == 0

    # The guest opens the link in the email and confirms with the button.
    page.goto(confirmation_link(smtp_server, "anne@example.org"))
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD
    assert page.locator(f"#comment-{comment.pk}").count() == 0

    # A coordinator approves it from the moderation queue.
    log_in(page, coordinator)
    page.goto("/moderation/")
    record = ReviewRecord.objects.for_content(comment).get()
    # (The queue answers in place with htmx, or with a new page without it.)
    page.click(f"form[action$='/moderation/{record.pk}/approuver/'] button[type=submit]")
    wait_until(lambda: Comment.objects.get(pk=comment.pk).status == CommentStatus.PUBLISHED)

    # Anyone now reads it on the report.
    page.context.clear_cookies()
    page.goto(report.get_absolute_url())
    shown = page.locator(f"#comment-{comment.pk}")
    assert shown.locator("strong", has_text="archives").count() == 1
    assert "Anne Invitée" in shown.inner_text()
    assert_accessible(page)
    assert_fits_width(page)


def test_a_member_answers_and_quotes_without_javascript(
    browser: Any, live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    coordinator = UserFactory(display_name="Claire Morvan", role=Role.COORDINATOR, trust_level=4)
    member = UserFactory(display_name="Yann Le Goff", trust_level=3)
    report = workshop_report(coordinator)
    first = Comment.objects.create(
        target=report,
        author=coordinator,
        body="Merci à toutes et à tous.",
        status=CommentStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, member)
        page.goto(report.get_absolute_url())
        with page.expect_navigation():
            page.click(f"#comment-{first.pk} a[href*='citer=']")
        assert page.input_value("#id_comment-body").startswith("> Merci à toutes et à tous.")
        page.fill("#id_comment-body", page.input_value("#id_comment-body") + "Avec plaisir.")
        with page.expect_navigation():
            page.click("#comment-form button[type=submit]")
        answer = Comment.objects.exclude(pk=first.pk).get()
        assert answer.parent == first and answer.status == CommentStatus.PUBLISHED
        assert page.url.endswith(f"#comment-{answer.pk}")
        assert page.locator(f"#comment-{answer.pk} blockquote").count() == 1
    finally:
        context.close()


XSS_PAYLOADS = [
    "<script>window.__xss = 1; alert(1)</script>",
    '<img src=x onerror="window.__xss = 1; alert(1)">',
    "[clic](javascript:window.__xss=1)",
    '"><svg onload="window.__xss = 1">',
    '<a href="javascript:window.__xss=1" id="xss-link">x</a>',
    '<iframe src="javascript:parent.__xss=1"></iframe>',
]


def test_no_script_runs_from_a_comment_or_a_guest_name(page: Any, settings: Any) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR, trust_level=4)
    report = workshop_report(coordinator)
    for payload in XSS_PAYLOADS:
        Comment.objects.create(
            target=report,
            guest_name=payload[:120],
            guest_email="x@example.org",
            body=payload,
            status=CommentStatus.PUBLISHED,
            published_at=timezone.now(),
        )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(report.get_absolute_url())
    for link in page.locator("#comments .comment-body a").all():
        link.click(modifiers=["Control"], no_wait_after=True)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert page.locator("#comments script, #comments iframe, #comments svg").count() == 0
