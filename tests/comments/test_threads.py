"""Posting, threads two levels deep, editing within 15 minutes, deleting, quoting, markup."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.articles.comments import selectors, services
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.articles.comments.templatetags.comment_tags import quoted
from maillage.members.models import Role
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_url(target, kind="article"):  # type: ignore[no-untyped-def]
    return reverse("comments:post", kwargs={"kind": kind, "object_id": target.pk})


def test_a_trusted_member_publishes_on_a_report(client, report, trusted):
    client.force_login(trusted)
    response = client.post(post_url(report), {"comment-body": "Merci, *très* utile !"})
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PUBLISHED and comment.author == trusted
    assert response.status_code == 302
    assert response["Location"] == f"{report.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Comments (1)" in page
    assert "<em>très</em>" in page and f'id="comment-{comment.pk}"' in page


def test_htmx_swaps_the_section(client, report, trusted):
    client.force_login(trusted)
    response = client.post(
        post_url(report), {"comment-body": "Par htmx."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="comments"')
    assert "Par htmx." in body and "Comments (1)" in body and "<html" not in body


def test_an_empty_comment_is_refused_with_the_form_again(client, report, trusted):
    client.force_login(trusted)
    response = client.post(post_url(report), {"comment-body": "  "})
    assert response.status_code == 400
    assert 'id="id_comment-body"' in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_on_an_event_page(client, event, trusted):
    client.force_login(trusted)
    client.post(post_url(event, "evenement"), {"comment-body": "J’y serai."})
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Comments (1)" in page and "J’y serai." in page


def test_a_draft_event_takes_no_comment(client, event, trusted):
    event.status = "draft"
    event.save(update_fields=["status"])
    client.force_login(trusted)
    assert client.post(post_url(event, "evenement"), {"comment-body": "x"}).status_code == 404


def test_threads_show_two_levels_and_deeper_answers_say_whom_they_answer(report, trusted):
    first = services.post_comment(target=report, author=trusted, body="Premier")
    second = services.post_comment(target=report, author=trusted, body="Réponse", parent=first)
    other = UserFactory(display_name="Anne Guégan", trust_level=3)
    third = services.post_comment(target=report, author=other, body="Plus bas", parent=second)
    fourth = services.post_comment(target=report, author=trusted, body="Encore", parent=third)
    assert third.thread == first and fourth.thread == first and fourth.parent == third

    view = selectors.comments_for(report, None)
    [thread] = view.threads
    assert thread.first.comment == first
    assert [item.comment for item in thread.replies] == [second, third, fourth]
    assert thread.replies[0].in_reply_to is None
    assert thread.replies[1].in_reply_to == second
    assert thread.replies[2].in_reply_to == third
    assert view.count == 4


def test_page_says_in_reply_to(client, report, trusted):
    first = services.post_comment(target=report, author=trusted, body="Premier")
    second = services.post_comment(target=report, author=trusted, body="Deux", parent=first)
    services.post_comment(target=report, author=trusted, body="Trois", parent=second)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'<a href="#comment-{second.pk}">in reply to Yann Le Goff</a>' in page


def test_an_answer_to_a_comment_elsewhere_is_refused(report, event, trusted):
    elsewhere = services.post_comment(target=event, author=trusted, body="Ailleurs")
    with pytest.raises(services.CommentError):
        services.post_comment(target=report, author=trusted, body="x", parent=elsewhere)


def test_reply_link_prefills_the_parent(client, report, trusted):
    first = services.post_comment(target=report, author=trusted, body="Premier")
    page = client.get(f"{report.get_absolute_url()}?repondre={first.pk}").content.decode()
    assert f'name="comment-parent" value="{first.pk}"' in page
    assert "Answer Yann Le Goff" in page


def test_quote_prefills_a_markdown_blockquote_without_javascript(client, report, trusted):
    first = services.post_comment(target=report, author=trusted, body="Ligne un\n\nLigne deux")
    assert quoted(first.body) == "> Ligne un\n>\n> Ligne deux\n\n"
    page = client.get(f"{report.get_absolute_url()}?citer={first.pk}").content.decode()
    assert "&gt; Ligne un\n&gt;\n&gt; Ligne deux\n\n</textarea>" in page
    assert f'name="comment-parent" value="{first.pk}"' in page
    assert f'href="{report.get_absolute_url()}?citer={first.pk}#comment-form"' in page


def test_quoting_a_held_comment_shows_nothing_of_it(client, report, newcomer):
    held = services.post_comment(target=report, author=newcomer, body="Secret en attente")
    assert held.status == CommentStatus.HELD
    page = client.get(f"{report.get_absolute_url()}?citer={held.pk}").content.decode()
    assert "Secret en attente" not in page


def test_edit_within_fifteen_minutes_by_its_author(client, report, trusted):
    comment = services.post_comment(target=report, author=trusted, body="Avant")
    client.force_login(trusted)
    edit = reverse("comments:edit", args=[comment.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"body": "Après"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Après" and comment.edited_at is not None
    assert "edited" in client.get(report.get_absolute_url()).content.decode()


def test_no_edit_after_fifteen_minutes_nor_by_others(client, report, trusted):
    comment = services.post_comment(target=report, author=trusted, body="Avant")
    other = UserFactory(trust_level=3)
    with pytest.raises(services.CommentError):
        services.edit_comment(comment=comment, user=other, body="Pirate")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    comment.refresh_from_db()
    with pytest.raises(services.CommentError):
        services.edit_comment(comment=comment, user=trusted, body="Trop tard")
    client.force_login(trusted)
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Trop tard"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Avant"
    page = client.get(report.get_absolute_url()).content.decode()
    assert reverse("comments:edit", args=[comment.pk]) not in page


def test_delete_keeps_the_thread_under_a_placeholder(client, report, trusted):
    first = services.post_comment(target=report, author=trusted, body="Je regrette")
    other = UserFactory(trust_level=3, display_name="Anne")
    services.post_comment(target=report, author=other, body="Réponse", parent=first)
    lonely = services.post_comment(target=report, author=trusted, body="Seul")
    client.force_login(trusted)
    for comment in (first, lonely):
        response = client.post(reverse("comments:delete", args=[comment.pk]))
        assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == CommentStatus.DELETED and first.body == ""
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Comment deleted." in page and "Réponse" in page
    assert "Je regrette" not in page and "Seul" not in page
    assert page.count("Comment deleted.") == 1
    assert "Comments (1)" in page


def test_only_the_author_or_a_coordinator_deletes(client, report, trusted):
    comment = services.post_comment(target=report, author=trusted, body="À moi")
    stranger = UserFactory(trust_level=3)
    client.force_login(stranger)
    assert client.post(reverse("comments:delete", args=[comment.pk])).status_code == 404
    coordinator = UserFactory(role=Role.COORDINATOR)
    services.delete_comment(comment=comment, user=coordinator)
    assert comment.status == CommentStatus.DELETED


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
]


class ActiveMarkup(HTMLParser):
    """Collects what a browser would run: script elements, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "svg", "iframe", "object", "embed"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in {"href", "src"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_executable_in_body_or_guest_name(client, report, payload):
    CommentFactory(
        target=report, author=None, guest_name=payload, guest_email="a@example.org", body=payload
    )
    page = client.get(report.get_absolute_url()).content.decode()
    parser = ActiveMarkup()
    parser.feed(page[page.index('<section id="comments"') :])
    assert parser.found == []


def test_query_count_does_not_grow_with_comments(client, report, django_assert_max_num_queries):
    def count_for(number: int) -> int:
        Comment.objects.all().delete()
        first = CommentFactory(target=report)
        for index in range(number - 1):
            CommentFactory(
                target=report,
                parent=first if index % 2 else None,
                thread=first if index % 2 else None,
                author=None if index % 3 == 0 else UserFactory(),
                guest_name="Invité",
                guest_email="g@example.org",
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(report.get_absolute_url())
        assert response.status_code == 200
        assert f"Comments ({number})" in response.content.decode()
        return len(queries)

    assert count_for(3) == count_for(30)


def test_an_address_that_is_not_one_is_not_stored(report, trusted):
    comment = services.post_comment(target=report, author=trusted, body="x", ip="unknown")
    assert comment.ip_address is None
    comment = services.post_comment(target=report, author=trusted, body="x", ip="192.0.2.7")
    assert comment.ip_address == "192.0.2.7"


def test_errors_without_javascript_come_back_on_a_page_linking_to_the_target(client, report):
    CommentFactory(target=report, body="Déjà là")
    response = client.post(post_url(report), {"comment-name": "Anne", "comment-body": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_comment-email"' in page and "errorlist" in page
    assert f'href="{report.get_absolute_url()}?repondre=' in page


def test_htmx_errors_come_back_in_the_section(client, report):
    response = client.post(
        post_url(report),
        {"comment-name": "Anne", "comment-body": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="comments"') and "errorlist" in body
    assert 'value="Anne"' in body
