"""In Chromium: an article's author turns a link given in a comment into a link to go further —
with JavaScript the comment is swapped in place (htmx), without it the form posts and the page
comes back; an archived article shows its comments, read-only. axe-core clean, 320 px wide.

Elements are found by their ids, names and classes, not their words (the pages are in French).
"""

from __future__ import annotations

from typing import Any

import pytest

from maillage.articles import services as articles
from maillage.articles.comments import services as comments
from maillage.articles.models import FurtherLink
from maillage.members.models import Role
from tests.e2e.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMMENT = (
    "Merci pour ce compte-rendu ! Pour aller plus loin, le [guide des réseaux sociaux en "
    "bibliothèque](https://abf.example.org/guide-reseaux-sociaux) est très concret, et "
    "l'article https://bbf.example.org/consulter/bbf-2013-04-0012-001 fait le point."
)


@pytest.fixture
def discussion(db: Any) -> dict[str, Any]:
    author = UserFactory(email="lea@example.org", display_name="Léa Morvan")
    commenter = UserFactory(email="yann@example.org", display_name="Yann Le Goff", trust_level=3)
    article = ArticleFactory(
        title="Les réseaux sociaux, nos institutions et nous",
        authors=[author],
        body="## Ce que nous avons appris\n\nQuinze participants, trois heures d'échanges.",
    )
    comment = comments.post_comment(target=article, author=commenter, body=COMMENT)
    return {"author": author, "article": article, "comment": comment}


def test_the_author_turns_a_link_with_htmx(page: Any, discussion: dict[str, Any]) -> None:
    article, comment = discussion["article"], discussion["comment"]
    log_in(page, discussion["author"])
    page.goto(article.get_absolute_url() + f"#{comment.anchor}")
    forms = page.locator(f"#{comment.anchor} .comment-links form")
    assert forms.count() == 2
    assert_accessible(page)
    assert_fits_width(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    forms.first.locator("button").click()

    notice = page.locator(f"#{comment.anchor} .message-success")
    notice.wait_for()
    assert "Yann Le Goff" in notice.inner_text()
    # Focus moves once htmx has settled the swap, a moment after the notice is in the page.
    page.wait_for_function("document.activeElement.classList.contains('message')", timeout=5000)
    assert page.locator(f"#{comment.anchor} .comment-links form").count() == 1
    link = FurtherLink.objects.get(article=article)
    assert link.suggested_by_name == "Yann Le Goff"
    assert link.url == "https://abf.example.org/guide-reseaux-sociaux"
    assert_accessible(page)
    assert_fits_width(page)


def test_without_javascript_the_form_posts(browser: Any, live_server: Any, discussion: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, discussion["author"])
        page.goto(discussion["article"].get_absolute_url())
        page.locator(".comment-links form button").last.click()
        page.wait_for_load_state()
        assert page.url.endswith("#further-title")
        further = page.locator(".further-list").inner_text()
        assert "bbf.example.org" in further and "Yann Le Goff" in further
        assert page.locator(".messages .message-success").count() == 1
    finally:
        context.close()


def test_an_archived_articles_comments_stay_readable(page: Any, discussion: Any) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    articles.archive_article(article=discussion["article"], by=coordinator)
    page.goto(discussion["article"].get_absolute_url())
    assert page.locator(".comment-body").count() == 1
    assert page.locator(".comments-closed").is_visible()
    assert page.locator("#comment-form").count() == 0
    assert_accessible(page)
    assert_fits_width(page)
