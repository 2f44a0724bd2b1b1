"""Notifications over real SMTP: the target's authors and earlier commenters, once each, with a
one-click unsubscribe link (List-Unsubscribe, RFC 8058)."""

from __future__ import annotations

import re

import pytest

from maillage.articles.comments import services
from maillage.articles.comments.models import CommentSubscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unsubscribe_path(mail) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"https://docarennes\.example(/commentaires/desabonnement/\S+/)", mail.text())
    assert found, mail.text()
    return found.group(1)


def test_authors_and_earlier_commenters_hear_of_a_new_comment(
    client, report, organiser, trusted, smtp, committed
):
    anne = UserFactory(email="anne@example.org", display_name="Anne Guégan", trust_level=3)
    with committed():
        first = services.post_comment(target=report, author=trusted, body="Premier !")
    # The organiser (author of the report and organiser of the event) hears once.
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["claire@example.org"]
    assert "Nouveau commentaire sur" in mail.subject  # the site's language
    assert "Yann Le Goff" in mail.text() and "Premier !" in mail.text()
    assert f"#comment-{first.pk}" in mail.text()

    with committed():
        services.post_comment(target=report, author=anne, body="Réponse", parent=first)
    smtp.wait_for(3)
    assert sorted(m.envelope_to[0] for m in smtp.messages[1:]) == [
        "claire@example.org",
        "yann@example.org",
    ]
    assert smtp.to("anne@example.org") == []
    for mail in smtp.messages:
        path = unsubscribe_path(mail)
        assert mail.message["List-Unsubscribe"].strip() == f"<https://docarennes.example{path}>"
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.message["From"] == '"Doc@Rennes" <noreply@docarennes.example>'


def test_unsubscribe_page_then_no_more_emails(client, report, organiser, trusted, smtp, committed):
    with committed():
        services.post_comment(target=report, author=trusted, body="Un")
    path = unsubscribe_path(smtp.wait_for(1)[0])
    page = client.get(path).content.decode()
    assert "Stop these emails" in page
    assert CommentSubscription.objects.get(email="claire@example.org").active
    response = client.post(path)
    assert response.status_code == 200
    assert "no longer receives" in response.content.decode()
    assert not CommentSubscription.objects.get(email="claire@example.org").active

    other = UserFactory(trust_level=3)
    with committed():
        services.post_comment(target=report, author=other, body="Deux")
    smtp.wait_for(2)
    assert [m.envelope_to for m in smtp.messages[1:]] == [["yann@example.org"]]


def test_one_click_unsubscribe_needs_no_csrf_token(report, trusted, smtp, committed):
    from django.test import Client

    with committed():
        services.post_comment(target=report, author=trusted, body="Un")
    path = unsubscribe_path(smtp.wait_for(1)[0])
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not CommentSubscription.objects.get(email="claire@example.org").active


def test_a_held_comment_tells_nobody_until_approved(report, newcomer, smtp, committed):
    with committed():
        comment = services.post_comment(target=report, author=newcomer, body="En attente")
    assert smtp.messages == []
    with committed():
        services.approve_comment(comment)
    [mail] = smtp.wait_for(1)
    assert mail.envelope_to == ["claire@example.org"]


def test_a_retried_task_does_not_tell_twice(report, trusted, smtp, committed):
    with committed():
        comment = services.post_comment(target=report, author=trusted, body="Un")
    smtp.wait_for(1)
    comment.refresh_from_db()
    assert services.notify_about_comment(comment=comment) == 0
