"""Under the review policy: held comments are seen by nobody but their author (pages, feeds,
counts) until a coordinator approves them from the queue, through the registered callbacks."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from maillage.articles.comments import services
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.core import review
from maillage.core.review import ReviewRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def section(client, target) -> str:  # type: ignore[no-untyped-def]
    page = client.get(target.get_absolute_url()).content.decode()
    return page[page.index('<section id="comments"') :]


def feed_titles(client) -> list[str]:  # type: ignore[no-untyped-def]
    parsed = feedparser.parse(client.get(reverse("comments:feed")).content)
    return [entry.description for entry in parsed.entries]


def test_a_held_comment_is_invisible_to_others_until_approved(
    client, report, newcomer, organiser, trusted
):
    services.post_comment(target=report, author=trusted, body="Publié tout de suite")
    held = services.post_comment(target=report, author=newcomer, body="Mon premier mot")
    assert held.status == CommentStatus.HELD
    record = ReviewRecord.objects.for_content(held).get()
    assert record.state == "pending" and record.kind == "comment"

    # Anonymous readers, other members: no text, no count, not in the feeds.
    for viewer in (None, trusted):
        if viewer is not None:
            client.force_login(viewer)
        shown = section(client, report)
        assert "Mon premier mot" not in shown and "Comments (1)" in shown
        assert f"comment-{held.pk}" not in shown
    client.logout()
    assert not any("premier mot" in text for text in feed_titles(client))

    # Its author sees it, marked as awaiting review (and it is not counted).
    client.force_login(newcomer)
    shown = section(client, report)
    assert "Mon premier mot" in shown and "awaiting review" in shown and "Comments (1)" in shown

    # A coordinator approves it in the queue: the review calls our callback.
    client.force_login(organiser)
    response = client.post(reverse("core:review_approve", args=[record.pk]))
    assert response.status_code in (200, 302)
    held.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED
    client.logout()
    shown = section(client, report)
    assert "Mon premier mot" in shown and "Comments (2)" in shown
    assert any("premier mot" in text for text in feed_titles(client))


def test_rejected_and_spam_stay_hidden(report, newcomer, organiser, client):
    first = services.post_comment(target=report, author=newcomer, body="Achetez ici")
    second = services.post_comment(target=report, author=newcomer, body="Encore ici")
    review.reject(
        record=ReviewRecord.objects.for_content(first).get(), by=organiser, reason="Publicité"
    )
    review.mark_spam(record=ReviewRecord.objects.for_content(second).get(), by=organiser)
    assert Comment.objects.get(pk=first.pk).status == CommentStatus.REJECTED
    assert Comment.objects.get(pk=second.pk).status == CommentStatus.SPAM
    client.force_login(newcomer)
    shown = section(client, report)
    assert "ici" not in shown and "Comments (0)" in shown


def test_watch_words_that_reject_refuse_the_comment(report, trusted):
    review.ReviewPolicy.objects.update_or_create(pk=1, defaults={"watch_words": "casino = reject"})
    with pytest.raises(services.CommentError):
        services.post_comment(target=report, author=trusted, body="Le meilleur casino")
    assert not Comment.objects.exists()


def test_the_queue_describes_and_links_the_comment(report, newcomer):
    held = services.post_comment(target=report, author=newcomer, body="À relire")
    assert "Nina Perrot" in services.describe_comment(held)
    assert "À relire" in services.describe_comment(held)
    assert services.comment_url(held) == f"{report.get_absolute_url()}#comment-{held.pk}"


def test_held_comments_are_not_in_the_target_feed_nor_a_members_only_event(
    client, report, newcomer, trusted
):
    services.post_comment(target=report, author=newcomer, body="Caché")
    services.post_comment(target=report, author=trusted, body="Visible")
    url = reverse("comments:target_feed", kwargs={"kind": "article", "object_id": report.pk})
    body = client.get(url).content.decode()
    assert "Visible" in body and "Caché" not in body
    report.event.visibility = "members"
    report.event.save(update_fields=["visibility"])
    assert client.get(url).status_code == 404
    assert "Visible" not in client.get(reverse("comments:feed")).content.decode()
    other = UserFactory(trust_level=3)
    client.force_login(other)
    assert "Visible" in section(client, report)
