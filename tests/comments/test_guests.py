"""Guests: a confirmation email through a real SMTP server, a honeypot, rate limits."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maillage.articles.comments import services
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.core.review import ReviewPolicy

pytestmark = pytest.mark.django_db


def post_url(report):  # type: ignore[no-untyped-def]
    return reverse("comments:post", kwargs={"kind": "article", "object_id": report.pk})


def guest_data(**changes: str) -> dict[str, str]:
    data = {
        "comment-name": "Anne Invitée",
        "comment-email": "anne@example.org",
        "comment-body": "Et les **archives** ?",
        "comment-website": "",
    }
    data.update(changes)
    return data


def confirmation_link(mail) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"https://docarennes\.example(/commentaires/confirmer/\S+/)", mail.text())
    assert found, mail.text()
    return found.group(1)


def test_a_guest_confirms_by_email_then_the_policy_decides(client, report, smtp, committed):
    with committed():
        response = client.post(post_url(report), guest_data())
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING_EMAIL and comment.author is None
    page = client.get(report.get_absolute_url()).content.decode()
    assert "archives" not in page and "Comments (0)" in page

    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["anne@example.org"]
    assert "Confirm your comment" in mail.subject and report.event.title in mail.subject
    link = confirmation_link(mail)
    # Opening the link shows a button: mail scanners that follow links publish nothing.
    assert client.get(link).status_code == 200
    assert Comment.objects.get().status == CommentStatus.PENDING_EMAIL
    with committed():
        response = client.post(link)
    comment.refresh_from_db()
    # The default policy holds guests' comments until a coordinator approves them.
    assert comment.status == CommentStatus.HELD
    assert response.status_code == 302
    # Twice is harmless.
    assert client.post(link).status_code in (200, 302)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD


def test_a_guest_comment_is_published_when_the_policy_says_so(client, report, smtp, committed):
    ReviewPolicy.objects.update_or_create(pk=1, defaults={"guest_action": "publish"})
    with committed():
        client.post(post_url(report), guest_data())
    link = confirmation_link(smtp.wait_for(1)[0])
    with committed():
        response = client.post(link)
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PUBLISHED
    assert response["Location"] == f"{report.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(report.get_absolute_url()).content.decode()
    section = page[page.index('<section id="comments"') :]
    assert "Anne Invitée" in section and "<strong>archives</strong>" in section
    assert "anne@example.org" not in section


def test_an_altered_link_confirms_nothing(client, report, smtp, committed):
    with committed():
        client.post(post_url(report), guest_data())
    link = confirmation_link(smtp.wait_for(1)[0])
    assert client.post(link[:-3] + "xx/").status_code == 404
    assert Comment.objects.get().status == CommentStatus.PENDING_EMAIL


def test_the_honeypot_stores_and_sends_nothing(client, report, smtp, committed):
    with committed():
        response = client.post(post_url(report), guest_data(**{"comment-website": "spam.biz"}))
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert smtp.messages == []


def test_the_honeypot_is_hidden_and_labelled(client, report):
    page = client.get(report.get_absolute_url()).content.decode()
    assert '<div class="honeypot" hidden><label for="id_comment-website">' in page
    for field in ("name", "email", "body"):
        assert f'<label for="id_comment-{field}">' in page


def test_rate_limit_per_address(client, report, settings):
    settings.COMMENT_GUEST_RATE_LIMIT = 2
    for number in range(2):
        data = guest_data(**{"comment-email": f"g{number}@example.org"})
        assert client.post(post_url(report), data).status_code == 302
    response = client.post(post_url(report), guest_data(**{"comment-email": "g9@example.org"}))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Comment.objects.count() == 2


def test_rate_limit_per_email_whatever_the_address(report, settings):
    settings.COMMENT_GUEST_RATE_LIMIT = 2
    for number in range(2):
        services.post_comment(
            target=report,
            guest_name="Anne",
            guest_email="anne@example.org",
            body="x",
            ip=f"10.0.0.{number}",
        )
    with pytest.raises(services.CommentError, match="Too many attempts"):
        services.post_comment(
            target=report,
            guest_name="Anne",
            guest_email="ANNE@example.org",
            body="x",
            ip="10.9.9.9",
        )


def test_members_are_not_rate_limited_like_guests(report, trusted, settings):
    settings.COMMENT_GUEST_RATE_LIMIT = 1
    for _number in range(3):
        services.post_comment(target=report, author=trusted, body="x", ip="10.0.0.1")
    assert Comment.objects.count() == 3
