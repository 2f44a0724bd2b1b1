"""Comments on an institution's posts come in as questions: a guest's once published (after
their email confirmation and the review), addressed to the post's voice; the staff's do not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.articles.comments import services as comment_services
from maillage.articles.comments.models import Comment, CommentStatus
from maillage.core import review as core_review
from maillage.core.review import ReviewPolicy
from maillage.inbox.models import Question, QuestionChannel
from maillage.voices.models import Post, PostState
from tests.factories import ChannelFactory, DeliveryFactory, PostFactory, UserFactory
from tests.inbox.conftest import Museum

pytestmark = pytest.mark.django_db


def published_post(museum: Museum) -> Post:
    """A post by Thomas on the museum's own pages (Lucie knows skeletons better)."""
    site = ChannelFactory(space=museum.space, kind="site", name="Nos pages")
    post = PostFactory(
        voice=museum.thomas,
        text="Cette semaine, on remonte le squelette du rorqual dans la grande galerie.",
        state=PostState.PUBLISHED,
        scheduled_for=timezone.now(),
        published_at=timezone.now(),
    )
    DeliveryFactory(post=post, channel=site, state="published", published_at=timezone.now())
    return post


def comment_url(post: Post) -> str:
    return reverse("comments:post", kwargs={"kind": "publication", "object_id": post.pk})


def guest_comment(
    client: Client,
    post: Post,
    committed: Any,
    body: str = "Comment tient la colonne vertébrale, des câbles ?",
) -> Comment:
    with committed():
        response = client.post(
            comment_url(post),
            {
                "comment-name": "Yves",
                "comment-email": "yves@example.org",
                "comment-body": body,
                "comment-website": "",
            },
        )
    assert response.status_code == 302
    return Comment.objects.get(guest_email="yves@example.org")


def confirm(client: Client, comment: Comment, committed: Any) -> None:
    token = comment_services.confirmation_token(comment)
    with committed():
        client.post(reverse("comments:confirm", kwargs={"token": token}))
    comment.refresh_from_db()


def test_a_guest_comment_enters_the_inbox_once_confirmed_and_reviewed(
    client: Client, museum: Museum, committed: Any
) -> None:
    post = published_post(museum)
    comment = guest_comment(client, post, committed)
    assert comment.status == CommentStatus.PENDING_EMAIL
    assert not Question.objects.exists()
    confirm(client, comment, committed)
    # The default policy holds a guest's comment: not a question before a moderator reads it.
    assert comment.status == CommentStatus.HELD
    assert not Question.objects.exists()

    coordinator = UserFactory(role="coordinator")
    record = core_review.ReviewRecord.objects.for_content(comment).get()
    with committed():
        core_review.approve(record=record, by=coordinator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    question = Question.objects.get()
    assert question.space == museum.space and question.channel == QuestionChannel.COMMENT
    assert question.comment == comment and question.addressed_to == museum.thomas
    assert question.asker_email == "yves@example.org" and "colonne" in question.body
    # Addressed to Thomas, who is available: routing gives it to him.
    assert question.assignee == museum.thomas

    # Handing the same comment on again (a retried task) makes no second question.
    with committed():
        comment_services.hand_published_comment_on(comment=comment)
    assert Question.objects.count() == 1


def test_a_guest_comment_published_at_once_enters_the_inbox(
    client: Client, museum: Museum, committed: Any
) -> None:
    ReviewPolicy.objects.update_or_create(pk=1, defaults={"guest_action": "publish"})
    post = published_post(museum)
    comment = guest_comment(client, post, committed)
    confirm(client, comment, committed)
    assert comment.status == CommentStatus.PUBLISHED
    question = Question.objects.get(comment=comment)
    assert question.addressed_to == museum.thomas


def test_the_staffs_own_comments_are_not_questions(
    client: Client, museum: Museum, committed: Any
) -> None:
    ReviewPolicy.objects.update_or_create(
        pk=1,
        defaults={"guest_action": "publish", "trust_level_to_publish": 0, "first_contributions": 0},
    )
    post = published_post(museum)
    with committed():
        staff = comment_services.post_comment(
            target=post, author=museum.lucie.user, body="Des tiges d’acier, Thomas !"
        )
        editor = comment_services.post_comment(
            target=post, author=museum.editor, body="Belle photo."
        )
    assert staff.status == editor.status == CommentStatus.PUBLISHED
    # Logged out, with their own address: still the staff.
    with committed():
        logged_out = comment_services.post_comment(
            target=post, guest_name="Lucie", guest_email="LUCIE@example.org", body="Et du fil."
        )
    confirm(client, logged_out, committed)
    assert logged_out.status == CommentStatus.PUBLISHED
    assert not Question.objects.exists()

    # A member of the network who is not on the museum's staff asks a question.
    with committed():
        outsider = comment_services.post_comment(
            target=post, author=UserFactory(), body="Peut-on venir voir le montage ?"
        )
    assert outsider.status == CommentStatus.PUBLISHED
    assert Question.objects.get().comment == outsider


def test_no_question_when_the_space_takes_none(
    client: Client, museum: Museum, committed: Any
) -> None:
    ReviewPolicy.objects.update_or_create(pk=1, defaults={"guest_action": "publish"})
    museum.settings.accepts_questions = False
    museum.settings.save()
    post = published_post(museum)
    comment = guest_comment(client, post, committed)
    confirm(client, comment, committed)
    assert comment.status == CommentStatus.PUBLISHED
    assert not Question.objects.exists()


def test_an_answer_goes_back_under_the_comment_and_is_no_question(
    client: Client, museum: Museum, committed: Any
) -> None:
    from maillage.inbox.models import AnswerKind, AnswerState
    from maillage.inbox.services import answers

    ReviewPolicy.objects.update_or_create(pk=1, defaults={"guest_action": "publish"})
    post = published_post(museum)
    body = "Peut-on venir en famille voir le montage pendant les visites ?"
    comment = guest_comment(client, post, committed, body=body)
    confirm(client, comment, committed)
    question = Question.objects.get()
    assert question.assignee == museum.thomas
    with committed():
        answer = answers.write_answer(
            question=question,
            user=museum.thomas.user,
            kind=AnswerKind.CHANNEL,
            body="Oui, les familles peuvent venir le mercredi après-midi.",
        )
    answer.refresh_from_db()
    assert answer.state == AnswerState.SENT, answer.error
    reply = Comment.objects.get(parent=comment)
    assert reply.author == museum.thomas.user
    assert Question.objects.count() == 1
